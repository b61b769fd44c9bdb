// The functions of head-ablation the check program may call (see ../Serve.swift): the logits of
// the model run with the learner's hook, and the hook applied to a given z.
import HeadAblation
import Transformer

Harness.serve([
    // (layer, head, mean, tokens) → logits [batch, pos, vocab] of the model run with the hook.
    "ablatedLogits": { c in
        let hook = ablationHook(layer: try c.int(0), head: try c.int(1), mean: try c.bool(2))
        return .tensor(try c.model.runWithHooks(try c.rows(3), hooks: [hook]))
    },
    // (layer, head, mean, z) → [the hook's point name, z after the hook].
    "applyHook": { c in
        let layer = try c.int(0)
        let hook = ablationHook(layer: layer, head: try c.int(1), mean: try c.bool(2))
        var name = "(a predicate, not one point)"
        if case .name(let n) = hook.target { name = n }
        var z = try c.tensor(3)
        try hook.body(&z, HookPoint(.z, layer: layer))
        return .list([.string(name), .tensor(z)])
    },
])
