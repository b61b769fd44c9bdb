// Hidden cases of head-ablation: the loss with the learner's hook equals Interp's Ablation for
// random heads, zero and mean; other heads stay untouched.
import ExerciseKit
import HeadAblation
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "head-ablation", layers: 3)

func ablatedLoss(_ ctx: inout CheckContext, mean: Bool) throws -> String {
    let model = ctx.model, c = model.config
    let layer = ctx.rng.randint(0..<c.nLayers), head = ctx.rng.randint(0..<c.nHeads)
    let tokens = InductionData.repeated(batch: ctx.rng.randint(3...6), seqLen: ctx.rng.randint(5...12), vocabSize: c.dVocab, rng: &ctx.rng)
    let logits = try model.runWithHooks(tokens, hooks: [ablationHook(layer: layer, head: head, mean: mean)])
    let loss = NextTokenLoss(tokens: tokens)
    let got = try loss.value(logits) - loss.value(model.forward(tokens))
    let reference = try Ablation.heads([HeadIndex(layer, head)], model: model, tokens: tokens, metric: .loss(lastPredictions: nil),
                                       mode: mean ? .mean : .zero)
    // The change in loss, compared tightly: ablating one head of a small model moves the loss little.
    return try Compare.scalar(got, reference.values.scalars[0], what: "change in loss when head \(layer).\(head) is \(mean ? "mean" : "zero")-ablated",
                              atol: 2e-5, rtol: 2e-2)
}

runner.run("zero ablation of a random head") { ctx in try ablatedLoss(&ctx, mean: false) }
runner.run("zero ablation of another random head") { ctx in try ablatedLoss(&ctx, mean: false) }
runner.run("mean ablation of a random head") { ctx in try ablatedLoss(&ctx, mean: true) }
runner.run("mean ablation of another random head") { ctx in try ablatedLoss(&ctx, mean: true) }

runner.run("the hook changes only its head's z") { ctx in
    let c = ctx.model.config
    let layer = ctx.rng.randint(0..<c.nLayers), head = ctx.rng.randint(0..<c.nHeads)
    var z = Reference.randomMatrix(3 * 4 * c.nHeads, c.dHead, rng: &ctx.rng).reshapedUnchecked([3, 4, c.nHeads, c.dHead])
    let before = z
    let hook = ablationHook(layer: layer, head: head, mean: false)
    guard case .name(let name) = hook.target, name == HookPoint.name(.z, layer: layer) else {
        throw CaseFailure("the hook must sit at \(HookPoint.name(.z, layer: layer))")
    }
    try hook.body(&z, HookPoint(.z, layer: layer))
    for h in 0..<c.nHeads where h != head {
        try Compare.tensors(z.select(axis: 2, h), before.select(axis: 2, h), what: "z of head \(h) (not ablated)")
    }
    return try Compare.tensors(z.select(axis: 2, head), Tensor.zeros([3, 4, c.dHead]), what: "z of the zero-ablated head \(head)")
}

runner.finish()
