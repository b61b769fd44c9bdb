// Direct logit attribution: the final residual stream split into components, each projected onto the
// unembedding direction of the answer (or answer − wrong), through the cached ln_final scale.
import Tensor
import Transformer

/// Direct logit attribution (DLA).
public enum LogitAttribution {
    /// Direct logit attribution at the last position, averaged over the batch (TL's
    /// `decompose_resid` + `stack_head_results` + `apply_ln_to_stack` + `residual_stack_to_logit_diff`).
    ///
    /// Components, in order: `embed`, `pos_embed` (standard positions only; shortformer models add
    /// positions to queries and keys, not to the residual stream), `L{l}H{h}` for every head
    /// (`z · W_O[h]`), `mlp{l}` (`hook_mlp_out`, models with MLPs), and `bias` (the sum of every
    /// layer's `b_O`). They add up to the final residual stream. Each is centred (models with a
    /// LayerNorm), divided by the cached `ln_final.hook_scale` of its sequence, and dotted with
    /// `ln_final.w ⊙ (W_U[:, answer] − W_U[:, wrong])` (`W_U[:, answer]` without `wrong`).
    /// The values plus `extra["constant"]` (ln_final.b and b_U terms) sum to `extra["logit_diff"]`,
    /// the model's mean logit (difference); `extra["heads"]` repeats the head values as `[layer][head]`.
    /// - Throws: `AnalysisError` when the answer lists do not fit the batch; `ModelError` for bad tokens.
    public static func analyse(model: HookedTransformer, tokens: [[Int]], answers: [Int], wrong: [Int]? = nil) throws -> AnalysisResult {
        let c = model.config, w = model.weights
        let batch = tokens.count
        guard answers.count == batch, wrong.map({ $0.count == batch }) ?? true else {
            throw AnalysisError("\(answers.count) answers for a batch of \(batch); need one per sequence")
        }
        for id in answers + (wrong ?? []) where id < 0 || id >= c.dVocabOut {
            throw AnalysisError("answer id \(id) is outside the vocabulary 0..<\(c.dVocabOut)")
        }
        let (logits, cache) = try model.runWithCache(tokens, names: .suffixes(
            ["hook_embed", "hook_pos_embed", "attn.hook_z", "hook_mlp_out", "ln_final.hook_scale"]))
        let d = c.dModel, pos = tokens[0].count, last = pos - 1
        let shortformer = c.positionalEmbeddingType == .shortformer
        var labels = ["embed"] + (shortformer ? [] : ["pos_embed"])
        for l in 0..<c.nLayers { for h in 0..<c.nHeads { labels.append("L\(l)H\(h)") } }
        if !c.attnOnly { labels += (0..<c.nLayers).map { "mlp\($0)" } }
        labels.append("bias")

        let wU = try need(w["unembed.W_U"], "unembed.W_U")                    // [d, vocab]
        let bU = try need(w["unembed.b_U"], "unembed.b_U")                    // [vocab]
        let lnW = w["ln_final.w"], lnB = w["ln_final.b"]
        let normalized = c.normalizationType != nil
        var totals = [Double](repeating: 0, count: labels.count)
        var constant = 0.0
        let biasSum: [Double] = try (0..<c.nLayers).reduce(into: [Double](repeating: 0, count: d)) { acc, l in
            let b = try need(w["blocks.\(l).attn.b_O"], "b_O")
            for j in 0..<d { acc[j] += Double(b.scalars[j]) }
        }
        for b in 0..<batch {
            // The direction in the residual stream, ln_final.w folded in.
            var dir = (0..<d).map { j in Double(wU.scalars[j * c.dVocabOut + answers[b]]) }
            var const = Double(bU.scalars[answers[b]])
            if let wrong {
                for j in 0..<d { dir[j] -= Double(wU.scalars[j * c.dVocabOut + wrong[b]]) }
                const -= Double(bU.scalars[wrong[b]])
            }
            if normalized, let lnB {
                const += (0..<d).reduce(0.0) { $0 + Double(lnB.scalars[$1]) * dir[$1] }
            }
            if normalized, let lnW { for j in 0..<d { dir[j] *= Double(lnW.scalars[j]) } }
            let scale = normalized ? Double(try need(cache[.lnFinalScale], "ln_final.hook_scale")[b, last, 0]) : 1
            func project(_ v: [Double]) -> Double {
                let mean = normalized ? v.reduce(0, +) / Double(d) : 0
                var s = 0.0
                for j in 0..<d { s += (v[j] - mean) * dir[j] }
                return s / scale
            }
            func row(_ t: Tensor) -> [Double] {                              // [b, p, d] at (b, last)
                let base = (b * pos + last) * d
                return (0..<d).map { Double(t.scalars[base + $0]) }
            }
            var k = 0
            totals[k] += project(row(try need(cache[.embed], "hook_embed"))); k += 1
            if !shortformer { totals[k] += project(row(try need(cache[.posEmbed], "hook_pos_embed"))); k += 1 }
            for l in 0..<c.nLayers {
                let z = try need(cache[.z, l], "hook_z")                       // [b, p, head, d_head]
                let wO = try need(w["blocks.\(l).attn.W_O"], "W_O")           // [head, d_head, d]
                for h in 0..<c.nHeads {
                    var out = [Double](repeating: 0, count: d)
                    let zBase = ((b * pos + last) * c.nHeads + h) * c.dHead
                    for e in 0..<c.dHead {
                        let zv = Double(z.scalars[zBase + e])
                        let wBase = (h * c.dHead + e) * d
                        for j in 0..<d { out[j] += zv * Double(wO.scalars[wBase + j]) }
                    }
                    totals[k] += project(out); k += 1
                }
            }
            if !c.attnOnly {
                for l in 0..<c.nLayers { totals[k] += project(row(try need(cache[.mlpOut, l], "hook_mlp_out"))); k += 1 }
            }
            totals[k] += project(biasSum)
            constant += const
        }
        let n = Double(batch)
        let values = totals.map { Float($0 / n) }
        let ld = try logitDifference(logits, answers: answers, wrong: wrong ?? answers.map { _ in -1 })
        let first = labels.firstIndex(of: "L0H0") ?? 0
        let heads = (0..<c.nLayers).map { l in
            AnalysisField.numbers(Array(values[(first + l * c.nHeads)..<(first + (l + 1) * c.nHeads)]))
        }
        return AnalysisResult(kind: "dla", model: c.modelName, axes: ["component"],
                              values: Tensor(values), labels: ["component": labels],
                              extra: ["logit_diff": .number(Double(ld)), "constant": .number(constant / n),
                                      "heads": .array(heads), "position": .number(Double(last))])
    }

    /// Mean logit (difference) at the last position; a wrong id of -1 means "no wrong token".
    private static func logitDifference(_ logits: Tensor, answers: [Int], wrong: [Int]) throws -> Float {
        let (batch, pos, vocab) = (logits.shape[0], logits.shape[1], logits.shape[2])
        var total = 0.0
        for b in 0..<batch {
            let row = (b * pos + pos - 1) * vocab
            total += Double(logits.scalars[row + answers[b]]) - (wrong[b] >= 0 ? Double(logits.scalars[row + wrong[b]]) : 0)
        }
        return Float(total / Double(batch))
    }
}

/// Unwraps an activation or parameter that a run or the model should hold.
func need<T>(_ value: T?, _ what: String) throws(AnalysisError) -> T {
    guard let value else { throw AnalysisError("internal: \(what) is missing") }
    return value
}
