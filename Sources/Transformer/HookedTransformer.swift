// HookedTransformer: a TransformerLens-compatible decoder-only transformer with hook points.
import Tensor

/// The parameters of one block in the layout the forward pass multiplies with
/// (W_Q/W_K/W_V as `[d_model, head·d_head]`, W_O as `[head·d_head, d_model]`).
struct LayerParameters: Sendable {
    var ln1w: Tensor?, ln1b: Tensor?
    var wQ: Tensor, wK: Tensor, wV: Tensor, bQ: Tensor, bK: Tensor, bV: Tensor, wO: Tensor, bO: Tensor
    var ln2w: Tensor?, ln2b: Tensor?
    var wIn: Tensor?, bIn: Tensor?, wOut: Tensor?, bOut: Tensor?
}

/// A decoder-only transformer computing exactly what TransformerLens's `HookedTransformer` computes,
/// with the same parameter names, hook point names and activation shapes.
///
/// ```swift
/// let model = try HookedTransformer(contentsOf: url)
/// let tokens = try model.tokenizer.encode("cat river seven cat river")
/// let (logits, cache) = try model.runWithCache([tokens])
/// let pattern = cache["blocks.1.attn.hook_pattern"]   // [batch, head, query, key]
/// ```
public struct HookedTransformer: Sendable {
    /// The architecture.
    public let config: ModelConfig
    /// The parameters under TL names. Change them with `setWeights` / `setParameter`.
    public private(set) var weights: ModelWeights
    /// The word-level tokenizer over the model's vocabulary.
    public let tokenizer: Tokenizer

    let hookTable: HookPointTable
    let blockPoints: [BlockPointIndices]
    private(set) var layers: [LayerParameters] = []
    private(set) var wE: Tensor, wPos: Tensor, wU: Tensor, bU: Tensor
    private(set) var lnFinalW: Tensor?, lnFinalB: Tensor?

    /// A model from validated weights and a vocabulary of `d_vocab` distinct tokens.
    /// - Throws: `ModelError` when the vocabulary does not fit the config.
    public init(weights: ModelWeights, vocab: [String]) throws(ModelError) {
        let config = weights.config
        guard vocab.count == config.dVocab else {
            throw ModelError("vocab has \(vocab.count) tokens but d_vocab is \(config.dVocab)")
        }
        self.config = config
        self.weights = weights
        self.tokenizer = try Tokenizer(vocab: vocab)
        let table = HookPointTable(config: config)
        hookTable = table
        blockPoints = (0..<config.nLayers).map { BlockPointIndices(table, layer: $0) }
        // Placeholders, replaced by pack() below.
        wE = Tensor.zeros([0]); wPos = wE; wU = wE; bU = wE
        pack()
    }

    /// A randomly initialised model (`ModelWeights.random`), for tests, benchmarks and training.
    /// `vocab` defaults to `<bos>` followed by `t1`, `t2`, ….
    public static func random(config: ModelConfig, seed: UInt64, vocab: [String]? = nil) throws(ModelError) -> HookedTransformer {
        let words = vocab ?? Tokenizer.placeholderVocabulary(size: config.dVocab)
        return try HookedTransformer(weights: ModelWeights.random(config: config, seed: seed), vocab: words)
    }

    /// Replaces all parameters.
    /// - Throws: `ModelError` when the weights belong to another config.
    public mutating func setWeights(_ newWeights: ModelWeights) throws(ModelError) {
        guard newWeights.config == config else { throw ModelError("weights belong to a different config") }
        weights = newWeights
        pack()
    }

    /// Replaces one parameter by TL name.
    /// - Throws: `ModelError` when the name is unknown or the shape differs.
    public mutating func setParameter(_ name: String, _ value: Tensor) throws(ModelError) {
        try weights.set(name, value)
        pack()
    }

    /// Every hook point of this model, in forward order.
    public var hookPoints: [HookPoint] { hookTable.points }

