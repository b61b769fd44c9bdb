// The targets of the next-token loss: position i predicts token i + 1.

extension HookedTransformer {
    /// One target per logit row for the mean next-token cross-entropy: the row of position `i`
    /// predicts `tokens[i + 1]` (the last position has none: -1); `mask` (same shape as `tokens`)
    /// keeps only targets where it is true.
    public static func nextTokenTargets(_ tokens: [[Int]], mask: [[Bool]]? = nil) -> [Int] {
        var targets: [Int] = []
        for (b, seq) in tokens.enumerated() {
            for i in seq.indices {
                let keep = i + 1 < seq.count && (mask.map { b < $0.count && i + 1 < $0[b].count && $0[b][i + 1] } ?? true)
                targets.append(keep ? seq[i + 1] : -1)
            }
        }
        return targets
    }
}
