// Gradients of a metric at hook points (TL's run_with_cache(incl_bwd=True) and backward hooks) and
// of the parameters, from the one forward.
import Tensor

/// What `runWithGradients` returns.
public struct GradientResult {
    /// `[batch, pos, d_vocab_out]` (or `[batch, 1, d_vocab_out]` with `.last` logits).
    public var logits: Tensor
    /// The metric's value.
    public var metric: Float
    /// The recorded activations (TL's cache).
    public var cache: ActivationCache
    /// d(metric)/d(activation) at each requested hook point, under the hook's name, in forward
    /// order, with the activation's shape (TL stores them as `<name>_grad`).
    public var gradients: ActivationCache
    /// d(metric)/d(parameter) by TL parameter name (empty unless asked for).
    public var parameterGradients: [String: Tensor]
}

extension HookedTransformer {
    /// Runs the model, evaluates `metric` on the logits, and differentiates it with respect to the
    /// activation at every hook point `gradients` accepts (and, with `parameterGradients`, every
    /// parameter) — TransformerLens's `run_with_cache(incl_bwd=True)` with the cache, backward
    /// hooks, and `loss.backward()` in one call.
    ///
    /// The gradient at a point is that of the value the forward carries on from it: after the
    /// point's hooks ran. A plain hook that replaces an activation cuts the gradient to what came
    /// before it; the point's own gradient is still reported.
    ///
    /// - Parameters:
    ///   - metric: a scalar from the logits variable, built from differentiable ops (see
    ///     `Interp/Metrics.swift` for TL's loss, logit difference and answer probability).
    ///   - cache: which activations to record (all by default).
    ///   - gradients: which hook points to differentiate at (all by default).
    ///   - hooks: run as in `run(_:hooks:cache:options:)`; differentiable hooks are differentiated.
    ///   - options: as for `run`; a start residual, if given, gets no gradient (use a hook on
    ///     `hook_resid_pre` of that layer instead).
    /// - Throws: `ModelError` for bad tokens, names or options, or when the metric is not a scalar;
    ///   errors `metric` or a hook throws pass through.
    public func runWithGradients(_ tokens: [[Int]], metric: (Variable) throws -> Variable,
                                 cache: HookFilter = .all, gradients: HookFilter = .all, hooks: [Hook] = [],
                                 parameterGradients: Bool = false,
                                 options: ForwardOptions = ForwardOptions()) throws -> GradientResult {
        guard options.stopAtLayer == nil else { throw ModelError("gradients need logits: stopAtLayer must be nil") }
        let tape = Tape()
        var pass = try ForwardPass(table: hookTable, hooks: hooks, cache: cache, gradients: gradients, tape: tape)
        let parameters: [String: Variable] = parameterGradients ? parameterVariables(on: tape) : [:]
        let source: ParameterSource = parameterGradients ? .variables(parameters) : constants
        guard let logits = try forward(tokens, parameters: source, options: options, &pass).logits else {
            throw ModelError("gradients need logits: a hook stopped the forward pass")
        }
        let value = try metric(logits)
        guard value.shape.reduce(1, *) == 1 else {
            throw ModelError("the metric must be a scalar, got shape \(value.shape)")
        }
        var grads = ActivationCache()
        if value.tape === tape {
            tape.backward(from: value, seed: Tensor(shape: value.shape, repeating: 1))
            for (point, node) in pass.gradientNodes { grads.record(point.name, node.gradient) }
        } else {
            // Nothing the metric reads depends on a tracked value: every gradient is zero.
            for (point, node) in pass.gradientNodes { grads.record(point.name, Tensor.zeros(node.shape)) }
        }
        var parameterGrads: [String: Tensor] = [:]
        for (name, v) in parameters { parameterGrads[name] = v.gradient }
        return GradientResult(logits: logits.value, metric: value.value.item, cache: pass.cache, gradients: grads,
                              parameterGradients: parameterGrads)
    }
}
