// LayerNorm along the last axis in TransformerLens's order of operations, with TL's two hook points
// (`hook_scale`, `hook_normalized`): kernels, backward kernels and differentiable forms. The scale can
// be its own node (TL: `scale = hook_scale(...)`, `x / scale`), so a hook may read or replace it and
// gradients reach it; otherwise one fused node differentiates through it.

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
        let normalized = withUnsafeBufferPointer { src in
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
        return withUnsafeBufferPointer { src in
            scale.withUnsafeBufferPointer { sc in
                Tensor.make(shape: shape) { out in
                    guard n > 0 else { return }
                    for r in 0..<(out.count / n) {
                        var mean: Float = 0
                        for j in 0..<n { mean += src[r * n + j] }
                        mean *= 1 / Float(n)    // as layerNorm(eps:) computes it: the same bits
                        for j in 0..<n { out[r * n + j] = (src[r * n + j] - mean) / sc[r] }
                    }
                }
            }
        }
    }

    // MARK: Backward

    /// Gradient of `layerNorm(eps:)` with respect to its input, from the outputs `normalized` and
    /// `scale`: `dx = (dn − mean(dn) − n̂ · mean(dn ⊙ n̂)) / scale` along the last axis.
    public static func layerNormBackward(dNormalized dn: Tensor, normalized: Tensor, scale: Tensor) -> Tensor {
        precondition(dn.shape == normalized.shape && normalized.rank >= 1, "layerNormBackward: shapes \(dn.shape) and \(normalized.shape) differ")
        let n = normalized.shape[normalized.rank - 1]
        return dn.withUnsafeBufferPointer { g in
            normalized.withUnsafeBufferPointer { y in
                scale.withUnsafeBufferPointer { sc in
                    make(shape: normalized.shape) { out in
                        guard n > 0 else { return }
                        let invN = 1 / Float(n)
                        for r in 0..<(out.count / n) {
                            let base = r * n
                            var meanG: Float = 0, meanGY: Float = 0
                            for j in 0..<n { meanG += g[base + j]; meanGY += g[base + j] * y[base + j] }
                            meanG *= invN
                            meanGY *= invN
                            let inv = 1 / sc[r]
                            for j in 0..<n { out[base + j] = (g[base + j] - meanG - y[base + j] * meanGY) * inv }
                        }
                    }
                }
            }
        }
    }

    /// Gradient of `layerNorm(scale:)` with respect to its input `x` and to the scale, from the
    /// output `normalized = (x − mean(x)) / scale`: `dx = (dn − mean(dn)) / scale`,
    /// `dscale = −Σ dn ⊙ normalized / scale` (summed over the last axis, shape `[..., 1]`).
    public static func layerNormScaledBackward(dNormalized dn: Tensor, normalized: Tensor, scale: Tensor,
                                               needX: Bool = true, needScale: Bool = true) -> (dx: Tensor?, dScale: Tensor?) {
        precondition(dn.shape == normalized.shape && normalized.rank >= 1, "layerNormScaledBackward: shapes \(dn.shape) and \(normalized.shape) differ")
        let n = normalized.shape[normalized.rank - 1]
        return dn.withUnsafeBufferPointer { g in
            normalized.withUnsafeBufferPointer { y in
                scale.withUnsafeBufferPointer { sc in
                    let rows = n == 0 ? 0 : g.count / n
                    let dx: Tensor? = needX ? make(shape: normalized.shape) { out in
                        let invN = 1 / Float(Swift.max(n, 1))
                        for r in 0..<rows {
                            var meanG: Float = 0
                            for j in 0..<n { meanG += g[r * n + j] }
                            meanG *= invN
                            let inv = 1 / sc[r]
                            for j in 0..<n { out[r * n + j] = (g[r * n + j] - meanG) * inv }
                        }
                    } : nil
                    let dScale: Tensor? = needScale ? make(shape: scale.shape) { out in
                        for r in 0..<rows {
                            var dot: Float = 0
                            for j in 0..<n { dot += g[r * n + j] * y[r * n + j] }
                            out[r] = -dot / sc[r]
                        }
                    } : nil
                    return (dx, dScale)
                }
            }
        }
    }

    /// Gradient of the scale `sqrt(mean((x − mean x)²) + eps)` with respect to `x`, from the
    /// normalized values `(x − mean x) / scale`: `dx = dscale · normalized / n`.
    public static func layerNormScaleBackward(dScale: Tensor, normalized: Tensor) -> Tensor {
        precondition(normalized.rank >= 1, "layerNormScaleBackward: needs rank ≥ 1")
        let n = normalized.shape[normalized.rank - 1]
        return dScale.withUnsafeBufferPointer { ds in
            normalized.withUnsafeBufferPointer { y in
                make(shape: normalized.shape) { out in
                    guard n > 0 else { return }
                    let invN = 1 / Float(n)
                    for r in 0..<(out.count / n) {
                        let s = ds[r] * invN
                        for j in 0..<n { out[r * n + j] = s * y[r * n + j] }
                    }
                }
            }
        }
    }
}

// MARK: - Differentiable forms

extension Variable {
    /// LayerNorm without affine along the last axis as one node (see `Tensor.layerNorm(eps:)`): the
    /// normalized values; the scale is differentiated through.
    public func layerNorm(eps: Float) -> Variable {
        let (y, scale) = value.layerNorm(eps: eps)
        return Variable.unary(y, self) { Tensor.layerNormBackward(dNormalized: $0, normalized: y, scale: scale) }
    }

    /// TL's LayerNorm scale `sqrt(mean((x − mean x)²) + eps)` `[..., 1]` as a node of its own
    /// (`hook_scale`); pair it with `layerNormalized(scale:)`.
    public func layerNormScale(eps: Float) -> Variable {
        let x = value
        let (normalized, scale) = x.layerNorm(eps: eps)
        return Variable.unary(scale, self) { Tensor.layerNormScaleBackward(dScale: $0, normalized: normalized) }
    }

    /// `(x − mean x) / scale` over the last axis (`hook_normalized`), differentiable in `x` and `scale`.
    public func layerNormalized(scale: Variable) -> Variable {
        let s = scale.value
        let y = value.layerNorm(scale: s)
        return Variable.record(y, [self, scale]) { g, needs in
            let (dx, dScale) = Tensor.layerNormScaledBackward(dNormalized: g, normalized: y, scale: s,
                                                              needX: needs[0], needScale: needs[1])
            return [dx, dScale]
        }
    }
}
