// LayerNorm and LayerNormPre (TL's LayerNorm / LayerNormPre) with their two hook points.
import Tensor

/// A normalization layer: centre, scale (`hook_scale`), emit `hook_normalized` (before the affine,
/// TL 3), then the affine for LayerNorm. Identity for models without normalization.
struct LayerNorm {
    let kind: ModelConfig.Normalization?
    let weight: Variable?, bias: Variable?      // [d_model] (LN only)
    let eps: Float
    let scalePoint: Int, normalizedPoint: Int

    /// The norm whose parameters are `prefix + "w"` / `"b"` (e.g. `blocks.0.ln1.`, `ln_final.`).
    init(_ parameters: ParameterSource, prefix: String, config c: ModelConfig, scalePoint: Int, normalizedPoint: Int) throws(ModelError) {
        kind = c.normalizationType
        if kind == .ln {
            weight = try parameters.required(prefix + "w")
            bias = try parameters.required(prefix + "b")
        } else {
            weight = nil
            bias = nil
        }
        eps = Float(c.eps)
        self.scalePoint = scalePoint
        self.normalizedPoint = normalizedPoint
    }

    /// Normalises `x [batch, pos, d_model]` and returns the input of the next layer.
    func callAsFunction(_ x: Variable, _ pass: inout ForwardPass) throws -> Variable {
        guard let kind else { return x }
        var normalized: Variable                                            // [b, p, d]
        if pass.observes(scalePoint) {
            // The scale as a node of its own: a hook may replace it (TL divides by the hooked scale)
            // and its gradient is reported; the values are the same bits as the fused kernel's.
            var scale = x.layerNormScale(eps: eps)                          // [b, p, 1]
            try pass.emit(scalePoint, &scale)
            normalized = x.layerNormalized(scale: scale)
        } else {
            normalized = x.layerNorm(eps: eps)
        }
        try pass.emit(normalizedPoint, &normalized)
        switch kind {
        case .ln:
            guard let weight, let bias else { return normalized }
            return normalized.affine(weight: weight, bias: bias)            // [b, p, d]
        case .lnPre:
            return normalized
        }
    }
}
