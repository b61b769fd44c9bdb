// Reference solution of the exercise resid-patching (kept outside the learner's files).
import Tensor
import Transformer

private func meanLogitDiff(_ logits: Tensor, _ answers: [Int], _ wrong: [Int]) -> Float {
    let (batch, pos) = (logits.shape[0], logits.shape[1])
    var total: Float = 0
    for b in 0..<batch { total += logits[b, pos - 1, answers[b]] - logits[b, pos - 1, wrong[b]] }
    return total / Float(batch)
}

public func residPrePatching(model: HookedTransformer, clean: [[Int]], corrupted: [[Int]],
                             answers: [Int], wrong: [Int]) throws -> Tensor {
    let layers = model.config.nLayers, positions = clean.first?.count ?? 0
    let (cleanLogits, cache) = try model.runWithCache(clean, names: .suffixes(["hook_resid_pre"]))
    let ldClean = meanLogitDiff(cleanLogits, answers, wrong)
    let ldCorrupt = meanLogitDiff(try model.forward(corrupted), answers, wrong)
    var values: [Float] = []
    for layer in 0..<layers {
        guard let cleanResid = cache[.residPre, layer] else { return Tensor.zeros([layers, positions]) }
        for p in 0..<positions {
            let hook = Hook(.residPre, layer: layer) { resid, _ in
                let (batch, pos, d) = (resid.shape[0], resid.shape[1], resid.shape[2])
                resid.withUnsafeMutableBufferPointer { dst in
                    cleanResid.withUnsafeBufferPointer { src in
                        for b in 0..<batch { for j in 0..<d { dst[(b * pos + p) * d + j] = src[(b * pos + p) * d + j] } }
                    }
                }
            }
            let ld = meanLogitDiff(try model.runWithHooks(corrupted, hooks: [hook]), answers, wrong)
            values.append((ld - ldCorrupt) / (ldClean - ldCorrupt))
        }
    }
    return try Tensor(shape: [layers, positions], scalars: values)
}
