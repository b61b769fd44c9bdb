// Reference solution of the exercise induction-score (kept outside the learner's files).
import Tensor

public func inductionScore(pattern: Tensor, seqLen: Int) -> Float {
    let n = pattern.shape[0]
    var total: Float = 0
    var count = 0
    for i in max(seqLen - 1, 0)..<n {
        total += pattern[i, i - seqLen + 1]
        count += 1
    }
    return count == 0 ? 0 : total / Float(count)
}
