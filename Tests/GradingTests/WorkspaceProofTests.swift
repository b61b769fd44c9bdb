import Course
import Foundation
@testable import Grading
import Transformer
import XCTest

/// The repository proves its code exercises (on the proof copy of the workspace, `ExerciseProof`):
/// every stub fails every case on 1,000 seeds, and so do the trivial answers (zero, the input,
/// constants) — no case can be passed by accident —; every reference solution
/// (Tests/GradingTests/Solutions/) passes, on the bundled model and on the random-init stand-in.
final class WorkspaceProofTests: XCTestCase {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The proof copy, prepared and built once per test process (in the repository's
    /// `Exercises/.build/proof`, so later runs build incrementally).
    static let shared: Result<ExerciseProof, Error> = Result {
        let (course, diagnostics) = try Course.load(root: repositoryRoot.path)
        XCTAssertFalse(diagnostics.containsErrors, diagnostics.map(\.description).joined(separator: "\n"))
        let proof = ExerciseProof(course: course, packagePath: repositoryRoot.path)
        try proof.prepare()
        let start = Date()
        let build = try proof.buildChecks()
        guard build.succeeded else { throw GraderError("the proof workspace does not build: \(build.errors) \(build.outputTail)") }
        print("exercise workspace: check programs built in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        return proof
    }

    static func proof() throws -> ExerciseProof {
        let proof = try shared.get()
        try proof.prepare()   // the stubs back in place after a test that changed a learner's file
        return proof
    }

    static func modelPath(_ exercise: Exercise) throws -> String {
        try ModelRegistry().resolve(exercise.model).path
    }

    func testNoStubOrTrivialAnswerPassesAnyCaseOn1000Seeds() throws {
        let proof = try Self.proof()
        XCTAssertGreaterThanOrEqual(proof.exercises.count, 6)
        for e in proof.exercises {
            let start = Date()
            let problems = try proof.proveStub(e, seeds: 1000, modelPath: try Self.modelPath(e))
            XCTAssertEqual(problems, [], e.id)
            print("proof: \(e.id) stub and \(ExerciseProof.trivialAnswerers.count) trivial answers fail every case of 1000 seeds (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
        }
    }

    /// The proof flags a stub (or trivial answer) that passes a case, and a failure that does not
    /// say what was expected.
    func testTheProofFlagsPassingStubsAndVagueFailures() {
        let answerers = ["learner"] + ExerciseProof.trivialAnswerers
        var cases = answerers.map { RunnerReport.Case(name: "random logits", passed: false, message: "x: expected 1, got 0", seed: 7, answerer: $0) }
        XCTAssertEqual(ExerciseProof.problems(ofStub: RunnerReport(exercise: "e", seed: 7, model: "m", cases: cases), seeds: 1), [])
        cases[0].passed = true
        cases[2].passed = true
        cases[3].message = "it broke"
        XCTAssertEqual(ExerciseProof.problems(ofStub: RunnerReport(exercise: "e", seed: 7, model: "m", cases: cases), seeds: 1), [
            "case 'random logits' passes for the stub with seed 7", "case 'random logits' passes for the answer 'input' with seed 7",
            "case 'random logits' fails without saying what was expected: it broke",
        ])
        XCTAssertEqual(ExerciseProof.problems(ofStub: RunnerReport(exercise: "e", seed: 7, model: "m", cases: Array(cases.prefix(2))), seeds: 1).last,
                       "2 case results, expected a multiple of 6")
    }

    func testStubsFailOnTheStandInToo() throws {
        let proof = try Self.proof()
        for e in proof.exercises { XCTAssertEqual(try proof.proveStub(e, seeds: 20, modelPath: nil), [], e.id) }
    }

    func testReferenceSolutionsPass() throws {
        let proof = try Self.proof()
        for e in proof.exercises {
            let path = Self.repositoryRoot.appendingPathComponent("Tests/GradingTests/Solutions/\(e.id).swift")
            let solution = try Data(contentsOf: path)
            XCTAssertEqual(try proof.proveSolution(e, source: solution, path: path.path, seeds: [1, 2, 3], modelPath: try Self.modelPath(e)), [], e.id)
            XCTAssertEqual(try proof.proveSolution(e, source: solution, path: path.path, seeds: [4], modelPath: nil), [], "\(e.id) on the stand-in")
        }
    }

    /// A compile error in the learner's file is reported against that file; a crash as a crash, in
    /// the case it happened, with the runtime's message and the line.
    func testCompileErrorsAndCrashesNameTheLearnersFile() throws {
        let proof = try Self.proof()
        let e = try XCTUnwrap(proof.exercises.first { $0.id == "logit-diff" })
        let broken = "import Tensor\npublic func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { return undefinedName }\n"
        guard case .compileError(let mine, _, _) = try proof.learnerProgram(e, source: Data(broken.utf8)) else { return XCTFail("expected a compile error") }
        XCTAssertTrue(mine.contains { $0.file == "Sources/LogitDiff/LogitDiff.swift" && $0.line == 2 && $0.message.contains("undefinedName") }, "\(mine)")

        let crashing = """
            import Tensor
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { let a: [Float] = []; return a[answers.count] }
            public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { 0 }
            """
        guard case .built(let program) = try proof.learnerProgram(e, source: Data(crashing.utf8)) else { return XCTFail("the crashing file must build") }
        let outcome = try proof.workspace.run(e, learnerProgram: program, seed: 1, modelPath: try Self.modelPath(e))
        guard case .crashed(_, let during, _, let output) = outcome else { return XCTFail("expected a crash, got \(outcome)") }
        XCTAssertEqual(during, "random logits")
        XCTAssertTrue(output.contains("Index out of range"), output)
        XCTAssertTrue(output.contains("Exercises/Sources/LogitDiff/LogitDiff.swift:2:"), output)
    }
}
