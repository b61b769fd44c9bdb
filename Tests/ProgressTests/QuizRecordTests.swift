import Foundation
import XCTest
@testable import Progress

final class QuizRecordTests: XCTestCase {
    func testAttemptsRoundTripAndFilter() throws {
        let database = try AppDatabase.inMemory()
        let first = try database.recordAttempt(attempt("q1", lesson: "l1", correct: true, at: at(hours: 2)))
        try database.recordAttempt(attempt("q2", lesson: "l1", correct: false, at: at(hours: 1), rating: .again))
        try database.recordAttempt(QuizAttempt(questionID: "q1", lessonID: "l1", kind: "numeric", response: "0.5",
                                               correct: nil, rating: .hard, durationMs: 0, answeredAt: at(hours: 3)))
        try database.recordAttempt(attempt("q3", lesson: "l2", correct: true, at: at(hours: 0)))

        XCTAssertNotNil(first.id)
        XCTAssertEqual(try database.attempts().map(\.questionID), ["q3", "q2", "q1", "q1"])
        let q1 = try database.attempts(questionID: "q1")
        XCTAssertEqual(q1.first, first)
        XCTAssertEqual(q1.last?.correct, nil)
        XCTAssertEqual(q1.last?.rating, .hard)
        XCTAssertEqual(q1.last?.kind, "numeric")
        XCTAssertEqual(q1.last?.sessionID, nil)
        XCTAssertEqual(try database.attempts(lessonID: "l1").map(\.questionID), ["q2", "q1", "q1"])
        XCTAssertEqual(try database.attempts(lessonID: "none"), [])
    }

    func testSketchesRoundTripAndFilter() throws {
        let database = try AppDatabase.inMemory()
        let text = "Induction heads:\n1. previous-token head\n2. copy via OV — ünïcode ✓"
        let stored = try database.recordSketch(Sketch(questionID: "s1", lessonID: "l1", text: text, selfRating: .good,
                                                      createdAt: at(hours: 1), durationMs: 90_000))
        try database.recordSketch(Sketch(questionID: "s1", lessonID: "l1", text: "second", selfRating: nil,
                                         createdAt: at(hours: 30), durationMs: 5))
        try database.recordSketch(Sketch(questionID: "s2", lessonID: "l2", text: "other", selfRating: .again,
                                         createdAt: at(hours: 0), durationMs: 5))
        XCTAssertNotNil(stored.id)
        XCTAssertEqual(try database.sketches(questionID: "s1").map(\.text), [text, "second"])
        XCTAssertEqual(try database.sketches(questionID: "s1").first, stored)
        XCTAssertEqual(try database.sketches(lessonID: "l2").map(\.selfRating), [.again])
        XCTAssertEqual(try database.sketches().map(\.questionID), ["s2", "s1", "s1"])
    }

    func testAnswerAndItsReviewAreOneTransaction() throws {
        let database = try AppDatabase.inMemory()
        let scheduler = try unfuzzedScheduler()
        let (card, record) = scheduler.review(SRSCard(id: "q1", due: at(hours: 0)), rating: .good, at: at(hours: 0))
        let storedRecord = try database.saveReview(card: card, record: record)

        // A second answer whose review clashes with the stored one (same row id) is not kept.
        let (card2, record2) = scheduler.review(card, rating: .good, at: at(hours: 1))
        var clashing = record2
        clashing.id = storedRecord.id
        XCTAssertThrowsError(try database.recordAttempt(attempt("q1", lesson: "l1", correct: true, at: at(hours: 1)),
                                                        review: (card2, clashing)))
        XCTAssertEqual(try database.attempts(), [])
        XCTAssertEqual(try database.card(id: "q1"), card, "the card update was rolled back")

        let stored = try database.recordAttempt(attempt("q1", lesson: "l1", correct: true, at: at(hours: 1)),
                                                review: (card2, record2))
        XCTAssertEqual(try database.attempts(), [stored])
        XCTAssertEqual(try database.card(id: "q1"), card2)
        XCTAssertEqual(try database.reviews(cardID: "q1").count, 2)
    }

    func testSketchWithReviewIsStoredTogether() throws {
        let database = try AppDatabase.inMemory()
        let (card, record) = try unfuzzedScheduler().review(SRSCard(id: "s1", due: at(hours: 0)), rating: .hard, at: at(hours: 0))
        try database.recordSketch(Sketch(questionID: "s1", lessonID: "l1", text: "t", selfRating: .hard,
                                         createdAt: at(hours: 0), durationMs: 10), review: (card, record))
        XCTAssertEqual(try database.card(id: "s1"), card)
        XCTAssertEqual(try database.sketches().count, 1)
    }

    func testRejectsBadValues() throws {
        let database = try AppDatabase.inMemory()
        var bad = attempt("q1", lesson: "l1", correct: true, at: at(hours: 0))
        bad.durationMs = -5
        XCTAssertThrowsError(try database.recordAttempt(bad)) { error in
            XCTAssertEqual("\(error)", "invalid duration: must be 0 ms or more, got -5")
        }
        XCTAssertThrowsError(try database.recordAttempt(attempt("", lesson: "l1", correct: true, at: at(hours: 0))))
        XCTAssertThrowsError(try database.recordSketch(Sketch(questionID: "s", lessonID: "", text: "",
                                                              selfRating: nil, createdAt: at(hours: 0), durationMs: 0)))
        let (card, record) = try unfuzzedScheduler().review(SRSCard(id: "a", due: at(hours: 0)), rating: .good, at: at(hours: 0))
        var other = record
        other.cardID = "b"
        XCTAssertThrowsError(try database.recordAttempt(attempt("a", lesson: "l1", correct: true, at: at(hours: 0)),
                                                        review: (card, other))) { error in
            XCTAssertEqual("\(error)", "invalid review: card id 'a' and review card id 'b' differ")
        }
        XCTAssertEqual(try database.attempts(), [])
    }
}
