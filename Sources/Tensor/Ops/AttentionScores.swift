// Attention scores `scale · q·kᵀ` per head, read from TransformerLens's [batch, pos, head, d_head]
// layout in place (strided sgemm per batch entry and head), and causal masking: kernel, backward
// and differentiable form.

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
        var scores = q.withUnsafeBufferPointer { pQ in
            k.withUnsafeBufferPointer { pK in
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

    // MARK: Backward

    /// Gradients of `attentionScores`: with `dScores [batch, head, q, k]` (zero at masked entries),
    /// `dq = scale · dS · K` `[batch, q, head, d_head]` and `dk = scale · dSᵀ · Q` `[batch, k, head, d_head]`.
    public static func attentionScoresBackward(dScores: Tensor, q: Tensor, k: Tensor, scale: Float) -> (dq: Tensor, dk: Tensor) {
        let (batch, pq, heads, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let pk = k.shape[1]
        precondition(dScores.shape == [batch, heads, pq, pk], "attentionScoresBackward: dScores \(dScores.shape) does not fit q \(q.shape), k \(k.shape)")
        let row = heads * dh
        return dScores.withUnsafeBufferPointer { pS in
            q.withUnsafeBufferPointer { pQ in
                k.withUnsafeBufferPointer { pK in
                    let dq = make(shape: q.shape) { out in
                        guard out.count > 0, let c = out.baseAddress, let s = pS.baseAddress, let kb = pK.baseAddress else { return }
                        for b in 0..<batch {
                            for h in 0..<heads {
                                BLAS.sgemm(m: pq, n: dh, k: pk, alpha: scale,
                                           a: s + (b * heads + h) * pq * pk, lda: Swift.max(pk, 1),
                                           b: kb + b * pk * row + h * dh, ldb: row,
                                           c: c + b * pq * row + h * dh, ldc: row)
                            }
                        }
                    }
                    let dk = make(shape: k.shape) { out in
                        guard out.count > 0, let c = out.baseAddress, let s = pS.baseAddress, let qb = pQ.baseAddress else { return }
                        for b in 0..<batch {
                            for h in 0..<heads {
                                BLAS.sgemm(transposeA: true, m: pk, n: dh, k: pq, alpha: scale,
                                           a: s + (b * heads + h) * pq * pk, lda: Swift.max(pk, 1),
                                           b: qb + b * pq * row + h * dh, ldb: row,
                                           c: c + b * pk * row + h * dh, ldc: row)
                            }
                        }
                    }
                    return (dq, dk)
                }
            }
        }
    }

    /// A copy with entries of keys after their query set to 0 (gradients of masked scores).
    func causallyMaskedGradient(keyOffset: Int) -> Tensor {
        var copy = self
        let q = shape[rank - 2], k = shape[rank - 1]
        guard q > 0, k > 0 else { return copy }
        copy.withUnsafeMutableBufferPointer { p in
            for mat in 0..<(count / (q * k)) {
                for i in 0..<q {
                    let first = Swift.max(0, i + keyOffset + 1)
                    if first < k { for j in first..<k { p[mat * q * k + i * k + j] = 0 } }
                }
            }
        }
        return copy
    }
}

// MARK: - Differentiable form

extension Variable {
    /// Attention scores `[batch, head, q, k]` from `q`, `k` `[batch, pos, head, d_head]`, with keys after
    /// their query set to -∞ when `causal` (see `Tensor.attentionScores`). Masked entries are constants:
    /// their gradient is dropped.
    public static func attentionScores(q: Variable, k: Variable, scale: Float, causal: Bool) -> Variable {
        let (qv, kv) = (q.value, k.value)
        let out = Tensor.attentionScores(q: qv, k: kv, scale: scale, causal: causal)
        return record(out, [q, k]) { g, _ in
            let dS = causal ? g.causallyMaskedGradient(keyOffset: kv.shape[1] - qv.shape[1]) : g
            let (dq, dk) = Tensor.attentionScoresBackward(dScores: dS, q: qv, k: kv, scale: scale)
            return [dq, dk]
        }
    }
}
