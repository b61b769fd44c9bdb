import Foundation

/// One review of a card and the card's state right after it.
public struct ReviewRecord: Hashable, Sendable {
    /// Row id once stored; nil before.
    public var id: Int64?
    public var cardID: String
    public var rating: Rating
    public var reviewedAt: Date
    /// State after the review.
    public var state: CardState
    public var step: Int?
    public var stability: Double
    public var difficulty: Double
    /// When the card is next due.
    public var due: Date
    /// Whole days since the previous review; nil for a card's first review.
    public var elapsedDays: Int?
    /// Whole days from this review to `due` (0 for a learning step of minutes).
    public var scheduledDays: Int

    public init(id: Int64? = nil, cardID: String, rating: Rating, reviewedAt: Date, state: CardState,
                step: Int?, stability: Double, difficulty: Double, due: Date, elapsedDays: Int?,
                scheduledDays: Int) {
        self.id = id
        self.cardID = cardID
        self.rating = rating
        self.reviewedAt = reviewedAt
        self.state = state
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.elapsedDays = elapsedDays
        self.scheduledDays = scheduledDays
    }
}
