// Exercise head-ablation: zero- and mean-ablation of one head with a hook on hook_z.
// Edit this file, then run `interp check head-ablation`.
import Tensor
import Transformer

/// A hook that ablates head `head` of layer `layer` at `blocks.{layer}.attn.hook_z`
/// (`z` is `[batch, pos, head, d_head]`).
///
/// - zero ablation (`mean == false`): the head's `z` becomes 0 at every batch entry and position;
/// - mean ablation (`mean == true`): at each position, the head's `z` becomes its mean over the batch.
/// Other heads are left alone.
public func ablationHook(layer: Int, head: Int, mean: Bool) -> Hook {
    Hook(.z, layer: layer) { z, _ in
        // TODO: overwrite z[b, p, head, :] for every b and p.
    }
}
