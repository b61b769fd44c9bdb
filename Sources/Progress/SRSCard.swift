import Foundation

/// Where a card is in the FSRS state machine.
public enum CardState: String, CaseIterable, Codable, Hashable, Sendable {
    /// New or not yet through the learning steps.
    case learning
    /// Scheduled in whole days.
    case review
    /// Forgotten in review, going through the relearning steps.
    case relearning
}

/// The memory state of one spaced-repetition card; the card id is the question id.
public struct SRSCard: Hashable, Sendable {
    /// The question id this card schedules.
    public var id: String
    public var state: CardState
    /// The current (re)learning step, or nil in the review state.
    public var step: Int?
    /// Days for retrievability to fall to 90 %; nil until the first review.
    public var stability: Double?
    /// 1 (easy) … 10 (hard); nil until the first review.
    public var difficulty: Double?
    public var due: Date
    public var lastReview: Date?
    /// Number of reviews so far.
    public var reps: Int
    /// Number of times the card was forgotten in the review state.
    public var lapses: Int

    /// A new card: learning, step 0, no memory state yet, due at `due`.
    public init(id: String, due: Date) {
        self.init(id: id, state: .learning, step: 0, stability: nil, difficulty: nil,
                  due: due, lastReview: nil, reps: 0, lapses: 0)
    }

    /// A card with every field given (for example one loaded from elsewhere).
    public init(id: String, state: CardState, step: Int?, stability: Double?, difficulty: Double?,
                due: Date, lastReview: Date?, reps: Int, lapses: Int) {
        self.id = id
        self.state = state
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.lastReview = lastReview
        self.reps = reps
        self.lapses = lapses
    }
}
