// Activation patching sweeps (TL's patching.get_act_patch_*), written on top of runWithHooks.
import Tensor
import Transformer

/// What a sweep patches from the clean run into the corrupted run (TL's `patching.get_act_patch_*`).
public enum PatchTarget: String, Sendable, CaseIterable {
    /// `blocks.{l}.hook_resid_pre` at one position: result `[layer, pos]`.
    case residPre = "resid_pre"
    /// `blocks.{l}.hook_attn_out` at one position: result `[layer, pos]`.
    case attnOut = "attn_out"
    /// One head's output (`hook_z`, TL's `attn_head_out`): `[layer, head]`, or `[layer, pos, head]` by position.
    case headOut = "head_out"
    /// One head's `hook_z` (the same patch as `head_out`, under the hook's name).
    case z
    /// One head's queries `hook_q`.
    case q
    /// One head's keys `hook_k`.
    case k
    /// One head's values `hook_v`.
    case v
    /// One head's attention pattern `hook_pattern` (by position: one query row).
    case pattern

    /// True for the per-head targets (result axes `[layer, head]` or `[layer, pos, head]`).
    public var isPerHead: Bool { self != .residPre && self != .attnOut }

    /// The hook point patched in layer `l`.
    func hookName(layer: Int) -> String {
        let kind: HookKind
        switch self {
        case .residPre: kind = .residPre
        case .attnOut: kind = .attnOut
        case .headOut, .z: kind = .z
        case .q: kind = .q
        case .k: kind = .k
        case .v: kind = .v
        case .pattern: kind = .pattern
        }
        return HookPoint.name(kind, layer: layer)
    }

    /// The axes of the result after `layer`, with their sizes.
    func indexAxes(_ config: ModelConfig, positions: Int, byPosition: Bool) -> [(name: String, size: Int)] {
        if !isPerHead { return [("pos", positions)] }
        return byPosition ? [("pos", positions), ("head", config.nHeads)] : [("head", config.nHeads)]
    }

    /// The first position a patch at `index` can change. Causal attention leaves earlier positions as
    /// in the corrupted run, so the patched run only recomputes positions from here on.
    func firstAffectedPosition(_ index: [Int], byPosition: Bool) -> Int {
        isPerHead && !byPosition ? 0 : index[0]
    }

    /// Copies the part of the clean activation selected by `index` into `activation`, which holds
    /// positions `window...` of the corrupted run (the clean one holds every position).
    func patch(_ activation: inout Tensor, from clean: Tensor, index: [Int], window: Int, byPosition: Bool) {
        let head = isPerHead ? index[index.count - 1] : 0
        let onlyRow: Int? = isPerHead && !byPosition ? nil : index[0]
        let shape = activation.shape, count = activation.count
        clean.withUnsafeBufferPointer { src in
            activation.withUnsafeMutableBufferPointer { dst in
                if self == .pattern {                            // [batch, head, query, key]; rows = queries
                    let (batch, heads, rows, keys) = (shape[0], shape[1], shape[2], shape[3])
                    let cleanRows = clean.shape[2]
                    for b in 0..<batch {
                        for r in 0..<rows where onlyRow == nil || r + window == onlyRow {
                            let to = ((b * heads + head) * rows + r) * keys
                            let from = ((b * heads + head) * cleanRows + r + window) * keys
                            for j in 0..<keys { dst[to + j] = src[from + j] }
                        }
                    }
                    return
                }
                // [batch, pos, inner]: the whole inner block, or one head's d_head slice of it.
                let (batch, rows) = (shape[0], shape[1])
                let inner = count / max(batch * rows, 1)
                let cleanRows = clean.shape[1]
                let width = isPerHead ? shape[3] : inner
                let offset = isPerHead ? head * width : 0
                for b in 0..<batch {
                    for r in 0..<rows where onlyRow == nil || r + window == onlyRow {
                        let to = (b * rows + r) * inner + offset
                        let from = (b * cleanRows + r + window) * inner + offset
                        for j in 0..<width { dst[to + j] = src[from + j] }
                    }
                }
            }
        }
    }
}

/// The result of a patching sweep. Public form: kind `"patching.<target>"`, values in TransformerLens's
/// shapes, positions labelled `"i:token"`, with both logit differences and the metric's formula.
public struct PatchingResult: AnalysisOutput, Equatable {
    public var model: String
    /// What was patched.
    public let target: PatchTarget
    /// Normalised metric per patch: `[layer, pos]` for `.residPre` / `.attnOut`, `[layer, head]` for
    /// the head targets, `[layer, pos, head]` for the head targets by position.
    public let values: Tensor
    /// Axis names of `values`, e.g. `["layer", "pos"]`.
    public let axes: [String]
    /// The tokens of the first clean prompt (the positions' labels).
    public var tokens: [String]
    /// Mean logit difference of the clean run.
    public let cleanLogitDiff: Float
    /// Mean logit difference of the corrupted run.
    public let corruptedLogitDiff: Float