    /// Rebuilds the multiplication layouts from the TL-named weights.
    private mutating func pack() {
        let w = weights, c = config
        func t(_ name: String) -> Tensor { w[name] ?? Tensor.zeros([0]) }
        func heads(_ name: String) -> Tensor {   // [head, d_model, d_head] -> [d_model, head·d_head]
            t(name).permuted([1, 0, 2]).reshapedUnchecked([c.dModel, c.nHeads * c.dHead])
        }
        let hd = c.nHeads * c.dHead
        layers = (0..<c.nLayers).map { l in
            let p = "blocks.\(l)."
            return LayerParameters(
                ln1w: w[p + "ln1.w"], ln1b: w[p + "ln1.b"],
                wQ: heads(p + "attn.W_Q"), wK: heads(p + "attn.W_K"), wV: heads(p + "attn.W_V"),
                bQ: t(p + "attn.b_Q").reshapedUnchecked([hd]), bK: t(p + "attn.b_K").reshapedUnchecked([hd]),
                bV: t(p + "attn.b_V").reshapedUnchecked([hd]),
                wO: t(p + "attn.W_O").reshapedUnchecked([hd, c.dModel]), bO: t(p + "attn.b_O"),
                ln2w: w[p + "ln2.w"], ln2b: w[p + "ln2.b"],
                wIn: w[p + "mlp.W_in"], bIn: w[p + "mlp.b_in"], wOut: w[p + "mlp.W_out"], bOut: w[p + "mlp.b_out"])
        }
        wE = t("embed.W_E"); wPos = t("pos_embed.W_pos"); wU = t("unembed.W_U"); bU = t("unembed.b_U")
        lnFinalW = w["ln_final.w"]; lnFinalB = w["ln_final.b"]
    }
}

// MARK: - Running

extension HookedTransformer {
    /// Logits `[batch, pos, d_vocab_out]` for a batch of equal-length token sequences.
    /// - Throws: `ModelError` for an empty or ragged batch, too many positions, or ids outside the vocabulary.
    public func forward(_ tokens: [[Int]]) throws -> Tensor {
        try run(tokens).logits ?? Tensor.zeros([0])
    }

    /// Logits plus the activations at every hook point the filter accepts (TL's `run_with_cache`).
    public func runWithCache(_ tokens: [[Int]], names: HookFilter = .all) throws -> (logits: Tensor, cache: ActivationCache) {
        let result = try run(tokens, cache: names)
        return (result.logits ?? Tensor.zeros([0]), result.cache)
    }

    /// Logits with hooks that may read or replace activations (TL's `run_with_hooks`).
    public func runWithHooks(_ tokens: [[Int]], hooks: [Hook]) throws -> Tensor {
        try run(tokens, hooks: hooks).logits ?? Tensor.zeros([0])
    }

