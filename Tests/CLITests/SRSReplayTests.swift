import Foundation
import XCTest

/// `interp srs replay --log F.jsonl [--json]`.
final class SRSReplayTests: XCTestCase {
    /// py-fsrs's published test vector: Good ×6, Again ×2, Good ×5, each review at the previous due
    /// time, from 2022-11-29 12:30 UTC, fuzz off.
    static let expectedIntervals = [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]
    static let ratings = Array(repeating: 3, count: 6) + [1, 1] + Array(repeating: 3, count: 5)

    /// The log with each review at the due time the expected schedule gives: interval 0 means a
    /// (re)learning step of 10 minutes here.
    static func vectorLog() -> String {
        var time = Date(timeIntervalSince1970: 1_669_725_000)  // 2022-11-29T12:30:00Z
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        for (rating, interval) in zip(ratings, expectedIntervals) {
            lines.append(#"{"card_id": "vector", "rating": \#(rating), "time": "\#(formatter.string(from: time))"}"#)
            time += interval == 0 ? 600 : Double(interval) * 86_400
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testReplayReproducesThePyFSRSTestVector() throws {
        let runner = try InterpRunner()
        let log = runner.home.appendingPathComponent("vector.jsonl")
        try Self.vectorLog().write(to: log, atomically: true, encoding: .utf8)
        let r = try runner.run(["srs", "replay", "--log", log.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], r.stdout)
        XCTAssertEqual(rows.compactMap { $0["intervalDays"] as? Int }, Self.expectedIntervals)
        XCTAssertEqual(rows.compactMap { $0["rating"] as? Int }, Self.ratings)
        XCTAssertEqual(rows.compactMap { $0["line"] as? Int }, Array(1...13))
        // Each review happened at the previous one's due time.
        for (previous, next) in zip(rows, rows.dropFirst()) {
            XCTAssertEqual(previous["due"] as? String, next["time"] as? String)
        }
        let states = rows.compactMap { $0["state"] as? String }
        XCTAssertEqual(states.first, "learning")
        XCTAssertEqual(states[6], "relearning", "Again in review starts relearning")
        XCTAssertEqual(states.last, "review")
        XCTAssertTrue(rows[1]["step"] is NSNull || rows[1]["step"] == nil, "no step in review")
        // The first Good: stability w2 and difficulty w4 − e^(2·w5) + 1.
        XCTAssertEqual(try XCTUnwrap(rows[0]["stability"] as? Double), 2.3065, accuracy: 1e-4)
        XCTAssertEqual(try XCTUnwrap(rows[0]["difficulty"] as? Double), 6.4133 - exp(2 * 0.8334) + 1, accuracy: 1e-4)

        let table = try runner.run(["srs", "replay", "--log", log.path, "--width", "80"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("card vector · 13 reviews"), table.stdout)
        XCTAssertTrue(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, table.stdout)
    }

    func testMalformedLogIsExit65WithFileAndLine() throws {
        let runner = try InterpRunner()
        let log = runner.home.appendingPathComponent("bad.jsonl")
        let text = #"""
            {"card_id": "a", "rating": 3, "time": "2024-03-01T08:00:00Z"}
            {"card_id": "a", "rating": 4, "time": "2024-03-02T08:00:00Z"}
            {"card_id": "a", "rating": 5, "time": "2024-03-03T08:00:00Z"}
            """#
        try text.write(to: log, atomically: true, encoding: .utf8)
        var r = try runner.run(["srs", "replay", "--log", log.path])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stderr, "interp: \(log.path):3: rating must be 1–4\n")
        XCTAssertEqual(r.stdout, "")

        r = try runner.run(["srs", "replay", "--log", runner.home.appendingPathComponent("missing.jsonl").path])
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("missing.jsonl: no such file"), r.stderr)
        r = try runner.run(["srs", "replay"])
        XCTAssertEqual(r.status, 64, "--log is required")
    }
}
