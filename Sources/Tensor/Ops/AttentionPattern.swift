// The attention pattern: softmax over keys of the (causally masked) scores, TL's NaN rows set to 0;
// its backward is the softmax backward (Softmax.swift). Kernel and differentiable form.

extension Tensor {
    /// The attention pattern `[batch, head, query, key]` from scores (TL's `hook_pattern`): softmax over
    /// keys, with rows that come out NaN (fully masked, or NaN/+∞ scores) set to 0 as TL does.
    ///
    /// With `causal`, keys after their query (offset `key - query` sizes) are treated as -∞ whatever
    /// the scores hold there, and are skipped; pass `false` when a hook may have edited the masked
    /// entries, so that they count as TL would count them.
    /// - Precondition: rank ≥ 2.
    public static func attentionPattern(_ scores: Tensor, causal: Bool) -> Tensor {
        precondition(scores.rank >= 2, "attentionPattern: needs [..., query, key], shape is \(scores.shape)")
        let q = scores.shape[scores.rank - 2], k = scores.shape[scores.rank - 1]
        let offset = k - q
        return scores.withUnsafeBufferPointer { src in
            make(shape: scores.shape) { out in
                guard q > 0, k > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                let matrices = out.count / (q * k)
                // Four matrices at a time, one per SIMD lane: every row has the same valid length in
                // all four, so max, exp, sum and scaling vectorise without horizontal reductions.
                let grouped = matrices / 4 * 4
                withUnsafeTemporaryAllocation(of: SIMD4<Float>.self, capacity: k) { tmp in
                    guard let t = tmp.baseAddress else { return }
                    for m in stride(from: 0, to: grouped, by: 4) {
                        softmaxRowsFourMatrices(s + m * q * k, o + m * q * k, t, q: q, k: k, offset: causal ? offset : nil)
                    }
                }
                for row in (grouped * q)..<(matrices * q) {
                    let i = row % q
                    let valid = causal ? Swift.min(Swift.max(i + offset + 1, 0), k) : k
                    softmaxRow(s + row * k, o + row * k, k, valid: valid, zeroNaNRows: true)
                }
            }
        }
    }

    /// TL's pattern for four consecutive `[q, k]` score matrices, lane `l` holding matrix `l`.
    /// `offset` nil means no causal skipping. Rows with a non-finite sum (fully masked, NaN, +∞) become 0.
    @inline(__always)
    private static func softmaxRowsFourMatrices(_ s: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>,
                                                _ t: UnsafeMutablePointer<SIMD4<Float>>, q: Int, k: Int, offset: Int?) {
        let stride = q * k
        for i in 0..<q {
            let valid = offset.map { Swift.min(Swift.max(i + $0 + 1, 0), k) } ?? k
            let row = i * k
            var vmax = SIMD4<Float>(repeating: -.infinity)
            for j in 0..<valid {
                let v = SIMD4<Float>(s[row + j], s[stride + row + j], s[2 * stride + row + j], s[3 * stride + row + j])
                t[j] = v
                vmax.replace(with: v, where: v .> vmax)
            }
            var vsum = SIMD4<Float>(repeating: 0)
            for j in 0..<valid {
                let e = fastExp(t[j] - vmax)
                t[j] = e
                vsum += e
            }
            // Finite, positive sums only; anything else (NaN from -∞ - -∞, +∞ scores) gives a zero row.
            let good = (vsum .> 0) .& (vsum .< .infinity)
            let inv = SIMD4<Float>(repeating: 0).replacing(with: 1 / vsum, where: good)
            for j in 0..<valid {
                let r = SIMD4<Float>(repeating: 0).replacing(with: t[j] * inv, where: good)
                o[row + j] = r[0]
                o[stride + row + j] = r[1]
                o[2 * stride + row + j] = r[2]
                o[3 * stride + row + j] = r[3]
            }
            if valid < k {
                for l in 0..<4 { (o + l * stride + row + valid).update(repeating: 0, count: k - valid) }
            }
        }
    }
}

// MARK: - Differentiable form

extension Variable {
    /// The attention pattern from scores (see `Tensor.attentionPattern`): softmax over keys.
    public static func attentionPattern(_ scores: Variable, causal: Bool) -> Variable {
        let y = Tensor.attentionPattern(scores.value, causal: causal)
        return unary(y, scores) { Tensor.softmaxBackward(dy: $0, y: y) }
    }
}
