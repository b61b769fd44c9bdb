// The attention-weighted values z = pattern · v per head, on TL's layouts in place (strided sgemm
// per batch entry and head): kernel, backward and differentiable form.

extension Tensor {
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
        return pattern.withUnsafeBufferPointer { pP in
            v.withUnsafeBufferPointer { pV in
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

    // MARK: Backward

    /// Gradients of `attentionMix`: with `dz [batch, q, head, d_head]`, `dPattern = dZ · Vᵀ`
    /// `[batch, head, q, k]` and `dv = Pᵀ · dZ` `[batch, k, head, d_head]`.
    public static func attentionMixBackward(dz: Tensor, pattern: Tensor, v: Tensor) -> (dPattern: Tensor, dv: Tensor) {
        let (batch, heads, pq, pk) = (pattern.shape[0], pattern.shape[1], pattern.shape[2], pattern.shape[3])
        let dh = v.shape[3]
        precondition(dz.shape == [batch, pq, heads, dh], "attentionMixBackward: dz \(dz.shape) does not fit pattern \(pattern.shape), v \(v.shape)")
        let row = heads * dh
        return dz.withUnsafeBufferPointer { pZ in
            pattern.withUnsafeBufferPointer { pP in
                v.withUnsafeBufferPointer { pV in
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

// MARK: - Differentiable form

extension Variable {
    /// `z [batch, q, head, d_head]` from `pattern [batch, head, q, k]` and `v [batch, k, head, d_head]`.
    public static func attentionMix(pattern: Variable, v: Variable) -> Variable {
        let (p, vv) = (pattern.value, v.value)
        return record(Tensor.attentionMix(pattern: p, v: vv), [pattern, v]) { g, _ in
            let (dP, dv) = Tensor.attentionMixBackward(dz: g, pattern: p, v: vv)
            return [dP, dv]
        }
    }
}
