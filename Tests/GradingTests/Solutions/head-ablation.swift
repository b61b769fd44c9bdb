// Reference solution of the exercise head-ablation (kept outside the learner's files).
import Tensor
import Transformer

public func ablationHook(layer: Int, head: Int, mean: Bool) -> Hook {
    Hook(.z, layer: layer) { z, _ in
        let (batch, pos, heads, dHead) = (z.shape[0], z.shape[1], z.shape[2], z.shape[3])
        z.withUnsafeMutableBufferPointer { p in
            for t in 0..<pos {
                for d in 0..<dHead {
                    var sum: Float = 0
                    for b in 0..<batch { sum += p[((b * pos + t) * heads + head) * dHead + d] }
                    let value = mean ? sum / Float(batch) : 0
                    for b in 0..<batch { p[((b * pos + t) * heads + head) * dHead + d] = value }
                }
            }
        }
    }
}
