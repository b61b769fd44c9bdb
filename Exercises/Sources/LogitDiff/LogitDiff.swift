// Exercise logit-diff: the logit difference and its normalisation.
// Edit this file, then run `interp check logit-diff`.
import Tensor

/// The mean logit difference at the last position.
///
/// - Parameters:
///   - logits: `[batch, pos, vocab]`.
///   - answers: the right token id of each sequence (`batch` ids).
///   - wrong: the wrong token id of each sequence (`batch` ids).
/// - Returns: the mean over the batch of `logits[b, pos − 1, answers[b]] − logits[b, pos − 1, wrong[b]]`.
public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
    // TODO
    return 0
}

/// How much of the clean behaviour a patched run recovers:
/// `(patched − corrupted) / (clean − corrupted)`: 0 = as corrupted, 1 = as clean.
public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float {
    // TODO
    return 0
}
