import Foundation
import XCTest
@testable import Progress

final class LearnerTests: XCTestCase {
    func testProfileIsAbsentUntilSavedThenUpdated() throws {
        let database = try AppDatabase.inMemory()
        XCTAssertNil(try database.learner())
        XCTAssertEqual(try database.learnerOrDefault(now: at(hours: 0)),
                       Learner(name: nil, createdAt: at(hours: 0), desiredRetention: 0.9))
        XCTAssertNil(try database.learner(), "the default is not stored")

        try database.saveLearner(Learner(name: "Ada", createdAt: at(hours: 0)))
        var learner = try XCTUnwrap(database.learner())
        learner.desiredRetention = 0.8
        learner.name = nil
        try database.saveLearner(learner)
        XCTAssertEqual(try database.learner(), Learner(name: nil, createdAt: at(hours: 0), desiredRetention: 0.8))
        let rows = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM learner") }
        XCTAssertEqual(rows, 1)
    }

    func testRejectsDesiredRetentionOutsideTheOpenUnitInterval() throws {
        let database = try AppDatabase.inMemory()
        for retention in [0, 1, 1.5, -0.2, Double.nan] {
            XCTAssertThrowsError(try database.saveLearner(Learner(createdAt: at(hours: 0), desiredRetention: retention))) { error in
                XCTAssertTrue("\(error)".hasPrefix("invalid desired retention: must be strictly between 0 and 1"), "\(error)")
            }
        }
        XCTAssertNil(try database.learner())
    }
}
