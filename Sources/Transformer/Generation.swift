// Generation (TL's `model.generate`): sample one token at a time, each new token costing one position
// thanks to the key/value prefix of the earlier ones.
import Foundation
import Tensor

/// How `HookedTransformer.generate` chooses tokens.
public struct GenerationOptions: Sendable, Equatable {
    /// How many new tokens at most.
    public var maxNewTokens: Int
    /// Softmax temperature; 0 takes the most likely token every time (greedy, TL's `do_sample=False`).
    public var temperature: Double
    /// Sample only among the `topK` most likely tokens (nil: all of them).
    public var topK: Int?
    /// Seed of the sampler (the same seed gives the same tokens).
    public var seed: UInt64
    /// Stop after the end-of-text token (TL's `stop_at_eos`); models without one never stop early.
    public var stopAtEndOfText: Bool
    /// Reuse the keys and values of earlier positions (TL's `use_past_kv_cache`); off, every step
    /// runs the whole sequence again (same tokens, for checking).
    public var useKeyValueCache: Bool

    public init(maxNewTokens: Int = 10, temperature: Double = 1, topK: Int? = nil, seed: UInt64 = 0,
                stopAtEndOfText: Bool = true, useKeyValueCache: Bool = true) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.seed = seed
        self.stopAtEndOfText = stopAtEndOfText
        self.useKeyValueCache = useKeyValueCache
    }
}

/// What `generate` produced.
public struct GenerationResult: Sendable, Equatable {
    /// Why generation ended.
    public enum Stop: String, Sendable, Equatable {
        /// `maxNewTokens` were generated.
        case maxTokens = "max_tokens"
        /// The end-of-text token was generated (it is the last of `tokens`).
        case endOfText = "end_of_text"
        /// The context (n_ctx) is full.
        case contextFull = "context_full"
    }
    /// The new tokens, in order.
    public var tokens: [Int]
    /// Why it stopped.
    public var stop: Stop

    public init(tokens: [Int], stop: Stop) {
        self.tokens = tokens
        self.stop = stop
    }
}

extension HookedTransformer {
    /// Generates up to `options.maxNewTokens` tokens after `prompt` (TL's `generate` for one
    /// sequence), calling `onToken` with each as soon as it is chosen. `hooks` run in every forward
    /// pass; with the key/value cache they see the new position only (`hook_pattern` then has shape
    /// `[1, head, 1, length]`), as in TransformerLens.
    /// - Throws: `ModelError` for an empty or over-long prompt or bad options; errors from hooks or
    ///   `onToken` pass through.
    @discardableResult
    public func generate(_ prompt: [Int], options: GenerationOptions = GenerationOptions(), hooks: [Hook] = [],
                         onToken: (Int) throws -> Void = { _ in }) throws -> GenerationResult {
        guard !prompt.isEmpty else { throw ModelError("generate: the prompt is empty") }
        guard prompt.count <= config.nCtx else {
            throw ModelError("generate: the prompt has \(prompt.count) tokens, more than the context of \(config.nCtx)")
        }
        guard options.maxNewTokens >= 0 else { throw ModelError("generate: maxNewTokens must not be negative") }
        guard options.temperature >= 0 && options.temperature.isFinite else {
            throw ModelError("generate: temperature must be a finite number ≥ 0, got \(options.temperature)")
        }
        if let k = options.topK, k < 1 { throw ModelError("generate: topK must be at least 1, got \(k)") }
        var sampler = TokenSampler(options: options)
        let eos = options.stopAtEndOfText ? tokenizer.eosID : nil
        var sequence = prompt
        var new: [Int] = []
        // Filled in place: nothing else holds the buffers once a pass has returned.
        var buffers = options.useKeyValueCache
            ? KeyValueBuffers(config: config, capacity: min(config.nCtx, prompt.count + options.maxNewTokens)) : nil
        let keysAndValues = HookFilter.names((0..<config.nLayers).flatMap { [HookPoint.name(.k, layer: $0), HookPoint.name(.v, layer: $0)] })
        var pending = prompt                        // the positions the next forward pass must process
        while new.count < options.maxNewTokens {
            let logits: Tensor                      // [1, 1, d_vocab_out]
            if buffers != nil {
                let run = try self.run([pending], hooks: hooks, cache: keysAndValues,
                                       options: ForwardOptions(logitPositions: .last, prefix: try buffers?.prefix()))
                try buffers?.append(run.cache, layers: config.nLayers)
                logits = run.logits ?? Tensor.zeros([1, 1, config.dVocabOut])
            } else {
                logits = try self.run([sequence], hooks: hooks, options: ForwardOptions(logitPositions: .last)).logits
                    ?? Tensor.zeros([1, 1, config.dVocabOut])
            }
            let next = sampler.choose(logits.scalars)
            new.append(next)
            sequence.append(next)
            try onToken(next)
            if let eos, next == eos { return GenerationResult(tokens: new, stop: .endOfText) }
            if sequence.count >= config.nCtx && new.count < options.maxNewTokens {
                return GenerationResult(tokens: new, stop: .contextFull)
            }
            pending = [next]
        }
        return GenerationResult(tokens: new, stop: .maxTokens)
    }
}

