// Head ablation: zero or mean ablation of heads through hook_z, scored by loss or logit difference.
import Tensor
import Transformer

/// What an ablated head's output is replaced with.
public enum AblationMode: String, Sendable, CaseIterable {
    /// `z = 0` for the head (its output becomes `b_O`'s share only).
    case zero
    /// The head's `z` averaged over the batch at each position (ARENA's mean ablation).
    case mean
}

/// What an ablation measures.
public enum AblationMetric: Sendable, Equatable {
    /// Mean next-token cross-entropy (nats) over the last `lastPredictions` predictions of every
    /// sequence (all predictions when nil). For `[bos, r, r]` with `r` of length n, ARENA uses n − 1:
    /// the repeated half that induction can predict.
    case loss(lastPredictions: Int?)
    /// Mean over the batch of `logit[answer] − logit[wrong]` at the last position.
    case logitDifference(answers: [Int], wrong: [Int])

    /// "loss" or "logit_diff", as the public form names the metric.
    public var name: String {
        switch self {
        case .loss: return "loss"
        case .logitDifference: return "logit_diff"
        }
    }

    /// The metric of the logits of `tokens` (`Metrics.swift`).
    func logitMetric(tokens: [[Int]]) -> any LogitMetric {
        switch self {
        case .logitDifference(let answers, let wrong):
            return LogitDifference(answers: answers, wrong: wrong)
        case .loss(let lastPredictions):
            guard let lastPredictions else { return NextTokenLoss(tokens: tokens) }
            // Keep the targets of the last `lastPredictions` positions that have a next token.
            return NextTokenLoss(tokens: tokens, mask: tokens.map { seq in
                seq.indices.map { $0 >= seq.count - Swift.min(lastPredictions, seq.count - 1) }
            })
        }
    }

    /// Whether the metric needs logits at every position.
    var needsAllPositions: Bool {
        if case .loss = self { return true }
        return false
    }
}

/// The result of an ablation experiment: the change of the metric when heads are ablated.
/// Public form: kind `"ablation"`, values `[layer, head]` (every head on its own) or `[ablation]`
/// (listed heads, labelled `"1.2"`, `"1.2+0.3"`), with `baseline`, `metric` and `mode`.
public struct AblationResult: AnalysisOutput, Equatable {
    /// What was ablated.
    public enum Ablated: Sendable, Equatable {
        /// Every head on its own: values `[layer, head]`.
        case eachHead
        /// Each set of heads together: values `[ablation]`, one per set.
        case sets([[HeadIndex]])
    }

    public var model: String
    public var metric: AblationMetric
    public var mode: AblationMode
    /// The metric of the unablated model.
    public var baseline: Float
    public var ablated: Ablated
    /// metric(ablated) − metric(clean): `[layer, head]` or `[ablation]`.
    public var values: Tensor

    /// A label per value of a `.sets` result: `"1.2"`, `"1.2+0.3"` (empty for `.eachHead`).
    public var labels: [String] {
        guard case .sets(let sets) = ablated else { return [] }
        return sets.map { $0.map(\.description).joined(separator: "+") }
    }

    public var publicForm: AnalysisResult {
        let extra: [String: AnalysisField] = ["baseline": .number(Double(baseline)), "metric": .string(metric.name),
                                              "mode": .string(mode.rawValue)]
        switch ablated {
        case .eachHead:
            return AnalysisResult(kind: "ablation", model: model, axes: ["layer", "head"], values: values, extra: extra)
        case .sets:
            return AnalysisResult(kind: "ablation", model: model, axes: ["ablation"], values: values,
                                  labels: ["ablation": labels], extra: extra)
        }
    }
}

