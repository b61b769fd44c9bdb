// ModelWeights: the parameters under TransformerLens state-dict names, validated in one place.
import Tensor

/// A model's parameters, named and shaped exactly as TransformerLens's state dict.
///
/// The set of names and every shape follow from the config (`parameterShapes(for:)`); the
/// initialiser checks a tensor dictionary against it, so a `ModelWeights` value always holds
/// exactly the right tensors.
public struct ModelWeights: Sendable, Equatable {
    /// The architecture the weights belong to.
    public let config: ModelConfig
    /// Parameters by TL name.
    public private(set) var tensors: [String: Tensor]

    /// Every parameter name with its shape, in TL's order (embeddings, blocks, final norm, unembed).
    public static func parameterShapes(for c: ModelConfig) -> [(name: String, shape: [Int])] {
        var out: [(String, [Int])] = [("embed.W_E", [c.dVocab, c.dModel]), ("pos_embed.W_pos", [c.nCtx, c.dModel])]
        for l in 0..<Swift.max(c.nLayers, 0) {
            let p = "blocks.\(l)."
            if c.normalizationType == .ln { out += [(p + "ln1.w", [c.dModel]), (p + "ln1.b", [c.dModel])] }
            out += [
                (p + "attn.W_Q", [c.nHeads, c.dModel, c.dHead]), (p + "attn.W_K", [c.nHeads, c.dModel, c.dHead]),
                (p + "attn.W_V", [c.nHeads, c.dModel, c.dHead]), (p + "attn.W_O", [c.nHeads, c.dHead, c.dModel]),
                (p + "attn.b_Q", [c.nHeads, c.dHead]), (p + "attn.b_K", [c.nHeads, c.dHead]),
                (p + "attn.b_V", [c.nHeads, c.dHead]), (p + "attn.b_O", [c.dModel]),
            ]
            if !c.attnOnly, let dMLP = c.dMLP {
                if c.normalizationType == .ln { out += [(p + "ln2.w", [c.dModel]), (p + "ln2.b", [c.dModel])] }
                out += [(p + "mlp.W_in", [c.dModel, dMLP]), (p + "mlp.b_in", [dMLP]),
                        (p + "mlp.W_out", [dMLP, c.dModel]), (p + "mlp.b_out", [c.dModel])]
            }
        }
        if c.normalizationType == .ln { out += [("ln_final.w", [c.dModel]), ("ln_final.b", [c.dModel])] }
        out += [("unembed.W_U", [c.dModel, c.dVocabOut]), ("unembed.b_U", [c.dVocabOut])]
        return out
    }

    /// TransformerLens buffers that a state dict exported from Python may carry; ignored on load.
    static func isIgnoredBuffer(_ name: String) -> Bool {
        name.hasSuffix(".attn.mask") || name.hasSuffix(".attn.IGNORE")
    }

    /// Checks `tensors` against the config: every parameter present with its exact shape, nothing else
    /// (TL's `mask` / `IGNORE` buffers are dropped). `source` names the file in errors.
    /// - Throws: `ModelError` naming the tensor, the expected and found shapes, and `source`.
    public init(config: ModelConfig, tensors: [String: Tensor], source: String) throws(ModelError) {
        let expected = ModelWeights.parameterShapes(for: config)
        var kept: [String: Tensor] = [:]
        for (name, shape) in expected {
            guard let t = tensors[name] else {
                throw ModelError("\(source): missing tensor '\(name)' (expected shape \(shape))")
            }
            guard t.shape == shape else {
                throw ModelError("\(source): tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
            kept[name] = t
        }
        let known = Set(expected.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !known.contains($0) && !ModelWeights.isIgnoredBuffer($0) }) {
            throw ModelError("\(source): unexpected tensor '\(extra)' for this config")
        }
        self.config = config
        self.tensors = kept
    }

    /// TL-style random initialisation: weights normal with std `0.8/√d_model` (TL's default
    /// `initializer_range`), biases 0, LayerNorm weights 1. Deterministic for a given seed.
    public static func random(config: ModelConfig, seed: UInt64) -> ModelWeights {
        var rng = SeededRandom(seed: seed)
        let std = Float(0.8 / Double(config.dModel).squareRoot())
        var tensors: [String: Tensor] = [:]
        for (name, shape) in parameterShapes(for: config) {
            let leaf = name.split(separator: ".").last.map(String.init) ?? name
            if leaf == "w" {
                tensors[name] = Tensor.ones(shape)
            } else if leaf.hasPrefix("b") {
                tensors[name] = Tensor.zeros(shape)
            } else {
                tensors[name] = Tensor.randomNormal(shape, std: std, using: &rng)
            }
        }
        // The names and shapes come from the config itself, so validation cannot fail.
        return ModelWeights(unchecked: config, tensors)
    }

    private init(unchecked config: ModelConfig, _ tensors: [String: Tensor]) {
        self.config = config
        self.tensors = tensors
    }

    /// The parameter `name`, or nil when the config has no such parameter.
    public subscript(name: String) -> Tensor? { tensors[name] }

    /// Parameter names in TL's order.
    public var names: [String] { ModelWeights.parameterShapes(for: config).map(\.name) }

    /// Total number of parameters.
    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.count } }

    /// Replaces one parameter.
    /// - Throws: `ModelError` when the name is unknown or the shape differs.
    public mutating func set(_ name: String, _ value: Tensor) throws(ModelError) {
        guard let old = tensors[name] else { throw ModelError("no parameter named '\(name)'") }
        guard old.shape == value.shape else {
            throw ModelError("parameter '\(name)': shape \(value.shape) does not match \(old.shape)")
        }
        tensors[name] = value
    }
}

