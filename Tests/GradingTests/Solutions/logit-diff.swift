// Reference solution of the exercise logit-diff (kept outside the learner's files).
import Tensor

public func logitDiff(logits: Tensor, answers: [Int], wrong: [Int]) -> Float {
    let (batch, pos) = (logits.shape[0], logits.shape[1])
    var total: Float = 0
    for b in 0..<batch {
        total += logits[b, pos - 1, answers[b]] - logits[b, pos - 1, wrong[b]]
    }
    return total / Float(batch)
}

public func normalizedMetric(patched: Float, clean: Float, corrupted: Float) -> Float {
    (patched - corrupted) / (clean - corrupted)
}
