// ModelConfig: the architecture of a model, with TransformerLens HookedTransformerConfig field names.
import Foundation

/// The architecture of a model, coded with TransformerLens's `HookedTransformerConfig` field names,
/// so that `HookedTransformerConfig(**json.loads(config))` works in Python.
///
/// Missing optional fields get TL's defaults (`n_heads = d_model // d_head`, `d_mlp = 4·d_model`,
/// `normalization_type = "LN"`, `positional_embedding_type = "standard"`, `eps = 1e-5`,
/// `attn_only = false`, `d_vocab_out = d_vocab`). Unknown fields are ignored; fields that would
/// change the computation in ways this engine does not implement are rejected.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Activation functions of the MLP.
    public enum ActivationFunction: String, Codable, Sendable, CaseIterable {
        /// GPT-2's tanh approximation.
        case geluNew = "gelu_new"
        /// The exact (erf) GELU.
        case gelu
        /// max(x, 0).
        case relu
    }

    /// Normalization layers (`nil` in the config means none).
    public enum Normalization: String, Codable, Sendable, CaseIterable {
        /// LayerNorm with weight and bias.
        case ln = "LN"
        /// LayerNorm without affine (centre and scale only; TL's folded form).
        case lnPre = "LNPre"
    }

    /// How positions enter the model.
    public enum PositionalEmbedding: String, Codable, Sendable, CaseIterable {
        /// Added to the residual stream after the token embedding.
        case standard
        /// Added to the query and key inputs of every attention layer only.
        case shortformer
    }

    /// Number of transformer blocks (`n_layers`).
    public var nLayers: Int
    /// Width of the residual stream (`d_model`).
    public var dModel: Int
    /// Attention heads per block (`n_heads`); `n_heads · d_head` need not equal `d_model`.
    public var nHeads: Int
    /// Width of each head (`d_head`).
    public var dHead: Int
    /// Maximum sequence length (`n_ctx`).
    public var nCtx: Int
    /// Vocabulary size of the embedding (`d_vocab`).
    public var dVocab: Int
    /// Size of the unembedding output (TL's `d_vocab_out`; equals `dVocab` unless set).
    public var dVocabOut: Int
    /// True for models without MLPs (`attn_only`).
    public var attnOnly: Bool
    /// MLP width; `nil` for attention-only models.
    public var dMLP: Int?
    /// MLP activation; `nil` for attention-only models.
    public var actFn: ActivationFunction?
    /// Normalization; `nil` for none.
    public var normalizationType: Normalization?
    /// How positions enter (`positional_embedding_type`).
    public var positionalEmbeddingType: PositionalEmbedding
    /// LayerNorm epsilon (`eps`).
    public var eps: Double
    /// A label (`model_name`).
    public var modelName: String

    enum CodingKeys: String, CodingKey {
        case nLayers = "n_layers", dModel = "d_model", nHeads = "n_heads", dHead = "d_head", nCtx = "n_ctx"
        case dVocab = "d_vocab", dVocabOut = "d_vocab_out", attnOnly = "attn_only", dMLP = "d_mlp"
        case actFn = "act_fn", normalizationType = "normalization_type"
        case positionalEmbeddingType = "positional_embedding_type", eps, modelName = "model_name"
        // Read only to reject settings this engine does not implement.
        case attentionDir = "attention_dir", useAttnScale = "use_attn_scale", parallelAttnMLP = "parallel_attn_mlp"
        case gatedMLP = "gated_mlp", finalRMS = "final_rms", useLocalAttn = "use_local_attn"
    }

    /// A validated configuration.
    /// - Throws: `ModelError` when a size is not positive or a combination is unsupported.
    public init(
        nLayers: Int, dModel: Int, nHeads: Int, dHead: Int, nCtx: Int, dVocab: Int, dVocabOut: Int? = nil,
        attnOnly: Bool = false, dMLP: Int? = nil, actFn: ActivationFunction? = nil,
        normalizationType: Normalization? = .ln, positionalEmbeddingType: PositionalEmbedding = .standard,
        eps: Double = 1e-5, modelName: String = "custom"
    ) throws(ModelError) {
        self.nLayers = nLayers
        self.dModel = dModel
        self.nHeads = nHeads
        self.dHead = dHead
        self.nCtx = nCtx
        self.dVocab = dVocab
        self.dVocabOut = dVocabOut ?? dVocab
        self.attnOnly = attnOnly
        let defaultMLP = dModel.multipliedReportingOverflow(by: 4)   // a hostile d_model must not trap here
        self.dMLP = attnOnly ? nil : (dMLP ?? (defaultMLP.overflow ? Int.max : defaultMLP.partialValue))
        self.actFn = attnOnly ? nil : actFn
        self.normalizationType = normalizationType
        self.positionalEmbeddingType = positionalEmbeddingType
        self.eps = eps
        self.modelName = modelName
        try validate()
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func required(_ key: CodingKeys) throws -> Int {
            guard let v = try c.decodeIfPresent(Int.self, forKey: key) else {
                throw ModelError("config: missing required field '\(key.rawValue)'")
            }
            return v
        }
        func enumValue<E: RawRepresentable & CaseIterable>(_ key: CodingKeys, _: E.Type) throws -> E?? where E.RawValue == String {
            guard c.contains(key) else { return .none }
            if try c.decodeNil(forKey: key) { return .some(nil) }
            let raw = try c.decode(String.self, forKey: key)
            guard let v = E(rawValue: raw) else {
                let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw ModelError("config: \(key.rawValue) \"\(raw)\" is not supported (\(allowed))")
            }
            return .some(v)
        }
        func flag(_ key: CodingKeys, mustBe expected: Bool) throws {
            if let v = try c.decodeIfPresent(Bool.self, forKey: key), v != expected {
                throw ModelError("config: \(key.rawValue) = \(v) is not supported")
            }
        }
        if let dir = try c.decodeIfPresent(String.self, forKey: .attentionDir), dir != "causal" {
            throw ModelError("config: attention_dir \"\(dir)\" is not supported (\"causal\")")
        }
        try flag(.useAttnScale, mustBe: true)
        try flag(.parallelAttnMLP, mustBe: false)
        try flag(.gatedMLP, mustBe: false)
        try flag(.finalRMS, mustBe: false)
        try flag(.useLocalAttn, mustBe: false)

        let nLayers = try required(.nLayers), dModel = try required(.dModel), dHead = try required(.dHead)
        let nCtx = try required(.nCtx), dVocab = try required(.dVocab)
        var nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? -1
        if nHeads == -1 && dHead > 0 { nHeads = dModel / dHead }
        var dVocabOut = try c.decodeIfPresent(Int.self, forKey: .dVocabOut) ?? -1
        if dVocabOut == -1 { dVocabOut = dVocab }
        let attnOnly = try c.decodeIfPresent(Bool.self, forKey: .attnOnly) ?? false
        let actFn = try enumValue(.actFn, ActivationFunction.self) ?? nil
        if !attnOnly && actFn == nil {
            throw ModelError("config: act_fn is required when attn_only is false (\"gelu_new\", \"gelu\", \"relu\")")
        }
        let normalization: Normalization?
        switch try enumValue(.normalizationType, Normalization.self) {
        case .none: normalization = .ln                 // field absent: TL's default
        case .some(let value): normalization = value    // explicit null means no normalization
        }
        let positional = try enumValue(.positionalEmbeddingType, PositionalEmbedding.self) ?? nil
        try self.init(
            nLayers: nLayers, dModel: dModel, nHeads: nHeads, dHead: dHead, nCtx: nCtx, dVocab: dVocab,
            dVocabOut: dVocabOut, attnOnly: attnOnly, dMLP: try c.decodeIfPresent(Int.self, forKey: .dMLP),
            actFn: actFn, normalizationType: normalization,
            positionalEmbeddingType: positional ?? .standard,
            eps: try c.decodeIfPresent(Double.self, forKey: .eps) ?? 1e-5,
            modelName: try c.decodeIfPresent(String.self, forKey: .modelName) ?? "custom")
    }

    /// Writes every field TL needs, with explicit nulls (an absent `normalization_type` would mean LN to TL).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nLayers, forKey: .nLayers)
        try c.encode(dModel, forKey: .dModel)
        try c.encode(nHeads, forKey: .nHeads)
        try c.encode(dHead, forKey: .dHead)
        try c.encode(nCtx, forKey: .nCtx)
        try c.encode(dVocab, forKey: .dVocab)
        try c.encode(dVocabOut, forKey: .dVocabOut)
        try c.encode(attnOnly, forKey: .attnOnly)
        if let dMLP { try c.encode(dMLP, forKey: .dMLP) } else { try c.encodeNil(forKey: .dMLP) }
        if let actFn { try c.encode(actFn, forKey: .actFn) } else { try c.encodeNil(forKey: .actFn) }
        if let normalizationType { try c.encode(normalizationType, forKey: .normalizationType) } else {
            try c.encodeNil(forKey: .normalizationType)
        }
        try c.encode(positionalEmbeddingType, forKey: .positionalEmbeddingType)
        try c.encode(eps, forKey: .eps)
        try c.encode(modelName, forKey: .modelName)
    }

    /// Largest accepted size of any one dimension (keeps a hostile config from asking for terabytes).
    public static let maxDimension = 1 << 20

    func validate() throws(ModelError) {
        let sizes: [(String, Int)] = [("n_layers", nLayers), ("d_model", dModel), ("n_heads", nHeads), ("d_head", dHead),
                                      ("n_ctx", nCtx), ("d_vocab", dVocab), ("d_vocab_out", dVocabOut)]
            + (dMLP.map { [("d_mlp", $0)] } ?? [])
        for (name, v) in sizes {
            guard v > 0 else { throw ModelError("config: \(name) must be positive, got \(v)") }
            guard v <= ModelConfig.maxDimension else {
                throw ModelError("config: \(name) = \(v) exceeds the limit of \(ModelConfig.maxDimension)")
            }
        }
        if !attnOnly && actFn == nil {
            throw ModelError("config: act_fn is required when attn_only is false (\"gelu_new\", \"gelu\", \"relu\")")
        }
        guard eps.isFinite && eps >= 0 else { throw ModelError("config: eps must be a finite non-negative number, got \(eps)") }
        // Counted in Double: the product of several large sizes could overflow Int.
        let estimate = ModelWeights.parameterShapes(for: self).reduce(0.0) { $0 + $1.shape.reduce(1.0) { $0 * Double($1) } }
        guard estimate <= Double(1 << 31) else {
            throw ModelError("config: \(Int(estimate.rounded())) parameters exceed the limit of 2^31")
        }
    }

    /// Number of parameters the config implies.
    public var parameterCount: Int {
        ModelWeights.parameterShapes(for: self).reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Decodes a config from JSON text; `source` names the file in errors.
    /// - Throws: `ModelError`, one line, naming `source`.
    public static func decode(json: String, source: String) throws(ModelError) -> ModelConfig {
        do {
            return try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
        } catch let error as ModelError {
            throw ModelError("\(source): \(error.message)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            guard !field.isEmpty else { throw ModelError("\(source): config is not a valid JSON object") }
            throw ModelError("\(source): config field '\(field)' has the wrong type")
        } catch {
            throw ModelError("\(source): config is not a valid JSON object")
        }
    }

    /// The config as compact JSON text with sorted keys.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
