import Foundation
import XCTest
@testable import Progress

/// A card's state after one review, as printed by scripts/fsrs_reference.py from py-fsrs 6.3.2:
/// (state, step, stability, difficulty, seconds from the review to the due date).
typealias ReferenceRow = (state: CardState, step: Int?, stability: Double, difficulty: Double, dueSeconds: Double)

/// 2022-11-29 12:30 UTC, the start of py-fsrs's published test vector.
let vectorStart = Date(timeIntervalSince1970: 1_669_725_000)
/// 2024-03-01 08:00 UTC, the start of the other reference scenarios.
let scenarioStart = Date(timeIntervalSince1970: 1_709_280_000)

/// Ratings of the published vector: Good ×6, Again ×2, Good ×5.
let vectorRatings: [Rating] = Array(repeating: .good, count: 6) + [.again, .again]
    + Array(repeating: .good, count: 5)

/// A scheduler without fuzz; fails the test instead of throwing.
func unfuzzedScheduler(desiredRetention: Double = 0.9, learningSteps: [TimeInterval] = [60, 600],
                       relearningSteps: [TimeInterval] = [600],
                       maximumInterval: Int = 36_500) throws -> FSRSScheduler {
    try FSRSScheduler(desiredRetention: desiredRetention, learningSteps: learningSteps,
                      relearningSteps: relearningSteps, maximumInterval: maximumInterval,
                      enableFuzz: false)
}

/// Reviews a new card with `ratings`, each review at the previous due time.
func reviewAtDueTimes(_ scheduler: FSRSScheduler, _ ratings: [Rating],
                      from start: Date = vectorStart) -> [(SRSCard, ReviewRecord)] {
    var card = SRSCard(id: "q", due: start)
    var results: [(SRSCard, ReviewRecord)] = []
    for rating in ratings {
        let result = scheduler.review(card, rating: rating, at: card.due)
        results.append(result)
        card = result.0
    }
    return results
}

/// Reviews a new card at `start + offset` seconds with each rating.
func reviewAtOffsets(_ scheduler: FSRSScheduler, _ events: [(TimeInterval, Rating)],
                     from start: Date = scenarioStart) -> [(SRSCard, ReviewRecord)] {
    var card = SRSCard(id: "q", due: start)
    var results: [(SRSCard, ReviewRecord)] = []
    for (offset, rating) in events {
        let result = scheduler.review(card, rating: rating, at: start.addingTimeInterval(offset))
        results.append(result)
        card = result.0
    }
    return results
}

/// Compares each reviewed card with the py-fsrs row: state and step exactly, stability and
/// difficulty to 1e-4, the due date to the second.
func assertMatches(_ results: [(SRSCard, ReviewRecord)], _ reference: [ReferenceRow],
                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(results.count, reference.count, "number of reviews", file: file, line: line)
    for (index, ((card, record), expected)) in zip(results, reference).enumerated() {
        let label = "review \(index + 1)"
        XCTAssertEqual(card.state, expected.state, label, file: file, line: line)
        XCTAssertEqual(card.step, expected.step, label, file: file, line: line)
        XCTAssertEqual(card.stability ?? .nan, expected.stability, accuracy: 1e-4, label, file: file, line: line)
        XCTAssertEqual(card.difficulty ?? .nan, expected.difficulty, accuracy: 1e-4, label, file: file, line: line)
        XCTAssertEqual(card.due.timeIntervalSince(record.reviewedAt), expected.dueSeconds,
                       accuracy: 1e-3, label, file: file, line: line)
        XCTAssertEqual(record.state, card.state, label, file: file, line: line)
        XCTAssertEqual(record.stability, card.stability ?? .nan, label, file: file, line: line)
        XCTAssertEqual(record.due, card.due, label, file: file, line: line)
    }
}
