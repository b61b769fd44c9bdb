import Foundation
import XCTest

/// `check` and `watch` on a copy of the course (so the exercise workspace must find the interp
/// package without `..`): a compile error, a crash, a hang and a memory blow-up are each reported
/// in one clear line with exit status 1 — interp itself never goes down — and the reference
/// solution passes. One workspace build for the whole test; later checks are incremental.
final class ExerciseCheckTests: XCTestCase {
    func testCheckReportsEveryFailureClearlyAndPassesTheSolution() throws {
        let runner = try InterpRunner()
        let course = try ExerciseCommandTests.copyCourse()
        let learner = course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift")
        func check(_ source: String, _ extra: [String] = []) throws -> (InterpRunner.Result, [String: Any], Double) {
            try source.write(to: learner, atomically: true, encoding: .utf8)
            let start = Date()
            let r = try runner.run(["check", "logit-diff", "--course", course.path, "--seed", "5", "--json"] + extra)
            let seconds = Date().timeIntervalSince(start)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
            return (r, json, seconds)
        }
        let signature = "import Tensor\npublic func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { 0 }\n"

        // The stub: builds the workspace (the libraries too: the first check of a session) and fails.
        let stub = try String(contentsOf: course.appendingPathComponent("Exercises/logit-diff/stub.swift"), encoding: .utf8)
        let (first, firstJSON, firstSeconds) = try check(stub)
        print("exercise check: first check (workspace build) \(String(format: "%.1f", firstSeconds)) s")
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(firstJSON["status"] as? String, "failed", "\(firstJSON)")
        let cases = try XCTUnwrap(firstJSON["cases"] as? [[String: Any]])
        XCTAssertTrue(cases.contains { ($0["passed"] as? Bool) == false && ($0["message"] as? String ?? "").contains("expected") }, "\(cases)")

        // A compile error names the learner's file with its line.
        let (compile, compileJSON, compileSeconds) = try check(signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { undefinedName }\n")
        XCTAssertEqual(compile.status, 1)
        XCTAssertEqual(compileJSON["status"] as? String, "compile-error")
        let messages = try XCTUnwrap(compileJSON["messages"] as? [String])
        XCTAssertTrue(messages.contains { $0.hasPrefix("Exercises/Sources/LogitDiff/LogitDiff.swift:3:") && $0.contains("undefinedName") }, "\(messages)")

        // A crash: the runtime's message, the line of the learner's file, the case it was running.
        let (crash, crashJSON, _) = try check(signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    let none: [Float] = []\n    return none[answers.count]\n}\n")
        XCTAssertEqual(crash.status, 1)
        XCTAssertEqual(crashJSON["status"] as? String, "crashed")
        XCTAssertTrue((crashJSON["summary"] as? String ?? "").contains("during case"), "\(crashJSON)")
        let crashMessages = (crashJSON["messages"] as? [String] ?? []).joined(separator: "\n")
        XCTAssertTrue(crashMessages.contains("Index out of range"), crashMessages)
        XCTAssertTrue(crashMessages.contains("Exercises/Sources/LogitDiff/LogitDiff.swift:5:"), crashMessages)

        // A hang: stopped at the time limit.
        let (hang, hangJSON, hangSeconds) = try check(signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    var x: Float = 0\n    while x >= 0 { x += 1 }\n    return x\n}\n", ["--time-limit", "3"])
        XCTAssertEqual(hang.status, 1)
        XCTAssertEqual(hangJSON["status"] as? String, "timed-out")
        XCTAssertTrue((hangJSON["summary"] as? String ?? "").contains("longer than 3 s"), "\(hangJSON)")
        XCTAssertLessThan(hangSeconds, 60, "the hang was stopped")

        // A memory blow-up: stopped at the memory limit, reported as such.
        let (memory, memoryJSON, memorySeconds) = try check(signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    var hoard: [[Float]] = []\n    while true { hoard.append([Float](repeating: 1, count: 1 << 24)) }\n}\n")
        XCTAssertEqual(memory.status, 1)
        XCTAssertEqual(memoryJSON["status"] as? String, "out-of-memory", "\(memoryJSON)")
        XCTAssertTrue((memoryJSON["summary"] as? String ?? "").contains("MB of memory"), "\(memoryJSON)")
        print("exercise check: compile error \(String(format: "%.1f", compileSeconds)) s, hang \(String(format: "%.1f", hangSeconds)) s, memory \(String(format: "%.1f", memorySeconds)) s")

        // The reference solution passes, scores, and `watch` runs the same check.
        let solution = try String(contentsOf: InterpRunner.repositoryRoot.appendingPathComponent("Tests/GradingTests/Solutions/logit-diff.swift"), encoding: .utf8)
        let (pass, passJSON, passSeconds) = try check(solution)
        print("exercise check: rebuild and pass \(String(format: "%.1f", passSeconds)) s")
        XCTAssertEqual(pass.status, 0, pass.stderr)
        XCTAssertEqual(passJSON["passed"] as? Bool, true)
        XCTAssertEqual(passJSON["score"] as? Int, 10)
        let watch = try runner.run(["watch", "logit-diff", "--course", course.path, "--max-checks", "1", "--color", "never"])
        XCTAssertEqual(watch.status, 0, watch.stderr)
        XCTAssertTrue(watch.stdout.contains("✓ logit-diff"), watch.stdout)

        // What the learner's code printed: the last lines, not a slice from the middle.
        let signatureLine = "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {"
        let chatty = solution.replacingOccurrences(of: signatureLine, with: """
            private let chatter: Void = { for n in 1...20 { print("chatter line \\(n)") } }()
            \(signatureLine)
                _ = chatter
            """)
        XCTAssertNotEqual(chatty, solution)
        let (printed, printedJSON, _) = try check(chatty)
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let printedLines = printedJSON["messages"] as? [String] ?? []
        XCTAssertTrue(printedLines.contains("  chatter line 20"), "\(printedLines)")
        XCTAssertFalse(printedLines.contains("  chatter line 9"), "\(printedLines)")

        // Every attempt was recorded; the best score counts.
        let rows = try ExerciseCommandTests.rows(try runner.run(["ex", "--json", "--course", course.path]))
        let row = try XCTUnwrap(rows.first { $0["id"] as? String == "logit-diff" })
        XCTAssertEqual(row["attempts"] as? Int, 8)
        XCTAssertEqual(row["status"] as? String, "done")
    }
}
