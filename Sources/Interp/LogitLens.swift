// The logit lens: the residual stream after each layer, read out through ln_final and the unembedding.
import Foundation
import Tensor
import Transformer

/// The logit lens.
public enum LogitLens {
    /// The logit lens at `position` (default the last) of one sequence.
    ///
    /// Stages: `embed` (the residual stream entering block 0) and `L0`…`L{n-1}` (after each block,
    /// `hook_resid_post`). Each stage's residual goes through the final norm — recomputed on that
    /// residual, as the original logit lens does (no norm in norm-free models) — and the unembedding.
    /// The last stage's logits are the model's. Values `[stage, rank]`: the probabilities (softmax)
    /// of the `top` most likely tokens, whose strings are in `extra["tokens"]` and logits in
    /// `extra["logits"]`. With an `answer`: `extra["answer_rank"]` (1 = top) and
    /// `extra["answer_prob"]` / `extra["answer_logit"]` per stage.
    /// - Throws: `AnalysisError` for a position outside the sequence, an answer outside the vocabulary
    ///   or `top` < 1; `ModelError` for bad tokens.
    public static func analyse(model: HookedTransformer, tokens: [Int], position: Int? = nil,
                               answer: Int? = nil, top: Int = 5) throws -> AnalysisResult {
        let c = model.config
        let p = position ?? tokens.count - 1
        guard p >= 0 && p < tokens.count else { throw AnalysisError("position \(p) is outside 0...\(tokens.count - 1)") }
        guard top >= 1 else { throw AnalysisError("--top must be at least 1 (got \(top))") }
        if let answer, answer < 0 || answer >= c.dVocabOut {
            throw AnalysisError("answer id \(answer) is outside the vocabulary 0..<\(c.dVocabOut)")
        }
        let k = min(top, c.dVocabOut)
        let names = [HookPoint.name(.residPre, layer: 0)] + (0..<c.nLayers).map { HookPoint.name(.residPost, layer: $0) }
        let (_, cache) = try model.runWithCache([tokens], names: .names(names))
        let w = model.weights
        let wU = try need(w["unembed.W_U"], "unembed.W_U")
        let bU = try need(w["unembed.b_U"], "unembed.b_U")
        var probs: [Float] = [], tokenRows: [AnalysisField] = [], logitRows: [AnalysisField] = []
        var ranks: [Int] = [], answerProbs: [Double] = [], answerLogits: [Double] = []
        for name in names {
            let resid = try need(cache[name], name).select(axis: 0, 0).sliced(axis: 0, p..<(p + 1))   // [1, d]
            let normed = finalNorm(resid, model)                                                   // [1, d]
            let logits = normed.linear(weight: wU, bias: bU).scalars                               // [vocab]
            let maxLogit = Double(logits.max() ?? 0)
            let exps = logits.map { Foundation.exp(Double($0) - maxLogit) }
            let z = exps.reduce(0, +)
            let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            let best = order.prefix(k)
            probs += best.map { Float(exps[$0] / z) }
            tokenRows.append(.strings(model.tokenizer.decode(Array(best))))
            logitRows.append(.numbers(best.map { logits[$0] }))
            if let answer {
                ranks.append(1 + logits.indices.filter { logits[$0] > logits[answer] }.count)
                answerProbs.append(exps[answer] / z)
                answerLogits.append(Double(logits[answer]))
            }
        }
        var extra: [String: AnalysisField] = ["tokens": .array(tokenRows), "logits": .array(logitRows),
                                              "position": .number(Double(p)),
                                              "token": .string(model.tokenizer.decode([tokens[p]])[0])]
        if let answer {
            extra["answer"] = .string(model.tokenizer.decode([answer])[0])
            extra["answer_rank"] = .integers(ranks)
            extra["answer_prob"] = .numbers(answerProbs)
            extra["answer_logit"] = .numbers(answerLogits)
        }
        let stages = ["embed"] + (0..<c.nLayers).map { "L\($0)" }
        return AnalysisResult(kind: "logit_lens", model: c.modelName, axes: ["stage", "rank"],
                              values: try Tensor(shape: [names.count, k], scalars: probs),
                              labels: ["stage": stages, "rank": (1...k).map(String.init)], extra: extra)
    }

    /// ln_final on `x [n, d]`, its scale recomputed from `x` (identity for norm-free models).
    static func finalNorm(_ x: Tensor, _ model: HookedTransformer) -> Tensor {
        guard let kind = model.config.normalizationType else { return x }
        let (normalized, _) = x.layerNorm(eps: Float(model.config.eps))
        guard kind == .ln, let w = model.weights["ln_final.w"], let b = model.weights["ln_final.b"] else { return normalized }
        return normalized.affine(weight: w, bias: b)
    }
}
