// The LayerNorm affine `x · w + b` over the last axis: kernel, backward and differentiable form.

extension Tensor {
    /// `self * weight + bias` over the last axis (the LayerNorm affine), in one pass.
    /// - Precondition: `weight` and `bias` have shape `[lastAxis]`.
    public func affine(weight: Tensor, bias: Tensor) -> Tensor {
        let n = rank == 0 ? 0 : shape[rank - 1]
        precondition(rank >= 1 && weight.shape == [n] && bias.shape == [n],
                     "affine: weight \(weight.shape) / bias \(bias.shape) do not fit \(shape)")
        return withUnsafeBufferPointer { src in
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    Tensor.make(shape: shape) { out in
                        guard n > 0 else { return }
                        for r in 0..<(out.count / n) {
                            let base = r * n
                            for j in 0..<n { out[base + j] = src[base + j] * w[j] + b[j] }
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Differentiable form

extension Variable {
    /// `self * weight + bias` over the last axis (`weight`, `bias` `[lastAxis]`).
    public func affine(weight: Variable, bias: Variable) -> Variable {
        let x = value, w = weight.value
        return Variable.record(x.affine(weight: w, bias: bias.value), [self, weight, bias]) { g, needs in
            [needs[0] ? g * w : nil,
             needs[1] ? (g * x).summed(toShape: w.shape) : nil,
             needs[2] ? g.summed(toShape: w.shape) : nil]
        }
    }
}
