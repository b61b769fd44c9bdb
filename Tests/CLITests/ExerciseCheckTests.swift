import Course
import Foundation
import Grading
import Progress
import XCTest

/// `check` and `watch` on the proof copy of the course (`ExerciseProof`, outside the repository's
/// own learner files, so the exercise workspace must find the interp package without `..`): a
/// compile error, a forbidden import, a crash, a hang and a memory blow-up are each reported in one
/// clear line with exit status 1 — interp itself never goes down — and the reference solution
/// passes. Runs that cannot be sandboxed are said so once and marked unsandboxed; learner output
/// reaches the terminal without escapes; the learner's processes die with the time limit, Ctrl-C
/// and interp itself.
final class ExerciseCheckTests: XCTestCase {
    static let shared: Result<URL, Error> = Result {
        let root = InterpRunner.repositoryRoot.resolvingSymlinksInPath()
        let (course, _) = try Course.load(root: root.path)
        let proof = ExerciseProof(course: course, packagePath: root.path)
        try proof.prepare()
        return URL(fileURLWithPath: proof.scratch)
    }

    /// The course copy, with the stubs back in place.
    static func course() throws -> URL {
        let url = try shared.get()
        let root = InterpRunner.repositoryRoot.resolvingSymlinksInPath()
        try ExerciseProof(course: try Course.load(root: root.path).0, scratch: url.path, packagePath: root.path).prepare()
        return url
    }

    static let signature = "import Tensor\npublic func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float { 0 }\n"

