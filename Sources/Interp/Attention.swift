// Attention patterns for display: hook_pattern of chosen layers for one token sequence.
import Tensor
import Transformer

/// Attention patterns of a prompt, for heatmaps (the BertViz / CircuitsVis analogue).
public enum AttentionAnalysis {
    /// The attention patterns `[layer, head, query, key]` of one sequence for `layers` (all when nil),
    /// kind `"attention"`, axes `layer, head, query, key`, query/key labelled `"i:token"`.
    /// - Throws: `AnalysisError` for a layer outside the model; `ModelError` for bad tokens.
    public static func patterns(model: HookedTransformer, tokens: [Int], layers: [Int]? = nil) throws -> AnalysisResult {
        let c = model.config
        let chosen = layers ?? Array(0..<c.nLayers)
        for l in chosen { try checkLayer(l, c) }
        let names = chosen.map { HookPoint.name(.pattern, layer: $0) }
        let (_, cache) = try model.runWithCache([tokens], names: .names(names))
        var parts: [Tensor] = []
        for name in names {
            guard let p = cache[name] else { throw AnalysisError("internal: no \(name) recorded") }
            parts.append(p.select(axis: 0, 0))                          // [head, q, k]
        }
        let values = Tensor.stack(parts, axis: 0)                      // [layer, head, q, k]
        let pos = positionLabels(model.tokenizer.decode(tokens))
        return AnalysisResult(kind: "attention", model: c.modelName, axes: ["layer", "head", "query", "key"],
                              values: values,
                              labels: ["layer": chosen.map(String.init), "query": pos, "key": pos])
    }
}
