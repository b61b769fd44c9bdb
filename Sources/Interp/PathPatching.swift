// Path patching (Wang et al., the IOI paper): the effect of a sender head through one path only.
import Tensor
import Transformer

/// Where a path-patching experiment lets the sender's effect arrive.
public enum PathReceiver: Sendable, Equatable {
    /// The final residual stream (the logits): the sender's direct effect.
    case logits
    /// The query, key or value inputs of these heads (the receivers).
    case heads([HeadIndex], input: HeadInput)

    /// The input of a receiver head that the sender's effect may reach.
    public enum HeadInput: String, Sendable, CaseIterable {
        case q, k, v

        var kind: HookKind {
            switch self {
            case .q: return .q
            case .k: return .k
            case .v: return .v
            }
        }
    }
}

/// The result of path patching: the effect of each sender head through one path. Public form: kind
/// `"path_patching"`, values `[layer, head]` over senders, with both logit differences, the metric's
/// formula and the receiver (`"logits"` or `"2.0,2.1 q"`).
public struct PathPatchingResult: AnalysisOutput, Equatable {
    public var model: String
    public var receiver: PathReceiver
    /// `(LD_patched − LD_clean) / (LD_clean − LD_corrupt)` per sender `[layer, head]`.
    public var values: Tensor
    public var cleanLogitDiff: Float
    public var corruptedLogitDiff: Float

    /// The senders' effects as a matrix (rows `L0`, …; columns `H0`, …).
    public var matrix: LabelledMatrix { .heads(values) }

    /// `"logits"`, or the receiver heads and their input, e.g. `"2.0,2.1 q"`.
    public var receiverDescription: String {
        switch receiver {
        case .logits: return "logits"
        case .heads(let rs, let input): return rs.map(\.description).joined(separator: ",") + " " + input.rawValue
        }
    }

    public var publicForm: AnalysisResult {
        AnalysisResult(kind: "path_patching", model: model, axes: ["layer", "head"], values: values,
                       extra: ["clean_logit_diff": .number(Double(cleanLogitDiff)),
                               "corrupted_logit_diff": .number(Double(corruptedLogitDiff)),
                               "metric": .string("(LD_patched - LD_clean) / (LD_clean - LD_corrupt)"),
                               "receiver": .string(receiverDescription)])
    }
}

/// Path patching (sender head → logits, or → receiver heads' q/k/v).
public enum PathPatching {
    /// Path patching from every sender head to `receiver`, as in the IOI paper: the sender's output
    /// (`hook_z`) is taken from the corrupted run, every other head's output is frozen to its clean
    /// value, and the effect may only reach the receiver:
    /// - `.logits`: the patched run's logits are read directly (frozen heads block every path through
    ///   later heads; MLPs, if any, recompute as in ARENA).
    /// - `.heads(rs, input)`: a first run records the receivers' `hook_q|k|v` under that patch; a
    ///   second clean run replaces only those receivers' inputs with the recorded ones.
    ///
    /// Values `[layer, head]` over senders: `(LD_patched − LD_clean) / (LD_clean − LD_corrupt)` — 0 for
    /// no effect, −1 when the path alone carries the whole corruption (ARENA's IOI metric). Senders in
    /// or after the first receiver layer cannot reach it and get 0.
    /// A head listed twice among the receivers counts once.
    /// - Throws: `PatchingError` for batches that do not fit together or equal logit differences;
    ///   `AnalysisError` for a receiver outside the model; `ModelError` for bad tokens.
    public static func sweep(model: HookedTransformer, clean: [[Int]], corrupted: [[Int]],
                             answers: [Int], wrong: [Int], receiver: PathReceiver) throws -> PathPatchingResult {
        let pairs = try PromptPairs(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, vocabulary: model.config.dVocabOut)
        return try sweep(model: model, pairs: pairs, receiver: receiver)
    }

    /// Path patching of `pairs` (see `sweep(model:clean:corrupted:answers:wrong:receiver:)`).
    public static func sweep(model: HookedTransformer, pairs: PromptPairs, receiver given: PathReceiver) throws -> PathPatchingResult {
        let c = model.config
        let (clean, corrupted, metric) = (pairs.clean, pairs.corrupted, pairs.logitDifference)
        var receiver = given, limit = c.nLayers
        if case .heads(let listed, let input) = given {
            let receivers = HeadIndex.unique(listed)
            guard !receivers.isEmpty else { throw AnalysisError("path patching needs at least one receiver head", argument: "receivers") }
            for r in receivers {
                do { try r.check(in: c) } catch { throw AnalysisError("receiver \(error.message)", argument: "receivers") }
            }
            receiver = .heads(receivers, input: input)
            limit = receivers.map(\.layer).min() ?? 0
        }
        let zNames = (0..<c.nLayers).map { HookPoint.name(.z, layer: $0) }
        let (cleanLogits, cleanCache) = try model.runWithCache(clean, names: .names(zNames))
        let (corruptLogits, corruptCache) = try model.runWithCache(corrupted, names: .names(zNames))
        let ldClean = try metric.value(cleanLogits)
        let ldCorrupt = try metric.value(corruptLogits)
        let denominator = ldClean - ldCorrupt
        guard denominator != 0, denominator.isFinite else {
            throw PatchingError("clean and corrupted logit differences are equal (\(ldClean)); the normalised metric is undefined")
        }
        var values = [Float](repeating: 0, count: c.nLayers * c.nHeads)
        for layer in 0..<limit {
            for head in 0..<c.nHeads {
                // Every head's z frozen to clean, except the sender's, taken from the corrupted run.
                let hooks = try (0..<c.nLayers).map { l in
                    let frozen = try need(cleanCache[.z, l], "hook_z")
                    let sender = l == layer ? try need(corruptCache[.z, l], "hook_z") : nil
                    return Hook(.z, layer: l) { z, _ in
                        z = frozen
                        if let sender { copyHead(head, from: sender, into: &z) }
                    }
                }
                let ld: Float
                switch receiver {
                case .logits:
                    ld = try metric.value(model.runWithHooks(clean, hooks: hooks))
                case .heads(let receivers, let input):
                    let names = Set(receivers.map { HookPoint.name(input.kind, layer: $0.layer) })
                    let first = try model.run(clean, hooks: hooks, cache: .names(Array(names)))
                    let patches = try Set(receivers.map(\.layer)).map { l in
                        let recorded = try need(first.cache[input.kind, l], "receiver input")
                        let heads = receivers.filter { $0.layer == l }.map(\.head)
                        return Hook(input.kind, layer: l) { x, _ in
                            for h in heads { copyHead(h, from: recorded, into: &x) }
                        }
                    }
                    ld = try metric.value(model.runWithHooks(clean, hooks: patches))
                }
                values[layer * c.nHeads + head] = (ld - ldClean) / denominator
            }
        }
        return PathPatchingResult(model: c.modelName, receiver: receiver,
                                  values: try Tensor(shape: [c.nLayers, c.nHeads], scalars: values),
                                  cleanLogitDiff: ldClean, corruptedLogitDiff: ldCorrupt)
    }

    /// Copies head `h` of `[batch, pos, head, d_head]` from `source` into `target` (same shape).
    static func copyHead(_ h: Int, from source: Tensor, into target: inout Tensor) {
        let (rows, heads, dh) = (target.shape[0] * target.shape[1], target.shape[2], target.shape[3])
        source.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let base = (r * heads + h) * dh
                    for e in 0..<dh { dst[base + e] = src[base + e] }
                }
            }
        }
    }
}
