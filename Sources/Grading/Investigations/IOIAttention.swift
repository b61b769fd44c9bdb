import Tensor
import Transformer

/// Mean attention between named positions of IOI prompts ("END" → "IO", "S2" → "S1", …) per head.
enum IOIAttention {
    /// `[layer][head]`: attention from position `from` to position `to`, averaged over `prompts`
    /// (prompts of one length run as one batch).
    static func mean(model: HookedTransformer, prompts: [IOIPrompt], from: String, to: String) throws -> [[Float]] {
        let c = model.config
        var total = [[Double]](repeating: [Double](repeating: 0, count: c.nHeads), count: c.nLayers)
        let groups = Dictionary(grouping: prompts, by: \.tokens.count)
        let names = (0..<c.nLayers).map { HookPoint.name(.pattern, layer: $0) }
        for length in groups.keys.sorted() {
            guard let group = groups[length] else { continue }
            let (_, cache) = try model.runWithCache(group.map(\.tokens), names: .names(names))
            for l in 0..<c.nLayers {
                guard let pattern = cache[names[l]] else { throw GraderError("no attention pattern for layer \(l)") }
                for (b, prompt) in group.enumerated() {
                    guard let q = prompt.positions[from], let k = prompt.positions[to] else {
                        throw GraderError("an IOI prompt lacks the position \(from) or \(to)")
                    }
                    for h in 0..<c.nHeads { total[l][h] += Double(pattern[b, h, q, k]) }
                }
            }
        }
        let n = Double(max(prompts.count, 1))
        return total.map { $0.map { Float($0 / n) } }
    }
}
