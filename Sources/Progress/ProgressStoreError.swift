import Foundation
import GRDB

/// Why the progress database could not be opened, read or written. Every description is one
/// line and names the database file (or the offending value).
public enum ProgressStoreError: Error, Equatable, CustomStringConvertible {
    /// The file has migrations this version of interp does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Another connection held the database longer than the busy timeout.
    case locked(path: String)
    /// The file is not an SQLite database, or it is corrupt.
    case notADatabase(path: String)
    /// The file is an SQLite database, but not one interp wrote.
    case foreignDatabase(path: String)
    /// The path names a directory.
    case isDirectory(path: String)
    /// The path names a FIFO, a device or a socket: SQLite would block on it or write through it.
    case notARegularFile(path: String, kind: String)
    /// The directory that should hold the database could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The file cannot be opened or written (permissions, read-only file system, full disk…).
    case unwritable(path: String, reason: String)
    /// A value passed to the store is out of range.
    case invalidValue(field: String, reason: String)
    /// A time to be stored lies outside the supported years (a due date computed past 9999, say).
    case dateOutOfRange(field: String, date: Date)
    /// The file already holds a time interp cannot read or outside the supported years.
    case storedDateOutOfRange(path: String, table: String, column: String, value: String)
    /// Any other SQLite failure.
    case sqlite(path: String, message: String)

    public var description: String {
        switch self {
        case .newerSchema(let path, let unknown):
            "\(path): written by a newer version of interp (unknown migrations: "
                + unknown.joined(separator: ", ") + "); update interp to open it"
        case .locked(let path):
            "\(path): the database is locked by another process; close other interp sessions and retry"
        case .notADatabase(let path):
            "\(path): not an SQLite database, or it is corrupt; the file was left untouched"
        case .foreignDatabase(let path):
            "\(path): an SQLite database that interp did not create; the file was left untouched"
        case .isDirectory(let path):
            "\(path): is a directory, not a database file"
        case .notARegularFile(let path, let kind):
            "\(path): is \(kind), not a database file"
        case .cannotCreateDirectory(let path, let reason):
            "\(path): cannot create the directory: \(oneLine(reason))"
        case .unwritable(let path, let reason):
            "\(path): cannot open the database for writing: \(oneLine(reason))"
        case .invalidValue(let field, let reason):
            "invalid \(field): \(oneLine(reason))"
        case .dateOutOfRange(let field, let date):
            "\(field) \(ISO8601Timestamp.string(from: date)) is outside the supported years "
                + "\(ISO8601Timestamp.supportedYears); nothing was saved"
        case .storedDateOutOfRange(let path, let table, let column, let value):
            "\(path): table \(table) holds a time outside the supported years \(ISO8601Timestamp.supportedYears) "
                + "or in no known format (\(column) = '\(oneLine(String(value.prefix(40))))'); the file was left untouched"
        case .sqlite(let path, let message):
            "\(path): database error: \(oneLine(message))"
        }
    }

    /// Maps any error thrown while using the database at `path` to a store error.
    static func wrapping(_ error: any Error, path: String) -> ProgressStoreError {
        if let error = error as? ProgressStoreError { return error }
        guard let error = error as? DatabaseError else {
            return .sqlite(path: path, message: String(describing: error))
        }
        let message = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notADatabase(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_AUTH:
            return .unwritable(path: path, reason: message)
        case .SQLITE_CONSTRAINT:
            return .invalidValue(field: "record", reason: message)
        default:
            return .sqlite(path: path, message: message)
        }
    }
}

private func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
}
