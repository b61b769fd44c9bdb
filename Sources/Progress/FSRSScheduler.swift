import Foundation

/// The FSRS-6 spaced-repetition scheduler, matching py-fsrs 6.x: a card is learned through short
/// learning steps, then scheduled in whole days from its stability and the desired retention; a
/// lapse sends it through the relearning steps. Pure: time comes in as arguments.
public struct FSRSScheduler: Sendable {
    /// The weights w0…w20.
    public let parameters: [Double]
    /// Probability of recall at which a review card falls due (0.9 by default).
    public let desiredRetention: Double
    /// Waits between learning steps, in seconds (1 min and 10 min by default).
    public let learningSteps: [TimeInterval]
    /// Waits between relearning steps, in seconds (10 min by default).
    public let relearningSteps: [TimeInterval]
    /// The longest review interval, in days.
    public let maximumInterval: Int
    /// Whether review intervals of 3 days or more get a little random spread.
    public let enableFuzz: Bool
    /// Seed of the fuzz: the same seed, card and review time always give the same interval.
    public let fuzzSeed: UInt64

    let model: FSRSMemoryModel

    /// Validates the configuration; throws a one-line `FSRSConfigurationError`.
    public init(parameters: [Double] = FSRSParameters.defaults, desiredRetention: Double = 0.9,
                learningSteps: [TimeInterval] = [60, 600], relearningSteps: [TimeInterval] = [600],
                maximumInterval: Int = 36_500, enableFuzz: Bool = true,
                fuzzSeed: UInt64 = 0) throws(FSRSConfigurationError) {
        if let problem = FSRSParameters.validate(parameters) { throw problem }
        guard desiredRetention > 0, desiredRetention < 1 else {
            throw .desiredRetention(desiredRetention)
        }
        guard maximumInterval >= 1 else { throw .maximumInterval(maximumInterval) }
        for step in learningSteps where !(step.isFinite && step > 0) {
            throw .step(kind: "learning", value: step)
        }
        for step in relearningSteps where !(step.isFinite && step > 0) {
            throw .step(kind: "relearning", value: step)
        }
        self.parameters = parameters
        self.desiredRetention = desiredRetention
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
        self.maximumInterval = maximumInterval
        self.enableFuzz = enableFuzz
        self.fuzzSeed = fuzzSeed
        self.model = FSRSMemoryModel(weights: parameters)
    }

    /// Probability that `card` is recalled at `date`: 0 for a card never reviewed. Elapsed time
    /// counts in whole days, as in py-fsrs.
    public func retrievability(of card: SRSCard, at date: Date) -> Double {
        guard let lastReview = card.lastReview, let stability = card.stability else { return 0 }
        let elapsed = max(0, wholeDays(from: lastReview, to: date))
        return model.retrievability(elapsedDays: Double(elapsed), stability: stability)
    }

    /// The review interval in whole days for a memory of this stability: the time for
    /// retrievability to fall to the desired retention, rounded half-to-even, within
    /// [1, maximumInterval]. No fuzz.
    public func intervalDays(stability: Double) -> Int {
        let days = stability / model.factor * (pow(desiredRetention, 1 / model.decay) - 1)
        guard !days.isNaN else { return 1 }
        let rounded = days.rounded(.toNearestOrEven)
        return Int(min(max(rounded, 1), Double(maximumInterval)))
    }

    /// Reviews `card` with `rating` at `date`: the updated card and the record of the review.
    public func review(_ card: SRSCard, rating: Rating, at date: Date) -> (SRSCard, ReviewRecord) {
        var next = card
        let elapsed = card.lastReview.map { wholeDays(from: $0, to: date) }
        updateMemory(of: &next, rating: rating, at: date, elapsedDays: elapsed)

        let wait: TimeInterval
        switch card.state {
        case .learning:
            wait = advanceSteps(of: &next, rating: rating, steps: learningSteps)
        case .relearning:
            wait = advanceSteps(of: &next, rating: rating, steps: relearningSteps)
        case .review:
            if rating == .again {
                next.lapses += 1
            }
            if rating == .again, !relearningSteps.isEmpty {
                next.state = .relearning
                next.step = 0
                wait = relearningSteps[0]
            } else {
                next.step = nil
                wait = reviewWait(stability: next.stability)
            }
        }

        var finalWait = wait
        if enableFuzz, next.state == .review {
            let days = fuzzedDays(Int(wait / secondsPerDay),
                                  unit: fuzzUnit(cardID: card.id, reviewedAt: date))
            finalWait = Double(days) * secondsPerDay
        }
        next.due = date.addingTimeInterval(finalWait)
        next.lastReview = date
        next.reps += 1

        let record = ReviewRecord(
            cardID: card.id, rating: rating, reviewedAt: date, state: next.state, step: next.step,
            stability: next.stability ?? FSRSParameters.minimumStability,
            difficulty: next.difficulty ?? 1, due: next.due, elapsedDays: elapsed,
            scheduledDays: wholeDays(from: date, to: next.due))
        return (next, record)
    }

    /// Updates stability and difficulty. A card without a memory state starts one from the rating;
    /// a review within a day of the previous one uses the short-term formula; otherwise the
    /// long-term one with the card's retrievability. In the review state difficulty always moves.
    private func updateMemory(of card: inout SRSCard, rating: Rating, at date: Date,
                              elapsedDays: Int?) {
        guard let stability = card.stability, let difficulty = card.difficulty else {
            card.stability = model.initialStability(rating)
            card.difficulty = model.initialDifficulty(rating)
            return
        }
        if let elapsedDays, elapsedDays < 1 {
            card.stability = model.shortTermStability(stability, rating: rating)
        } else {
            card.stability = model.longTermStability(
                stability, difficulty: difficulty,
                retrievability: retrievability(of: card, at: date), rating: rating)
        }
        card.difficulty = model.nextDifficulty(difficulty, rating: rating)
    }

    /// Moves a learning or relearning card through `steps`; returns the wait until it is due.
    /// Again restarts the steps, Hard repeats the step (the first one waits between the first two
    /// steps, or 1.5 × a single step), Good goes to the next step or graduates, Easy graduates.
    private func advanceSteps(of card: inout SRSCard, rating: Rating,
                              steps: [TimeInterval]) -> TimeInterval {
        let step = max(0, card.step ?? 0)
        if steps.isEmpty || (step >= steps.count && rating != .again) {
            return graduate(&card)
        }
        switch rating {
        case .again:
            card.step = 0
            return steps[0]
        case .hard:
            card.step = step
            if step == 0 {
                return steps.count == 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2
            }
            return steps[step]
        case .good:
            if step + 1 == steps.count {
                return graduate(&card)
            }
            card.step = step + 1
            return steps[step + 1]
        case .easy:
            return graduate(&card)
        }
    }

    private func graduate(_ card: inout SRSCard) -> TimeInterval {
        card.state = .review
        card.step = nil
        return reviewWait(stability: card.stability)
    }

    private func reviewWait(stability: Double?) -> TimeInterval {
        Double(intervalDays(stability: stability ?? FSRSParameters.minimumStability)) * secondsPerDay
    }
}
