// Where a forward pass reads the parameters from: the model's packed constants (inference and
// analyses) or tracked leaves on a tape (training, parameter gradients). Both give the layers the
// same values in the same layout, so the one forward computes the same bits either way.
import Tensor

/// The attention projections in the layout the forward multiplies with: W_Q/W_K/W_V as
/// `[d_model, head·d_head]` (TL stores `[head, d_model, d_head]`), W_O as `[head·d_head, d_model]`,
/// the Q/K/V biases flat `[head·d_head]`.
struct PackedLayer: Sendable {
    var wQ: Tensor, wK: Tensor, wV: Tensor, bQ: Tensor, bK: Tensor, bV: Tensor, wO: Tensor
}

/// The parameters of a forward pass.
enum ParameterSource {
    /// The model's own weights, with the attention projections packed once at load.
    case constants(ModelWeights, [PackedLayer])
    /// TL-named variables (tracked leaves of a tape, or constants); projections are packed on the
    /// tape, so their gradients reach the TL-shaped leaves.
    case variables([String: Variable])

    /// Packs every block's attention projections of `weights`.
    static func pack(_ weights: ModelWeights) -> [PackedLayer] {
        let c = weights.config
        let hd = c.nHeads * c.dHead
        func t(_ name: String) -> Tensor { weights[name] ?? Tensor.zeros([0]) }
        return (0..<c.nLayers).map { l in
            let p = "blocks.\(l).attn."
            return PackedLayer(wQ: heads(t(p + "W_Q"), c), wK: heads(t(p + "W_K"), c), wV: heads(t(p + "W_V"), c),
                               bQ: t(p + "b_Q").reshapedUnchecked([hd]), bK: t(p + "b_K").reshapedUnchecked([hd]),
                               bV: t(p + "b_V").reshapedUnchecked([hd]), wO: t(p + "W_O").reshapedUnchecked([hd, c.dModel]))
        }
    }

    /// `[head, d_model, d_head]` → `[d_model, head·d_head]`.
    private static func heads(_ w: Tensor, _ c: ModelConfig) -> Tensor {
        w.permuted([1, 0, 2]).reshapedUnchecked([c.dModel, c.nHeads * c.dHead])
    }

    /// The parameter `name` (TL name), or nil when the model has none of that name.
    func optional(_ name: String) -> Variable? {
        switch self {
        case .constants(let weights, _): return weights[name].map { Variable($0) }
        case .variables(let vars): return vars[name]
        }
    }

    /// The parameter `name`.
    /// - Throws: `ModelError` when it is missing (only possible for a caller-made variable set).
    func required(_ name: String) throws(ModelError) -> Variable {
        guard let v = optional(name) else { throw ModelError("forward: missing parameter '\(name)'") }
        return v
    }

    /// Block `l`'s attention projections in the packed layout.
    func attention(layer l: Int, config c: ModelConfig) throws(ModelError)
        -> (wQ: Variable, wK: Variable, wV: Variable, bQ: Variable, bK: Variable, bV: Variable, wO: Variable) {
        switch self {
        case .constants(_, let packed):
            let p = packed[l]
            return (Variable(p.wQ), Variable(p.wK), Variable(p.wV), Variable(p.bQ), Variable(p.bK), Variable(p.bV), Variable(p.wO))
        case .variables:
            let p = "blocks.\(l).attn.", hd = c.nHeads * c.dHead
            func heads(_ name: String) throws(ModelError) -> Variable {           // [d_model, head·d_head]
                try required(p + name).permuted([1, 0, 2]).reshaped([c.dModel, hd])
            }
            return (try heads("W_Q"), try heads("W_K"), try heads("W_V"),
                    try required(p + "b_Q").reshaped([hd]), try required(p + "b_K").reshaped([hd]),
                    try required(p + "b_V").reshaped([hd]), try required(p + "W_O").reshaped([hd, c.dModel]))
        }
    }
}
