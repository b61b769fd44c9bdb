import Foundation
import GRDB
import XCTest
@testable import Progress

/// Times outside the years 1970–9999: never written, and refused with the table's name when a
/// database already holds one.
final class StoredDateRangeTests: TemporaryDirectoryTestCase {
    private let farFuture = Date(timeIntervalSince1970: 3_093_527_980_800)  // 99999-01-01T00:00:00Z

    /// Writes `sql` with a raw connection, as another program (or an old interp) could have.
    private func rawWrite(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path())
        try queue.write { db in try db.execute(sql: sql) }
    }

    func testEveryWriteRefusesATimeOutsideTheRangeAndWritesNothing() throws {
        let database = try AppDatabase(path: path())
        let scheduler = try unfuzzedScheduler()
        let writes: [(String, () throws -> Void)] = [
            ("markOpened", { try database.markOpened("intro", at: self.farFuture) }),
            ("markCompleted", { try database.markCompleted("intro", at: self.farFuture) }),
            ("setLastSection", { try database.setLastSection(1, of: "intro", at: self.farFuture) }),
            ("recordAttempt", { try database.recordAttempt(attempt("q1", lesson: "l", correct: true, at: self.farFuture)) }),
            ("recordAnswer", { try database.recordAnswer(attempt("q1", lesson: "l", correct: true, at: self.farFuture), scheduler: scheduler) }),
            ("recordExerciseAttempt", { try database.recordExerciseAttempt(ExerciseAttempt(
                exerciseID: "e", kind: "code", response: "r", passed: true, score: 1, attemptedAt: self.farFuture, durationMs: 1)) }),
            ("recordHint", { try database.recordHint(exerciseID: "e", index: 0, at: self.farFuture) }),
            ("touchExercise", { try database.touchExercise("e", at: self.farFuture) }),
            ("saveLearner", { try database.saveLearner(Learner(createdAt: Date(timeIntervalSince1970: -86_400))) }),
        ]
        for (name, write) in writes {
            XCTAssertThrowsError(try write(), name) { error in
                guard case .dateOutOfRange = error as? ProgressStoreError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue("\(error)".contains("outside the supported years 1970–9999"), "\(error)")
            }
        }
        try database.dbWriter.read { db in
            for table in ["lesson_progress", "quiz_attempt", "srs_card", "srs_review", "exercise_attempt",
                          "exercise_hint", "exercise_activity", "learner"] {
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)"), 0, table)
            }
        }
    }

    func testADueDateComputedPastTheRangeIsRefusedInsideTheTransaction() throws {
        let database = try AppDatabase(path: path())
        let scheduler = try unfuzzedScheduler()
        let late = try XCTUnwrap(ISO8601Timestamp.parse("9999-12-31T00:00:00Z"))
        // Good twice: the first is due in 10 minutes, the second, out of the learning steps, in days.
        try database.recordAnswer(attempt("q1", lesson: "l", correct: true, at: late, rating: .good), scheduler: scheduler)
        XCTAssertThrowsError(try database.recordAnswer(
            attempt("q1", lesson: "l", correct: true, at: late.addingTimeInterval(60)), scheduler: scheduler)) { error in
            guard case .dateOutOfRange(let field, _) = error as? ProgressStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "due date")
        }
        XCTAssertEqual(try database.attempts().count, 1, "the refused answer's attempt was rolled back")
        XCTAssertEqual(try database.reviews(cardID: "q1").count, 1)
        XCTAssertEqual(try database.card(id: "q1")?.reps, 1)
    }

    func testADatabaseHoldingAFarDateOpensWithAnErrorNamingTheTable() throws {
        let cases: [(table: String, insert: String)] = [
            ("lesson_progress", "INSERT INTO lesson_progress VALUES ('welcome', '99999-01-01 00:00:00.000', NULL, NULL, '2024-01-01 00:00:00.000')"),
            ("exercise_activity", "INSERT INTO exercise_activity VALUES ('e', '2024-01-01 00:00:00.000', '10000-01-01 00:00:00.000')"),
            ("srs_card", "INSERT INTO srs_card (card_id, state, due, reps, lapses) VALUES ('q', 'learning', '1969-12-31 23:59:59.000', 0, 0)"),
            ("quiz_attempt", "INSERT INTO quiz_attempt (question_id, lesson_id, kind, response, rating, duration_ms, answered_at) VALUES ('q', 'l', 'single', 'a', 3, 1, 'next tuesday')"),
            ("exercise_hint", "INSERT INTO exercise_hint VALUES ('e', 0, 1e15)"),
        ]
        for (table, insert) in cases {
            try? FileManager.default.removeItem(atPath: path())
            _ = try AppDatabase(path: path())
            try rawWrite(insert)
            let before = try Data(contentsOf: URL(fileURLWithPath: path()))
            XCTAssertThrowsError(try AppDatabase(path: path()), table) { error in
                guard case .storedDateOutOfRange(_, let named, _, _) = error as? ProgressStoreError else {
                    return XCTFail("\(table): \(error)")
                }
                XCTAssertEqual(named, table)
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("\(self.path()): table \(table) holds a time outside"), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path())), before, "\(table): the file is untouched")
        }
    }

    func testTimesInTheRangeAndEveryFormatGRDBWritesOpenFine() throws {
        let database = try AppDatabase(path: path())
        try database.markOpened("first", at: ISO8601Timestamp.earliest)
        try database.markOpened("last", at: ISO8601Timestamp.end.addingTimeInterval(-1))
        try rawWrite("INSERT INTO exercise_activity VALUES ('e', '2024-03-01', 1709280000)")
        let reopened = try AppDatabase(path: path())
        XCTAssertEqual(try reopened.lessonProgress().map(\.lessonID), ["first", "last"])
        XCTAssertEqual(try reopened.exerciseStatuses()["e"]?.lastActivityAt, Date(timeIntervalSince1970: 1_709_280_000))
    }
}
