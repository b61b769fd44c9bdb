import Foundation
import XCTest
@testable import Progress

final class StatisticsTests: XCTestCase {
    func testAccuracyByLessonCountsGradedAnswersOnly() throws {
        let database = try AppDatabase.inMemory()
        try database.recordAttempt(attempt("q1", lesson: "b", correct: true, at: at(hours: 0)))
        try database.recordAttempt(attempt("q1", lesson: "b", correct: false, at: at(hours: 1)))
        try database.recordAttempt(attempt("q2", lesson: "b", correct: true, at: at(hours: 2)))
        try database.recordAttempt(attempt("q3", lesson: "a", correct: false, at: at(hours: 3)))
        try database.recordAttempt(attempt("s1", lesson: "c", correct: nil, at: at(hours: 3)))
        XCTAssertEqual(try database.accuracyByLesson(), [
            Accuracy(key: "a", correct: 0, answered: 1),
            Accuracy(key: "b", correct: 2, answered: 3),
        ])
        XCTAssertEqual(try XCTUnwrap(database.accuracyByLesson().last?.ratio), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertNil(Accuracy(key: "x", correct: 0, answered: 0).ratio)
    }

    func testAccuracyByTag() throws {
        let database = try AppDatabase.inMemory()
        try database.recordAttempt(attempt("q1", lesson: "l", correct: true, at: at(hours: 0)))
        try database.recordAttempt(attempt("q1", lesson: "l", correct: false, at: at(hours: 1)))
        try database.recordAttempt(attempt("q2", lesson: "l", correct: true, at: at(hours: 2)))
        try database.recordAttempt(attempt("untagged", lesson: "l", correct: true, at: at(hours: 3)))
        let tags = ["q1": ["attention", "circuits", "attention"], "q2": ["circuits"]]
        XCTAssertEqual(try database.accuracyByTag(tags), [
            Accuracy(key: "attention", correct: 1, answered: 2),
            Accuracy(key: "circuits", correct: 2, answered: 3),
        ])
    }

    func testReviewCountsPerDayInATimeZone() throws {
        let database = try AppDatabase.inMemory()
        let scheduler = try unfuzzedScheduler()
        // 2024-03-01 08:00 UTC + hours: 0 and 1 on Mar 1, 20 (04:00 UTC Mar 2), 40 (Mar 3 00:00 UTC).
        for (index, hours) in [0.0, 1, 20, 40].enumerated() {
            let (card, record) = scheduler.review(SRSCard(id: "q\(index)", due: at(hours: hours)),
                                                  rating: .good, at: at(hours: hours))
            try database.saveReview(card: card, record: record)
        }
        XCTAssertEqual(try database.reviewCountsPerDay(from: at(hours: -24), through: at(hours: 40)), [
            DayCount(day: "2024-02-29", count: 0), DayCount(day: "2024-03-01", count: 2),
            DayCount(day: "2024-03-02", count: 1), DayCount(day: "2024-03-03", count: 1),
        ])
        // In New York (UTC−5) 04:00 UTC Mar 2 is still Mar 1, and 00:00 UTC Mar 3 is Mar 2.
        let newYork = try XCTUnwrap(TimeZone(identifier: "America/New_York"))
        XCTAssertEqual(try database.reviewCountsPerDay(from: at(hours: 0), through: at(hours: 40), timeZone: newYork), [
            DayCount(day: "2024-03-01", count: 3), DayCount(day: "2024-03-02", count: 1),
        ])
        XCTAssertEqual(try database.reviewCountsPerDay(from: at(hours: 40), through: at(hours: 0)), [])
    }

    func testAccuracyPerDay() throws {
        let database = try AppDatabase.inMemory()
        try database.recordAttempt(attempt("q1", lesson: "l", correct: true, at: at(hours: 0)))
        try database.recordAttempt(attempt("q2", lesson: "l", correct: false, at: at(hours: 1)))
        try database.recordAttempt(attempt("q3", lesson: "l", correct: true, at: at(hours: 48)))
        try database.recordAttempt(attempt("s", lesson: "l", correct: nil, at: at(hours: 49)))
        XCTAssertEqual(try database.accuracyPerDay(from: at(hours: 0), through: at(hours: 48)), [
            Accuracy(key: "2024-03-01", correct: 1, answered: 2),
            Accuracy(key: "2024-03-02", correct: 0, answered: 0),
            Accuracy(key: "2024-03-03", correct: 1, answered: 1),
        ])
    }

    /// The last day of 9999 is counted: its bound must not be written as a five-digit year,
    /// which sorts before every stored time.
    func testTheLastSupportedDayIsCounted() throws {
        let database = try AppDatabase.inMemory()
        let late = try XCTUnwrap(ISO8601Timestamp.parse("9999-12-31T23:00:00Z"))
        try database.recordAttempt(attempt("q1", lesson: "l", correct: true, at: late))
        let scheduler = try unfuzzedScheduler()
        try database.recordAnswer(attempt("q2", lesson: "l", correct: false, at: late, rating: .again), scheduler: scheduler)
        XCTAssertEqual(try database.accuracyPerDay(from: late, through: late), [Accuracy(key: "9999-12-31", correct: 1, answered: 2)])
        XCTAssertEqual(try database.reviewCountsPerDay(from: late, through: late), [DayCount(day: "9999-12-31", count: 1)])
    }

    func testStreak() throws {
        let database = try AppDatabase.inMemory()
        XCTAssertEqual(try database.streak(asOf: at(hours: 0)), 0)
        // Answers on Mar 1, 2 (a sketch), 3 and 5 (UTC).
        try database.recordAttempt(attempt("q", lesson: "l", correct: true, at: at(hours: 0)))
        try database.recordSketch(Sketch(questionID: "s", lessonID: "l", text: "t", selfRating: .good,
                                         createdAt: at(hours: 24), durationMs: 1))
        try database.recordAttempt(attempt("q", lesson: "l", correct: false, at: at(hours: 48)))
        try database.recordAttempt(attempt("q", lesson: "l", correct: true, at: at(hours: 96)))

        XCTAssertEqual(try database.streak(asOf: at(hours: 49)), 3, "Mar 1–3, counted on Mar 3")
        XCTAssertEqual(try database.streak(asOf: at(hours: 70)), 3, "Mar 4 without an answer yet still counts Mar 1–3")
        XCTAssertEqual(try database.streak(asOf: at(hours: 90)), 0, "Mar 5 before its answer: Mar 4 broke it")
        XCTAssertEqual(try database.streak(asOf: at(hours: 97)), 1)
        XCTAssertEqual(try database.streak(asOf: at(hours: 30)), 2, "answers after now are not counted")
        // In Tokyo (UTC+9) 08:00 UTC is 17:00 the same day, so the same days count.
        let tokyo = try XCTUnwrap(TimeZone(identifier: "Asia/Tokyo"))
        XCTAssertEqual(try database.streak(asOf: at(hours: 49), timeZone: tokyo), 3)
        // In Honolulu (UTC−10) the answers fall on Feb 29, Mar 1 and Mar 2, and 09:00 UTC Mar 3 is
        // still Mar 2 there.
        let honolulu = try XCTUnwrap(TimeZone(identifier: "Pacific/Honolulu"))
        XCTAssertEqual(try database.streak(asOf: at(hours: 49), timeZone: honolulu), 3)
        // 04:00 UTC Mar 2 is 18:00 Mar 1 there: only the Feb 29 answer has happened yet.
        XCTAssertEqual(try database.streak(asOf: at(hours: 20), timeZone: honolulu), 1)
    }
}
