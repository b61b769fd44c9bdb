// Backward kernels of the head-batched attention products (AttentionOps.swift), on TL's
// [batch, pos, head, d_head] layout in place: strided sgemm per batch entry and head.

extension Tensor {
    /// Gradients of `attentionScores`: with `dScores [batch, head, q, k]` (zero at masked entries),
    /// `dq = scale · dS · K` `[batch, q, head, d_head]` and `dk = scale · dSᵀ · Q` `[batch, k, head, d_head]`.
    public static func attentionScoresBackward(dScores: Tensor, q: Tensor, k: Tensor, scale: Float) -> (dq: Tensor, dk: Tensor) {
        let (batch, pq, heads, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let pk = k.shape[1]
        precondition(dScores.shape == [batch, heads, pq, pk], "attentionScoresBackward: dScores \(dScores.shape) does not fit q \(q.shape), k \(k.shape)")
        let row = heads * dh
        return dScores.scalars.withUnsafeBufferPointer { pS in
            q.scalars.withUnsafeBufferPointer { pQ in
                k.scalars.withUnsafeBufferPointer { pK in
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

    /// Gradients of `attentionMix`: with `dz [batch, q, head, d_head]`, `dPattern = dZ · Vᵀ`
    /// `[batch, head, q, k]` and `dv = Pᵀ · dZ` `[batch, k, head, d_head]`.
    public static func attentionMixBackward(dz: Tensor, pattern: Tensor, v: Tensor) -> (dPattern: Tensor, dv: Tensor) {
        let (batch, heads, pq, pk) = (pattern.shape[0], pattern.shape[1], pattern.shape[2], pattern.shape[3])
        let dh = v.shape[3]
        precondition(dz.shape == [batch, pq, heads, dh], "attentionMixBackward: dz \(dz.shape) does not fit pattern \(pattern.shape), v \(v.shape)")
        let row = heads * dh
        return dz.scalars.withUnsafeBufferPointer { pZ in
            pattern.scalars.withUnsafeBufferPointer { pP in
                v.scalars.withUnsafeBufferPointer { pV in
                    let dP = make(shape: pattern.shape) { out in
                        guard out.count > 0, let c = out.baseAddress, let z = pZ.baseAddress, let vb = pV.baseAddress else { return }
                        for b in 0..<batch {
                            for h in 0..<heads {
                                BLAS.sgemm(transposeB: true, m: pq, n: pk, k: dh,
                                           a: z + b * pq * row + h * dh, lda: row,
                                           b: vb + b * pk * row + h * dh, ldb: row,
                                           c: c + (b * heads + h) * pq * pk, ldc: pk)
                            }
                        }
                    }
                    let dv = make(shape: v.shape) { out in
                        guard out.count > 0, let c = out.baseAddress, let z = pZ.baseAddress, let p = pP.baseAddress else { return }
                        for b in 0..<batch {
                            for h in 0..<heads {
                                BLAS.sgemm(transposeA: true, m: pk, n: dh, k: pq,
                                           a: p + (b * heads + h) * pq * pk, lda: Swift.max(pk, 1),
                                           b: z + b * pq * row + h * dh, ldb: row,
                                           c: c + b * pk * row + h * dh, ldc: row)
                            }
                        }
                    }
                    return (dP, dv)
                }
            }
        }
    }
}
