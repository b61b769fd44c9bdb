// Matrix products through cblas_sgemm: matmul, batched matmul, and the linear layer.

extension Tensor {
    /// The matrix product over the last two axes; leading axes are batch axes.
    ///
    /// - `a [..., m, k] · b [k, n] → [..., m, n]` is one sgemm over all rows of `a`.
    /// - `a [B..., m, k] · b [B..., k, n] → [B..., m, n]` runs one sgemm per batch entry; either
    ///   side may also be a plain matrix, shared by every batch entry.
    /// - `transposeA` / `transposeB` read that operand's last two axes swapped (no copy is made).
    /// - Precondition: both operands have rank ≥ 2, inner sizes agree, batch shapes agree.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: needs rank ≥ 2, got \(a.shape) and \(b.shape)")
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        precondition(k == kb, "matmul: inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))

        // One big sgemm when b is a plain matrix and a's rows are contiguous.
        if b.rank == 2 && !transposeA {
            let rows = a.count / Swift.max(k, 1)
            let outShape = aBatch + [m, n]
            return a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    Tensor.make(shape: outShape) { out in
                        guard let pc = out.baseAddress else { return }
                        BLAS.sgemm(transposeA: false, transposeB: transposeB, m: k == 0 ? out.count / Swift.max(n, 1) : rows, n: n, k: k,
                                   a: pa.baseAddress ?? UnsafePointer(pc), lda: Swift.max(ac, 1),
                                   b: pb.baseAddress ?? UnsafePointer(pc), ldb: Swift.max(bc, 1), c: pc, ldc: Swift.max(n, 1))
                    }
                }
            }
        }
        precondition(aBatch.isEmpty || bBatch.isEmpty || aBatch == bBatch,
                     "matmul: batch shapes differ: \(a.shape) and \(b.shape)")
        let batchShape = aBatch.isEmpty ? bBatch : aBatch
        let batch = batchShape.reduce(1, *)
        let aStep = aBatch.isEmpty ? 0 : ar * ac, bStep = bBatch.isEmpty ? 0 : br * bc
        return a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                Tensor.make(shape: batchShape + [m, n]) { out in
                    guard let pc = out.baseAddress else { return }
                    for i in 0..<batch {
                        BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                   a: (pa.baseAddress ?? UnsafePointer(pc)) + i * aStep, lda: Swift.max(ac, 1),
                                   b: (pb.baseAddress ?? UnsafePointer(pc)) + i * bStep, ldb: Swift.max(bc, 1),
                                   c: pc + i * m * n, ldc: Swift.max(n, 1))
                    }
                }
            }
        }
    }

    /// `x · weight + bias` over the last axis: `x [..., in]`, `weight [in, out]` → `[..., out]`.
    ///
    /// `bias` is `[out]`, or any trailing block of the output shape (e.g. `[pos, out]` for an output
    /// `[batch, pos, out]`), repeated over the leading axes; it seeds the output and sgemm adds to it.
    /// - Precondition: sizes agree.
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(rank >= 1 && weight.rank == 2 && shape[rank - 1] == weight.shape[0],
                     "linear: input \(shape) does not fit weight \(weight.shape)")
        let k = weight.shape[0], n = weight.shape[1]
        let rows = count / Swift.max(k, 1)
        var outShape = shape
        outShape[rank - 1] = n
        if let bias {
            precondition(bias.rank >= 1 && bias.rank <= outShape.count && Array(outShape.suffix(bias.rank)) == bias.shape,
                         "linear: bias \(bias.shape) does not fit output \(outShape)")
        }
        return scalars.withUnsafeBufferPointer { px in
            weight.scalars.withUnsafeBufferPointer { pw in
                Tensor.make(shape: outShape) { out in
                    guard let pc = out.baseAddress else { return }
                    let outRows = out.count / Swift.max(n, 1)
                    if let bias {
                        bias.scalars.withUnsafeBufferPointer { pb in
                            guard let b = pb.baseAddress, pb.count > 0 else { return }
                            for start in stride(from: 0, to: out.count, by: pb.count) {
                                (pc + start).update(from: b, count: pb.count)
                            }
                        }
                    }
                    BLAS.sgemm(m: k == 0 ? outRows : rows, n: n, k: k,
                               a: px.baseAddress ?? UnsafePointer(pc), lda: Swift.max(k, 1),
                               b: pw.baseAddress ?? UnsafePointer(pc), ldb: Swift.max(n, 1),
                               beta: bias == nil ? 0 : 1, c: pc, ldc: Swift.max(n, 1))
                }
            }
        }
    }
}
