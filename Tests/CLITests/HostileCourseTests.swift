import Foundation
import XCTest

/// A course (or token file) nested deeper than any parser should recurse: every command names the
/// file and line, none crashes.
final class HostileCourseTests: XCTestCase {
    /// A copy of the repository's lessons and quizzes in a temporary directory.
    private func copyOfTheCourse() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-course-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for directory in ["Lessons", "quizzes"] {
            try FileManager.default.copyItem(at: InterpRunner.repositoryRoot.appendingPathComponent(directory),
                                             to: root.appendingPathComponent(directory))
        }
        return root
    }

    func testADeepQuizIsNamedByEveryCommandAndCrashesNone() throws {
        let root = try copyOfTheCourse()
        defer { try? FileManager.default.removeItem(at: root) }
        // About 10 KB of '[': Yams recursed once per bracket and overflowed the stack (exit 139).
        try Data(("lesson: why-hard\nquestions: " + String(repeating: "[", count: 10_000) + "\n").utf8)
            .write(to: root.appendingPathComponent("quizzes/why-hard.yaml"))
        let runner = try InterpRunner()
        let problem = "quizzes/why-hard.yaml:2: nesting deeper than 64"
        for (command, status) in [(["lessons"], 0), (["quiz", "list"], 0), (["quiz", "why-hard"], 65), (["read", "why-hard"], 0),
                                  (["progress"], 0), (["stats"], 0)] {
            let r = try runner.run(command + ["--course", root.path], stdin: "quit\n")
            XCTAssertFalse(r.signalled, "\(command) crashed")
            XCTAssertEqual(r.status, Int32(status), "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr.components(separatedBy: "interp: \(problem)\n").count - 1, 1, "\(command): \(r.stderr)")
        }
        let check = try runner.run(["course", "check", "--course", root.path])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout.split(separator: "\n").map(String.init), [problem])
        let repl = try runner.run(["--course", root.path], stdin: "lessons\nquiz why-hard\n")
        XCTAssertFalse(repl.signalled)
        XCTAssertEqual(repl.status, 65, repl.stderr)
        XCTAssertEqual(repl.stderr.components(separatedBy: problem).count - 1, 2, "once per command: \(repl.stderr)")
    }

    func testADeeplyQuotedLessonIsRefusedAtItsLine() throws {
        let root = try copyOfTheCourse()
        defer { try? FileManager.default.removeItem(at: root) }
        let lesson = root.appendingPathComponent("Lessons/01-why-hard.md")
        var text = try String(contentsOf: lesson, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        text += "\n" + String(repeating: ">", count: 50_000) + " deep\n"
        try Data(text.utf8).write(to: lesson)
        let runner = try InterpRunner()
        let problem = "interp: Lessons/01-why-hard.md:\(line): nesting deeper than 64\n"
        for (command, status) in [(["read", "why-hard"], 65), (["read", "1"], 65), (["quiz", "why-hard"], 65), (["lessons"], 0)] {
            let r = try runner.run(command + ["--course", root.path], stdin: "quit\n")
            XCTAssertFalse(r.signalled, "\(command) crashed")
            XCTAssertEqual(r.status, Int32(status), "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix(problem), "\(command): \(r.stderr)")
        }
        XCTAssertFalse(try runner.run(["lessons", "--course", root.path]).stdout.contains("why-hard"))
    }

    func testADeepTokenFileIsRefusedWithItsLine() throws {
        let runner = try InterpRunner()
        let file = runner.home.appendingPathComponent("deep.json")
        try Data(("[\n" + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_001)).utf8).write(to: file)
        let r = try runner.run(["cache", "induction-2l", "--tokens-file", file.path, "--out", runner.home.appendingPathComponent("c.safetensors").path])
        XCTAssertFalse(r.signalled)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderr, "interp: \(file.path):2: nesting deeper than 64\n")
        let fifo = runner.home.appendingPathComponent("fifo.json")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        let f = try runner.run(["cache", "induction-2l", "--tokens-file", fifo.path, "--out", runner.home.appendingPathComponent("c.safetensors").path])
        XCTAssertEqual(f.status, 66, f.stderr)
        XCTAssertTrue(f.stderr.contains("not a regular file"), f.stderr)
    }
}
