// Attention patterns for display: hook_pattern of chosen layers and heads for one token sequence.
import Tensor
import Transformer

/// The attention patterns of one prompt (the BertViz / CircuitsVis analogue): rows are queries,
/// columns keys. Public form: kind `"attention"`, values `[layer, head, query, key]`, query and key
/// labelled `"i:token"`.
public struct AttentionPatterns: AnalysisOutput, Equatable {
    public var model: String
    /// The layers shown, in order.
    public var layers: [Int]
    /// The heads shown in each layer (every head of the model, or one).
    public var heads: [Int]
    /// The prompt's tokens.
    public var tokens: [String]
    /// `[layer, head, query, key]` over `layers` × `heads`.
    public var values: Tensor

    /// The pattern `[query][key]` of the `layer`-th shown layer and `head`-th shown head.
    public func pattern(layer: Int, head: Int) -> [[Float]] {
        LabelledMatrix.rows(of: values.select(axis: 0, layer).select(axis: 0, head))
    }

    public var publicForm: AnalysisResult {
        let positions = positionLabels(tokens)
        return AnalysisResult(kind: "attention", model: model, axes: ["layer", "head", "query", "key"], values: values,
                              labels: ["layer": layers.map(String.init), "head": heads.map(String.init),
                                       "query": positions, "key": positions])
    }
}

/// Attention patterns of a prompt.
public enum AttentionAnalysis {
    /// The attention patterns of one sequence for `layers` (all when nil) and `head` (all when nil).
    /// - Throws: `AnalysisError` for a layer or head outside the model; `ModelError` for bad tokens.
    public static func patterns(model: HookedTransformer, tokens: [Int], layers: [Int]? = nil, head: Int? = nil) throws -> AttentionPatterns {
        let c = model.config
        let chosen = layers ?? Array(0..<c.nLayers)
        for l in chosen { try checkLayer(l, c) }
        if let head { try checkHead(head, c) }
        let names = chosen.map { HookPoint.name(.pattern, layer: $0) }
        let (_, cache) = try model.runWithCache([tokens], names: .names(names))
        var parts: [Tensor] = []
        for name in names {
            var p = try need(cache[name], name).select(axis: 0, 0)                         // [head, q, k]
            if let head { p = Tensor.stack([p.select(axis: 0, head)], axis: 0) }           // [1, q, k]
            parts.append(p)
        }
        return AttentionPatterns(model: c.modelName, layers: chosen, heads: head.map { [$0] } ?? Array(0..<c.nHeads),
                                 tokens: model.tokenizer.decode(tokens), values: Tensor.stack(parts, axis: 0))
    }
}
