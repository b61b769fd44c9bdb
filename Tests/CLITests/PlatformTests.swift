import Foundation
import XCTest

/// The platform's promises, checked through the real binary (issue 2's "done when").
final class PlatformTests: XCTestCase {
    func testScriptedSessionPrintsListAndLessonWithoutEscapes() throws {
        let r = try InterpRunner().run([], stdin: "lessons\nread welcome\nquit\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.hasEscapeCodes, "piped output must carry no escape codes")
        XCTAssertTrue(r.stdout.contains("welcome"))
        XCTAssertTrue(r.stdout.contains("Welcome to interp\n═"), "the rendered H1 has its rule")
        XCTAssertFalse(r.stdout.contains("interp›"), "no prompt when stdin is not a terminal")
        XCTAssertFalse(r.stdout.contains("---\nid: welcome"), "front matter is not shown")
    }

    func testColorAlwaysAddsStyling() throws {
        let runner = try InterpRunner()
        let plain = try runner.run(["read", "welcome"])
        let styled = try runner.run(["--color", "always", "read", "welcome"])
        XCTAssertEqual(styled.status, 0, styled.stderr)
        XCTAssertTrue(styled.stdout.contains("\u{1B}[1"), "bold or styled text expected")
        XCTAssertFalse(plain.stdout.hasEscapeCodes)
        let repl = try runner.run(["--color", "always"], stdin: "lessons\n")
        XCTAssertTrue(repl.stdout.hasEscapeCodes, "a global option before no command applies to the REPL")
    }

    func testNoColorWinsOverTTYDetectionButNotOverAlways() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["read", "welcome", "--color", "always"], environment: ["NO_COLOR": "1"])
        XCTAssertTrue(r.stdout.hasEscapeCodes, "--color always overrides NO_COLOR")
    }

    func testUnknownLessonIsOneLineWithExit66() throws {
        let r = try InterpRunner().run(["read", "welcom"])
        XCTAssertEqual(r.status, 66)
        XCTAssertEqual(r.stderr, "interp: no lesson 'welcom'; did you mean 'welcome'?\n")
        XCTAssertEqual(r.stdout, "")
    }

    func testUnreadableCourseDirectoryIsOneLineWithExit66() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["lessons", "--course", "/nonexistent/course"])
        XCTAssertEqual(r.status, 66)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("/nonexistent/course"), r.stderr)
        let notCourse = try runner.run(["lessons", "--course", runner.home.path])
        XCTAssertEqual(notCourse.status, 66)
        XCTAssertTrue(notCourse.stderr.contains("not a course directory"), notCourse.stderr)
    }

    func testBadDatabasePathIsOneLineNamingIt() throws {
        let runner = try InterpRunner()
        // A directory where the database file should be.
        let r = try runner.run(["lessons", "--db", runner.home.path])
        XCTAssertEqual(r.status, 74)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(runner.home.path), r.stderr)
        // A file that is not a database: refused, and left byte for byte as it was.
        let junk = runner.home.appendingPathComponent("junk.sqlite")
        let bytes = Data("this is not a database, it is a grocery list\n".utf8)
        try bytes.write(to: junk)
        let j = try runner.run(["progress", "--db", junk.path])
        XCTAssertEqual(j.status, 65)
        XCTAssertTrue(j.stderr.contains("junk.sqlite"), j.stderr)
        XCTAssertEqual(try Data(contentsOf: junk), bytes)
    }

    func testUnknownCommandSuggests() throws {
        let r = try InterpRunner().run(["lesons"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("did you mean 'lessons'?"), r.stderr)
        let repl = try InterpRunner().run([], stdin: "progres\nlessons\n")
        XCTAssertTrue(repl.stderr.contains("did you mean 'progress'?"), repl.stderr)
        XCTAssertTrue(repl.stdout.contains("welcome"), "the REPL goes on after an error")
        XCTAssertEqual(repl.status, 64, "a scripted session exits with its last failure")
    }

    func testHelpListsCommandsAndShowsOneCommand() throws {
        let runner = try InterpRunner()
        let all = try runner.run(["help"])
        XCTAssertEqual(all.status, 0)
        for name in ["lessons", "read", "progress", "course"] { XCTAssertTrue(all.stdout.contains(name), name) }
        let one = try runner.run([], stdin: "help read\n")
        XCTAssertTrue(one.stdout.contains("USAGE: interp read"), one.stdout)
        let bad = try runner.run(["help", "reed"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("'read'"), bad.stderr)
    }

    func testCourseCheckReportsBrokenFixtureAsPathLine() throws {
        let fixture = InterpRunner.repositoryRoot.appendingPathComponent("Tests/CourseTests/Fixtures/broken-course").path
        let r = try InterpRunner().run(["course", "check", "--course", fixture])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Lessons/02-broken.md:4: ") }, r.stdout)   // `track 0` without a colon
        XCTAssertTrue(lines.contains { $0.hasPrefix("Lessons/03-beta.md:") && $0.contains("alpah") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Lessons/04-copy.md:2: ") && $0.contains("alpha") }, r.stdout)
        for line in lines { XCTAssertNotNil(line.range(of: #"^[^:]+:\d+: "#, options: .regularExpression), line) }
    }

    func testBundledCourseChecksClean() throws {
        let r = try InterpRunner().run(["course", "check", "--json"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["errors"] as? Int, 0)
    }

    func testProgressIsKeptAcrossRunsAndResetNeedsYes() throws {
        let runner = try InterpRunner()
        try runner.run(["read", "welcome"])
        try runner.run(["done", "welcome"])
        let listing = try runner.run(["lessons", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(rows?.first { $0["id"] as? String == "welcome" }?["status"] as? String, "completed")
        let refused = try runner.run(["progress", "reset"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)
        let reset = try runner.run(["progress", "reset", "--yes"])
        XCTAssertEqual(reset.status, 0, reset.stderr)
        let after = try runner.run(["progress", "--json"])
        XCTAssertTrue(after.stdout.contains("\"completed\" : 0"), after.stdout)
    }

    func testClosedPipeEndsQuietly() throws {
        let runner = try InterpRunner()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "yes lessons 2>/dev/null | head -n 400 | '\(InterpRunner.binary.path)' | head -1 >/dev/null; echo ${PIPESTATUS[2]}"]
        process.environment = runner.environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let status = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(status.trimmingCharacters(in: .whitespacesAndNewlines), "0", "interp must not crash when its reader goes away")
        XCTAssertEqual(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
    }

    func testExplicitDatabaseInAMissingDirectoryIsRefused() throws {
        let runner = try InterpRunner()
        let path = runner.home.appendingPathComponent("no-such-dir/p.sqlite").path
        let r = try runner.run(["lessons", "--db", path])
        XCTAssertEqual(r.status, 66)
        XCTAssertEqual(r.stderr, "interp: --db \(path): no such directory \(runner.home.appendingPathComponent("no-such-dir").path)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testTopLevelHelpListsCommandsAndBadNowIsRejected() throws {
        let runner = try InterpRunner()
        for flag in ["--help", "-h"] {
            let r = try runner.run([flag])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("USAGE: interp"), r.stdout)
            XCTAssertTrue(r.stdout.contains("lessons"), r.stdout)
        }
        let bad = try runner.run(["lessons", "--now", "yesterday"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--now"), bad.stderr)
    }
}
