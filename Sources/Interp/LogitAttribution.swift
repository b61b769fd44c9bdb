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
    /// positions to queries and keys, not to the residual stream), every head (`z · W_O[h]`), every
    /// MLP (`hook_mlp_out`, models with MLPs), and `bias` (the sum of every layer's `b_O`). They add up
    /// to the final residual stream. Each is centred (models with a LayerNorm), divided by the cached
    /// `ln_final.hook_scale` of its sequence, and dotted with `ln_final.w ⊙ (W_U[:, answer] − W_U[:, wrong])`
    /// (`W_U[:, answer]` without `wrong`). The components plus `constant` (the ln_final.b and b_U
    /// terms) sum to `logitDiff`, the model's mean logit (difference).
    /// - Throws: `AnalysisError` when the answer lists do not fit the batch; `ModelError` for bad tokens.
    public static func analyse(model: HookedTransformer, tokens: [[Int]], answers: [Int], wrong: [Int]? = nil) throws -> DirectLogitAttribution {
        let c = model.config, w = model.weights
        let batch = tokens.count
        let metric = LogitDifference(answers: answers, wrong: wrong ?? answers.map { _ in -1 })
        guard answers.count == batch, wrong.map({ $0.count == batch }) ?? true else {
            throw AnalysisError("\(answers.count) answers for a batch of \(batch); need one per sequence")
        }
        for id in answers + (wrong ?? []) where id < 0 || id >= c.dVocabOut {
            throw AnalysisError("answer id \(id) is outside the vocabulary 0..<\(c.dVocabOut)")
        }
        let (logits, cache) = try model.runWithCache(tokens, names: .suffixes(
            ["hook_embed", "hook_pos_embed", "attn.hook_z", "hook_mlp_out", "ln_final.hook_scale"]))
        let d = c.dModel, vocab = c.dVocabOut, pos = tokens[0].count, last = pos - 1
        let shortformer = c.positionalEmbeddingType == .shortformer
        let normalized = c.normalizationType != nil

        let wU = try need(w["unembed.W_U"], "unembed.W_U").scalars                  // [d, vocab]
        let bU = try need(w["unembed.b_U"], "unembed.b_U").scalars                  // [vocab]
        let lnW = normalized ? w["ln_final.w"]?.scalars : nil, lnB = normalized ? w["ln_final.b"]?.scalars : nil
        let scale = normalized ? try need(cache[.lnFinalScale], "ln_final.hook_scale").scalars : nil   // [b, p, 1]
        let bias: [Double] = try (0..<c.nLayers).reduce(into: [Double](repeating: 0, count: d)) { acc, l in
            let b = try need(w["blocks.\(l).attn.b_O"], "b_O").scalars
            for j in 0..<d { acc[j] += Double(b[j]) }
        }
        /// Row `(b, last)` of a `[batch, pos, d]` activation.
        func lastRows(_ t: Tensor) -> [[Double]] {
            t.withUnsafeBufferPointer { p in (0..<batch).map { b in (0..<d).map { Double(p[(b * pos + last) * d + $0]) } } }
        }
        // Every component's vector at the last position of each sequence: [component][batch][d].
        var vectors: [[[Double]]] = [lastRows(try need(cache[.embed], "hook_embed"))]
        if !shortformer { vectors.append(lastRows(try need(cache[.posEmbed], "hook_pos_embed"))) }
        for l in 0..<c.nLayers {
            let z = try need(cache[.z, l], "hook_z").scalars                          // [b, p, head, d_head]
            let wO = try need(w["blocks.\(l).attn.W_O"], "W_O").scalars              // [head, d_head, d]
            for h in 0..<c.nHeads {
                vectors.append((0..<batch).map { b in
                    var out = [Double](repeating: 0, count: d)
                    let zBase = ((b * pos + last) * c.nHeads + h) * c.dHead
                    for e in 0..<c.dHead {
                        let zv = Double(z[zBase + e]), wBase = (h * c.dHead + e) * d
                        for j in 0..<d { out[j] += zv * Double(wO[wBase + j]) }
                    }
                    return out
                })
            }
        }
        if !c.attnOnly {
            for l in 0..<c.nLayers { vectors.append(lastRows(try need(cache[.mlpOut, l], "hook_mlp_out"))) }
        }
        vectors.append([[Double]](repeating: bias, count: batch))

        var totals = [Double](repeating: 0, count: vectors.count), constant = 0.0
        for b in 0..<batch {
            // The direction in the residual stream, ln_final.w folded in, and the constant terms.
            var dir = (0..<d).map { j in Double(wU[j * vocab + answers[b]]) }
            var const = Double(bU[answers[b]])
            if let wrong {
                for j in 0..<d { dir[j] -= Double(wU[j * vocab + wrong[b]]) }
                const -= Double(bU[wrong[b]])
            }
            if let lnB { const += (0..<d).reduce(0.0) { $0 + Double(lnB[$1]) * dir[$1] } }
            if let lnW { for j in 0..<d { dir[j] *= Double(lnW[j]) } }
            let s = scale.map { Double($0[b * pos + last]) } ?? 1
            for (k, component) in vectors.enumerated() {
                let v = component[b]
                let mean = normalized ? v.reduce(0, +) / Double(d) : 0
                var dot = 0.0
                for j in 0..<d { dot += (v[j] - mean) * dir[j] }
                totals[k] += dot / s
            }
            constant += const
        }
        let n = Double(batch)
        var values = totals.map { Float($0 / n) }[...]
        func take(_ k: Int) -> [Float] { defer { values = values.dropFirst(k) }; return Array(values.prefix(k)) }
        let embed = take(1)[0]
        let posEmbed = shortformer ? nil : take(1)[0]
        let heads = try Tensor(shape: [c.nLayers, c.nHeads], scalars: take(c.nLayers * c.nHeads))
        let mlps = c.attnOnly ? nil : take(c.nLayers)
        return DirectLogitAttribution(model: c.modelName, position: last, embed: embed, posEmbed: posEmbed, heads: heads,
                                      mlps: mlps, bias: take(1)[0], constant: Float(constant / n),
                                      logitDiff: try metric.value(logits))
    }
}
