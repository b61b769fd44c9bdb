import Course
import Foundation
import Grading
import XCTest

/// The repository proves its code exercises: with the stubs every check fails with a readable
/// message; with the reference solutions (Tests/GradingTests/Solutions/) every check passes. The
/// workspace is copied to a temporary directory and built twice (the second build is incremental).
final class WorkspaceProofTests: XCTestCase {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A copy of the course's Exercises/ outside the repository (its Package.swift reaches the
    /// repository through `ExerciseWorkspace.packagePath`, as `interp check` does for a copied course).
    static func copyWorkspace() throws -> (course: Course, directory: String) {
        let fm = FileManager.default
        let temp = fm.temporaryDirectory.appendingPathComponent("interp-exercises-\(UUID().uuidString)")
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        let root = repositoryRoot
        try fm.createSymbolicLink(at: temp.appendingPathComponent("Lessons"), withDestinationURL: root.appendingPathComponent("Lessons"))
        let exercises = temp.appendingPathComponent("Exercises")
        try fm.createDirectory(at: exercises, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: root.appendingPathComponent("Exercises").path) where !name.hasPrefix(".") {
            try fm.copyItem(at: root.appendingPathComponent("Exercises/\(name)"), to: exercises.appendingPathComponent(name))
        }
        if fm.fileExists(atPath: root.appendingPathComponent("Package.resolved").path) {
            try fm.copyItem(at: root.appendingPathComponent("Package.resolved"), to: exercises.appendingPathComponent("Package.resolved"))
        }
        let (course, diagnostics) = try Course.load(root: temp.path)
        XCTAssertFalse(diagnostics.containsErrors, diagnostics.map(\.description).joined(separator: "\n"))
        return (course, exercises.path)
    }

    func testStubsFailAndReferenceSolutionsPass() throws {
        let (course, directory) = try Self.copyWorkspace()
        let code = course.exercises.filter { $0.kind == .code }
        XCTAssertGreaterThanOrEqual(code.count, 6)
        let workspace = ExerciseWorkspace(directory: directory, packagePath: Self.repositoryRoot.path)

        // Stubs in place (the pristine copies, not whatever the learner files hold).
        for e in code {
            let stub = try Data(contentsOf: URL(fileURLWithPath: course.absolutePath(e.stubPath)))
            try stub.write(to: URL(fileURLWithPath: course.absolutePath(try XCTUnwrap(e.learnerPath))))
        }
        let first = try workspace.build()
        XCTAssertTrue(first.succeeded, first.errors.map(\.description).joined(separator: "\n") + first.outputTail)
        print("exercise workspace: first build \(String(format: "%.1f", first.seconds)) s")
        for e in code {
            let outcome = try workspace.run(program: try XCTUnwrap(workspace.checkProgram(e)), exercise: e, seed: 11, modelPath: nil)
            guard case .ran(let report, _) = outcome else { XCTFail("\(e.id): the stub did not run cleanly: \(outcome)"); continue }
            XCTAssertFalse(report.passed, "\(e.id): the stub passes its checks")
            for c in report.cases where !c.passed {
                XCTAssertTrue(c.message.contains("expected"), "\(e.id) / \(c.name): unhelpful message '\(c.message)'")
            }
        }

        // Reference solutions in place: an incremental build, every case passes.
        for e in code {
            let solution = Self.repositoryRoot.appendingPathComponent("Tests/GradingTests/Solutions/\(e.id).swift")
            try Data(contentsOf: solution).write(to: URL(fileURLWithPath: course.absolutePath(try XCTUnwrap(e.learnerPath))))
        }
        let second = try workspace.build()
        XCTAssertTrue(second.succeeded, second.errors.map(\.description).joined(separator: "\n") + second.outputTail)
        print("exercise workspace: rebuild with solutions \(String(format: "%.1f", second.seconds)) s")
        for e in code {
            for seed: UInt64 in [1, 2] {
                let outcome = try workspace.run(program: try XCTUnwrap(workspace.checkProgram(e)), exercise: e, seed: seed, modelPath: nil)
                guard case .ran(let report, _) = outcome else { XCTFail("\(e.id): the solution did not run cleanly: \(outcome)"); continue }
                XCTAssertTrue(report.passed, "\(e.id) seed \(seed): " + report.cases.filter { !$0.passed }.map { "\($0.name): \($0.message)" }.joined(separator: "; "))
            }
        }

        // A compile error in one learner file is reported against that file; a crash is reported as a crash.
        let broken = try XCTUnwrap(code.first { $0.id == "logit-diff" })
        let brokenPath = course.absolutePath(try XCTUnwrap(broken.learnerPath))
        try "import Tensor\npublic func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { return undefinedName }\n"
            .write(toFile: brokenPath, atomically: true, encoding: .utf8)
        let (compile, _) = try workspace.check(broken, seed: 1, modelPath: nil)
        guard case .compileError(let mine, _, _) = compile else { return XCTFail("expected a compile error, got \(compile)") }
        XCTAssertTrue(mine.contains { $0.message.contains("undefinedName") }, "\(mine)")

        try """
            import Tensor
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { let a: [Float] = []; return a[answers.count] }
            public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { while true {} }
            """.write(toFile: brokenPath, atomically: true, encoding: .utf8)
        var limited = workspace
        limited.runTimeLimit = 20
        let (crash, _) = try limited.check(broken, seed: 1, modelPath: nil)
        guard case .crashed(_, let during, _, _) = crash else { return XCTFail("expected a crash, got \(crash)") }
        XCTAssertEqual(during, "random logits")
    }
}
