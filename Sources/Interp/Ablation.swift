// Head ablation: zero or mean ablation of heads through hook_z, scored by loss or logit difference.
import Foundation
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
public enum AblationMetric: Sendable {
    /// Mean next-token cross-entropy (nats) over the last `lastPredictions` predictions of every
    /// sequence (all predictions when nil). For `[bos, r, r]` with `r` of length n, ARENA uses n − 1:
    /// the repeated half that induction can predict.
    case loss(lastPredictions: Int?)
    /// Mean over the batch of `logit[answer] − logit[wrong]` at the last position.
    case logitDifference(answers: [Int], wrong: [Int])

    var name: String {
        switch self {
        case .loss: return "loss"
        case .logitDifference: return "logit_diff"
        }
    }

    /// The metric of `logits [batch, pos, vocab]` for `tokens`.
    func evaluate(_ logits: Tensor, tokens: [[Int]]) throws -> Double {
        switch self {
        case .logitDifference(let answers, let wrong):
            return Double(try meanLogitDifference(logits, answers: answers, wrong: wrong))
        case .loss(let lastPredictions):
            return nextTokenLoss(logits, tokens: tokens, lastPredictions: lastPredictions)
        }
    }

    /// Whether the metric needs logits at every position.
    var needsAllPositions: Bool {
        if case .loss = self { return true }
        return false
    }
}

/// Mean next-token cross-entropy of `logits [batch, pos, vocab]` over the last `lastPredictions`
/// predictions (all `pos − 1` when nil).
public func nextTokenLoss(_ logits: Tensor, tokens: [[Int]], lastPredictions: Int? = nil) -> Double {
    let (batch, pos, vocab) = (logits.shape[0], logits.shape[1], logits.shape[2])
    let n = min(lastPredictions ?? (pos - 1), pos - 1)
    guard n > 0 else { return 0 }
    var total = 0.0
    logits.withUnsafeBufferPointer { l in
        for b in 0..<batch {
            for p in (pos - 1 - n)..<(pos - 1) {
                let row = (b * pos + p) * vocab
                var m = -Double.infinity
                for v in 0..<vocab { m = max(m, Double(l[row + v])) }
                var s = 0.0
                for v in 0..<vocab { s += Foundation.exp(Double(l[row + v]) - m) }
                total += (m + Foundation.log(s)) - Double(l[row + tokens[b][p + 1]])
            }
        }
    }
    return total / Double(batch * n)
}

/// Zero and mean ablation of attention heads.
public enum Ablation {
    /// Ablates every head on its own: values `[layer, head]` = metric(ablated) − metric(clean),
    /// kind `"ablation"`; `extra["baseline"]` holds the unablated metric.
    /// - Throws: `AnalysisError` for mean ablation of a single sequence or bad answer lists;
    ///   `ModelError` for bad tokens.
    public static func everyHead(model: HookedTransformer, tokens: [[Int]], metric: AblationMetric,
                                 mode: AblationMode = .zero) throws -> AnalysisResult {
        let c = model.config
        let run = try Runner(model: model, tokens: tokens, metric: metric, mode: mode)
        var values: [Float] = []
        for l in 0..<c.nLayers {
            for h in 0..<c.nHeads { values.append(Float(try run.ablated([HeadIndex(l, h)]) - run.baseline)) }
        }
        return AnalysisResult(kind: "ablation", model: c.modelName, axes: ["layer", "head"],
                              values: try Tensor(shape: [c.nLayers, c.nHeads], scalars: values),
                              extra: run.extra)
    }

