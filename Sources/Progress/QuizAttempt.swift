import Foundation
import GRDB

/// One answer to a quiz question.
public struct QuizAttempt: Hashable, Sendable {
    /// Row id once stored; nil before.
    public var id: Int64?
    public var questionID: String
    public var lessonID: String
    /// The question type, as the course names it (for example "single", "numeric", "sketch").
    public var kind: String
    /// What the learner answered, as text.
    public var response: String
    /// Whether the answer was right; nil for answers that are not graded (sketches).
    public var correct: Bool?
    /// The rating given to the review card.
    public var rating: Rating
    public var durationMs: Int
    public var answeredAt: Date
    /// Groups the answers of one quiz run.
    public var sessionID: String?

    public init(id: Int64? = nil, questionID: String, lessonID: String, kind: String, response: String,
                correct: Bool?, rating: Rating, durationMs: Int, answeredAt: Date, sessionID: String? = nil) {
        self.id = id
        self.questionID = questionID
        self.lessonID = lessonID
        self.kind = kind
        self.response = response
        self.correct = correct
        self.rating = rating
        self.durationMs = durationMs
        self.answeredAt = answeredAt
        self.sessionID = sessionID
    }
}

// MARK: - Database

extension QuizAttempt: Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "quiz_attempt"

    enum CodingKeys: String, CodingKey {
        case id
        case questionID = "question_id"
        case lessonID = "lesson_id"
        case kind, response, correct, rating
        case durationMs = "duration_ms"
        case answeredAt = "answered_at"
        case sessionID = "session_id"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let questionID = Column(CodingKeys.questionID)
        public static let lessonID = Column(CodingKeys.lessonID)
        public static let correct = Column(CodingKeys.correct)
        public static let answeredAt = Column(CodingKeys.answeredAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AppDatabase {
    /// Stores an answer and, when given, the review it caused, in one transaction; returns the
    /// answer with its id.
    @discardableResult
    public func recordAttempt(_ attempt: QuizAttempt,
                              review: (card: SRSCard, record: ReviewRecord)? = nil) throws -> QuizAttempt {
        try validate(questionID: attempt.questionID, lessonID: attempt.lessonID,
                     durationMs: attempt.durationMs)
        try review.map { try Self.validateReview(card: $0.card, record: $0.record) }
        try Self.validateDates([("answer time", attempt.answeredAt)])
        return try write { db in
            var stored = attempt
            try stored.insert(db)
            if let review { try Self.saveReview(card: review.card, record: review.record, in: db) }
            return stored
        }
    }

    /// Every answer, oldest first.
    public func attempts() throws -> [QuizAttempt] {
        try read { db in try QuizAttempt.order(QuizAttempt.Columns.answeredAt, QuizAttempt.Columns.id).fetchAll(db) }
    }

    /// The answers to one question, oldest first.
    public func attempts(questionID: String) throws -> [QuizAttempt] {
        try read { db in
            try QuizAttempt.filter(QuizAttempt.Columns.questionID == questionID)
                .order(QuizAttempt.Columns.answeredAt, QuizAttempt.Columns.id).fetchAll(db)
        }
    }

    /// The answers to one lesson's questions, oldest first.
    public func attempts(lessonID: String) throws -> [QuizAttempt] {
        try read { db in
            try QuizAttempt.filter(QuizAttempt.Columns.lessonID == lessonID)
                .order(QuizAttempt.Columns.answeredAt, QuizAttempt.Columns.id).fetchAll(db)
        }
    }

    func validate(questionID: String, lessonID: String, durationMs: Int) throws {
        if questionID.isEmpty {
            throw ProgressStoreError.invalidValue(field: "question id", reason: "must not be empty")
        }
        if lessonID.isEmpty {
            throw ProgressStoreError.invalidValue(field: "lesson id", reason: "must not be empty")
        }
        if durationMs < 0 {
            throw ProgressStoreError.invalidValue(field: "duration", reason: "must be 0 ms or more, got \(durationMs)")
        }
    }
}
