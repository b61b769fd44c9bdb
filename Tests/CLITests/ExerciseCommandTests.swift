import Foundation
import Progress
import XCTest

/// The exercise commands end to end: `ex`, `ex show`, `hint`, `answer`, `ex reset`, and progress that
/// survives restarts and a SIGKILL. Code checks (`check`, `watch`) are in ExerciseCheckTests.
final class ExerciseCommandTests: XCTestCase {
    static let now = "2026-02-01T10:00:00Z"

    func testListShowsEveryExerciseWithStatusAndPoints() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["ex", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(rows.count, 12)
        XCTAssertEqual(Set(rows.compactMap { $0["id"] as? String }).count, rows.count, "ids are unique")
        for row in rows {
            XCTAssertEqual(row["status"] as? String, "not-started", "\(row)")
            XCTAssertGreaterThan(row["points"] as? Int ?? 0, 0, "\(row)")
            XCTAssertEqual(row["score"] as? Int, 0)
        }
        XCTAssertEqual(Set(rows.compactMap { $0["kind"] as? String }), ["code", "investigate"])

        let text = try runner.run(["ex", "--color", "never"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("0/\(rows.count) solved"), text.stdout)
    }

    func testShowPrintsThePromptAndHowToAnswer() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["ex", "show", "previous-token-head", "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Find the previous-token head"), r.stdout)
        XCTAssertTrue(r.stdout.contains("answer previous-token-head VALUE"), r.stdout)
        let code = try runner.run(["ex", "show", "logit-diff", "--color", "never"])
        XCTAssertTrue(code.stdout.contains("Exercises/Sources/LogitDiff/LogitDiff.swift"), code.stdout)
        let unknown = try runner.run(["ex", "show", "previous-token-hed"])
        XCTAssertEqual(unknown.status, 66, "an unknown id is missing input, as an unknown lesson")
        XCTAssertTrue(unknown.stderr.contains("previous-token-head"), "suggests the closest id: \(unknown.stderr)")
    }

    func testHintsUsedSurviveARestart() throws {
        let runner = try InterpRunner()
        let first = try runner.run(["hint", "induction-heads", "--now", Self.now])
        XCTAssertTrue(first.stdout.contains("Hint 1/3"), first.stdout)
        let second = try runner.run(["hint", "induction-heads", "--now", Self.now])
        XCTAssertTrue(second.stdout.contains("Hint 2/3"), second.stdout)
        // A new process: two hints used, both shown again, and the next one is the third.
        let shown = try runner.run(["hint", "induction-heads", "--shown"])
        XCTAssertTrue(shown.stdout.contains("Hint 1/3") && shown.stdout.contains("Hint 2/3") && !shown.stdout.contains("Hint 3/3"), shown.stdout)
        let list = try runner.run(["ex", "--json"])
        let row = try XCTUnwrap(try Self.rows(list).first { $0["id"] as? String == "induction-heads" })
        XCTAssertEqual(row["hintsUsed"] as? Int, 2)
        let third = try runner.run(["hint", "induction-heads"])
        XCTAssertTrue(third.stdout.contains("Hint 3/3"), third.stdout)
        let none = try runner.run(["hint", "induction-heads"])
        XCTAssertTrue(none.stdout.contains("No more hints"), none.stdout)
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).hintsUsed(exerciseID: "induction-heads"), 3)
    }

    func testAnswerRightWrongAndMalformed() throws {
        let runner = try InterpRunner()
        let truth = try Self.headsAbove(0.5, score: "previous-token", runner: runner)
        XCTAssertFalse(truth.isEmpty)
        let wrongHead = truth.contains("0.1") ? "0.2" : "0.1"

        let wrong = try runner.run(["answer", "previous-token-head", wrongHead, "--now", Self.now])
        XCTAssertEqual(wrong.status, 1, wrong.stderr)
        XCTAssertTrue(wrong.stdout.contains("✗ not yet: the head you named does not meet the criterion"), wrong.stdout)
        XCTAssertFalse(wrong.stdout.contains("previous-token score 0."), "no score of the head: \(wrong.stdout)")
        XCTAssertTrue(wrong.stdout.contains("a right answer now scores 9/10"), wrong.stdout)

        let malformed = try runner.run(["answer", "previous-token-head", "0-0"])
        XCTAssertEqual(malformed.status, 64)
        XCTAssertTrue(malformed.stderr.contains("LAYER.HEAD"), "names the expected format: \(malformed.stderr)")
        let outside = try runner.run(["answer", "previous-token-head", "7.0"])
        XCTAssertEqual(outside.status, 64)
        XCTAssertTrue(outside.stderr.contains("layers 0…1"), outside.stderr)

        let right = try runner.run(["answer", "previous-token-head", truth.reversed().joined(separator: ", "), "--json", "--now", Self.now])
        XCTAssertEqual(right.status, 0, right.stderr)
        let verdict = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(right.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(verdict["passed"] as? Bool, true)
        XCTAssertEqual(verdict["score"] as? Int, 9, "one wrong answer costs 10%")

        let db = try AppDatabase(path: runner.databasePath)
        XCTAssertEqual(try db.exerciseAttempts(exerciseID: "previous-token-head").map(\.passed), [false, true], "malformed answers are not attempts")
        let list = try Self.rows(try runner.run(["ex", "--json"]))
        let row = try XCTUnwrap(list.first { $0["id"] as? String == "previous-token-head" })
        XCTAssertEqual(row["status"] as? String, "done")
        XCTAssertEqual(row["score"] as? Int, 9)
        // A code exercise cannot be answered; an investigation cannot be checked.
        XCTAssertEqual(try runner.run(["answer", "logit-diff", "1.0"]).status, 64)
        XCTAssertEqual(try runner.run(["check", "previous-token-head"]).status, 64)
    }

    /// The repro: naming every head, then answering until one passes. Every head at once is
    /// refused (exit 64, not an attempt); each answer gets one verdict that names no head; each
    /// wrong answer costs 10% (a repeated one is not charged twice), as `ex show` says.
    func testInvestigationsCannotBeBruteForced() throws {
        let runner = try InterpRunner()
        let all = (0..<2).flatMap { l in (0..<4).map { "\(l).\($0)" } }
        let everything = try runner.run(["answer", "induction-heads", all.joined(separator: ","), "--now", Self.now])
        XCTAssertEqual(everything.status, 64, everything.stderr)
        XCTAssertTrue(everything.stderr.contains("8 heads named; an answer may name at most 4"), everything.stderr)
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).exerciseAttempts(exerciseID: "induction-heads").count, 0)

        let truth = try Self.headsAbove(0.5, score: "induction", runner: runner)
        XCTAssertEqual(truth.count, 4)
        let wrongOnes = all.filter { !truth.contains($0) }
        let answers = [[truth[0], wrongOnes[0]], [truth[0], truth[1]], [truth[0], wrongOnes[0]]]
        var texts: [String] = []
        for answer in answers {
            let r = try runner.run(["answer", "induction-heads", answer.joined(separator: ","), "--now", Self.now, "--color", "never"])
            XCTAssertEqual(r.status, 1, r.stderr)
            texts.append(r.stdout)
            for head in all { XCTAssertFalse(r.stdout.contains(head + ":") || r.stdout.contains("✓ " + head) || r.stdout.contains("✗ " + head), r.stdout) }
        }
        XCTAssertTrue(texts[0].contains("not yet: 1 of the 2 heads you named meets the criterion"), texts[0])
        XCTAssertTrue(texts[0].contains("a right answer now scores 14/15"), texts[0])
        XCTAssertTrue(texts[1].contains("not yet: both heads you named are right, but more heads meet the criterion"), texts[1])
        XCTAssertTrue(texts[2].contains("You gave this answer before; it is not counted again."), texts[2])
        let show = try runner.run(["ex", "show", "induction-heads", "--now", Self.now, "--color", "never", "--width", "200"])
        XCTAssertTrue(show.stdout.replacingOccurrences(of: "\n", with: " ").contains("each wrong answer 10%"), show.stdout)
        let flat = show.stdout.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(flat.contains("So far 0 hints and 2 wrong answers: a right answer now scores 12/15."), show.stdout)
        let right = try runner.run(["answer", "induction-heads", truth.joined(separator: ","), "--now", Self.now, "--json"])
        let verdict = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(right.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(verdict["score"] as? Int, 12)
        XCTAssertEqual(try AppDatabase(path: runner.databasePath).exerciseAttempts(exerciseID: "induction-heads").map(\.passed), [false, false, true])
    }

    func testResetRestoresTheStubAndKeepsABackup() throws {
        let runner = try InterpRunner()
        let course = try Self.copyCourse()
        let learner = course.appendingPathComponent("Exercises/Sources/LogitDiff/LogitDiff.swift")
        let stub = try Data(contentsOf: course.appendingPathComponent("Exercises/logit-diff/stub.swift"))
        let mine = "// my work in progress\n"
        try mine.write(to: learner, atomically: true, encoding: .utf8)

        let refused = try runner.run(["ex", "reset", "logit-diff", "--course", course.path])
        XCTAssertEqual(refused.status, 64, "no --yes and no terminal")
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: learner, encoding: .utf8), mine)

        let r = try runner.run(["ex", "reset", "logit-diff", "--yes", "--course", course.path, "--now", Self.now])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: learner), stub)
        let dir = learner.deletingLastPathComponent()
        let backups = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".bak") }
        XCTAssertEqual(backups, ["LogitDiff.swift.20260201-100000.bak"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(backups[0]), encoding: .utf8), mine)
        XCTAssertTrue(r.stdout.contains(backups[0]), r.stdout)
        XCTAssertEqual(try runner.run(["ex", "reset", "previous-token-head", "--yes", "--course", course.path]).status, 64)
    }

    /// SIGKILL in the middle of a scripted REPL session loses nothing that was confirmed.
    func testSIGKILLKeepsEveryConfirmedHintAndAttempt() throws {
        let runner = try InterpRunner()
        let process = Process()
        process.executableURL = InterpRunner.binary
        process.arguments = ["--now", Self.now]
        process.environment = runner.environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let collected = Collected()
        DispatchQueue.global().async {
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                collected.append(chunk)
            }
        }
        // Open an exercise, take a hint, answer wrong, take another hint; the pipe stays open.
        let script = "ex show previous-token-head\nhint\nanswer 1.3\nhint\n"
        input.fileHandleForWriting.write(Data(script.utf8))
        // Each line is printed after its record is committed; wait for the last one (the database
        // is not opened here while interp may still be creating it).
        let deadline = Date().addingTimeInterval(60)
        while !collected.text.contains("Hint 2/3"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(collected.text.contains("Hint 1/3") && collected.text.contains("not yet") && collected.text.contains("Hint 2/3"), collected.text)
        XCTAssertTrue(process.isRunning, "the REPL waits for more input")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        // A new process sees both hints, the attempt, and the time the exercise was opened.
        let db = try AppDatabase(path: runner.databasePath)
        XCTAssertEqual(try db.hintsUsed(exerciseID: "previous-token-head"), 2)
        let attempt = try XCTUnwrap(try db.exerciseAttempts(exerciseID: "previous-token-head").first)
        XCTAssertEqual(attempt.response, "1.3")
        XCTAssertFalse(attempt.passed)
        let status = try XCTUnwrap(try db.exerciseStatuses()["previous-token-head"])
        XCTAssertNotNil(status.firstOpenedAt)
        let next = try runner.run(["hint", "previous-token-head"])
        XCTAssertTrue(next.stdout.contains("Hint 3/3"), next.stdout)
        let list = try Self.rows(try runner.run(["ex", "--json"]))
        XCTAssertEqual(list.first { $0["id"] as? String == "previous-token-head" }?["status"] as? String, "started")
    }

    // MARK: - Helpers

    static func rows(_ r: InterpRunner.Result) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], r.stderr)
    }

    /// Heads of induction-2l above `threshold` on one score, read from `heads --json` (the grader's
    /// data: the model card's settings) — an independent route to the truth.
    static func headsAbove(_ threshold: Double, score: String, runner: InterpRunner) throws -> [String] {
        let r = try runner.run(["heads", "induction-2l", "--seq-len", "15", "--batch", "32", "--seed", "0", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let labels = try XCTUnwrap(json["labels"] as? [String: [String]])
        let kind = try XCTUnwrap(labels["score"]?.firstIndex(of: score))
        let values = try XCTUnwrap(json["values"] as? [[[Double]]])
        var heads: [String] = []
        for (l, row) in values[kind].enumerated() { for (h, x) in row.enumerated() where x > threshold { heads.append("\(l).\(h)") } }
        return heads
    }

    /// A copy of the course (Lessons/, quizzes/, Exercises/ without its build) in a temporary directory.
    static func copyCourse() throws -> URL {
        let fm = FileManager.default
        let root = InterpRunner.repositoryRoot.resolvingSymlinksInPath()
        let copy = fm.temporaryDirectory.appendingPathComponent("interp-course-\(UUID().uuidString)")
        try fm.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in ["Lessons", "quizzes"] {
            try fm.copyItem(at: root.appendingPathComponent(name).resolvingSymlinksInPath(), to: copy.appendingPathComponent(name))
        }
        let exercises = copy.appendingPathComponent("Exercises")
        try fm.createDirectory(at: exercises, withIntermediateDirectories: true)
        let source = root.appendingPathComponent("Exercises").resolvingSymlinksInPath()
        // (An `interp check` in the repository leaves Exercises/Package.resolved; the root's is copied below.)
        for name in try fm.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") && name != "Package.resolved" {
            try fm.copyItem(at: source.appendingPathComponent(name), to: exercises.appendingPathComponent(name))
        }
        if fm.fileExists(atPath: root.appendingPathComponent("Package.resolved").path) {
            try fm.copyItem(at: root.appendingPathComponent("Package.resolved"), to: exercises.appendingPathComponent("Package.resolved"))
        }
        return copy
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    }
}
