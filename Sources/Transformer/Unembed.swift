// The unembedding (TL's Unembed): the final residual stream to logits.
import Tensor

/// `x · W_U + b_U`.
struct Unembed {
    let wU: Variable, bU: Variable              // [d_model, d_vocab_out], [d_vocab_out]

    init(_ parameters: ParameterSource) throws(ModelError) {
        wU = try parameters.required("unembed.W_U")
        bU = try parameters.required("unembed.b_U")
    }

    /// Logits `[batch, pos, d_vocab_out]` from the final (normalised) residual stream.
    func callAsFunction(_ x: Variable) -> Variable {
        x.linear(weight: wU, bias: bU)
    }
}
