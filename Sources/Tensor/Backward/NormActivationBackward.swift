// Backward kernels of LayerNorm, the affine, and the activation functions.
import Foundation

extension Tensor {
    /// Gradient of `layerNorm(eps:)` with respect to its input, from the outputs `normalized` and
    /// `scale`: `dx = (dn − mean(dn) − n̂ · mean(dn ⊙ n̂)) / scale` along the last axis.
    public static func layerNormBackward(dNormalized dn: Tensor, normalized: Tensor, scale: Tensor) -> Tensor {
        precondition(dn.shape == normalized.shape && normalized.rank >= 1, "layerNormBackward: shapes \(dn.shape) and \(normalized.shape) differ")
        let n = normalized.shape[normalized.rank - 1]
        return dn.scalars.withUnsafeBufferPointer { g in
            normalized.scalars.withUnsafeBufferPointer { y in
                scale.scalars.withUnsafeBufferPointer { sc in
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

    /// Elementwise product of `dy` with a derivative computed from the input `x`.
    static func chainRule(_ dy: Tensor, _ x: Tensor, _ derivative: (Float) -> Float) -> Tensor {
        precondition(dy.shape == x.shape, "activation backward: shapes \(dy.shape) and \(x.shape) differ")
        return dy.scalars.withUnsafeBufferPointer { g in
            x.scalars.withUnsafeBufferPointer { p in
                make(shape: x.shape) { out in
                    for i in 0..<out.count { out[i] = g[i] * derivative(p[i]) }
                }
            }
        }
    }

    /// Gradient of `geluNew` at input `x`.
    public static func geluNewBackward(dy: Tensor, x: Tensor) -> Tensor {
        let c: Float = 0.797_884_560_802_865_4
        return chainRule(dy, x) { x in
            let t = fastTanh(c * (x + 0.044715 * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
        }
    }

    /// Gradient of the exact `gelu` at input `x`.
    public static func geluBackward(dy: Tensor, x: Tensor) -> Tensor {
        chainRule(dy, x) { x in
            let d = Double(x)
            return Float(0.5 * (1 + Foundation.erf(d * 0.707_106_781_186_547_6)) + d * Foundation.exp(-0.5 * d * d) * 0.398_942_280_401_432_7)
        }
    }

    /// Gradient of `relu` at input `x` (0 at x ≤ 0).
    public static func reluBackward(dy: Tensor, x: Tensor) -> Tensor {
        chainRule(dy, x) { $0 > 0 ? 1 : 0 }
    }
}
