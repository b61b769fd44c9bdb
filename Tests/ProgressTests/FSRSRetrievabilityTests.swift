import Foundation
import XCTest
@testable import Progress

/// The forgetting curve and the interval clamp. Reference values: py-fsrs 6.3.2 through
/// scripts/fsrs_reference.py (reviewed goldens).
final class FSRSRetrievabilityTests: XCTestCase {
    func testRetrievabilityAfterThePublishedVector() throws {
        let scheduler = try unfuzzedScheduler()
        let card = try XCTUnwrap(reviewAtDueTimes(scheduler, vectorRatings).last?.0)
        let lastReview = try XCTUnwrap(card.lastReview)
        let reference: [(TimeInterval, Double)] = [
            (0, 1.0), (3600, 1.0), (86_400, 0.99291364), (164_160, 0.99291364),  // whole days only
            (432_000, 0.96785643), (2_592_000, 0.87282470), (31_536_000, 0.63913849),
        ]
        for (seconds, expected) in reference {
            XCTAssertEqual(scheduler.retrievability(of: card, at: lastReview.addingTimeInterval(seconds)),
                           expected, accuracy: 1e-7, "after \(seconds) s")
        }
    }

    func testRetrievabilityIsNinetyPercentAfterStabilityDays() throws {
        let scheduler = try unfuzzedScheduler()
        let card = SRSCard(id: "q", state: .review, step: nil, stability: 25, difficulty: 5,
                           due: scenarioStart, lastReview: scenarioStart, reps: 1, lapses: 0)
        XCTAssertEqual(scheduler.retrievability(of: card, at: scenarioStart.addingTimeInterval(25 * 86_400)),
                       0.9, accuracy: 1e-12)
        XCTAssertEqual(scheduler.retrievability(of: SRSCard(id: "new", due: scenarioStart), at: scenarioStart), 0)
        // A time before the last review counts as no time elapsed.
        XCTAssertEqual(scheduler.retrievability(of: card, at: scenarioStart.addingTimeInterval(-86_400 * 3)), 1)
    }

    func testMaximumIntervalClampsAHugeStability() throws {
        let scheduler = try unfuzzedScheduler()
        let card = SRSCard(id: "q", state: .review, step: nil, stability: 30_000, difficulty: 3,
                           due: scenarioStart, lastReview: scenarioStart.addingTimeInterval(-20_000 * 86_400),
                           reps: 10, lapses: 0)
        let (next, record) = scheduler.review(card, rating: .easy, at: scenarioStart)
        XCTAssertEqual(next.stability ?? 0, 62_111.598003, accuracy: 1e-4)
        XCTAssertEqual(next.difficulty ?? 0, 1.0, accuracy: 1e-4)
        XCTAssertEqual(record.scheduledDays, 36_500)
        XCTAssertEqual(record.elapsedDays, 20_000)
    }

    func testIntervalDaysRoundsHalfToEvenWithinBounds() throws {
        let scheduler = try unfuzzedScheduler()
        // At retention 0.9 the interval equals the stability; py-fsrs gives 2, 4, 4 for these.
        XCTAssertEqual(scheduler.intervalDays(stability: 2.5), 2)
        XCTAssertEqual(scheduler.intervalDays(stability: 3.5), 4)
        XCTAssertEqual(scheduler.intervalDays(stability: 4.5), 4)
        XCTAssertEqual(scheduler.intervalDays(stability: 0.01), 1)
        XCTAssertEqual(scheduler.intervalDays(stability: 1e12), 36_500)
        XCTAssertEqual(scheduler.intervalDays(stability: .infinity), 36_500)
        XCTAssertEqual(scheduler.intervalDays(stability: .nan), 1)
    }

    func testWholeDaysFloorsLikeTimedelta() {
        let start = vectorStart
        XCTAssertEqual(wholeDays(from: start, to: start.addingTimeInterval(2 * 86_400)), 2)
        XCTAssertEqual(wholeDays(from: start, to: start.addingTimeInterval(2 * 86_400 - 0.001)), 1)
        XCTAssertEqual(wholeDays(from: start, to: start.addingTimeInterval(-1)), -1)
        XCTAssertEqual(wholeDays(from: start, to: start), 0)
        XCTAssertEqual(wholeDays(from: start, to: Date(timeIntervalSince1970: 1e300)), Int.max / 2)
    }
}
