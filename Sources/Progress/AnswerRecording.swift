import Foundation
import GRDB

/// The quiz answer path: an answer and the review it causes, stored as one unit.
extension AppDatabase {
    /// A quiz answer as stored, with its id, and the review it caused.
    public struct RecordedReview: Hashable, Sendable {
        /// The card after the review.
        public var card: SRSCard
        /// The review, with its id.
        public var record: ReviewRecord
    }

    /// Stores an answer and reviews its question's card with the answer's rating at the answer's
    /// time. The card is read (a new card, due now, when the question was never reviewed), reviewed
    /// with `scheduler` and saved, with the answer and the review record, in one write
    /// transaction: answers from concurrent runs are serialized, so none of their reviews is lost
    /// and a card's `reps` always equals its number of reviews. Nothing is written when it throws.
    @discardableResult
    public func recordAnswer(_ attempt: QuizAttempt, scheduler: FSRSScheduler) throws -> (attempt: QuizAttempt, review: RecordedReview) {
        try validate(questionID: attempt.questionID, lessonID: attempt.lessonID, durationMs: attempt.durationMs)
        try Self.validateDates([("answer time", attempt.answeredAt)])
        return try write { db in
            var stored = attempt
            try stored.insert(db)
            let review = try Self.review(cardID: attempt.questionID, rating: attempt.rating, at: attempt.answeredAt,
                                         scheduler: scheduler, in: db)
            return (stored, review)
        }
    }

    /// Stores a sketch and, when the learner rated it, reviews its question's card with that rating
    /// at the sketch's time: read, review and writes in one transaction, as `recordAnswer`.
    @discardableResult
    public func recordSketch(_ sketch: Sketch, scheduler: FSRSScheduler) throws -> (sketch: Sketch, review: RecordedReview?) {
        try validate(questionID: sketch.questionID, lessonID: sketch.lessonID, durationMs: sketch.durationMs)
        try Self.validateDates([("sketch time", sketch.createdAt)])
        return try write { db in
            var stored = sketch
            try stored.insert(db)
            let review = try sketch.selfRating.map {
                try Self.review(cardID: sketch.questionID, rating: $0, at: sketch.createdAt, scheduler: scheduler, in: db)
            }
            return (stored, review)
        }
    }

    /// Reviews the card `cardID` inside the caller's write transaction and saves card and record.
    private static func review(cardID: String, rating: Rating, at date: Date, scheduler: FSRSScheduler,
                               in db: Database) throws -> RecordedReview {
        let card = try SRSCard.fetchOne(db, key: cardID) ?? SRSCard(id: cardID, due: date)
        let (next, record) = scheduler.review(card, rating: rating, at: date)
        try validateReview(card: next, record: record)
        let stored = try saveReview(card: next, record: record, in: db)
        return RecordedReview(card: next, record: stored)
    }
}
