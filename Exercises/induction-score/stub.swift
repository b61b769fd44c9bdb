// Exercise induction-score: the induction score of one attention head.
// Edit this file, then run `interp check induction-score`.
import Tensor

/// The induction score of one head on a repeated sequence `[bos, r, r]`, `r` of `seqLen` tokens.
///
/// - Parameters:
///   - pattern: the head's attention pattern `[query, key]`, `2·seqLen + 1` square (rows sum to 1).
///   - seqLen: the length of the repeated segment `r`.
/// - Returns: the mean of `pattern[i, i − seqLen + 1]` over every query `i` for which that key
///   exists (`i ≥ seqLen − 1`): how much each token attends to the token right after its earlier copy.
public func inductionScore(pattern: Tensor, seqLen: Int) -> Float {
    // TODO: walk the stripe of the pattern that sits seqLen − 1 below the diagonal and average it.
    return 0
}
