// The two head-batched products of attention, reading TransformerLens's [batch, pos, head, d_head]
// layout in place (strided sgemm per batch entry and head, no transposed copies).

extension Tensor {
    /// Attention scores `[batch, head, query, key]` from `q [batch, query, head, d_head]` and
    /// `k [batch, key, head, d_head]`: `scale · q·kᵀ` per head, with keys after their query set to
    /// -∞ when `causal` (TransformerLens's `hook_attn_scores`).
    /// - Precondition: matching batch, head and d_head sizes.
    public static func attentionScores(q: Tensor, k: Tensor, scale: Float, causal: Bool) -> Tensor {
        precondition(q.rank == 4 && k.rank == 4 && q.shape[0] == k.shape[0] && q.shape[2] == k.shape[2]
                     && q.shape[3] == k.shape[3],
                     "attentionScores: q \(q.shape) and k \(k.shape) do not match")
        let (batch, pq, heads, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let pk = k.shape[1]
        let row = heads * dh
        var scores = q.scalars.withUnsafeBufferPointer { pQ in
            k.scalars.withUnsafeBufferPointer { pK in
                make(shape: [batch, heads, pq, pk]) { out in
                    guard out.count > 0, let c = out.baseAddress else { return }
                    let qBase = pQ.baseAddress ?? UnsafePointer(c), kBase = pK.baseAddress ?? UnsafePointer(c)
                    for b in 0..<batch {
                        for h in 0..<heads {
                            BLAS.sgemm(transposeB: true, m: pq, n: pk, k: dh, alpha: scale,
                                       a: qBase + b * pq * row + h * dh, lda: Swift.max(row, 1),
                                       b: kBase + b * pk * row + h * dh, ldb: Swift.max(row, 1),
                                       c: c + (b * heads + h) * pq * pk, ldc: pk)
                        }
                    }
                }
            }
        }
        if causal { scores.applyCausalMask(keyOffset: pk - pq) }
        return scores
    }

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
        return scores.scalars.withUnsafeBufferPointer { src in
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

    /// The attention-weighted values `z [batch, query, head, d_head]` from
    /// `pattern [batch, head, query, key]` and `v [batch, key, head, d_head]` (TL's `hook_z`).
    /// - Precondition: matching batch, head and key sizes.
    public static func attentionMix(pattern: Tensor, v: Tensor) -> Tensor {
        precondition(pattern.rank == 4 && v.rank == 4 && pattern.shape[0] == v.shape[0]
                     && pattern.shape[1] == v.shape[2] && pattern.shape[3] == v.shape[1],
                     "attentionMix: pattern \(pattern.shape) and v \(v.shape) do not match")
        let (batch, heads, pq, pk) = (pattern.shape[0], pattern.shape[1], pattern.shape[2], pattern.shape[3])
        let dh = v.shape[3]
        let row = heads * dh
        return pattern.scalars.withUnsafeBufferPointer { pP in
            v.scalars.withUnsafeBufferPointer { pV in
                make(shape: [batch, pq, heads, dh]) { out in
                    guard out.count > 0, let c = out.baseAddress else { return }
                    let pBase = pP.baseAddress ?? UnsafePointer(c), vBase = pV.baseAddress ?? UnsafePointer(c)
                    for b in 0..<batch {
                        for h in 0..<heads {
                            BLAS.sgemm(m: pq, n: dh, k: pk,
                                       a: pBase + (b * heads + h) * pq * pk, lda: Swift.max(pk, 1),
                                       b: vBase + b * pk * row + h * dh, ldb: row,
                                       c: c + b * pq * row + h * dh, ldc: row)
                        }
                    }
                }
            }
        }
    }
}
