// Exercise head-dla: direct logit attribution of one head.
// Edit this file, then run `interp check head-dla`.
import Tensor
import Transformer

/// How much head `head` of layer `layer` writes directly into `logit[answer] − logit[wrong]` at
/// the last position, averaged over the batch.
///
/// The head's output at the last position is `z[b, last, head, :] · W_O[head]` (`[d_model]`;
/// `z` from `blocks.{layer}.attn.hook_z`, `W_O` = `model.weights["blocks.{layer}.attn.W_O"]`,
/// `[head, d_head, d_model]`). Project it on `W_U[:, answer] − W_U[:, wrong]`
/// (`model.weights["unembed.W_U"]`, `[d_model, vocab]`). The bundled models have no final LayerNorm,
/// so no scaling is needed.
public func headDLA(model: HookedTransformer, tokens: [[Int]], layer: Int, head: Int,
                    answers: [Int], wrong: [Int]) throws -> Float {
    // TODO
    return 0
}