    struct Check {
        let runner: InterpRunner
        let course: URL
        var learner: URL { course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift") }

        func callAsFunction(_ source: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> (InterpRunner.Result, [String: Any], Double) {
            try source.write(to: learner, atomically: true, encoding: .utf8)
            let start = Date()
            let r = try runner.run(["check", "logit-diff", "--course", course.path, "--seed", "5", "--json"] + extra, environment: environment)
            let seconds = Date().timeIntervalSince(start)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
            return (r, json, seconds)
        }
    }

    func testCheckReportsEveryFailureClearlyAndPassesTheSolution() throws {
        let runner = try InterpRunner()
        let course = try Self.course()
        let check = Check(runner: runner, course: course)

        // The stub: builds the workspace (the libraries too: the first check of a session) and fails.
        let stub = try String(contentsOf: course.appendingPathComponent("Exercises/logit-diff/stub.swift"), encoding: .utf8)
        let (first, firstJSON, firstSeconds) = try check(stub)
        print("exercise check: first check (workspace build) \(String(format: "%.1f", firstSeconds)) s")
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(firstJSON["status"] as? String, "failed", "\(firstJSON)")
        XCTAssertEqual(firstJSON["sandbox"] as? String, "bubblewrap")
        let cases = try XCTUnwrap(firstJSON["cases"] as? [[String: Any]])
        XCTAssertTrue(cases.contains { ($0["passed"] as? Bool) == false && ($0["message"] as? String ?? "").contains("expected") }, "\(cases)")

        // A compile error names the learner's file with its line.
        let (compile, compileJSON, compileSeconds) = try check(Self.signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { undefinedName }\n")
        XCTAssertEqual(compile.status, 1)
        XCTAssertEqual(compileJSON["status"] as? String, "compile-error")
        let messages = try XCTUnwrap(compileJSON["messages"] as? [String])
        XCTAssertTrue(messages.contains { $0.hasPrefix("Exercises/Sources/LogitDiff/LogitDiff.swift:3:") && $0.contains("undefinedName") }, "\(messages)")

        // Importing the reference is a compile error of one line that names the rule.
        let (imports, importsJSON, _) = try check("import Interp\n" + Self.signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float { (try? logitDifference(logits, answers: answers, wrong: wrong)) ?? 0 }\n")
        XCTAssertEqual(imports.status, 1)
        XCTAssertEqual(importsJSON["messages"] as? [String],
                       ["Exercises/Sources/LogitDiff/LogitDiff.swift:1:8: cannot import Interp: an exercise may import only Tensor and Transformer (and the system's own modules, such as Foundation)"])

        // A crash: the runtime's message, the line of the learner's file, the case it was running.
        let (crash, crashJSON, _) = try check(Self.signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    let none: [Float] = []\n    return none[answers.count]\n}\n")
        XCTAssertEqual(crash.status, 1)
        XCTAssertEqual(crashJSON["status"] as? String, "crashed")
        XCTAssertTrue((crashJSON["summary"] as? String ?? "").contains("during case"), "\(crashJSON)")
        let crashMessages = (crashJSON["messages"] as? [String] ?? []).joined(separator: "\n")
        XCTAssertTrue(crashMessages.contains("Index out of range"), crashMessages)
        XCTAssertTrue(crashMessages.contains("Exercises/Sources/LogitDiff/LogitDiff.swift:5:"), crashMessages)

        // A hang: stopped at the time limit.
        let (hang, hangJSON, hangSeconds) = try check(Self.signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    var x: Float = 0\n    while x >= 0 { x += 1 }\n    return x\n}\n", ["--time-limit", "3"])
        XCTAssertEqual(hang.status, 1)
        XCTAssertEqual(hangJSON["status"] as? String, "timed-out")
        XCTAssertTrue((hangJSON["summary"] as? String ?? "").contains("longer than 3 s"), "\(hangJSON)")
        XCTAssertLessThan(hangSeconds, 60, "the hang was stopped")

        // A memory blow-up: stopped at the memory limit, reported as such.
        let (memory, memoryJSON, memorySeconds) = try check(Self.signature + "public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {\n    var hoard: [[Float]] = []\n    while true { hoard.append([Float](repeating: 1, count: 1 << 24)) }\n}\n")
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

        // Every attempt was recorded, sandboxed; the best score counts.
        let rows = try ExerciseCommandTests.rows(try runner.run(["ex", "--json", "--course", course.path]))
        let row = try XCTUnwrap(rows.first { $0["id"] as? String == "logit-diff" })
        XCTAssertEqual(row["attempts"] as? Int, 9)
        XCTAssertEqual(row["status"] as? String, "done")
        let attempts = try AppDatabase(path: runner.databasePath).exerciseAttempts(exerciseID: "logit-diff")
        XCTAssertEqual(Set(attempts.map(\.sandbox)), ["bubblewrap"])
    }

    /// Without bubblewrap a check still runs, says so once, and the grade is marked unsandboxed
    /// in the output, the JSON and the database.
    func testAnUnsandboxedCheckIsSaidOnceAndMarked() throws {
        let runner = try InterpRunner()
        let course = try Self.course()
        let solution = try String(contentsOf: InterpRunner.repositoryRoot.appendingPathComponent("Tests/GradingTests/Solutions/logit-diff.swift"), encoding: .utf8)
        try solution.write(to: course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift"), atomically: true, encoding: .utf8)
        let off = ["INTERP_SANDBOX": "none"]
        let text = try runner.run(["check", "logit-diff", "--course", course.path, "--color", "never"], environment: off)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stderr.replacingOccurrences(of: "\n", with: " ")
            .contains("Note: your code runs unsandboxed here (INTERP_SANDBOX=none is set); grades are marked unsandboxed."), text.stderr)
        XCTAssertTrue(text.stdout.contains("[unsandboxed]") && text.stdout.contains("points (unsandboxed)."), text.stdout)
        // Said once per session: two checks in one REPL session, one note.
        let repl = try runner.run(["--course", course.path, "--color", "never"], stdin: "check logit-diff\ncheck logit-diff\n", environment: off)
        XCTAssertEqual(repl.stderr.components(separatedBy: "Note: your code runs").count - 1, 1, repl.stderr)
        let json = try runner.run(["check", "logit-diff", "--course", course.path, "--json"], environment: off)
        let outcome = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(outcome["sandbox"] as? String, "none")
        XCTAssertEqual(outcome["sandboxNote"] as? String, "unsandboxed: INTERP_SANDBOX=none is set")
        let attempts = try AppDatabase(path: runner.databasePath).exerciseAttempts(exerciseID: "logit-diff")
        XCTAssertEqual(attempts.count, 4)
        XCTAssertEqual(Set(attempts.map(\.sandbox)), ["none"])
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).exerciseStatuses()["logit-diff"]?.passedUnsandboxed, true)
        let list = try runner.run(["ex", "--course", course.path, "--color", "never"])
        XCTAssertTrue(list.stdout.contains("unsandboxed"), list.stdout)
    }

    /// What the learner's code prints reaches the terminal without control sequences, and only its end.
    func testLearnerOutputIsSanitizedAndCut() throws {
        let runner = try InterpRunner()
        let course = try Self.course()
        try (Self.signature + """
            import Foundation
            public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                for i in 0..<5000 { print("\\u{1B}]0;pwned\\u{07}\\u{1B}[2J line \\(i)") }
                print("the last line")
                return 0
            }
            """).write(to: course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift"), atomically: true, encoding: .utf8)
        let r = try runner.run(["check", "logit-diff", "--course", course.path, "--color", "never", "--seed", "2"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(r.stdout.hasEscapeCodes || r.stdout.contains("\u{07}"), r.stdout)
        XCTAssertTrue(r.stdout.contains("your code printed (the end):") && r.stdout.contains("the last line"), r.stdout)
        XCTAssertFalse(r.stdout.contains("line 100\n"), "only the end is shown")
    }

    /// The learner's processes (a hang with sleeping children) die at Ctrl-C and when interp is
    /// killed: the process table holds none of them a moment later.
    func testCtrlCAndADeadInterpLeaveNoProcessBehind() throws {
        let runner = try InterpRunner()
        let course = try Self.course()
        for (signal, expected) in [(SIGINT, Int32(130)), (SIGKILL, Int32(-1))] {
            let marker = "\(Int.random(in: 100_000...999_999))"
            try (Self.signature + """
                import Foundation
                public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
                    for _ in 0..<3 {
                        var pid: pid_t = 0
                        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("985.\(marker)"), nil]
                        _ = posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ)
                    }
                    print("children started")
                    fflush(nil)
                    while true { sleep(1) }
                }
                """).write(to: course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = InterpRunner.binary
            process.arguments = ["check", "logit-diff", "--course", course.path, "--time-limit", "120"]
            process.environment = runner.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while ProcessTable.commandLines(containing: "985.\(marker)").count < 3, Date() < deadline { usleep(100_000) }
            XCTAssertEqual(ProcessTable.commandLines(containing: "985.\(marker)").count, 3, "the children started")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            if expected >= 0 { XCTAssertEqual(process.terminationStatus, expected) } else { XCTAssertEqual(process.terminationReason, .uncaughtSignal) }
            let gone = Date().addingTimeInterval(5)
            while !ProcessTable.commandLines(containing: marker).isEmpty, Date() < gone { usleep(100_000) }
            XCTAssertEqual(ProcessTable.commandLines(containing: marker), [], "after signal \(signal)")
            XCTAssertEqual(ProcessTable.commandLines(containing: "/sandbox/program"), [], "after signal \(signal)")
        }
    }

    /// `course check --prove` proves the repository's exercises (a few seeds here; the GradingTests
    /// run 1,000) on the proof copy: every stub fails; the one solution given passes, the missing
    /// ones are named, path:line, with exit 1. --solutions needs --prove and an existing directory.
    func testCourseCheckProvesTheExercises() throws {
        let runner = try InterpRunner()
        _ = try Self.course()
        let solutions = runner.home.appendingPathComponent("solutions")
        try FileManager.default.createDirectory(at: solutions, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: InterpRunner.repositoryRoot.appendingPathComponent("Tests/GradingTests/Solutions/logit-diff.swift"),
                                         to: solutions.appendingPathComponent("logit-diff.swift"))
        let r = try runner.run(["course", "check", "--prove", "--seeds", "2", "--solutions", solutions.path])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("Proving 6 code exercises"), r.stderr)
        let missing = ["composition-score", "head-ablation", "head-dla", "induction-score", "resid-patching"]
        XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(solutions.path) || $0.contains("stub.swift") },
                       missing.map { "\(solutions.path)/\($0).swift:1: no reference solution for \($0)" }, r.stdout)
        XCTAssertFalse(r.stdout.contains("logit-diff"), "the stubs fail and the given solution passes: \(r.stdout)")
        XCTAssertEqual(try runner.run(["course", "check", "--solutions", solutions.path]).status, 64)
        let nowhere = try runner.run(["course", "check", "--prove", "--solutions", "/nonexistent"])
        XCTAssertEqual(nowhere.status, 66, nowhere.stderr)
        XCTAssertTrue(nowhere.stderr.contains("--solutions /nonexistent: no such directory"), nowhere.stderr)
    }
}
