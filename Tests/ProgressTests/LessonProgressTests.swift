import Foundation
import XCTest
@testable import Progress

final class LessonProgressTests: XCTestCase {
    func testOpeningKeepsTheFirstOpenedTime() throws {
        let database = try AppDatabase.inMemory()
        try database.markOpened("attention", at: at(hours: 0))
        try database.markOpened("attention", at: at(hours: 5))
        let progress = try XCTUnwrap(database.lessonProgress("attention"))
        XCTAssertEqual(progress.firstOpenedAt, at(hours: 0))
        XCTAssertEqual(progress.updatedAt, at(hours: 5))
        XCTAssertNil(progress.completedAt)
        XCTAssertNil(progress.lastSection)
        XCTAssertFalse(progress.isCompleted)
    }

    func testSectionAndCompletion() throws {
        let database = try AppDatabase.inMemory()
        try database.setLastSection(3, of: "probes", at: at(hours: 1))
        try database.markCompleted("probes", at: at(hours: 2))
        try database.setLastSection(1, of: "probes", at: at(hours: 3))
        try database.markCompleted("probes", at: at(hours: 4))
        XCTAssertEqual(try database.lessonProgress("probes"),
                       LessonProgress(lessonID: "probes", firstOpenedAt: at(hours: 1), completedAt: at(hours: 2),
                                      lastSection: 1, updatedAt: at(hours: 4)))
        XCTAssertNil(try database.lessonProgress("never-opened"))
    }

    func testListIsSortedByLessonID() throws {
        let database = try AppDatabase.inMemory()
        for id in ["02-b", "00-welcome", "01-a"] { try database.markOpened(id, at: at(hours: 0)) }
        XCTAssertEqual(try database.lessonProgress().map(\.lessonID), ["00-welcome", "01-a", "02-b"])
    }

    func testResetOneOrAll() throws {
        let database = try AppDatabase.inMemory()
        for id in ["a", "b", "c"] { try database.markCompleted(id, at: at(hours: 0)) }
        try database.recordAttempt(attempt("q", lesson: "a", correct: true, at: at(hours: 1)))
        XCTAssertEqual(try database.resetLessonProgress("b"), 1)
        XCTAssertEqual(try database.resetLessonProgress("missing"), 0)
        XCTAssertEqual(try database.lessonProgress().map(\.lessonID), ["a", "c"])
        XCTAssertEqual(try database.resetLessonProgress(), 2)
        XCTAssertEqual(try database.lessonProgress(), [])
        XCTAssertEqual(try database.attempts().count, 1, "quiz answers survive a progress reset")
    }

    func testRejectsBadValues() throws {
        let database = try AppDatabase.inMemory()
        XCTAssertThrowsError(try database.setLastSection(-1, of: "a", at: at(hours: 0))) { error in
            XCTAssertEqual("\(error)", "invalid section: must be 0 or more, got -1")
        }
        XCTAssertThrowsError(try database.markOpened("", at: at(hours: 0))) { error in
            XCTAssertEqual("\(error)", "invalid lesson id: must not be empty")
        }
        XCTAssertEqual(try database.lessonProgress(), [])
    }
}
