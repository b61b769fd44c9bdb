// Activation functions: gelu_new (GPT-2's tanh form), exact gelu, relu.
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
}
