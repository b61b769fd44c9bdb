// HookedTransformer: a TransformerLens-compatible decoder-only transformer with hook points.
import Tensor

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
    /// The tokenizer: word-level over the vocabulary, or GPT-2's byte-level BPE (file metadata `tokenizer`).
    public let tokenizer: Tokenizer
    /// The metadata of the file the model was loaded from (`config`, `vocab`, `training`, …);
    /// empty for a model built in memory.
    public let fileMetadata: [String: String]

    let hookTable: HookPointTable
    let blockPoints: [BlockPointIndices]
    /// The attention projections in the layout the forward multiplies with (packed once).
    private var packed: [PackedLayer] = []

    /// A model from validated weights and a vocabulary of `d_vocab` distinct tokens; `fileMetadata`
    /// is what the file it came from holds, if any (its `tokenizer` entry makes the tokenizer BPE).
    /// - Throws: `ModelError` when the vocabulary does not fit the config.
    public init(weights: ModelWeights, vocab: [String], fileMetadata: [String: String] = [:]) throws(ModelError) {
        try self.init(weights: weights, tokenizer: try Tokenizer(vocab: vocab, metadata: fileMetadata), fileMetadata: fileMetadata)
    }

    /// A model from validated weights and a tokenizer of `d_vocab` tokens.
    /// - Throws: `ModelError` when the vocabulary does not fit the config.
    public init(weights: ModelWeights, tokenizer: Tokenizer, fileMetadata: [String: String] = [:]) throws(ModelError) {
        let config = weights.config
        guard tokenizer.vocab.count == config.dVocab else {
            throw ModelError("vocab has \(tokenizer.vocab.count) tokens but d_vocab is \(config.dVocab)")
        }
        self.config = config
        self.weights = weights
        self.tokenizer = tokenizer
        self.fileMetadata = fileMetadata
        let table = HookPointTable(config: config)
        hookTable = table
        blockPoints = (0..<config.nLayers).map { BlockPointIndices(table, layer: $0) }
        packed = ParameterSource.pack(weights)
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
        packed = ParameterSource.pack(weights)
    }

    /// Replaces one parameter by TL name.
    /// - Throws: `ModelError` when the name is unknown or the shape differs.
    public mutating func setParameter(_ name: String, _ value: Tensor) throws(ModelError) {
        try weights.set(name, value)
        packed = ParameterSource.pack(weights)
    }

    /// Every hook point of this model, in forward order.
    public var hookPoints: [HookPoint] { hookTable.points }

    /// The model's own parameters as a forward pass reads them.
    var constants: ParameterSource { .constants(weights, packed) }
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

    /// The one forward implementation behind `forward`, `runWithCache`, `runWithHooks`,
    /// `runWithGradients` and training (`logits(_:parameters:)`).
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
        var pass = try ForwardPass(table: hookTable, hooks: hooks, cache: cache)
        let out = try forward(tokens, parameters: constants, options: options, &pass)
        return ForwardResult(logits: out.logits?.value, residual: out.residual?.value, cache: pass.cache)
    }

    /// Logits `[batch, pos, d_vocab_out]` as a variable computed from `parameters` (TL names, as
    /// `parameterVariables(on:)` makes): the training forward, the same code as every other run.
    /// - Throws: `ModelError` for a bad token batch or a missing parameter.
    public func logits(_ tokens: [[Int]], parameters: [String: Variable]) throws -> Variable {
        var pass = try ForwardPass(table: hookTable, hooks: [], cache: .none)
        guard let logits = try forward(tokens, parameters: .variables(parameters), options: ForwardOptions(), &pass).logits else {
            throw ModelError("forward: no logits")
        }
        return logits
    }

    /// The parameters as tracked leaves of `tape`, by TL name.
    public func parameterVariables(on tape: Tape) -> [String: Variable] {
        var out: [String: Variable] = [:]
        for name in weights.names {
            if let t = weights[name] { out[name] = tape.variable(t) }
        }
        return out
    }

    /// The forward pass proper: embeddings (or a start residual), blocks, final norm, unembedding.
    func forward(_ tokens: [[Int]], parameters: ParameterSource, options: ForwardOptions,
                 _ pass: inout ForwardPass) throws -> (logits: Variable?, residual: Variable?) {
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
        let stop = options.stopAtLayer ?? c.nLayers
        guard stop >= 0 && stop <= c.nLayers else {
            throw ModelError("stopAtLayer \(stop) is outside 0...\(c.nLayers)")
        }
        do {
            let embedding = try Embedding(parameters, config: c, table: hookTable)
            var resid: Variable                                             // [b, p, d]
            var positions: Variable? = nil                                  // shortformer only
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
                resid = Variable(start.residual)
                if c.positionalEmbeddingType == .shortformer { positions = embedding.wPos.sliced(axis: 0, offset..<(offset + pos)) }
            } else {
                first = 0
                (resid, positions) = try embedding(tokens, offset: offset, &pass)
            }
            let finalNorm = try LayerNorm(parameters, prefix: "ln_final.", config: c,
                                          scalePoint: hookTable.index(.lnFinalScale, layer: 0),
                                          normalizedPoint: hookTable.index(.lnFinalNormalized, layer: 0))
            for l in first..<stop {
                let block = try Block(parameters, layer: l, config: c, points: blockPoints[l])
                // A last-position readout needs only the last row of the final block, unless someone
                // watches it or differentiates through it.
                let lastQueryOnly = l == c.nLayers - 1 && options.logitPositions == .last && options.stopAtLayer == nil
                    && pos > 1 && !resid.requiresGrad && pass.tape == nil
                    && !pass.observesAny(block.rowSubsetPoints + [finalNorm.scalePoint, finalNorm.normalizedPoint])
                resid = try block(resid, positions: positions, prefix: options.prefix, lastQueryOnly: lastQueryOnly, &pass)
            }
            if options.stopAtLayer != nil { return (nil, resid) }
            var final = try finalNorm(resid, &pass)                         // [b, p, d]
            if options.logitPositions == .last && final.shape[1] > 1 {
                final = final.sliced(axis: 1, (pos - 1)..<pos)               // [b, 1, d]
            }
            return (try Unembed(parameters, table: hookTable)(final, &pass), nil)  // [b, p, d_vocab_out]
        } catch is StopForward {
            return (nil, nil)
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
