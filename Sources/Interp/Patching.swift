// Activation patching sweeps (TL's patching.get_act_patch_*), written on top of runWithHooks.
import Tensor
import Transformer

/// A patching failure: inputs that do not fit together, or a metric that is undefined. One line.
public struct PatchingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    /// An error with a one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a sweep patches from the clean run into the corrupted run.
public enum PatchTarget: String, Sendable, CaseIterable {
    /// `blocks.{l}.hook_resid_pre` at one position (all batch entries): result `[layer, pos]`.
    case residPre = "resid_pre"

    /// The hook point patched in layer `l`.
    func hookName(layer: Int) -> String {
        switch self {
        case .residPre: return HookPoint.name(.residPre, layer: layer)
        }
    }

    /// The axes of the result after `layer`, with their sizes.
    func indexAxes(_ config: ModelConfig, positions: Int) -> [(name: String, size: Int)] {
        switch self {
        case .residPre: return [("pos", positions)]
        }
    }

    /// The first position a patch at `index` can change. Causal attention leaves earlier positions as
    /// in the corrupted run, so the patched run only recomputes positions from here on.
    func firstAffectedPosition(_ index: [Int]) -> Int {
        switch self {
        case .residPre: return index[0]
        }
    }

    /// Copies the part of the clean activation selected by `index` into `activation`, which holds
    /// positions `window...` of the corrupted run (the clean one holds every position).
    func patch(_ activation: inout Tensor, from clean: Tensor, index: [Int], window: Int) {
        switch self {
        case .residPre:                                      // [batch, pos, d_model]; index = [pos]
            let (batch, rows, d) = (activation.shape[0], activation.shape[1], activation.shape[2])
            let cleanRows = clean.shape[1]
            let p = index[0]
            clean.withUnsafeBufferPointer { src in
                activation.withUnsafeMutableBufferPointer { dst in
                    for b in 0..<batch {
                        let to = (b * rows + p - window) * d, from = (b * cleanRows + p) * d
                        for j in 0..<d { dst[to + j] = src[from + j] }
                    }
                }
            }
        }
    }
}

/// The result of a patching sweep.
public struct PatchingResult: Sendable {
    /// What was patched.
    public let target: PatchTarget
    /// Normalised metric per patch: `[layer, pos]` for `.residPre`.
    public let values: Tensor
    /// Axis names of `values`, e.g. `["layer", "pos"]`.
    public let axes: [String]
    /// Mean logit difference of the clean run.
    public let cleanLogitDiff: Float
    /// Mean logit difference of the corrupted run.
    public let corruptedLogitDiff: Float
}

/// Mean over the batch of `logits[b, last, answers[b]] - logits[b, last, wrong[b]]`.
/// - Throws: `PatchingError` unless `logits` is `[batch, pos, vocab]` with one answer and one wrong id
///   per batch entry, each inside the vocabulary.
public func logitDifference(_ logits: Tensor, answers: [Int], wrong: [Int]) throws(PatchingError) -> Float {
    guard logits.rank == 3 else { throw PatchingError("logits must be [batch, pos, vocab], got \(logits.shape)") }
    let (batch, pos, vocab) = (logits.shape[0], logits.shape[1], logits.shape[2])
    guard answers.count == batch, wrong.count == batch else {
        throw PatchingError("\(answers.count) answers and \(wrong.count) wrong ids for a batch of \(batch); need one each")
    }
    guard pos > 0 else { throw PatchingError("logits have no positions") }
    for id in answers + wrong where id < 0 || id >= vocab {
        throw PatchingError("answer id \(id) is outside the vocabulary 0..<\(vocab)")
    }
    var total: Double = 0
    logits.withUnsafeBufferPointer { p in
        for b in 0..<batch {
            let row = (b * pos + pos - 1) * vocab
            total += Double(p[row + answers[b]]) - Double(p[row + wrong[b]])
        }
    }
    return Float(total / Double(batch))
}

/// Activation patching over every layer × index of `target` (TL's `get_act_patch_resid_pre` for
/// `.residPre`): for each patch, the corrupted batch is run with the clean activation copied into
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
    answers: [Int], wrong: [Int], target: PatchTarget = .residPre
) throws -> PatchingResult {
    let config = model.config
    guard clean.count == corrupted.count else {
        throw PatchingError("clean batch has \(clean.count) sequences, corrupted has \(corrupted.count); they must match")
    }
    for (b, (c, k)) in zip(clean, corrupted).enumerated() where c.count != k.count {
        throw PatchingError("sequence \(b): clean has \(c.count) tokens, corrupted has \(k.count); lengths must match")
    }
    guard answers.count == clean.count, wrong.count == clean.count else {
        throw PatchingError("\(answers.count) answers and \(wrong.count) wrong ids for a batch of \(clean.count); need one each")
    }
    for id in answers + wrong where id < 0 || id >= config.dVocabOut {
        throw PatchingError("answer id \(id) is outside the vocabulary 0..<\(config.dVocabOut)")
    }
    let positions = clean.first?.count ?? 0
    let layerNames = (0..<config.nLayers).map { target.hookName(layer: $0) }
    let residNames = (0..<config.nLayers).map { HookPoint.name(.residPre, layer: $0) }
    let keyValueNames = (0..<config.nLayers).flatMap { [HookPoint.name(.k, layer: $0), HookPoint.name(.v, layer: $0)] }
    let last = ForwardOptions(logitPositions: .last)

    let cleanRun = try model.run(clean, cache: .names(layerNames), options: last)
    let corruptRun = try model.run(corrupted, cache: .names(residNames + keyValueNames), options: last)
    let ldClean = try logitDifference(unwrap(cleanRun.logits), answers: answers, wrong: wrong)
    let ldCorrupt = try logitDifference(unwrap(corruptRun.logits), answers: answers, wrong: wrong)
    let denominator = ldClean - ldCorrupt
    guard denominator != 0, denominator.isFinite else {
        throw PatchingError("clean and corrupted logit differences are equal (\(ldClean)); the normalised metric is undefined")
    }

    let indexAxes = target.indexAxes(config, positions: positions)
    let indices = cartesian(indexAxes.map(\.size))
    var values = [Float]()
    values.reserveCapacity(config.nLayers * indices.count)
    for layer in 0..<config.nLayers {
        let name = layerNames[layer]
        let cleanActivation = try unwrap(cleanRun.cache[name])
        let start = try unwrap(corruptRun.cache[residNames[layer]])
        for index in indices {
            let window = target.firstAffectedPosition(index)
            let hook = Hook(name) { activation, _ in
                target.patch(&activation, from: cleanActivation, index: index, window: window)
            }
            var options = ForwardOptions(start: (layer, start), logitPositions: .last)
            var tokens = corrupted
            if window > 0 {
                tokens = corrupted.map { Array($0[window...]) }
                options.start = (layer, start.sliced(axis: 1, window..<positions))
                options.prefix = try KeyValuePrefix(cache: corruptRun.cache, layers: config.nLayers, length: window)
            }
            let patched = try model.run(tokens, hooks: [hook], options: options)
            let ld = try logitDifference(unwrap(patched.logits), answers: answers, wrong: wrong)
            values.append((ld - ldCorrupt) / denominator)
        }
    }
    let shape = [config.nLayers] + indexAxes.map(\.size)
    return PatchingResult(target: target, values: try Tensor(shape: shape, scalars: values),
                          axes: ["layer"] + indexAxes.map(\.name),
                          cleanLogitDiff: ldClean, corruptedLogitDiff: ldCorrupt)
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