/// Per-layer keys and values of the positions processed so far, in buffers sized once for the
/// whole generation and filled in place.
struct KeyValueBuffers {
    var keys: [Tensor], values: [Tensor]          // per layer [1, capacity, head, d_head]
    var length = 0

    init(config c: ModelConfig, capacity: Int) {
        keys = (0..<c.nLayers).map { _ in Tensor.zeros([1, max(capacity, 1), c.nHeads, c.dHead]) }
        values = keys.map { _ in Tensor.zeros([1, max(capacity, 1), c.nHeads, c.dHead]) }
    }

    /// The filled positions as a forward-pass prefix (nil before the first pass).
    func prefix() throws(ModelError) -> KeyValuePrefix? {
        length == 0 ? nil : try KeyValuePrefix(keys: keys, values: values, length: length)
    }

    /// Copies the new positions' `hook_k` / `hook_v` of a run behind the filled ones.
    mutating func append(_ cache: ActivationCache, layers: Int) throws(ModelError) {
        var added = 0
        for l in 0..<layers {
            guard let k = cache[.k, l], let v = cache[.v, l] else { throw ModelError("generate: the run kept no keys of layer \(l)") }
            added = k.shape[1]
            guard length + added <= keys[l].shape[1] else { throw ModelError("generate: the key/value buffer is full") }
            KeyValueBuffers.write(k, into: &keys[l], at: length)
            KeyValueBuffers.write(v, into: &values[l], at: length)
        }
        length += added
    }

    private static func write(_ new: Tensor, into buffer: inout Tensor, at position: Int) {
        let row = new.count / max(new.shape[1], 1)                       // head · d_head
        new.withUnsafeBufferPointer { src in
            buffer.withUnsafeMutableBufferPointer { dst in
                for k in 0..<src.count { dst[position * row + k] = src[k] }
            }
        }
    }
}

/// Greedy choice or temperature / top-k sampling from a row of logits.
struct TokenSampler {
    let temperature: Double
    let topK: Int?
    var rng: SeededRandom

    init(options: GenerationOptions) {
        temperature = options.temperature
        topK = options.topK
        rng = SeededRandom(seed: options.seed)
    }

    mutating func choose(_ logits: [Float]) -> Int {
        guard !logits.isEmpty else { return 0 }
        if temperature == 0 || topK == 1 {
            var best = 0
            for i in 1..<logits.count where logits[i] > logits[best] { best = i }
            return best
        }
        var candidates = Array(logits.indices)
        if let k = topK, k < logits.count {
            candidates.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            candidates = Array(candidates.prefix(k))
        }
        let scaled = candidates.map { Double(logits[$0]) / temperature }
        let top = scaled.max() ?? 0
        let weights = scaled.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        var u = rng.uniformDouble() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return candidates[i] }
        }
        return candidates[candidates.count - 1]
    }
}
