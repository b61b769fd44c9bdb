import Foundation
import GRDB

/// The learner's progress database: one SQLite file in WAL mode with foreign keys on and a busy
/// timeout, migrated on open (a new file is created complete, see `DatabaseCreation.swift`).
/// Opening never overwrites or recreates a file: a file that is not a
/// database, a foreign database, one written by a newer interp, or a locked one is reported as a
/// `ProgressStoreError` naming the file, and so is one that holds a time outside the years 1970–9999
/// (`StoredDates.swift`). Every write is one transaction, synced to disk on commit
/// (`synchronous = FULL`, SQLite's default), so a killed process keeps every committed row.
public struct AppDatabase: Sendable {
    /// The database file, as given (":memory:" for an in-memory database).
    public let path: String
    let dbWriter: DatabaseQueue

    /// Opens (creating when missing, with its directory) the database at `path` and migrates it.
    /// `busyTimeout` is how long to wait for another process's lock, in seconds.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        guard !path.isEmpty else {
            throw ProgressStoreError.invalidValue(field: "database path", reason: "must not be empty")
        }
        try Self.checkFile(at: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "interp.progress"
        if !FileManager.default.fileExists(atPath: path) { try Self.createMigrated(at: path, configuration: configuration) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.checkSchema(queue, path: path)
            try queue.read { db in try Self.checkStoredDates(db, path: path) }
            try queue.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw ProgressStoreError.unwritable(path: path, reason: "cannot switch to WAL mode")
                }
            }
            try Self.migrate(queue)
            self.init(path: path, queue: queue)
        } catch {
            throw ProgressStoreError.wrapping(error, path: path)
        }
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.dbWriter = queue
    }

    /// An empty, migrated database in memory, for tests and dry runs.
    public static func inMemory() throws -> AppDatabase {
        do {
            let queue = try DatabaseQueue(configuration: Configuration())
            try migrator.migrate(queue)
            return AppDatabase(path: ":memory:", queue: queue)
        } catch {
            throw ProgressStoreError.wrapping(error, path: ":memory:")
        }
    }

    /// The migrations applied to this database, in the order this version knows them.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: - Access

    /// Runs `body` in a read transaction; errors become `ProgressStoreError`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try dbWriter.read(body)
        } catch {
            throw ProgressStoreError.wrapping(error, path: path)
        }
    }

    /// Runs `body` in one immediate write transaction, committed when it returns and rolled back
    /// when it throws; errors become `ProgressStoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try dbWriter.write(body)
        } catch {
            throw ProgressStoreError.wrapping(error, path: path)
        }
    }

    // MARK: - Opening checks

    /// Refuses a directory, a FIFO or a device, and any non-empty file that does not start with SQLite's header,
    /// before SQLite touches it; creates the parent directory of a new file.
    private static func checkFile(at path: String) throws(ProgressStoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            try DatabaseLocation.createParentDirectory(of: path)
            return
        }
        if isDirectory.boolValue { throw .isDirectory(path: path) }
        // Opening a FIFO for reading would block; a device would be read or written through.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            let kinds: [mode_t: String] = [S_IFIFO: "a FIFO", S_IFCHR: "a character device", S_IFBLK: "a block device",
                                           S_IFSOCK: "a socket"]
            throw .notARegularFile(path: path, kind: kinds[info.st_mode & S_IFMT] ?? "not a regular file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unwritable(path: path, reason: "cannot read the file")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
            throw .notADatabase(path: path)
        }
    }

    /// Refuses a database with migrations this version does not know, or one with tables but no
    /// migration history (another program's database). Reads only.
    private static func checkSchema(_ queue: DatabaseQueue, path: String) throws {
        try queue.read { db in
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(migrator.migrations)
            if !unknown.isEmpty {
                throw ProgressStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
            }
            if applied.isEmpty {
                let tables = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM sqlite_master
                    WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """) ?? 0  // an empty migration table: another process is migrating the new file
                if tables > 0 { throw ProgressStoreError.foreignDatabase(path: path) }
            }
        }
    }
}
