// The linear layer `x · W + b` over the last axis (one sgemm with the bias as its seed): the
// kernel, its backward, and the differentiable form.

extension Tensor {
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
        return withUnsafeBufferPointer { px in
            weight.withUnsafeBufferPointer { pw in
                Tensor.make(shape: outShape) { out in
                    guard let pc = out.baseAddress else { return }
                    let outRows = out.count / Swift.max(n, 1)
                    if let bias {
                        bias.withUnsafeBufferPointer { pb in
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

// MARK: - Backward

extension Tensor {
    /// Gradients of `x.linear(weight:bias:)` for an upstream gradient `g [..., out]`: `dx = g·Wᵀ`,
    /// `dW = xᵀ·g` over all rows, `db = g` summed to the bias shape (nil where not needed).
    public static func linearBackward(_ g: Tensor, x: Tensor, weight w: Tensor, biasShape: [Int]?,
                                      needX: Bool = true, needWeight: Bool = true, needBias: Bool = true)
        -> (dx: Tensor?, dWeight: Tensor?, dBias: Tensor?) {
        let k = w.shape[0], n = w.shape[1]
        let rows = g.count / Swift.max(n, 1)
        let dx = needX ? g.matmul(w, transposeB: true) : nil                                           // [..., in]
        let dW = needWeight ? x.reshapedUnchecked([rows, k]).matmul(g.reshapedUnchecked([rows, n]), transposeA: true) : nil  // [in, out]
        let db = needBias ? biasShape.map { g.summed(toShape: $0) } : nil
        return (dx, dW, db)
    }
}

// MARK: - Differentiable form

extension Variable {
    /// `x · weight + bias` over the last axis (see `Tensor.linear`): `x [..., in]`, `weight [in, out]`,
    /// `bias [out]` (or a trailing block of the output shape).
    public func linear(weight: Variable, bias: Variable? = nil) -> Variable {
        let x = value, w = weight.value
        let biasShape = bias?.shape
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return Variable.record(x.linear(weight: w, bias: bias?.value), inputs) { g, needs in
            let (dx, dW, db) = Tensor.linearBackward(g, x: x, weight: w, biasShape: biasShape, needX: needs[0],
                                                     needWeight: needs[1], needBias: needs.count > 2 && needs[2])
            return [dx, dW] + (biasShape == nil ? [] : [db])
        }
    }
}
