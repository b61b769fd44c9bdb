// Activation functions — gelu_new (GPT-2's tanh form), exact gelu, relu: kernels, backward
// kernels and differentiable forms.
import Foundation

extension Tensor {
    /// GPT-2's `gelu_new`: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, as TransformerLens.
    public func geluNew() -> Tensor {
        let c: Float = 0.797_884_560_802_865_4  // √(2/π)
        return mapScalars { x in 0.5 * x * (1 + fastTanh(c * (x + 0.044715 * x * x * x))) }
    }

    /// The exact GELU, `0.5·x·(1 + erf(x/√2))` (PyTorch's `F.gelu`).
    public func gelu() -> Tensor {
        mapScalars { x in Float(0.5 * Double(x) * (1 + Foundation.erf(Double(x) * 0.707_106_781_186_547_6))) }
    }

    /// `max(x, 0)` elementwise (NaN stays NaN).
    public func relu() -> Tensor { mapScalars { $0 < 0 ? 0 : $0 } }

    // MARK: Backward

    /// Elementwise product of `dy` with a derivative computed from the input `x`.
    static func chainRule(_ dy: Tensor, _ x: Tensor, _ derivative: (Float) -> Float) -> Tensor {
        precondition(dy.shape == x.shape, "activation backward: shapes \(dy.shape) and \(x.shape) differ")
        return dy.withUnsafeBufferPointer { g in
            x.withUnsafeBufferPointer { p in
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

// MARK: - Differentiable forms

extension Variable {
    /// GPT-2's `gelu_new`.
    public func geluNew() -> Variable {
        let x = value
        return Variable.unary(x.geluNew(), self) { Tensor.geluNewBackward(dy: $0, x: x) }
    }

    /// The exact GELU.
    public func gelu() -> Variable {
        let x = value
        return Variable.unary(x.gelu(), self) { Tensor.geluBackward(dy: $0, x: x) }
    }

    /// `max(x, 0)`.
    public func relu() -> Variable {
        let x = value
        return Variable.unary(x.relu(), self) { Tensor.reluBackward(dy: $0, x: x) }
    }
}
