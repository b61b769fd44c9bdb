import Foundation

/// The FSRS-6 memory formulas: how stability and difficulty start and change, and the forgetting
/// curve. Pure functions of the weights w0…w20; the state machine lives in `FSRSScheduler`.
struct FSRSMemoryModel: Sendable {
    let w: [Double]
    /// Exponent of the power forgetting curve: −w20.
    let decay: Double
    /// Chosen so that retrievability is exactly 0.9 when elapsed time equals stability.
    let factor: Double

    init(weights: [Double]) {
        w = weights
        decay = -weights[20]
        factor = pow(0.9, 1 / decay) - 1
    }

    /// Probability of recall after `elapsedDays` for a memory of the given stability.
    func retrievability(elapsedDays: Double, stability: Double) -> Double {
        pow(1 + factor * elapsedDays / stability, decay)
    }

    /// Stability after the very first review: w0…w3 by rating.
    func initialStability(_ rating: Rating) -> Double {
        max(w[rating.rawValue - 1], FSRSParameters.minimumStability)
    }

    /// Difficulty after the very first review: w4 − e^(w5·(G−1)) + 1, clamped to [1, 10] unless
    /// used as the mean-reversion target.
    func initialDifficulty(_ rating: Rating, clamped: Bool = true) -> Double {
        let value = w[4] - exp(w[5] * Double(rating.rawValue - 1)) + 1
        return clamped ? clampDifficulty(value) : value
    }

    /// Difficulty after a review: a step of −w6·(G−3), damped linearly as it nears 10, then
    /// pulled towards the initial difficulty of Easy by the weight w7.
    func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
        let delta = -w[6] * Double(rating.rawValue - 3)
        let damped = difficulty + (10 - difficulty) * delta / 9
        let reverted = w[7] * initialDifficulty(.easy, clamped: false) + (1 - w[7]) * damped
        return clampDifficulty(reverted)
    }

    /// Stability after a review on the same day as the previous one (w17, w18, w19). A
    /// successful review never lowers it.
    func shortTermStability(_ stability: Double, rating: Rating) -> Double {
        var increase = exp(w[17] * (Double(rating.rawValue) - 3 + w[18])) * pow(stability, -w[19])
        if rating != .again {
            increase = max(increase, 1)
        }
        return clampStability(stability * increase)
    }

    /// Stability after a review at least a day after the previous one.
    func longTermStability(_ stability: Double, difficulty: Double, retrievability: Double,
                           rating: Rating) -> Double {
        let next = rating == .again
            ? forgetStability(stability, difficulty: difficulty, retrievability: retrievability)
            : recallStability(stability, difficulty: difficulty, retrievability: retrievability,
                              rating: rating)
        return clampStability(next)
    }

    /// Stability after a successful recall: grows more for easier, less stable, less retrievable
    /// memories; w15 penalises Hard and w16 rewards Easy.
    private func recallStability(_ stability: Double, difficulty: Double, retrievability: Double,
                                 rating: Rating) -> Double {
        let hardPenalty = rating == .hard ? w[15] : 1
        let easyBonus = rating == .easy ? w[16] : 1
        let growth = exp(w[8]) * (11 - difficulty) * pow(stability, -w[9])
            * (exp((1 - retrievability) * w[10]) - 1) * hardPenalty * easyBonus
        return stability * (1 + growth)
    }

    /// Stability after a lapse, never above what a same-day Again would leave.
    private func forgetStability(_ stability: Double, difficulty: Double,
                                 retrievability: Double) -> Double {
        let longTerm = w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1)
            * exp((1 - retrievability) * w[14])
        let shortTermCap = stability / exp(w[17] * w[18])
        return min(longTerm, shortTermCap)
    }

    private func clampDifficulty(_ value: Double) -> Double {
        min(max(value, 1), 10)
    }

    private func clampStability(_ value: Double) -> Double {
        max(value, FSRSParameters.minimumStability)
    }
}
