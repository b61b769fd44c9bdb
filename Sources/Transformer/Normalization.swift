// The LayerNorm / LayerNormPre step of a block or of the final norm, with its two hook points.
import Tensor

extension HookedTransformer {
    /// Normalises `x [batch, pos, d_model]` as the config says, emitting `hook_scale` and
    /// `hook_normalized` (before the affine, TL 3); returns the input of the next layer.
    func normalize(_ x: Tensor, weight: Tensor?, bias: Tensor?, scalePoint: Int, normalizedPoint: Int,
                   _ pass: inout ForwardPass) throws -> Tensor {
        guard let normalization = config.normalizationType else { return x }
        var (normalized, scale) = x.layerNorm(eps: Float(config.eps))   // [b, p, d], [b, p, 1]
        if pass.hooks(scalePoint) {
            try pass.emit(scalePoint, &scale)
            normalized = x.layerNorm(scale: scale)                       // a hooked scale flows on, as in TL
        } else {
            try pass.emit(scalePoint, &scale)
        }
        try pass.emit(normalizedPoint, &normalized)
        switch normalization {
        case .ln:
            guard let weight, let bias else { return normalized }
            return normalized.affine(weight: weight, bias: bias)       // [b, p, d]
        case .lnPre:
            return normalized
        }
    }
}
