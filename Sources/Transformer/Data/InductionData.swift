// Seeded data for induction: random word tokens with a repeated segment, and ARENA's [bos, r, r].
import Tensor

/// A batch of induction sequences with the positions an induction head can predict.
public struct InductionBatch: Sendable, Equatable {
    /// `batch` sequences of `1 + seqLen` ids, `<bos>` first.
    public var tokens: [[Int]]
    /// Same shape as `tokens`: true where the token is predictable from an earlier copy (the second
    /// and later tokens of the copied segment).
    public var repeatedMask: [[Bool]]

    public init(tokens: [[Int]], repeatedMask: [[Bool]]) {
        self.tokens = tokens
        self.repeatedMask = repeatedMask
    }
}

/// Generators of induction data (all draws come from the given `SeededRandom`).
public enum InductionData {
    /// Shortest and longest repeated segment.
    public static let segmentLengths = 3...16

    /// Sequences of `seqLen` tokens after `<bos>`: random word tokens (ids `2..<vocabSize`) with one
    /// segment (length 3–16, at most `seqLen / 2`) copied later in the same sequence.
    ///
    /// Sizes are clamped to sensible minimums (batch ≥ 1, seqLen ≥ 2, vocabSize ≥ 3) instead of trapping;
    /// a segment needs `seqLen ≥ 6`, shorter sequences are plain random tokens.
    public static func batch(batch: Int, seqLen: Int, vocabSize: Int, rng: inout SeededRandom) -> InductionBatch {
        let n = Swift.max(batch, 1), len = Swift.max(seqLen, 2), vocab = Swift.max(vocabSize, 3)
        var tokens: [[Int]] = [], masks: [[Bool]] = []
        tokens.reserveCapacity(n)
        masks.reserveCapacity(n)
        for _ in 0..<n {
            var seq = [Vocabulary.bosID] + (0..<len).map { _ in rng.randint(Vocabulary.firstWordID..<vocab) }
            var mask = [Bool](repeating: false, count: len + 1)
            let longest = Swift.min(segmentLengths.upperBound, len / 2)
            if longest >= segmentLengths.lowerBound {
                let segment = rng.randint(segmentLengths.lowerBound...longest)
                // Source at s, copy at d ≥ s + segment; both inside positions 1...len.
                let source = rng.randint(1...(len + 1 - 2 * segment))
                let copy = rng.randint((source + segment)...(len + 1 - segment))
                for i in 0..<segment {
                    seq[copy + i] = seq[source + i]
                    if i > 0 { mask[copy + i] = true }
                }
            }
            tokens.append(seq)
            masks.append(mask)
        }
        return InductionBatch(tokens: tokens, repeatedMask: masks)
    }

    /// ARENA's repeated random tokens `[bos, r, r]`, `r` of length `seqLen` (ids `2..<vocabSize`),
    /// for head scores and the in-context loss. Sizes are clamped (batch ≥ 1, seqLen ≥ 1, vocabSize ≥ 3).
    public static func repeated(batch: Int, seqLen: Int, vocabSize: Int, rng: inout SeededRandom) -> [[Int]] {
        let n = Swift.max(batch, 1), len = Swift.max(seqLen, 1), vocab = Swift.max(vocabSize, 3)
        return (0..<n).map { _ in
            let r = (0..<len).map { _ in rng.randint(Vocabulary.firstWordID..<vocab) }
            return [Vocabulary.bosID] + r + r
        }
    }
}
