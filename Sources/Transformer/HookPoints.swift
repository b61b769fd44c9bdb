// Hook points: every activation TransformerLens exposes, with TL's names, in forward order.

/// The kinds of activation a hook can read or replace (TL names in the raw values' comments).
public enum HookKind: String, Sendable, CaseIterable {
    /// `hook_embed` [batch, pos, d_model]
    case embed = "hook_embed"
    /// `hook_pos_embed` [batch, pos, d_model]
    case posEmbed = "hook_pos_embed"
    /// `blocks.{l}.hook_resid_pre` [batch, pos, d_model]
    case residPre = "hook_resid_pre"
    /// `blocks.{l}.ln1.hook_scale` [batch, pos, 1]
    case ln1Scale = "ln1.hook_scale"
    /// `blocks.{l}.ln1.hook_normalized` [batch, pos, d_model], before the affine (TL 3)
    case ln1Normalized = "ln1.hook_normalized"
    /// `blocks.{l}.attn.hook_q` [batch, pos, head, d_head]
    case q = "attn.hook_q"
    /// `blocks.{l}.attn.hook_k` [batch, pos, head, d_head]
    case k = "attn.hook_k"
    /// `blocks.{l}.attn.hook_v` [batch, pos, head, d_head]
    case v = "attn.hook_v"
    /// `blocks.{l}.attn.hook_attn_scores` [batch, head, query, key], scaled, masked with -∞
    case attnScores = "attn.hook_attn_scores"
    /// `blocks.{l}.attn.hook_pattern` [batch, head, query, key]
    case pattern = "attn.hook_pattern"
    /// `blocks.{l}.attn.hook_z` [batch, pos, head, d_head]
    case z = "attn.hook_z"
    /// `blocks.{l}.hook_attn_out` [batch, pos, d_model]
    case attnOut = "hook_attn_out"
    /// `blocks.{l}.hook_resid_mid` [batch, pos, d_model] (models with an MLP)
    case residMid = "hook_resid_mid"
    /// `blocks.{l}.ln2.hook_scale` [batch, pos, 1]
    case ln2Scale = "ln2.hook_scale"
    /// `blocks.{l}.ln2.hook_normalized` [batch, pos, d_model]
    case ln2Normalized = "ln2.hook_normalized"
    /// `blocks.{l}.mlp.hook_pre` [batch, pos, d_mlp]
    case mlpPre = "mlp.hook_pre"
    /// `blocks.{l}.mlp.hook_post` [batch, pos, d_mlp]
    case mlpPost = "mlp.hook_post"
    /// `blocks.{l}.hook_mlp_out` [batch, pos, d_model]
    case mlpOut = "hook_mlp_out"
    /// `blocks.{l}.hook_resid_post` [batch, pos, d_model]
    case residPost = "hook_resid_post"
    /// `ln_final.hook_scale` [batch, pos, 1]
    case lnFinalScale = "ln_final.hook_scale"
    /// `ln_final.hook_normalized` [batch, pos, d_model]
    case lnFinalNormalized = "ln_final.hook_normalized"
    /// `unembed.hook_in` [batch, pos, d_model]: the residual stream the unembedding reads (after the
    /// final norm's affine)
    case unembedIn = "unembed.hook_in"
    /// `unembed.hook_out` [batch, pos, d_vocab_out]: the logits
    case unembedOut = "unembed.hook_out"

    /// True for the kinds that live inside a block (`blocks.{l}.…`).
    public var isPerLayer: Bool {
        switch self {
        case .embed, .posEmbed, .lnFinalScale, .lnFinalNormalized, .unembedIn, .unembedOut: return false
        default: return true
        }
    }

    /// The per-layer kinds in the order a block computes them.
    static let blockOrder: [HookKind] = [
        .residPre, .ln1Scale, .ln1Normalized, .q, .k, .v, .attnScores, .pattern, .z, .attnOut,
        .residMid, .ln2Scale, .ln2Normalized, .mlpPre, .mlpPost, .mlpOut, .residPost,
    ]
}

/// One hook point of a particular model: its TL name, kind and layer.
public struct HookPoint: Sendable, Hashable, CustomStringConvertible {
    /// The TL name, e.g. `blocks.0.attn.hook_pattern`.
    public let name: String
    /// What the activation is.
    public let kind: HookKind
    /// The block index, or nil for embeddings and the final norm.
    public let layer: Int?

