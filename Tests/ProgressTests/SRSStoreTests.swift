import Foundation
import GRDB
import XCTest
@testable import Progress

final class SRSStoreTests: XCTestCase {
    func testCardAndReviewsRoundTrip() throws {
        let database = try AppDatabase.inMemory()
        let results = reviewAtDueTimes(try unfuzzedScheduler(), vectorRatings)
        for (card, record) in results { try database.saveReview(card: card, record: record) }

        let stored = try XCTUnwrap(database.card(id: "q"))
        let expected = try XCTUnwrap(results.last?.0)
        XCTAssertEqual(stored.state, expected.state)
        XCTAssertEqual(stored.stability ?? 0, expected.stability ?? 1, accuracy: 1e-12)
        XCTAssertEqual(stored.difficulty ?? 0, expected.difficulty ?? 1, accuracy: 1e-12)
        XCTAssertEqual(stored.reps, 13)
        XCTAssertEqual(stored.lapses, 1)
        XCTAssertEqual(stored.due.timeIntervalSince(expected.due), 0, accuracy: 0.001)
        let reviews = try database.reviews(cardID: "q")
        XCTAssertEqual(reviews.map(\.scheduledDays), [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
        XCTAssertEqual(reviews.map(\.rating), vectorRatings)
        XCTAssertEqual(reviews.first?.elapsedDays, nil)
        XCTAssertEqual(reviews[2].elapsedDays, 2)
        XCTAssertNil(try database.card(id: "missing"))
    }

    func testStoredCardKeepsSchedulingLikeTheOriginal() throws {
        // Stored times keep milliseconds; the vector's times are whole seconds, so a card that
        // goes through the database is scheduled exactly like one that does not.
        let database = try AppDatabase.inMemory()
        let scheduler = try unfuzzedScheduler()
        var card = SRSCard(id: "q", due: vectorStart)
        var days: [Int] = []
        for rating in vectorRatings {
            let (next, record) = scheduler.review(try database.card(id: "q") ?? card, rating: rating, at: card.due)
            try database.saveReview(card: next, record: record)
            card = next
            days.append(record.scheduledDays)
        }
        XCTAssertEqual(days, [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
    }

    func testDueCards() throws {
        let database = try AppDatabase.inMemory()
        let scheduler = try unfuzzedScheduler()
        // "easy" graduates to 8 days; "good" waits 10 minutes; "again" 1 minute.
        for (id, rating) in [("easy", Rating.easy), ("good", .good), ("again", .again)] {
            let (card, record) = scheduler.review(SRSCard(id: id, due: at(hours: 0)), rating: rating, at: at(hours: 0))
            try database.saveReview(card: card, record: record)
        }
        XCTAssertEqual(try database.dueCards(at: at(hours: 0)), [])
        XCTAssertEqual(try database.dueCards(at: at(hours: 0.1)).map(\.id), ["again"])
        XCTAssertEqual(try database.dueCards(at: at(hours: 1)).map(\.id), ["again", "good"])
        XCTAssertEqual(try database.dueCount(at: at(hours: 24 * 8)), 3)
        XCTAssertEqual(try database.dueCount(at: at(hours: 24 * 8 - 0.01)), 2)
        XCTAssertEqual(try database.cards().map(\.id), ["again", "easy", "good"])
    }

    func testReviewsNeedTheirCard() throws {
        let database = try AppDatabase.inMemory()
        let (_, record) = try unfuzzedScheduler().review(SRSCard(id: "q", due: at(hours: 0)), rating: .good, at: at(hours: 0))
        XCTAssertThrowsError(try database.write { db in
            var orphan = record
            try orphan.insert(db)
        }) { error in
            guard case .invalidValue? = error as? ProgressStoreError else { return XCTFail("\(error)") }
        }
    }

    func testRejectsNonFiniteMemoryState() throws {
        let database = try AppDatabase.inMemory()
        var (card, record) = try unfuzzedScheduler().review(SRSCard(id: "q", due: at(hours: 0)), rating: .good, at: at(hours: 0))
        card.stability = .nan
        XCTAssertThrowsError(try database.saveReview(card: card, record: record))
        record.difficulty = .infinity
        XCTAssertThrowsError(try database.saveReview(card: card, record: record))
        XCTAssertEqual(try database.cards(), [])
    }
}
