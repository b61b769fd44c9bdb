// Differentiable matrix products: matmul (batched, with transposes) and the linear layer.

extension Variable {
    /// The matrix product over the last two axes (see `Tensor.matmul`), differentiable in both operands.
    public func matmul(_ other: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        precondition(tape === other.tape, "matmul: variables belong to different tapes")
        let a = value, b = other.value
        let out = a.matmul(b, transposeA: transposeA, transposeB: transposeB)
        return tape.record(out, inputs: [self, other]) { [id] t, g in
            if t.requiresGrad(id: id) {
                let dA = transposeA
                    ? b.matmul(g, transposeA: transposeB, transposeB: true)          // [..., k, m]
                    : g.matmul(b, transposeB: !transposeB)                           // [..., m, k]
                t.accumulate(id, Variable.reduceBatch(dA, to: a.shape))
            }
            if t.requiresGrad(id: other.id) {
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
                t.accumulate(other.id, Variable.reduceBatch(dB, to: b.shape))
            }
        }
    }

    /// Sums leading batch axes away when the operand was a plain matrix shared by the batch.
    static func reduceBatch(_ g: Tensor, to shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        let rows = g.shape[g.rank - 2], cols = g.shape[g.rank - 1]
        return g.reshapedUnchecked([g.count / Swift.max(rows * cols, 1), rows, cols]).sum(axis: 0)
            .reshapedUnchecked(shape)
    }

    /// `x · weight + bias` over the last axis (see `Tensor.linear`): `x [..., in]`, `weight [in, out]`,
    /// `bias [out]` (or a trailing block of the output shape).
    public func linear(weight: Variable, bias: Variable? = nil) -> Variable {
        precondition(tape === weight.tape && (bias.map { $0.tape === tape } ?? true), "linear: variables belong to different tapes")
        let x = value, w = weight.value
        let out = x.linear(weight: w, bias: bias?.value)
        let biasShape = bias?.shape
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return tape.record(out, inputs: inputs) { [id] t, g in
            let k = w.shape[0], n = w.shape[1]
            let rows = g.count / Swift.max(n, 1)
            if t.requiresGrad(id: id) {
                t.accumulate(id, g.matmul(w, transposeB: true))                            // [..., in]
            }
            if t.requiresGrad(id: weight.id) {
                let dW = x.reshapedUnchecked([rows, k]).matmul(g.reshapedUnchecked([rows, n]), transposeA: true)  // [in, out]
                t.accumulate(weight.id, dW)
            }
            if let bias, let biasShape, t.requiresGrad(id: bias.id) {
                t.accumulate(bias.id, g.summed(toShape: biasShape))
            }
        }
    }
}
