// Hidden cases of head-ablation: the loss of the model run with the learner's hook equals Interp's
// Ablation for random heads, zero and mean; other heads stay untouched. A head is only drawn when
// ablating it changes the loss clearly: a hook that does nothing (or logits that say nothing)
// cannot pass.
import ExerciseKit
import Foundation
import ExerciseWire
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "head-ablation")

/// The loss change, compared tightly: ablating one head of a small model moves the loss little.
let atol: Float = 2e-5, rtol: Float = 2e-2

func ablatedLoss(_ ctx: inout CheckContext, mean: Bool) throws -> Question {
    let model = ctx.model, c = model.config
    let (layer, head, tokens, baseline, expected) = try ctx.draw({ ctx -> (Int, Int, [[Int]], Double, Float) in
        let layer = ctx.rng.randint(0..<c.nLayers), head = ctx.rng.randint(0..<c.nHeads)
        let tokens = InductionData.repeated(batch: ctx.rng.randint(3...6), seqLen: ctx.rng.randint(5...12), vocabSize: c.dVocab, rng: &ctx.rng)
        let baseline = Double(try NextTokenLoss(tokens: tokens).value(model.forward(tokens)))
        let reference = try Ablation.heads([HeadIndex(layer, head)], model: model, tokens: tokens, metric: .loss(lastPredictions: nil),
                                           mode: mean ? .mean : .zero)
        return (layer, head, tokens, baseline, reference.values.scalars[0])
    }) { draw in
        // Trivial answers: the unchanged model (change 0), and logits that are all equal (log V − baseline).
        let flat = Float(Foundation.log(Double(c.dVocab)) - draw.3)
        return !Trivial.isNear(draw.4, [0, flat], atol: atol, rtol: rtol)
    }
    let shape = [tokens.count, tokens[0].count, c.dVocab]
    return { learner in
        let logits = try learner.tensor("ablatedLogits", .int(layer), .int(head), .bool(mean), .rows(tokens), shape: shape)
        guard logits.shape == shape else { throw CaseFailure("logits of the hooked run: expected shape \(shape), got \(logits.shape)") }
        let got = Float(Double(try NextTokenLoss(tokens: tokens).value(logits)) - baseline)
        return try Compare.scalar(got, expected, what: "change in loss when head \(layer).\(head) is \(mean ? "mean" : "zero")-ablated",
                                  atol: atol, rtol: rtol)
    }
}

runner.add("zero ablation of a random head") { ctx in try ablatedLoss(&ctx, mean: false) }
runner.add("zero ablation of another random head") { ctx in try ablatedLoss(&ctx, mean: false) }
runner.add("mean ablation of a random head") { ctx in try ablatedLoss(&ctx, mean: true) }
runner.add("mean ablation of another random head") { ctx in try ablatedLoss(&ctx, mean: true) }

runner.add("the hook changes only its head's z") { ctx in
    let c = ctx.model.config
    let layer = ctx.rng.randint(0..<c.nLayers), head = ctx.rng.randint(0..<c.nHeads)
    let z = Reference.randomMatrix(3 * 4 * c.nHeads, c.dHead, rng: &ctx.rng).reshapedUnchecked([3, 4, c.nHeads, c.dHead])
    let meanOfHead = z.select(axis: 2, head).mean(axis: 0)   // [4, d_head]
    return { learner in
        for mean in [false, true] {
            let reply = try learner.call("applyHook", [.int(layer), .int(head), .bool(mean), .tensor(z)],
                                         returns: .list([.string(""), .tensor(z)]))
            guard case .list(let items) = reply, case .string(let name) = items[0], case .tensor(let after) = items[1] else {
                throw CaseFailure("the hook's answer does not decode")
            }
            guard name == HookPoint.name(.z, layer: layer) else {
                throw CaseFailure("the hook must sit at \(HookPoint.name(.z, layer: layer)), expected that name, got \(name)")
            }
            guard after.shape == z.shape else { throw CaseFailure("z after the hook: expected shape \(z.shape), got \(after.shape)") }
            for h in 0..<c.nHeads where h != head {
                try Compare.tensors(after.select(axis: 2, h), z.select(axis: 2, h), what: "z of head \(h) (not ablated)")
            }
            let ablated = after.select(axis: 2, head)
            if mean {
                for b in 0..<3 { try Compare.tensors(ablated.select(axis: 0, b), meanOfHead, what: "z of the mean-ablated head \(head), batch entry \(b)") }
            } else {
                try Compare.tensors(ablated, Tensor.zeros([3, 4, c.dHead]), what: "z of the zero-ablated head \(head)")
            }
        }
        return "zero and mean ablation change head \(head) of z only"
    }
}

runner.finish()
