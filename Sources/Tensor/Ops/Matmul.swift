// The matrix product over the last two axes (batched, with transposes) through cblas_sgemm: the
// kernel, its backward, and the differentiable form.

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
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
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
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
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
}

// MARK: - Backward

extension Tensor {
    /// Gradients of `a.matmul(b, transposeA:, transposeB:)` for an upstream gradient `g`
    /// (nil where `needA` / `needB` is false). A plain-matrix operand shared by a batch gets the sum
    /// over the batch.
    public static func matmulBackward(_ g: Tensor, a: Tensor, b: Tensor, transposeA: Bool, transposeB: Bool,
                                      needA: Bool = true, needB: Bool = true) -> (da: Tensor?, db: Tensor?) {
        var da: Tensor? = nil, db: Tensor? = nil
        if needA {
            let dA = transposeA
                ? b.matmul(g, transposeA: transposeB, transposeB: true)          // [..., k, m]
                : g.matmul(b, transposeB: !transposeB)                           // [..., m, k]
            da = reduceBatch(dA, to: a.shape)
        }
        if needB {
            let dB: Tensor
            if !transposeA && !transposeB && b.rank == 2 {
                // b shared by every row of a: one sgemm over the flattened rows.
                let k = a.shape[a.rank - 1], n = g.shape[g.rank - 1]
                dB = a.reshapedUnchecked([a.count / Swift.max(k, 1), k])
                    .matmul(g.reshapedUnchecked([g.count / Swift.max(n, 1), n]), transposeA: true)   // [k, n]
            } else if transposeB {
                dB = g.matmul(a, transposeA: true, transposeB: transposeA)      // [..., n, k]
            } else {
                dB = a.matmul(g, transposeA: !transposeA)                        // [..., k, n]
            }
            db = reduceBatch(dB, to: b.shape)
        }
        return (da, db)
    }

    /// Sums leading batch axes away when the operand was a plain matrix shared by the batch.
    static func reduceBatch(_ g: Tensor, to shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        let rows = g.shape[g.rank - 2], cols = g.shape[g.rank - 1]
        return g.reshapedUnchecked([g.count / Swift.max(rows * cols, 1), rows, cols]).sum(axis: 0)
            .reshapedUnchecked(shape)
    }
}

// MARK: - Differentiable form

extension Variable {
    /// The matrix product over the last two axes (see `Tensor.matmul`), differentiable in both operands.
    public func matmul(_ other: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let a = value, b = other.value
        return Variable.record(a.matmul(b, transposeA: transposeA, transposeB: transposeB), [self, other]) { g, needs in
            let (da, db) = Tensor.matmulBackward(g, a: a, b: b, transposeA: transposeA, transposeB: transposeB,
                                                 needA: needs[0], needB: needs[1])
            return [da, db]
        }
    }
}
