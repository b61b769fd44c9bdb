// Exercise composition-score: how much a later head reads what an earlier head writes.
// Edit this file, then run `interp check composition-score`.
import Tensor
import Transformer

/// The composition score `‖A·B‖_F / (‖A‖_F · ‖B‖_F)` of `a` `[m, n]` and `b` `[n, k]`
/// (Frobenius norms: the square root of the sum of squared entries).
public func compositionScore(_ a: Tensor, _ b: Tensor) -> Float {
    // TODO
    return 0
}

/// K-composition of the writer head into the reader head: the composition score of
/// `W_OV = W_V[w] · W_O[w]` of the writer (`[d_model, d_model]`) and `W_QKᵀ` of the reader, where
/// `W_QK = W_Q[r] · W_K[r]ᵀ`. Weights: `model.weights["blocks.{l}.attn.W_V"]` is `[head, d_model, d_head]`,
/// `W_O` is `[head, d_head, d_model]`, `W_Q` and `W_K` are `[head, d_model, d_head]`.
public func kComposition(model: HookedTransformer, writerLayer: Int, writerHead: Int, readerLayer: Int, readerHead: Int) -> Float {
    // TODO
    return 0
}
