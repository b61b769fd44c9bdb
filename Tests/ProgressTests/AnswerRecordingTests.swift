import Foundation
import XCTest
@testable import Progress

/// `recordAnswer` and `recordSketch`: the card is read, reviewed and saved with the answer.
final class AnswerRecordingTests: TemporaryDirectoryTestCase {
    func testEachAnswerReviewsTheStoredCard() throws {
        let database = try AppDatabase(path: path())
        let scheduler = try unfuzzedScheduler()
        let first = try database.recordAnswer(attempt("q1", lesson: "l", correct: true, at: at(hours: 0)), scheduler: scheduler)
        XCTAssertNotNil(first.attempt.id)
        XCTAssertNotNil(first.review.record.id)
        XCTAssertEqual(first.review.card.reps, 1)
        // The same review the scheduler gives a new card due at the answer's time.
        let (expected, _) = scheduler.review(SRSCard(id: "q1", due: at(hours: 0)), rating: .good, at: at(hours: 0))
        XCTAssertEqual(first.review.card, expected)
        let second = try database.recordAnswer(attempt("q1", lesson: "l", correct: false, at: at(hours: 1), rating: .again),
                                               scheduler: scheduler)
        XCTAssertEqual(second.review.card, scheduler.review(expected, rating: .again, at: at(hours: 1)).0)
        XCTAssertEqual(try database.card(id: "q1"), second.review.card)
        XCTAssertEqual(try database.reviews(cardID: "q1").count, 2)
        XCTAssertEqual(try database.attempts().count, 2)
    }

    func testASketchIsReviewedOnlyWhenRated() throws {
        let database = try AppDatabase(path: path())
        let scheduler = try unfuzzedScheduler()
        let unrated = Sketch(questionID: "s1", lessonID: "l", text: "t", selfRating: nil, createdAt: at(hours: 0), durationMs: 5)
        XCTAssertNil(try database.recordSketch(unrated, scheduler: scheduler).review)
        XCTAssertNil(try database.card(id: "s1"))
        var rated = unrated
        rated.selfRating = .easy
        let stored = try database.recordSketch(rated, scheduler: scheduler)
        XCTAssertEqual(stored.review?.card.reps, 1)
        XCTAssertEqual(try database.sketches().count, 2)
        XCTAssertEqual(try database.reviews(cardID: "s1").map(\.rating), [.easy])
    }
}