/// Zero and mean ablation of attention heads.
public enum Ablation {
    /// Ablates every head on its own: values `[layer, head]` = metric(ablated) − metric(clean).
    /// - Throws: `AnalysisError` for mean ablation of a single sequence or bad answer lists;
    ///   `ModelError` for bad tokens.
    public static func everyHead(model: HookedTransformer, tokens: [[Int]], metric: AblationMetric,
                                 mode: AblationMode = .zero) throws -> AblationResult {
        let c = model.config
        let run = try Runner(model: model, tokens: tokens, metric: metric, mode: mode)
        let values = try HeadIndex.all(c).map { try run.ablated([$0]) - run.baseline }
        return AblationResult(model: c.modelName, metric: metric, mode: mode, baseline: run.baseline, ablated: .eachHead,
                              values: try Tensor(shape: [c.nLayers, c.nHeads], scalars: values))
    }

    /// Ablates each of `heads` alone and then all of them together (the joint ablation only when
    /// more than one head is given). A head listed twice is ablated once.
    /// - Throws: as `everyHead`, and `AnalysisError` for a head outside the model.
    public static func heads(_ heads: [HeadIndex], model: HookedTransformer, tokens: [[Int]], metric: AblationMetric,
                             mode: AblationMode = .zero) throws -> AblationResult {
        let c = model.config
        let heads = HeadIndex.unique(heads)
        guard !heads.isEmpty else { throw AnalysisError("no heads to ablate", argument: "heads") }
        for head in heads { try head.check(in: c) }
        let run = try Runner(model: model, tokens: tokens, metric: metric, mode: mode)
        let sets = heads.map { [$0] } + (heads.count > 1 ? [heads] : [])
        let values = try sets.map { try run.ablated($0) - run.baseline }
        return AblationResult(model: c.modelName, metric: metric, mode: mode, baseline: run.baseline, ablated: .sets(sets),
                              values: Tensor(values))
    }

    /// The shared state of one ablation experiment: the clean metric, cached z (for means) and
    /// residual streams (to resume each ablated run at the ablated layer).
    private struct Runner {
        let model: HookedTransformer
        let tokens: [[Int]]
        let metric: any LogitMetric
        let mode: AblationMode
        let options: ForwardOptions
        let baseline: Float
        let cache: ActivationCache

        init(model: HookedTransformer, tokens: [[Int]], metric: AblationMetric, mode: AblationMode) throws {
            if mode == .mean && tokens.count < 2 {
                throw AnalysisError("mean ablation needs a dataset (several sequences): one sequence has no mean to ablate to",
                                    argument: "mode")
            }
            self.model = model
            self.tokens = tokens
            self.metric = metric.logitMetric(tokens: tokens)
            self.mode = mode
            options = ForwardOptions(logitPositions: metric.needsAllPositions ? .all : .last)
            let run = try model.run(tokens, cache: .suffixes(["hook_resid_pre", "attn.hook_z"]), options: options)
            cache = run.cache
            baseline = try self.metric.value(need(run.logits, "logits"))
        }

        /// The metric with `heads` ablated together.
        func ablated(_ heads: [HeadIndex]) throws -> Float {
            let c = model.config
            let first = heads.map(\.layer).min() ?? 0
            var hooks: [Hook] = []
            for layer in Set(heads.map(\.layer)) {
                let which = heads.filter { $0.layer == layer }.map(\.head)
                let mean = mode == .mean ? try need(cache[.z, layer], "hook_z").mean(axis: 0) : nil   // [pos, head, d_head]
                hooks.append(Hook(.z, layer: layer) { z, _ in                                          // [b, pos, head, d_head]
                    let (batch, pos, nh, dh) = (z.shape[0], z.shape[1], c.nHeads, c.dHead)
                    let means = mean?.scalars
                    z.withUnsafeMutableBufferPointer { dst in
                        for b in 0..<batch { for p in 0..<pos { for h in which {
                            let base = ((b * pos + p) * nh + h) * dh
                            for e in 0..<dh { dst[base + e] = means?[(p * nh + h) * dh + e] ?? 0 }
                        } } }
                    }
                })
            }
            var options = self.options
            options.start = (first, try need(cache[.residPre, first], "hook_resid_pre"))
            let run = try model.run(tokens, hooks: hooks, options: options)
            return try metric.value(need(run.logits, "logits"))
        }
    }
}