    /// The `[layer, pos]` or `[layer, head]` values as a labelled matrix (rows `L0`, `L1`, …).
    public var matrix: LabelledMatrix {
        let columns = target.isPerHead ? LabelledMatrix.headLabels(values.shape[values.rank - 1]) : positionLabels(tokens)
        return LabelledMatrix(values, rowLabels: LabelledMatrix.layerLabels(values.shape[0]), columnLabels: columns)
    }

    /// The `[layer, pos, head]` values of a by-position sweep as one `[pos, head]` matrix per layer.
    public var panels: [(layer: Int, matrix: LabelledMatrix)] {
        guard values.rank == 3 else { return [] }
        let heads = LabelledMatrix.headLabels(values.shape[2])
        return (0..<values.shape[0]).map { l in
            (l, LabelledMatrix(values.select(axis: 0, l), rowLabels: positionLabels(tokens), columnLabels: heads))
        }
    }

    public var publicForm: AnalysisResult {
        var labels: [String: [String]] = [:]
        if axes.contains("pos") { labels["pos"] = positionLabels(tokens) }
        return AnalysisResult(kind: "patching.\(target.rawValue)", model: model, axes: axes, values: values, labels: labels,
                              extra: ["clean_logit_diff": .number(Double(cleanLogitDiff)),
                                      "corrupted_logit_diff": .number(Double(corruptedLogitDiff)),
                                      "metric": .string("(LD_patched - LD_corrupt) / (LD_clean - LD_corrupt)")])
    }
}

/// Activation patching over every layer × index of `target` (TL's `get_act_patch_resid_pre`,
/// `get_act_patch_attn_out`, `get_act_patch_attn_head_{out,q,k,v,pattern}_all_pos` and, with
/// `byPosition`, the `_by_pos` variants — whose pattern patch copies one query row): for each patch, the corrupted batch is run with the clean activation copied into
/// one slice, and the metric is the normalised logit difference
/// `(LD_patched - LD_corrupt) / (LD_clean - LD_corrupt)`, LD = mean over the batch of
/// `logit[answer] - logit[wrong]` at the last position. 1 means the patch restores clean behaviour.
///
/// Each patched run resumes at the patched layer from the corrupted run's `hook_resid_pre` (the
/// layers before it are unaffected by the patch), recomputes only the positions from the patched
/// one on, with the corrupted run's keys and values of earlier positions as a prefix (attention is
/// causal, so those positions are unaffected too), and unembeds the last position only.
/// - Throws: `PatchingError` when the batches differ in shape, the answer lists do not match the
///   batch, or the clean and corrupted logit differences are equal; `ModelError` for bad tokens.
public func activationPatching(
    model: HookedTransformer, clean: [[Int]], corrupted: [[Int]],
    answers: [Int], wrong: [Int], target: PatchTarget = .residPre, byPosition: Bool = false
) throws -> PatchingResult {
    let pairs = try PromptPairs(clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, vocabulary: model.config.dVocabOut)
    return try activationPatching(model: model, pairs: pairs, target: target, byPosition: byPosition)
}