    /// The one forward implementation behind `forward`, `runWithCache` and `runWithHooks`.
    ///
    /// - Parameters:
    ///   - tokens: equal-length sequences of ids, at most `n_ctx` long.
    ///   - hooks: run at their points in forward order; they may replace activations (same shape).
    ///   - cache: which points to record.
    ///   - options: start at / stop at a layer, and which positions get logits.
    /// - Throws: `ModelError` for bad tokens, options, hook names or shape-changing hooks; errors a
    ///   hook throws pass through (except `StopForward`, which ends the run early without logits).
    public func run(_ tokens: [[Int]], hooks: [Hook] = [], cache: HookFilter = .none,
                    options: ForwardOptions = ForwardOptions()) throws -> ForwardResult {
        try Cancellation.check()  // Ctrl-C stops a sweep of many forward passes between two of them
        let c = config
        let offset = options.prefix?.length ?? 0
        let (batch, pos) = try validate(tokens, offset: offset)
        if let prefix = options.prefix {
            guard prefix.keys.count == c.nLayers else {
                throw ModelError("prefix has \(prefix.keys.count) layers, the model \(c.nLayers)")
            }
            for (l, k) in prefix.keys.enumerated() where k.shape[0] != batch || k.shape[2] != c.nHeads || k.shape[3] != c.dHead {
                throw ModelError("prefix keys of layer \(l) have shape \(k.shape), expected [\(batch), ≥\(prefix.length), \(c.nHeads), \(c.dHead)]")
            }
        }
        var pass = try ForwardPass(table: hookTable, hooks: hooks, filter: cache)
        let stop = options.stopAtLayer ?? c.nLayers
        guard stop >= 0 && stop <= c.nLayers else {
            throw ModelError("stopAtLayer \(stop) is outside 0...\(c.nLayers)")
        }
        do {
            var resid: Tensor                                               // [b, p, d]
            var positions: Tensor? = nil                                    // shortformer only
            let first: Int
            if let start = options.start {
                guard start.layer >= 0 && start.layer <= c.nLayers else {
                    throw ModelError("start layer \(start.layer) is outside 0...\(c.nLayers)")
                }
                guard start.residual.shape == [batch, pos, c.dModel] else {
                    throw ModelError("start residual has shape \(start.residual.shape), expected \([batch, pos, c.dModel])")
                }
                guard start.layer <= stop else { throw ModelError("start layer \(start.layer) is after stopAtLayer \(stop)") }
                first = start.layer
                resid = start.residual
                if c.positionalEmbeddingType == .shortformer { positions = wPos.sliced(axis: 0, offset..<(offset + pos)) }
            } else {
                first = 0
                (resid, positions) = try embed(tokens, offset: offset, &pass)
            }
            // A last-position readout needs only the last row of the final block, unless someone watches it.
            let lastRowFinal = options.logitPositions == .last && options.stopAtLayer == nil && pos > 1
                && first < c.nLayers && !pass.observesAny(rowSubsetPoints(layer: c.nLayers - 1))
            for l in first..<stop {
                resid = try block(l, resid, positions: positions, prefix: options.prefix,
                                  lastQueryOnly: lastRowFinal && l == c.nLayers - 1, &pass)
            }
            if options.stopAtLayer != nil {
                return ForwardResult(logits: nil, residual: resid, cache: pass.cache)
            }
            var final = try normalize(resid, weight: lnFinalW, bias: lnFinalB,
                                      scalePoint: hookTable.index(.lnFinalScale, layer: 0),
                                      normalizedPoint: hookTable.index(.lnFinalNormalized, layer: 0), &pass)
            if options.logitPositions == .last && final.shape[1] > 1 {
                final = final.sliced(axis: 1, (pos - 1)..<pos)               // [b, 1, d]
            }
            let logits = final.linear(weight: wU, bias: bU)                 // [b, p, d_vocab_out]
            return ForwardResult(logits: logits, residual: nil, cache: pass.cache)
        } catch is StopForward {
            return ForwardResult(logits: nil, residual: nil, cache: pass.cache)
        }
    }

    /// Checks a token batch: non-empty, equal lengths within n_ctx (after `offset` prefix positions),
    /// ids in the vocabulary.
    func validate(_ tokens: [[Int]], offset: Int = 0) throws(ModelError) -> (batch: Int, pos: Int) {
        guard let first = tokens.first else { throw ModelError("tokens: the batch is empty") }
        let pos = first.count
        guard pos > 0 else { throw ModelError("tokens: sequence 0 is empty") }
        guard offset + pos <= config.nCtx else {
            throw ModelError("tokens: \(offset + pos) positions exceed the context length n_ctx = \(config.nCtx)")
        }
        for (b, seq) in tokens.enumerated() {
            guard seq.count == pos else {
                throw ModelError("tokens: sequence \(b) has \(seq.count) tokens, sequence 0 has \(pos) (a batch needs equal lengths)")
            }
            for (p, id) in seq.enumerated() where id < 0 || id >= config.dVocab {
                throw ModelError("tokens: id \(id) at sequence \(b), position \(p) is outside the vocabulary 0..<\(config.dVocab)")
            }
        }
        return (tokens.count, pos)
    }
}
