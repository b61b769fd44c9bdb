import Foundation
import GRDB

/// A new progress file is built complete (WAL mode, every migration) beside its path and linked
/// into place only if nothing is there yet (`link(2)` refuses an existing name). Processes that
/// start together on a new file thus never meet it half-migrated, where GRDB's migrator (which
/// reads the pending migrations before it takes the write lock) would fail on a table another
/// process has just created.
extension AppDatabase {
    static func createMigrated(at path: String, configuration: Configuration) throws(ProgressStoreError) {
        let temporary = path + ".new-" + UUID().uuidString
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) } }
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration)
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try migrator.migrate(queue)
            try queue.close()  // checkpoints the WAL into the file
        } catch {
            throw ProgressStoreError.wrapping(error, path: path)
        }
        // EEXIST: another process linked its file first, which is as good. A file system
        // without hard links: the file is created and migrated in place, as before.
        _ = link(temporary, path)
    }

    /// Applies the pending migrations of an existing file. Two processes upgrading one file at
    /// once both find a migration pending; the second one's, run once the first has committed
    /// it, fails on a table that now exists: the pending list is then read again, at most once
    /// per migration.
    static func migrate(_ queue: DatabaseQueue) throws {
        var retries = migrator.migrations.count
        while true {
            do { return try migrator.migrate(queue) } catch let error as DatabaseError
                where retries > 0 && error.resultCode == .SQLITE_ERROR && (error.message ?? "").contains("already exists") {
                retries -= 1
            }
        }
    }
}