/// Activation patching of `pairs` (see `activationPatching(model:clean:corrupted:answers:wrong:target:byPosition:)`).
/// - Throws: `PatchingError` when the clean and corrupted logit differences are equal; `ModelError` for bad tokens.
public func activationPatching(model: HookedTransformer, pairs: PromptPairs, target: PatchTarget = .residPre,
                               byPosition: Bool = false) throws -> PatchingResult {
    let config = model.config
    let (clean, corrupted, metric) = (pairs.clean, pairs.corrupted, pairs.logitDifference)
    let positions = clean.first?.count ?? 0
    let layerNames = (0..<config.nLayers).map { target.hookName(layer: $0) }
    let residNames = (0..<config.nLayers).map { HookPoint.name(.residPre, layer: $0) }
    let keyValueNames = (0..<config.nLayers).flatMap { [HookPoint.name(.k, layer: $0), HookPoint.name(.v, layer: $0)] }
    let last = ForwardOptions(logitPositions: .last)

    let cleanRun = try model.run(clean, cache: .names(layerNames), options: last)
    let corruptRun = try model.run(corrupted, cache: .names(residNames + keyValueNames), options: last)
    let ldClean = try metric.value(unwrap(cleanRun.logits))
    let ldCorrupt = try metric.value(unwrap(corruptRun.logits))
    let denominator = ldClean - ldCorrupt
    guard denominator != 0, denominator.isFinite else {
        throw PatchingError("clean and corrupted logit differences are equal (\(ldClean)); the normalised metric is undefined")
    }

    let indexAxes = target.indexAxes(config, positions: positions, byPosition: byPosition)
    let indices = cartesian(indexAxes.map(\.size))
    var values = [Float]()
    values.reserveCapacity(config.nLayers * indices.count)
    for layer in 0..<config.nLayers {
        let name = layerNames[layer]
        let cleanActivation = try unwrap(cleanRun.cache[name])
        let start = try unwrap(corruptRun.cache[residNames[layer]])
        if target.isPerHead && !byPosition {
            // Every position is patched, so no prefix helps; the heads of a layer run side by side in
            // one batch instead (a large model then multiplies each weight matrix once per layer,
            // not once per head). Each sub-batch gets its own head patched.
            values += try headsSideBySide(model: model, corrupted: corrupted, start: (layer, start), hookName: name,
                                          clean: cleanActivation, target: target, metric: metric)
                .map { ($0 - ldCorrupt) / denominator }
            continue
        }
        for index in indices {
            let window = target.firstAffectedPosition(index, byPosition: byPosition)
            let hook = Hook(name) { activation, _ in
                target.patch(&activation, from: cleanActivation, index: index, window: window, byPosition: byPosition)
            }
            var options = ForwardOptions(start: (layer, start), logitPositions: .last)
            var tokens = corrupted
            if window > 0 {
                tokens = corrupted.map { Array($0[window...]) }
                options.start = (layer, start.sliced(axis: 1, window..<positions))
                options.prefix = try KeyValuePrefix(cache: corruptRun.cache, layers: config.nLayers, length: window)
            }
            let patched = try model.run(tokens, hooks: [hook], options: options)
            let ld = try metric.value(unwrap(patched.logits))
            values.append((ld - ldCorrupt) / denominator)
        }
    }
    let shape = [config.nLayers] + indexAxes.map(\.size)
    return PatchingResult(model: config.modelName, target: target, values: try Tensor(shape: shape, scalars: values),
                          axes: ["layer"] + indexAxes.map(\.name), tokens: model.tokenizer.decode(clean[0]),
                          cleanLogitDiff: ldClean, corruptedLogitDiff: ldCorrupt)
}

/// The logit difference of the corrupted batch with one head patched, for every head of a layer
/// (all positions), from runs that put up to 256 sequences side by side: `heads × batch` rows, head
/// `h` patched in rows `h·batch ..< (h+1)·batch`.
private func headsSideBySide(model: HookedTransformer, corrupted: [[Int]], start: (layer: Int, residual: Tensor),
                             hookName: String, clean: Tensor, target: PatchTarget,
                             metric: LogitDifference) throws -> [Float] {
    let heads = model.config.nHeads, batch = corrupted.count
    let perRun = Swift.max(1, 256 / Swift.max(batch, 1))
    var out: [Float] = []
    for first in stride(from: 0, to: heads, by: perRun) {
        let group = Array(first..<Swift.min(first + perRun, heads))
        let tokens = Array(repeating: corrupted, count: group.count).flatMap { $0 }
        let residual = Tensor.concatenate(Array(repeating: start.residual, count: group.count), axis: 0)
        let hook = Hook(hookName) { activation, _ in
            for (g, head) in group.enumerated() {
                var part = activation.sliced(axis: 0, (g * batch)..<((g + 1) * batch))
                target.patch(&part, from: clean, index: [head], window: 0, byPosition: false)
                let size = part.count
                part.withUnsafeBufferPointer { src in
                    activation.withUnsafeMutableBufferPointer { dst in
                        for k in 0..<size { dst[g * size + k] = src[k] }
                    }
                }
            }
        }
        let run = try model.run(tokens, hooks: [hook], options: ForwardOptions(start: (start.layer, residual), logitPositions: .last))
        let logits = try unwrap(run.logits)                                   // [group · batch, 1, vocab]
        for g in group.indices {
            out.append(try metric.value(logits.sliced(axis: 0, (g * batch)..<((g + 1) * batch))))
        }
    }
    return out
}

/// Every multi-index of a grid of the given sizes, row-major.
private func cartesian(_ sizes: [Int]) -> [[Int]] {
    var result: [[Int]] = [[]]
    for size in sizes {
        result = result.flatMap { prefix in (0..<size).map { prefix + [$0] } }
    }
    return result
}

private func unwrap<T>(_ value: T?) throws -> T {
    guard let value else { throw PatchingError("internal: a run did not produce an expected activation") }
    return value
}
