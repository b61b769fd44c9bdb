import Foundation
import GRDB
import XCTest
@testable import Progress

/// Opening the database: set-up, durability, and the files it must refuse without touching them.
final class AppDatabaseOpeningTests: TemporaryDirectoryTestCase {
    func testCreatesDirectoriesAndMigrates() throws {
        let nested = path("a/b/c/progress.sqlite")
        let database = try AppDatabase(path: nested)
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested))
        XCTAssertEqual(try database.appliedMigrations(), ["v1", "v2-quiz", "v3-exercises", "v4-exercise-sandbox"])
        XCTAssertEqual(AppDatabase.knownMigrations, ["v1", "v2-quiz", "v3-exercises", "v4-exercise-sandbox"])
    }

    func testConnectionSettings() throws {
        let database = try AppDatabase(path: path())
        try database.dbWriter.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA busy_timeout"), 5000)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA synchronous"), 2, "FULL: commits are synced")
        }
    }

    func testReopenSeesEveryWrite() throws {
        do {
            let database = try AppDatabase(path: path())
            try database.markOpened("intro", at: at(hours: 0))
            try database.recordAttempt(attempt("q1", lesson: "intro", correct: true, at: at(hours: 1)))
            try database.saveLearner(Learner(name: "Ada", createdAt: at(hours: 0), desiredRetention: 0.85))
        }
        let reopened = try AppDatabase(path: path())
        XCTAssertEqual(try reopened.lessonProgress().map(\.lessonID), ["intro"])
        XCTAssertEqual(try reopened.attempts().map(\.questionID), ["q1"])
        XCTAssertEqual(try reopened.learner()?.desiredRetention, 0.85)
        XCTAssertEqual(try reopened.appliedMigrations(), AppDatabase.knownMigrations)
    }

    func testSecondConnectionSeesEveryCommittedRow() throws {
        let writer = try AppDatabase(path: path())
        let scheduler = try unfuzzedScheduler()
        for index in 0..<20 {
            let time = at(hours: Double(index))
            let (card, record) = scheduler.review(SRSCard(id: "q\(index)", due: time), rating: .good, at: time)
            try writer.recordAttempt(attempt("q\(index)", lesson: "l\(index % 3)", correct: index % 2 == 0, at: time),
                                     review: (card, record))
            try writer.markOpened("l\(index % 3)", at: time)
        }
        // Another connection (raw GRDB, read-only) sees every row while the writer stays open.
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path(), configuration: configuration)
        try reader.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quiz_attempt"), 20)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM srs_card"), 20)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM srs_review"), 20)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lesson_progress"), 3)
        }
        let second = try AppDatabase(path: path())
        XCTAssertEqual(try second.attempts().count, 20)
        XCTAssertEqual(try second.cards().count, 20)
    }

    func testGarbageFileIsRefusedAndLeftUntouched() throws {
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path()))
        assertStoreError(.notADatabase(path: path()), try AppDatabase(path: path()))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path())), garbage)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path() + "-wal"))
    }

    func testCorruptDatabaseIsRefusedAndLeftUntouched() throws {
        do {
            let database = try AppDatabase(path: path("real.sqlite"))
            try database.markOpened("intro", at: at(hours: 0))
        }
        // Keep SQLite's 100-byte header, overwrite the rest of the file with garbage.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path("real.sqlite")))
        XCTAssertGreaterThan(bytes.count, 100)
        for index in 100..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index &* 131) }
        try bytes.write(to: URL(fileURLWithPath: path()))
        assertStoreError(.notADatabase(path: path()), try AppDatabase(path: path()))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path())), bytes)
    }

    func testNewerSchemaIsRefusedWithTheFileName() throws {
        _ = try AppDatabase(path: path())
        do {
            let raw = try DatabaseQueue(path: path())
            try raw.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path()))
        XCTAssertThrowsError(try AppDatabase(path: path())) { error in
            XCTAssertEqual(error as? ProgressStoreError,
                           .newerSchema(path: path(), unknownMigrations: ["v9-future"]))
            XCTAssertTrue("\(error)".hasPrefix(path() + ": written by a newer version of interp"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path())), before)
    }

    func testForeignDatabaseIsRefusedAndLeftUntouched() throws {
        do {
            let raw = try DatabaseQueue(path: path())
            try raw.write { db in
                try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path()))
        assertStoreError(.foreignDatabase(path: path()), try AppDatabase(path: path()))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path())), before)
    }

    func testEmptyFileBecomesADatabase() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path(), contents: Data()))
        XCTAssertEqual(try AppDatabase(path: path()).appliedMigrations(), AppDatabase.knownMigrations)
    }

    func testDirectoryAndBlockedPathsAreRefused() throws {
        assertStoreError(.isDirectory(path: directory.path), try AppDatabase(path: directory.path))
        XCTAssertTrue(FileManager.default.createFile(atPath: path("plain-file"), contents: Data("x".utf8)))
        assertStoreError(.cannotCreateDirectory(path: path("plain-file"), reason: "a file of that name exists"),
                         try AppDatabase(path: path("plain-file/progress.sqlite")))
        XCTAssertThrowsError(try AppDatabase(path: path("plain-file/sub/progress.sqlite"))) { error in
            guard case .cannotCreateDirectory(let blocked, _)? = error as? ProgressStoreError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(blocked, path("plain-file/sub"))
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testWriteWhileAnotherConnectionHoldsTheLockFailsAsLocked() throws {
        let database = try AppDatabase(path: path(), busyTimeout: 0.2)
        let holder = try DatabaseQueue(path: path())
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "INSERT INTO lesson_progress VALUES ('held', 0, NULL, NULL, 0)")
                locked.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
        }
        locked.wait()
        let started = Date()
        XCTAssertThrowsError(try database.markOpened("intro", at: at(hours: 0))) { error in
            XCTAssertEqual(error as? ProgressStoreError, .locked(path: path()))
            XCTAssertTrue("\(error)".hasPrefix(path() + ": the database is locked"), "\(error)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.15, "waited for the busy timeout")
        release.signal()
        done.wait()
        try database.markOpened("intro", at: at(hours: 0))
        XCTAssertEqual(try database.lessonProgress().map(\.lessonID), ["held", "intro"])
    }

    func testOpenWhileAnotherConnectionHoldsTheLockFailsAsLocked() throws {
        let holder = try DatabaseQueue(path: path())
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                locked.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
        }
        locked.wait()
        assertStoreError(.locked(path: path()), try AppDatabase(path: path(), busyTimeout: 0.1))
        release.signal()
        done.wait()
        XCTAssertEqual(try AppDatabase(path: path()).appliedMigrations(), AppDatabase.knownMigrations)
    }

    func testEmptyPathIsRefused() {
        assertStoreError(.invalidValue(field: "database path", reason: "must not be empty"), try AppDatabase(path: ""))
    }

    func testInMemoryDatabaseIsMigrated() throws {
        XCTAssertEqual(try AppDatabase.inMemory().appliedMigrations(), AppDatabase.knownMigrations)
    }

    /// Connections opening one new file at once all migrate it: none fails on a table another
    /// one just created.
    func testConcurrentFirstOpensAllSucceed() throws {
        for round in 0..<10 {
            let file = path("race-\(round).sqlite")
            nonisolated(unsafe) var failures: [String] = []
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try AppDatabase(path: file) } catch { lock.withLock { failures.append("\(error)") } }
            }
            XCTAssertEqual(failures, [], "round \(round)")
            XCTAssertEqual(try AppDatabase(path: file).appliedMigrations(), AppDatabase.knownMigrations)
        }
    }
}
