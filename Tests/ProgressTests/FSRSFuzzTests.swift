import Foundation
import XCTest
@testable import Progress

/// Interval fuzz. Reference values: py-fsrs 6.3.2's fuzzed interval with `random()` fixed to u,
/// through scripts/fsrs_reference.py (reviewed goldens).
final class FSRSFuzzTests: XCTestCase {
    func testFuzzedDaysMatchPyFSRSForFixedRandomValues() throws {
        let scheduler = try FSRSScheduler()
        let reference: [(days: Int, unit: Double, fuzzed: Int)] = [
            (1, 0.0, 1), (1, 0.999999, 1), (2, 0.5, 2),
            (3, 0.0, 2), (3, 0.5, 4), (3, 0.999999, 5),
            (5, 0.0, 4), (5, 0.25, 5), (5, 0.75, 6), (5, 0.999999, 7),
            (10, 0.0, 8), (10, 0.5, 10), (10, 0.75, 12), (10, 0.999999, 13),
            (21, 0.0, 18), (21, 0.25, 20), (21, 0.999999, 25),
            (50, 0.0, 46), (50, 0.75, 53), (50, 0.999999, 55),
            (1000, 0.0, 948), (1000, 0.5, 1000), (1000, 0.999999, 1053),
            (36_500, 0.0, 34_673), (36_500, 0.5, 35_587), (36_500, 0.999999, 36_500),
        ]
        for row in reference {
            XCTAssertEqual(scheduler.fuzzedDays(row.days, unit: row.unit), row.fuzzed, "\(row)")
        }
    }

    func testFuzzRespectsTheMaximumInterval() throws {
        let scheduler = try FSRSScheduler(maximumInterval: 100)
        let reference: [(days: Int, unit: Double, fuzzed: Int)] = [
            (50, 0.999999, 55), (100, 0.0, 93), (100, 0.25, 95), (100, 0.999999, 100),
            (1000, 0.0, 100), (36_500, 0.5, 100),
        ]
        for row in reference {
            XCTAssertEqual(scheduler.fuzzedDays(row.days, unit: row.unit), row.fuzzed, "\(row)")
        }
    }

    func testFuzzIsSeededAndStaysInRange() throws {
        // A card reviewed Easy from new: 8 days without fuzz, so the range is round(8 ∓ 1.775) = 6…10
        // (py-fsrs's rounding can reach one day past the top).
        let first = try FSRSScheduler(enableFuzz: true, fuzzSeed: 1)
        let again = try FSRSScheduler(enableFuzz: true, fuzzSeed: 1)
        var seen = Set<Int>()
        for index in 0..<200 {
            let card = SRSCard(id: "card-\(index)", due: scenarioStart)
            let days = first.review(card, rating: .easy, at: scenarioStart).1.scheduledDays
            XCTAssertEqual(again.review(card, rating: .easy, at: scenarioStart).1.scheduledDays, days)
            XCTAssertTrue((6...11).contains(days), "\(days) days")
            seen.insert(days)
        }
        XCTAssertGreaterThan(seen.count, 3, "fuzz spreads intervals")
        // Learning steps are never fuzzed.
        let step = first.review(SRSCard(id: "x", due: scenarioStart), rating: .good, at: scenarioStart).0
        XCTAssertEqual(step.due.timeIntervalSince(scenarioStart), 600)
    }

    func testDifferentSeedsGiveDifferentSchedules() throws {
        let cards = (0..<50).map { SRSCard(id: "c\($0)", due: scenarioStart) }
        let schedule = { (seed: UInt64) throws -> [Int] in
            let scheduler = try FSRSScheduler(enableFuzz: true, fuzzSeed: seed)
            return cards.map { scheduler.review($0, rating: .easy, at: scenarioStart).1.scheduledDays }
        }
        XCTAssertNotEqual(try schedule(1), try schedule(2))
    }

    func testFuzzUnitIsInTheUnitInterval() throws {
        let scheduler = try FSRSScheduler(fuzzSeed: 42)
        for index in 0..<1000 {
            let unit = scheduler.fuzzUnit(cardID: "q\(index)", reviewedAt: scenarioStart.addingTimeInterval(Double(index)))
            XCTAssertTrue(unit >= 0 && unit < 1)
        }
    }
}
