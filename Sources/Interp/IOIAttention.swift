// Mean attention between named positions of IOI prompts (END → IO, END → S2, S2 → S1, …) per head.
import Tensor
import Transformer

/// Mean attention per head between named positions of IOI prompts: the evidence for name movers
/// (END → IO), S-inhibition heads (END → S2) and duplicate-token heads (S2 → S1).
public enum IOIAttention {
    /// One `[layer, head]` tensor per route: the attention from position `from` to position `to`
    /// (names of `IOIPrompt.positions`), averaged over `prompts`. The prompts run as one batch,
    /// padded after END (causal attention leaves the named positions unchanged).
    /// - Throws: `AnalysisError` for no prompts or a prompt without a named position; `ModelError`
    ///   for a bad batch.
    public static func mean(model: HookedTransformer, prompts: [IOIPrompt],
                            routes: [(from: String, to: String)]) throws -> [Tensor] {
        guard !prompts.isEmpty else { throw AnalysisError("no IOI prompts") }
        let c = model.config
        let cells = try prompts.enumerated().map { i, p in
            try routes.map { route -> (query: Int, key: Int) in
                guard let q = p.positions[route.from], let k = p.positions[route.to] else {
                    throw AnalysisError("IOI prompt \(i + 1) lacks the position \(route.from) or \(route.to)")
                }
                return (q, k)
            }
        }
        let (tokens, _) = IOIBatch.padded(prompts)
        let names = (0..<c.nLayers).map { HookPoint.name(.pattern, layer: $0) }
        let (_, cache) = try model.runWithCache(tokens, names: .names(names))
        var totals = [[Double]](repeating: [Double](repeating: 0, count: c.nLayers * c.nHeads), count: routes.count)
        for l in 0..<c.nLayers {
            let pattern = try need(cache[names[l]], names[l])                       // [batch, head, q, k]
            let (q, k) = (pattern.shape[2], pattern.shape[3])
            pattern.withUnsafeBufferPointer { p in
                for (b, prompt) in cells.enumerated() {
                    for (r, cell) in prompt.enumerated() {
                        for h in 0..<c.nHeads { totals[r][l * c.nHeads + h] += Double(p[((b * c.nHeads + h) * q + cell.query) * k + cell.key]) }
                    }
                }
            }
        }
        let n = Double(prompts.count)
        return try totals.map { try Tensor(shape: [c.nLayers, c.nHeads], scalars: $0.map { Float($0 / n) }) }
    }

    /// The `[layer, head]` attention from position `from` to position `to`, averaged over `prompts`.
    /// - Throws: as `mean(model:prompts:routes:)`.
    public static func mean(model: HookedTransformer, prompts: [IOIPrompt], from: String, to: String) throws -> Tensor {
        try mean(model: model, prompts: prompts, routes: [(from, to)])[0]
    }
}
