// Reference solution of the exercise head-dla (kept outside the learner's files).
import Tensor
import Transformer

public func headDLA(model: HookedTransformer, tokens: [[Int]], layer: Int, head: Int,
                    answers: [Int], wrong: [Int]) throws -> Float {
    let (_, cache) = try model.runWithCache(tokens, names: .names([HookPoint.name(.z, layer: layer)]))
    guard let z = cache[.z, layer], let wO = model.weights["blocks.\(layer).attn.W_O"],
          let wU = model.weights["unembed.W_U"] else { return .nan }
    let (batch, pos) = (z.shape[0], z.shape[1])
    let (dHead, dModel) = (wO.shape[1], wO.shape[2])
    var total: Float = 0
    for b in 0..<batch {
        for m in 0..<dModel {
            var out: Float = 0
            for d in 0..<dHead { out += z[b, pos - 1, head, d] * wO[head, d, m] }
            total += out * (wU[m, answers[b]] - wU[m, wrong[b]])
        }
    }
    return total / Float(batch)
}
