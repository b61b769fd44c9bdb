import Foundation
import GRDB

/// A free-text answer sketch and the learner's rating of it.
public struct Sketch: Hashable, Sendable {
    /// Row id once stored; nil before.
    public var id: Int64?
    public var questionID: String
    public var lessonID: String
    public var text: String
    /// The learner's self-rating; nil if they did not rate it.
    public var selfRating: Rating?
    public var createdAt: Date
    public var durationMs: Int

    public init(id: Int64? = nil, questionID: String, lessonID: String, text: String,
                selfRating: Rating?, createdAt: Date, durationMs: Int) {
        self.id = id
        self.questionID = questionID
        self.lessonID = lessonID
        self.text = text
        self.selfRating = selfRating
        self.createdAt = createdAt
        self.durationMs = durationMs
    }
}

// MARK: - Database

extension Sketch: Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "sketch"

    enum CodingKeys: String, CodingKey {
        case id
        case questionID = "question_id"
        case lessonID = "lesson_id"
        case text
        case selfRating = "self_rating"
        case createdAt = "created_at"
        case durationMs = "duration_ms"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let questionID = Column(CodingKeys.questionID)
        public static let lessonID = Column(CodingKeys.lessonID)
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AppDatabase {
    /// Stores a sketch with its rating and, when given, the review it caused, in one
    /// transaction; returns the sketch with its id.
    @discardableResult
    public func recordSketch(_ sketch: Sketch,
                             review: (card: SRSCard, record: ReviewRecord)? = nil) throws -> Sketch {
        try validate(questionID: sketch.questionID, lessonID: sketch.lessonID, durationMs: sketch.durationMs)
        try review.map { try Self.validateReview(card: $0.card, record: $0.record) }
        try Self.validateDates([("sketch time", sketch.createdAt)])
        return try write { db in
            var stored = sketch
            try stored.insert(db)
            if let review { try Self.saveReview(card: review.card, record: review.record, in: db) }
            return stored
        }
    }

    /// Every sketch, oldest first.
    public func sketches() throws -> [Sketch] {
        try read { db in try Sketch.order(Sketch.Columns.createdAt, Sketch.Columns.id).fetchAll(db) }
    }

    /// The sketches written for one question, oldest first.
    public func sketches(questionID: String) throws -> [Sketch] {
        try read { db in
            try Sketch.filter(Sketch.Columns.questionID == questionID)
                .order(Sketch.Columns.createdAt, Sketch.Columns.id).fetchAll(db)
        }
    }

    /// The sketches written for one lesson's questions, oldest first.
    public func sketches(lessonID: String) throws -> [Sketch] {
        try read { db in
            try Sketch.filter(Sketch.Columns.lessonID == lessonID)
                .order(Sketch.Columns.createdAt, Sketch.Columns.id).fetchAll(db)
        }
    }
}