    /// The point of `kind` in `layer` (nil layer for the non-block kinds).
    public init(_ kind: HookKind, layer: Int? = nil) {
        self.kind = kind
        self.layer = kind.isPerLayer ? layer : nil
        if kind.isPerLayer, let layer {
            name = "blocks.\(layer).\(kind.rawValue)"
        } else {
            name = kind.rawValue
        }
    }

    public var description: String { name }

    /// The TL name of the point of `kind` in `layer` (e.g. `HookPoint.name(.pattern, layer: 1)`).
    public static func name(_ kind: HookKind, layer: Int) -> String { HookPoint(kind, layer: layer).name }
}

/// The hook points a config has, in forward order, with O(1) lookup by (kind, layer).
struct HookPointTable: Sendable {
    let points: [HookPoint]
    let indexByName: [String: Int]
    /// slot[kind] for per-layer kinds: offset within a layer's block of points, or -1 when absent.
    private let slot: [HookKind: Int]
    private let perLayer: Int
    private let layerBase: Int
    private let global: [HookKind: Int]

    init(config c: ModelConfig) {
        var points: [HookPoint] = [HookPoint(.embed), HookPoint(.posEmbed)]
        var global: [HookKind: Int] = [.embed: 0, .posEmbed: 1]
        let hasNorm = c.normalizationType != nil
        let kinds = HookKind.blockOrder.filter { kind in
            switch kind {
            case .ln1Scale, .ln1Normalized: return hasNorm
            case .residMid, .mlpPre, .mlpPost, .mlpOut: return !c.attnOnly
            case .ln2Scale, .ln2Normalized: return hasNorm && !c.attnOnly
            default: return true
            }
        }
        var slot: [HookKind: Int] = [:]
        for (i, k) in kinds.enumerated() { slot[k] = i }
        layerBase = points.count
        for l in 0..<c.nLayers { points += kinds.map { HookPoint($0, layer: l) } }
        if hasNorm {
            global[.lnFinalScale] = points.count
            points.append(HookPoint(.lnFinalScale))
            global[.lnFinalNormalized] = points.count
            points.append(HookPoint(.lnFinalNormalized))
        }
        for kind in [HookKind.unembedIn, .unembedOut] {
            global[kind] = points.count
            points.append(HookPoint(kind))
        }
        self.points = points
        self.slot = slot
        self.perLayer = kinds.count
        self.global = global
        var byName: [String: Int] = [:]
        for (i, p) in points.enumerated() { byName[p.name] = i }
        indexByName = byName
    }

    /// Index of the point named `name`.
    /// - Throws: `ModelError` naming the closest known points.
    func index(named name: String) throws(ModelError) -> Int {
        if let i = indexByName[name] { return i }
        let near = Tokenizer.closest(to: name, in: points.map(\.name), limit: 3)
        throw ModelError("no hook point named '\(name)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
    }

    /// Index of a point, or -1 when the model has no such point.
    @inline(__always)
    func index(_ kind: HookKind, layer: Int) -> Int {
        if let g = global[kind] { return g }
        guard let s = slot[kind] else { return -1 }
        return layerBase + layer * perLayer + s
    }
}

/// The point indices of one block, precomputed so the forward pass does no lookups (-1 = absent).
struct BlockPointIndices: Sendable {
    var residPre = -1, ln1Scale = -1, ln1Normalized = -1, q = -1, k = -1, v = -1, attnScores = -1, pattern = -1
    var z = -1, attnOut = -1, residMid = -1, ln2Scale = -1, ln2Normalized = -1, mlpPre = -1, mlpPost = -1
    var mlpOut = -1, residPost = -1

    init(_ table: HookPointTable, layer l: Int) {
        residPre = table.index(.residPre, layer: l)
        ln1Scale = table.index(.ln1Scale, layer: l)
        ln1Normalized = table.index(.ln1Normalized, layer: l)
        q = table.index(.q, layer: l)
        k = table.index(.k, layer: l)
        v = table.index(.v, layer: l)
        attnScores = table.index(.attnScores, layer: l)
        pattern = table.index(.pattern, layer: l)
        z = table.index(.z, layer: l)
        attnOut = table.index(.attnOut, layer: l)
        residMid = table.index(.residMid, layer: l)
        ln2Scale = table.index(.ln2Scale, layer: l)
        ln2Normalized = table.index(.ln2Normalized, layer: l)
        mlpPre = table.index(.mlpPre, layer: l)
        mlpPost = table.index(.mlpPost, layer: l)
        mlpOut = table.index(.mlpOut, layer: l)
        residPost = table.index(.residPost, layer: l)
    }
}
