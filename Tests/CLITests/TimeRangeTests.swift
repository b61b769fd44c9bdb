import Foundation
import GRDB
import XCTest

/// Times outside the years 1970–9999 are refused at the edge and never crash a later command.
final class TimeRangeTests: XCTestCase {
    func testFarNowIsAUsageErrorAndWritesNothing() throws {
        let runner = try InterpRunner()
        for (arguments, environment, source) in [
            (["--now", "99999-01-01T00:00:00Z", "ex", "show", "induction-heads"], [String: String](), "--now"),
            (["read", "welcome", "--now", "1969-12-31T23:59:59Z"], [:], "--now"),
            (["done", "welcome"], ["INTERP_NOW": "10000-01-01T00:00:00Z"], "INTERP_NOW"),
        ] {
            let r = try runner.run(arguments, environment: environment)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("interp: \(source): '"), r.stderr)
            XCTAssertTrue(r.stderr.contains("outside the supported years 1970–9999"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: runner.databasePath), "nothing was written")
        for command in [["ex"], ["progress"], ["lessons"]] {
            XCTAssertEqual(try runner.run(command).status, 0, "\(command)")
        }
    }

    func testADatabaseWithAFarDateGivesOneLineFromEveryCommandAndTheREPL() throws {
        let runner = try InterpRunner()
        XCTAssertEqual(try runner.run(["ex", "show", "induction-heads"]).status, 0)
        try sqlite(runner.databasePath, "UPDATE exercise_activity SET first_opened_at = '99999-01-01 00:00:00.000'")
        for command in [["ex"], ["progress"], ["lessons"], ["stats"], ["quiz", "--due"]] {
            let r = try runner.run(command)
            XCTAssertEqual(r.status, 65, "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("table exercise_activity holds a time outside the supported years"), r.stderr)
        }
        let repl = try runner.run([], stdin: "ex\nprogress\n")
        XCTAssertEqual(repl.status, 65, repl.stderr)
        XCTAssertTrue(repl.stderr.contains("exercise_activity"), repl.stderr)
    }

    func testAnAnswerDueAfter9999IsRefusedWithExit65AndNotSaved() throws {
        let runner = try InterpRunner()
        // Rated Easy, a new card leaves the learning steps at once: due days later, past 9999.
        let r = try runner.run(["quiz", "why-hard", "--now", "9999-12-31T00:00:00Z"], stdin: "a\ne\n")
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("is outside the supported years 1970–9999; nothing was saved\n"), r.stderr)
        XCTAssertEqual(try count(runner.databasePath, "quiz_attempt"), 0, "the refused answer left no row")
        XCTAssertEqual(try count(runner.databasePath, "srs_card"), 0)
        XCTAssertEqual(try runner.run(["stats"]).status, 0)
    }

    private func count(_ path: String, _ table: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    private func sqlite(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }
}
