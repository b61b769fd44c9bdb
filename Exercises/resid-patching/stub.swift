// Exercise resid-patching: activation patching of the residual stream (resid_pre).
// Edit this file, then run `interp check resid-patching`.
import Tensor
import Transformer

/// Activation patching of `blocks.{l}.hook_resid_pre` at one position at a time.
///
/// For every layer `l` and position `p`: run the corrupted batch with a hook that copies the clean
/// run's `hook_resid_pre` of layer `l` at position `p` (every batch entry) into the corrupted run,
/// and measure `(LD_patched − LD_corrupt) / (LD_clean − LD_corrupt)`, where LD is the mean over the
/// batch of `logit[answer] − logit[wrong]` at the last position.
///
/// - Returns: the normalised metric, `[n_layers, pos]`.
public func residPrePatching(model: HookedTransformer, clean: [[Int]], corrupted: [[Int]],
                             answers: [Int], wrong: [Int]) throws -> Tensor {
    // TODO: cache the clean run (model.runWithCache), then one model.runWithHooks per (layer, position).
    let positions = clean.first?.count ?? 0
    return Tensor.zeros([model.config.nLayers, positions])
}