    /// Ablates each of `heads` alone and then all of them together: values `[ablation]` labelled
    /// `"1.2"`, …, and `"1.2+0.3"` for the joint ablation (only when more than one head is given).
    /// - Throws: as `everyHead`, and `AnalysisError` for a head outside the model.
    public static func heads(_ heads: [HeadIndex], model: HookedTransformer, tokens: [[Int]], metric: AblationMetric,
                             mode: AblationMode = .zero) throws -> AnalysisResult {
        let c = model.config
        for head in heads {
            try checkLayer(head.layer, c)
            try checkHead(head.head, c)
        }
        let run = try Runner(model: model, tokens: tokens, metric: metric, mode: mode)
        var labels = heads.map(\.description), values: [Float] = []
        for head in heads { values.append(Float(try run.ablated([head]) - run.baseline)) }
        if heads.count > 1 {
            labels.append(heads.map(\.description).joined(separator: "+"))
            values.append(Float(try run.ablated(heads) - run.baseline))
        }
        return AnalysisResult(kind: "ablation", model: c.modelName, axes: ["ablation"], values: Tensor(values),
                              labels: ["ablation": labels], extra: run.extra)
    }

    /// The shared state of one ablation experiment: the clean metric, cached z (for means) and
    /// residual streams (to resume each ablated run at the ablated layer).
    private struct Runner {
        let model: HookedTransformer
        let tokens: [[Int]]
        let metric: AblationMetric
        let mode: AblationMode
        let baseline: Double
        let cache: ActivationCache

        init(model: HookedTransformer, tokens: [[Int]], metric: AblationMetric, mode: AblationMode) throws {
            if case .logitDifference(let answers, let wrong) = metric, answers.count != tokens.count || wrong.count != tokens.count {
                throw AnalysisError("\(answers.count) answers and \(wrong.count) wrong ids for a batch of \(tokens.count); need one each")
            }
            if mode == .mean && tokens.count < 2 {
                throw AnalysisError("mean ablation needs a dataset (several sequences, e.g. --task induction|ioi): one sequence has no mean to ablate to")
            }
            self.model = model
            self.tokens = tokens
            self.metric = metric
            self.mode = mode
            let options = ForwardOptions(logitPositions: metric.needsAllPositions ? .all : .last)
            let run = try model.run(tokens, cache: .suffixes(["hook_resid_pre", "attn.hook_z"]), options: options)
            cache = run.cache
            baseline = try metric.evaluate(need(run.logits, "logits"), tokens: tokens)
        }

        var extra: [String: AnalysisField] {
            ["baseline": .number(baseline), "metric": .string(metric.name), "mode": .string(mode.rawValue)]
        }

        /// The metric with `heads` ablated together.
        func ablated(_ heads: [HeadIndex]) throws -> Double {
            let c = model.config
            let first = heads.map(\.layer).min() ?? 0
            var hooks: [Hook] = []
            for layer in Set(heads.map(\.layer)) {
                let which = heads.filter { $0.layer == layer }.map(\.head)
                let mean = mode == .mean ? try need(cache[.z, layer], "hook_z").mean(axis: 0) : nil   // [pos, head, d_head]
                hooks.append(Hook(.z, layer: layer) { z, _ in                                          // [b, pos, head, d_head]
                    let (batch, pos, nh, dh) = (z.shape[0], z.shape[1], c.nHeads, c.dHead)
                    z.withUnsafeMutableBufferPointer { dst in
                        for b in 0..<batch { for p in 0..<pos { for h in which {
                            let base = ((b * pos + p) * nh + h) * dh
                            for e in 0..<dh { dst[base + e] = mean.map { $0.scalars[(p * nh + h) * dh + e] } ?? 0 }
                        } } }
                    }
                })
            }
            let start = try need(cache[.residPre, first], "hook_resid_pre")
            let options = ForwardOptions(start: (first, start), logitPositions: metric.needsAllPositions ? .all : .last)
            let run = try model.run(tokens, hooks: hooks, options: options)
            return try metric.evaluate(need(run.logits, "logits"), tokens: tokens)
        }
    }
}

/// `logitDifference` under a name the metric enum's case does not shadow.
private func meanLogitDifference(_ logits: Tensor, answers: [Int], wrong: [Int]) throws -> Float {
    try logitDifference(logits, answers: answers, wrong: wrong)
}
