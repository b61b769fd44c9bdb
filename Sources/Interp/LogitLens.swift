// The logit lens: the residual stream after each layer, read out through ln_final and the unembedding.
import Tensor
import Transformer

/// The logit lens at one position of one prompt.
///
/// Stages: `embed` (the residual stream entering block 0) and `L0`…`L{n-1}` (after each block,
/// `hook_resid_post`). Each stage's residual goes through the final norm — recomputed on that
/// residual, as the original logit lens does (no norm in norm-free models) — and the unembedding.
/// The last stage's logits are the model's. Public form: kind `"logit_lens"`, values `[stage, rank]`
/// (the top tokens' probabilities), with `tokens` and `logits` per stage, `position`, `token`, and
/// with an answer `answer`, `answer_rank` (1 = top), `answer_prob` and `answer_logit` per stage.
public struct LogitLens: AnalysisOutput, Equatable {
    /// One stage of the lens.
    public struct Stage: Sendable, Equatable {
        /// "embed", "L0", "L1", …
        public var name: String
        /// The most likely tokens at this stage, best first.
        public var top: [TokenPrediction]
        /// The answer's prediction at this stage, when an answer was given.
        public var answer: TokenPrediction?
    }

    public var model: String
    /// The position read.
    public var position: Int
    /// The token at `position`.
    public var token: String
    /// The answer token, when one was given.
    public var answer: String?
    public var stages: [Stage]

    /// The top tokens' probabilities `[stage, rank]`.
    public var probabilities: Tensor {
        let k = stages.first?.top.count ?? 0
        return Tensor(stages.flatMap { $0.top.map(\.probability) }).reshapedUnchecked([stages.count, k])
    }

    public var publicForm: AnalysisResult {
        let k = stages.first?.top.count ?? 0
        var extra: [String: AnalysisField] = [
            "tokens": .array(stages.map { .strings($0.top.map(\.token)) }),
            "logits": .array(stages.map { .numbers($0.top.map(\.logit)) }),
            "position": .number(Double(position)), "token": .string(token),
        ]
        if let answer {
            let predictions = stages.compactMap(\.answer)
            extra["answer"] = .string(answer)
            extra["answer_rank"] = .integers(predictions.map { $0.rank + 1 })
            extra["answer_prob"] = .numbers(predictions.map(\.probability))
            extra["answer_logit"] = .numbers(predictions.map(\.logit))
        }
        return AnalysisResult(kind: "logit_lens", model: model, axes: ["stage", "rank"], values: probabilities,
                              labels: ["stage": stages.map(\.name), "rank": (0..<k).map { String($0 + 1) }],
                              extra: extra)
    }

    /// The logit lens at `position` (default the last) of one sequence, the `top` most likely tokens
    /// per stage, and the prediction of `answer` at every stage.
    /// - Throws: `AnalysisError` for a position outside the sequence, an answer outside the vocabulary
    ///   or `top` < 1; `ModelError` for bad tokens.
    public static func analyse(model: HookedTransformer, tokens: [Int], position: Int? = nil,
                               answer: Int? = nil, top: Int = 5) throws -> LogitLens {
        let c = model.config
        let p = position ?? tokens.count - 1
        guard p >= 0 && p < tokens.count else { throw AnalysisError("position \(p) is outside 0...\(tokens.count - 1)", argument: "position") }
        guard top >= 1 else { throw AnalysisError("the number of top tokens must be at least 1 (got \(top))", argument: "top") }
        if let answer, answer < 0 || answer >= c.dVocabOut {
            throw AnalysisError("answer id \(answer) is outside the vocabulary 0..<\(c.dVocabOut)", argument: "answer")
        }
        let names = [HookPoint.name(.residPre, layer: 0)] + (0..<c.nLayers).map { HookPoint.name(.residPost, layer: $0) }
        let stageNames = ["embed"] + LabelledMatrix.layerLabels(c.nLayers)
        let (_, cache) = try model.runWithCache([tokens], names: .names(names))
        let wU = try need(model.weights["unembed.W_U"], "unembed.W_U")
        let bU = try need(model.weights["unembed.b_U"], "unembed.b_U")
        let stages = try zip(names, stageNames).map { name, stage in
            let resid = try need(cache[name], name).select(axis: 0, 0).sliced(axis: 0, p..<(p + 1))   // [1, d]
            let logits = finalNorm(resid, model).linear(weight: wU, bias: bU)                        // [1, vocab]
            let distribution = NextTokenDistribution(logits: logits.scalars)
            return Stage(name: stage, top: distribution.top(top, tokenizer: model.tokenizer),
                         answer: answer.map { distribution.prediction($0, tokenizer: model.tokenizer) })
        }
        return LogitLens(model: c.modelName, position: p, token: model.tokenizer.decode([tokens[p]])[0],
                         answer: answer.map { model.tokenizer.decode([$0])[0] }, stages: stages)
    }

    /// ln_final on `x [n, d]`, its scale recomputed from `x` (identity for norm-free models).
    static func finalNorm(_ x: Tensor, _ model: HookedTransformer) -> Tensor {
        guard let kind = model.config.normalizationType else { return x }
        let (normalized, _) = x.layerNorm(eps: Float(model.config.eps))
        guard kind == .ln, let w = model.weights["ln_final.w"], let b = model.weights["ln_final.b"] else { return normalized }
        return normalized.affine(weight: w, bias: b)
    }
}
