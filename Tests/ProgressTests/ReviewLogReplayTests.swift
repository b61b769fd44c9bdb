import Foundation
import XCTest
@testable import Progress

final class ReviewLogReplayTests: XCTestCase {
    /// The published vector as a log: each review at the due time the previous one set, which
    /// py-fsrs's intervals give as 10 min, then 2, 11, 46, 163, 498 days, …
    private func vectorLog() -> String {
        let gaps: [TimeInterval] = [0, 600, 2, 11, 46, 163, 498, 600, 600, 2, 4, 7, 12]
            .enumerated().map { index, value in index == 1 || index == 7 || index == 8 ? value : value * 86_400 }
        var time = vectorStart
        var lines: [String] = []
        for (gap, rating) in zip(gaps, vectorRatings) {
            time = time.addingTimeInterval(gap)
            lines.append(#"{"card_id": 1, "rating": \#(rating.rawValue), "time": "\#(ISO8601Timestamp.string(from: time))"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testReplayReproducesThePublishedVector() throws {
        let entries = try ReviewLogReplay.parse(vectorLog(), file: "vector.jsonl")
        let cards = try ReviewLogReplay.replay(entries, scheduler: try unfuzzedScheduler(), file: "vector.jsonl")
        XCTAssertEqual(cards.count, 1)
        let card = try XCTUnwrap(cards.first)
        XCTAssertEqual(card.cardID, "1")
        XCTAssertEqual(card.steps.map(\.intervalDays), [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
        // py-fsrs 6.3.2 (scripts/fsrs_reference.py): stability and difficulty after the last review.
        XCTAssertEqual(card.steps.last?.stability ?? 0, 20.770357, accuracy: 1e-4)
        XCTAssertEqual(card.steps.last?.difficulty ?? 0, 9.055760, accuracy: 1e-4)
        XCTAssertEqual(card.steps.map(\.line), Array(1...13))
        XCTAssertEqual(card.card.reps, 13)
    }

    func testReplaySortsEachCardByTimeAndKeepsFirstAppearanceOrder() throws {
        let log = """
        {"card_id": "b", "rating": 3, "time": "2024-03-01T08:10:00Z"}
        {"card_id": "a", "rating": 3, "time": "2024-03-01T09:00:00+01:00"}

        {"card_id": "b", "rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "b", "rating": 4, "time": "2024-03-05T08:00:00.5Z", "extra": true}
        """
        let cards = try ReviewLogReplay.replay(try ReviewLogReplay.parse(log, file: "log.jsonl"),
                                               scheduler: try unfuzzedScheduler(), file: "log.jsonl")
        XCTAssertEqual(cards.map(\.cardID), ["b", "a"])
        XCTAssertEqual(cards[0].steps.map(\.line), [4, 1, 5])
        XCTAssertEqual(cards[0].steps.map(\.state), [.learning, .review, .review])
        XCTAssertEqual(cards[0].steps.map(\.step), [1, nil, nil])
        XCTAssertEqual(cards[1].steps.map(\.reviewedAt), [scenarioStart])
    }

    func testValidationNamesEveryBadLine() {
        let log = """
        {"card_id": "a", "rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "a", "rating": 5, "time": "2024-03-01T08:00:00Z"}
        not json
        {"rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "a", "time": "2024-03-01T08:00:00Z"}
        {"card_id": "a", "rating": 3}
        {"card_id": "a", "rating": 3, "time": "2024-03-01 08:00"}
        {"card_id": "a", "rating": 2.5, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "", "rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": true, "rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "a", "rating": "3", "time": "2024-03-01T08:00:00Z"}
        [1, 2, 3]
        {"card_id": "a", "rating": 3, "time": 20240301}
        """
        let issues = ReviewLogReplay.validate(log, file: "log.jsonl").map(\.description)
        let malformed = "is not an ISO-8601 date-time with Z or an offset, such as 2026-01-31T09:00:00Z"
        XCTAssertEqual(issues, [
            "log.jsonl:2: rating must be 1–4",
            "log.jsonl:3: not a JSON object",
            "log.jsonl:4: missing card_id",
            "log.jsonl:5: missing rating",
            "log.jsonl:6: missing time",
            "log.jsonl:7: time '2024-03-01 08:00' \(malformed)",
            "log.jsonl:8: rating must be 1–4",
            "log.jsonl:9: card_id must be a non-empty string or an integer",
            "log.jsonl:10: card_id must be a non-empty string or an integer",
            "log.jsonl:11: rating must be 1–4",
            "log.jsonl:12: not a JSON object",
            "log.jsonl:13: time must be a string such as \"2024-03-01T08:00:00Z\"",
        ])
    }

    func testParseThrowsTheFirstIssue() {
        let log = "{\"card_id\": \"a\", \"rating\": 3, \"time\": \"2024-03-01T08:00:00Z\"}\r\n{\"card_id\": \"a\", \"rating\": 0, \"time\": \"2024-03-01T08:00:00Z\"}\r\n"
        XCTAssertThrowsError(try ReviewLogReplay.parse(log, file: "log.jsonl")) { error in
            XCTAssertEqual("\(error)", "log.jsonl:2: rating must be 1–4")
        }
    }

    func testAcceptsByteOrderMarkCRLFAndWholeNumberRatings() throws {
        let log = "\u{FEFF}{\"card_id\": 7, \"rating\": 3.0, \"time\": \"2024-03-01T08:00:00Z\"}\r\n"
        let entries = try ReviewLogReplay.parse(log, file: "log.jsonl")
        XCTAssertEqual(entries, [ReviewLogEntry(cardID: "7", rating: .good, time: scenarioStart, line: 1)])
        XCTAssertEqual(try ReviewLogReplay.parse("", file: "empty.jsonl"), [])
    }

    func testLoadNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("progress-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.jsonl").path
        XCTAssertThrowsError(try ReviewLogReplay.load(path: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing): no such file")
        }
        XCTAssertThrowsError(try ReviewLogReplay.load(path: directory.path)) { error in
            XCTAssertEqual("\(error)", "\(directory.path): is a directory")
        }
        let file = directory.appendingPathComponent("log.jsonl")
        try Data(#"{"card_id": "a", "rating": 9, "time": "2024-03-01T08:00:00Z"}"#.utf8).write(to: file)
        XCTAssertThrowsError(try ReviewLogReplay.load(path: file.path)) { error in
            XCTAssertEqual("\(error)", "\(file.path):1: rating must be 1–4")
        }
    }

    func testTimesOutsideTheSupportedYearsAreRefusedWithTheirLine() {
        let log = """
        {"card_id": "a", "rating": 3, "time": "2024-03-01T08:00:00Z"}
        {"card_id": "a", "rating": 3, "time": "99999-01-01T00:00:00Z"}
        {"card_id": "a", "rating": 3, "time": "1969-12-31T23:59:59Z"}
        {"card_id": "a", "rating": 3, "time": "9999-12-31T23:00:00-05:00"}
        """
        let outside = "is outside the supported years 1970–9999"
        XCTAssertEqual(ReviewLogReplay.validate(log, file: "log.jsonl").map(\.description), [
            "log.jsonl:2: time '99999-01-01T00:00:00Z' \(outside)",
            "log.jsonl:3: time '1969-12-31T23:59:59Z' \(outside)",
            "log.jsonl:4: time '9999-12-31T23:00:00-05:00' \(outside)",
        ])
    }

    func testAReviewThatWouldFallDueAfter9999IsRefused() throws {
        // Good twice on the last day of 9999: the first is due 10 minutes later, the second, out of
        // the learning steps, a day or more later: past the range.
        let log = """
        {"card_id": "a", "rating": 3, "time": "9999-12-31T00:00:00Z"}
        {"card_id": "a", "rating": 3, "time": "9999-12-31T00:01:00Z"}
        """
        let entries = try ReviewLogReplay.parse(log, file: "late.jsonl")
        XCTAssertThrowsError(try ReviewLogReplay.replay(entries, scheduler: try unfuzzedScheduler(), file: "late.jsonl")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("late.jsonl:2: this review would fall due at 10000-"), text)
            XCTAssertTrue(text.hasSuffix("after the supported years 1970–9999"), text)
        }
    }
}
