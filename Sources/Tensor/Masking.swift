// Causal masking of attention scores.

extension Tensor {
    /// Scores `[..., query, key]` with every key after its query set to -∞ (TransformerLens's IGNORE).
    ///
    /// `keyOffset` is the number of earlier positions the keys start before the queries (0 when
    /// queries and keys cover the same positions): key `j` is masked for query `i` when `j > i + keyOffset`.
    /// - Precondition: rank ≥ 2.
    public func causallyMasked(keyOffset: Int = 0) -> Tensor {
        var copy = self
        copy.applyCausalMask(keyOffset: keyOffset)
        return copy
    }

    /// In-place form of `causallyMasked(keyOffset:)`.
    public mutating func applyCausalMask(keyOffset: Int = 0) {
        precondition(rank >= 2, "applyCausalMask: needs rank ≥ 2, shape is \(shape)")
        let q = shape[rank - 2], k = shape[rank - 1]
        guard q > 0, k > 0 else { return }
        let matrices = count / (q * k)
        withUnsafeMutableBufferPointer { p in
            for mat in 0..<matrices {
                let base = mat * q * k
                for i in 0..<q {
                    let first = Swift.max(0, i + keyOffset + 1)
                    if first < k {
                        for j in first..<k { p[base + i * k + j] = -.infinity }
                    }
                }
            }
        }
    }
}
