import Foundation
import GRDB

// MARK: - Database

extension Rating: DatabaseValueConvertible {}
extension CardState: DatabaseValueConvertible {}

extension SRSCard: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "srs_card"

    public enum Columns {
        public static let id = Column("card_id")
        public static let due = Column("due")
    }

    public init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "card_id"),
                  state: try row.decode(forColumn: "state"),
                  step: try row.decode(forColumn: "step"),
                  stability: try row.decode(forColumn: "stability"),
                  difficulty: try row.decode(forColumn: "difficulty"),
                  due: try row.decode(forColumn: "due"),
                  lastReview: try row.decode(forColumn: "last_review"),
                  reps: try row.decode(forColumn: "reps"),
                  lapses: try row.decode(forColumn: "lapses"))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["card_id"] = id
        container["state"] = state
        container["step"] = step
        container["stability"] = stability
        container["difficulty"] = difficulty
        container["due"] = due
        container["last_review"] = lastReview
        container["reps"] = reps
        container["lapses"] = lapses
    }
}

extension ReviewRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "srs_review"

    public enum Columns {
        public static let id = Column("id")
        public static let cardID = Column("card_id")
        public static let reviewedAt = Column("reviewed_at")
    }

    public init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"),
                  cardID: try row.decode(forColumn: "card_id"),
                  rating: try row.decode(forColumn: "rating"),
                  reviewedAt: try row.decode(forColumn: "reviewed_at"),
                  state: try row.decode(forColumn: "state"),
                  step: try row.decode(forColumn: "step"),
                  stability: try row.decode(forColumn: "stability"),
                  difficulty: try row.decode(forColumn: "difficulty"),
                  due: try row.decode(forColumn: "due"),
                  elapsedDays: try row.decode(forColumn: "elapsed_days"),
                  scheduledDays: try row.decode(forColumn: "scheduled_days"))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["card_id"] = cardID
        container["rating"] = rating
        container["reviewed_at"] = reviewedAt
        container["state"] = state
        container["step"] = step
        container["stability"] = stability
        container["difficulty"] = difficulty
        container["due"] = due
        container["elapsed_days"] = elapsedDays
        container["scheduled_days"] = scheduledDays
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AppDatabase {
    /// The card for a question, or nil if it was never reviewed.
    public func card(id: String) throws -> SRSCard? {
        try read { db in try SRSCard.fetchOne(db, key: id) }
    }

    /// Every card, by id.
    public func cards() throws -> [SRSCard] {
        try read { db in try SRSCard.order(SRSCard.Columns.id).fetchAll(db) }
    }

    /// The cards due at or before `now`, most overdue first.
    public func dueCards(at now: Date = Date()) throws -> [SRSCard] {
        try read { db in
            try SRSCard.filter(SRSCard.Columns.due <= now)
                .order(SRSCard.Columns.due, SRSCard.Columns.id).fetchAll(db)
        }
    }

    /// How many cards are due at or before `now`.
    public func dueCount(at now: Date = Date()) throws -> Int {
        try read { db in try SRSCard.filter(SRSCard.Columns.due <= now).fetchCount(db) }
    }

    /// Saves a reviewed card and its review record in one transaction; returns the record with
    /// its id.
    @discardableResult
    public func saveReview(card: SRSCard, record: ReviewRecord) throws -> ReviewRecord {
        try Self.validateReview(card: card, record: record)
        return try write { db in try Self.saveReview(card: card, record: record, in: db) }
    }

    /// The reviews of one card, oldest first.
    public func reviews(cardID: String) throws -> [ReviewRecord] {
        try read { db in
            try ReviewRecord.filter(ReviewRecord.Columns.cardID == cardID)
                .order(ReviewRecord.Columns.reviewedAt, ReviewRecord.Columns.id).fetchAll(db)
        }
    }

    @discardableResult
    static func saveReview(card: SRSCard, record: ReviewRecord, in db: Database) throws -> ReviewRecord {
        try card.save(db)
        var stored = record
        try stored.insert(db)
        return stored
    }

    static func validateReview(card: SRSCard, record: ReviewRecord) throws {
        guard !card.id.isEmpty, card.id == record.cardID else {
            throw ProgressStoreError.invalidValue(
                field: "review", reason: "card id '\(card.id)' and review card id '\(record.cardID)' differ")
        }
        let numbers = [card.stability, card.difficulty, record.stability, record.difficulty].compactMap { $0 }
        guard numbers.allSatisfy(\.isFinite) else {
            throw ProgressStoreError.invalidValue(field: "review", reason: "stability and difficulty must be finite")
        }
        try Self.validateDates(card: card, record: record)
    }
}
