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
    /// - Throws: `PatchingError` for batches that do not fit together or equal logit differences;
    ///   `AnalysisError` for a receiver outside the model; `ModelError` for bad tokens.
    public static func sweep(model: HookedTransformer, clean: [[Int]], corrupted: [[Int]],
                             answers: [Int], wrong: [Int], receiver: PathReceiver) throws -> AnalysisResult {
        let c = model.config
        try checkPair(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, vocab: c.dVocabOut)
        var limit = c.nLayers
        if case .heads(let receivers, _) = receiver {
            guard !receivers.isEmpty else { throw AnalysisError("path patching needs at least one receiver head") }
            for r in receivers {
                try checkLayer(r.layer, c, "receiver layer")
                try checkHead(r.head, c, "receiver head")
            }
            limit = receivers.map(\.layer).min() ?? 0
        }
        let zNames = (0..<c.nLayers).map { HookPoint.name(.z, layer: $0) }
        let (cleanLogits, cleanCache) = try model.runWithCache(clean, names: .names(zNames))
        let (corruptLogits, corruptCache) = try model.runWithCache(corrupted, names: .names(zNames))
        let ldClean = try logitDifference(cleanLogits, answers: answers, wrong: wrong)
        let ldCorrupt = try logitDifference(corruptLogits, answers: answers, wrong: wrong)
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
                    ld = try logitDifference(model.runWithHooks(clean, hooks: hooks), answers: answers, wrong: wrong)
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
                    ld = try logitDifference(model.runWithHooks(clean, hooks: patches), answers: answers, wrong: wrong)
                }
                values[layer * c.nHeads + head] = (ld - ldClean) / denominator
            }
        }
        var extra: [String: AnalysisField] = [
            "clean_logit_diff": .number(Double(ldClean)), "corrupted_logit_diff": .number(Double(ldCorrupt)),
            "metric": .string("(LD_patched - LD_clean) / (LD_clean - LD_corrupt)"),
        ]
        switch receiver {
        case .logits: extra["receiver"] = .string("logits")
        case .heads(let rs, let input):
            extra["receiver"] = .string(rs.map(\.description).joined(separator: ",") + " " + input.rawValue)
        }
        return AnalysisResult(kind: "path_patching", model: c.modelName, axes: ["layer", "head"],
                              values: try Tensor(shape: [c.nLayers, c.nHeads], scalars: values), extra: extra)
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

/// Checks that clean and corrupted batches and the answer lists fit together.
/// - Throws: `PatchingError` naming the mismatch (different token lengths included).
func checkPair(clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int], vocab: Int) throws(PatchingError) {
    guard !clean.isEmpty else { throw PatchingError("no prompts: the clean batch is empty") }
    guard clean.count == corrupted.count else {
        throw PatchingError("clean batch has \(clean.count) sequences, corrupted has \(corrupted.count); they must match")
    }
    for (b, (x, y)) in zip(clean, corrupted).enumerated() where x.count != y.count {
        throw PatchingError("sequence \(b): clean has \(x.count) tokens, corrupted has \(y.count); lengths must match")
    }
    guard answers.count == clean.count, wrong.count == clean.count else {
        throw PatchingError("\(answers.count) answers and \(wrong.count) wrong ids for a batch of \(clean.count); need one each")
    }
    for id in answers + wrong where id < 0 || id >= vocab {
        throw PatchingError("answer id \(id) is outside the vocabulary 0..<\(vocab)")
    }
}
