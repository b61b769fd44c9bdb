// LayerNorm along the last axis, in TransformerLens's order of operations.

extension Tensor {
    /// Centres and scales the last axis as TransformerLens's LayerNorm and LayerNormPre do.
    ///
    /// `centred = x - mean(x)`, `scale = sqrt(mean(centred²) + eps)` with shape `[..., 1]`
    /// (TL's `hook_scale`), `normalized = centred / scale` (TL 3's `hook_normalized`, before the affine).
    /// - Precondition: rank ≥ 1.
    public func layerNorm(eps: Float) -> (normalized: Tensor, scale: Tensor) {
        precondition(rank >= 1, "layerNorm: needs rank ≥ 1")
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        var scaleShape = shape
        scaleShape[rank - 1] = 1
        var scale = Tensor.zeros(scaleShape)
        let normalized = scalars.withUnsafeBufferPointer { src in
            scale.withUnsafeMutableBufferPointer { sc in
                Tensor.make(shape: shape) { out in
                    guard n > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                    let invN = 1 / Float(n)
                    for r in 0..<rows {
                        let x = s + r * n, y = o + r * n
                        var mean: Float = 0
                        for j in 0..<n { mean += x[j] }
                        mean *= invN
                        var variance: Float = 0
                        for j in 0..<n {
                            let c = x[j] - mean
                            y[j] = c
                            variance += c * c
                        }
                        let sd = (variance * invN + eps).squareRoot()
                        sc[r] = sd
                        for j in 0..<n { y[j] /= sd }
                    }
                }
            }
        }
        return (normalized, scale)
    }

    /// `(x - mean(x)) / scale` over the last axis with a given `scale [..., 1]` (a hooked LayerNorm scale).
    /// - Precondition: `scale` has this shape with the last axis 1.
    public func layerNorm(scale: Tensor) -> Tensor {
        precondition(rank >= 1 && scale.shape == Array(shape.dropLast()) + [1],
                     "layerNorm(scale:): scale \(scale.shape) does not fit \(shape)")
        let n = shape[rank - 1]
        return scalars.withUnsafeBufferPointer { src in
            scale.scalars.withUnsafeBufferPointer { sc in
                Tensor.make(shape: shape) { out in
                    guard n > 0 else { return }
                    for r in 0..<(out.count / n) {
                        var mean: Float = 0
                        for j in 0..<n { mean += src[r * n + j] }
                        mean /= Float(n)
                        for j in 0..<n { out[r * n + j] = (src[r * n + j] - mean) / sc[r] }
                    }
                }
            }
        }
    }

    /// `self * weight + bias` over the last axis (the LayerNorm affine), in one pass.
    /// - Precondition: `weight` and `bias` have shape `[lastAxis]`.
    public func affine(weight: Tensor, bias: Tensor) -> Tensor {
        let n = rank == 0 ? 0 : shape[rank - 1]
        precondition(rank >= 1 && weight.shape == [n] && bias.shape == [n],
                     "affine: weight \(weight.shape) / bias \(bias.shape) do not fit \(shape)")
        return scalars.withUnsafeBufferPointer { src in
            weight.scalars.withUnsafeBufferPointer { w in
                bias.scalars.withUnsafeBufferPointer { b in
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
