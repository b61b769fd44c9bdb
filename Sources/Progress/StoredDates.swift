import Foundation
import GRDB

/// The supported range of times (the years 1970–9999, see `ISO8601Timestamp`) at the store's two
/// edges: every time written is checked before the transaction starts, and a database that already
/// holds a time outside the range (written by an older interp, or by hand) is refused when it is
/// opened, naming the table, instead of failing on some later read.
extension AppDatabase {
    /// Throws `dateOutOfRange` for the first of `dates` outside the supported years.
    static func validateDates(_ dates: [(field: String, date: Date?)]) throws(ProgressStoreError) {
        for (field, date) in dates {
            if let date, !ISO8601Timestamp.isSupported(date) { throw .dateOutOfRange(field: field, date: date) }
        }
    }

    /// The dates of a review: the review time, the card's due and last review, the record's due.
    static func validateDates(card: SRSCard, record: ReviewRecord) throws(ProgressStoreError) {
        try validateDates([("review time", record.reviewedAt), ("due date", card.due),
                           ("last review", card.lastReview), ("due date", record.due)])
    }

    /// Refuses a database with a time column holding anything but a time GRDB reads, in range:
    /// text `YYYY-MM-DD[ HH:MM[:SS[.SSS]]]` from 1970 through 9999 or Unix seconds in that range.
    /// Reads only; one scan per time column (the progress tables are small).
    static func checkStoredDates(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        let end = ISO8601Timestamp.end.timeIntervalSince1970
        for table in tables {
            let columns = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table])
                .compactMap { row -> String? in
                    let type: String = (try? row.decode(String.self, forColumn: "type")) ?? ""
                    return type.uppercased() == "DATETIME" ? try? row.decode(String.self, forColumn: "name") : nil
                }
            for column in columns {
                let quoted = "\"\(column.replacingOccurrences(of: "\"", with: "\"\""))\""
                let sql = """
                    SELECT CAST(\(quoted) AS TEXT) FROM "\(table.replacingOccurrences(of: "\"", with: "\"\""))"
                    WHERE \(quoted) IS NOT NULL AND NOT (
                        (typeof(\(quoted)) = 'text' AND length(\(quoted)) <= 26
                         AND \(quoted) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
                         AND \(quoted) >= '1970-01-01' AND julianday(\(quoted)) IS NOT NULL)
                        OR (typeof(\(quoted)) IN ('integer', 'real') AND \(quoted) >= 0 AND \(quoted) < \(end)))
                    LIMIT 1
                    """
                if let bad = try String.fetchOne(db, sql: sql) {
                    throw ProgressStoreError.storedDateOutOfRange(path: path, table: table, column: column, value: bad)
                }
            }
        }
    }
}
