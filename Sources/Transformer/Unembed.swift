// The unembedding (TL's Unembed): the final residual stream to logits.
import Tensor

/// `x · W_U + b_U`, with TL's `unembed.hook_in` and `unembed.hook_out`.
struct Unembed {
    let wU: Variable, bU: Variable              // [d_model, d_vocab_out], [d_vocab_out]
    let inPoint: Int, outPoint: Int

    init(_ parameters: ParameterSource, table: HookPointTable) throws(ModelError) {
        wU = try parameters.required("unembed.W_U")
        bU = try parameters.required("unembed.b_U")
        inPoint = table.index(.unembedIn, layer: 0)
        outPoint = table.index(.unembedOut, layer: 0)
    }

    /// Logits `[batch, pos, d_vocab_out]` from the final (normalised) residual stream.
    func callAsFunction(_ x: Variable, _ pass: inout ForwardPass) throws -> Variable {
        var input = x                                                       // [b, p, d]
        try pass.emit(inPoint, &input)
        var logits = input.linear(weight: wU, bias: bU)                     // [b, p, d_vocab_out]
        try pass.emit(outPoint, &logits)
        return logits
    }
}
