// Hidden cases of head-dla: random heads on IOI prompts and on random tokens, compared with
// Interp's LogitAttribution.
import ExerciseKit
import HeadDLA
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "head-dla", layers: 3)

@discardableResult
func compare(_ model: HookedTransformer, _ tokens: [[Int]], _ answers: [Int], _ wrong: [Int], layer: Int, head: Int, what: String) throws -> String {
    let reference = try LogitAttribution.analyse(model: model, tokens: tokens, answers: answers, wrong: wrong)
    let got = try headDLA(model: model, tokens: tokens, layer: layer, head: head, answers: answers, wrong: wrong)
    return try Compare.scalar(got, reference.heads[layer, head], what: what)
}

runner.run("every head on IOI prompts") { ctx in
    let d = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(3...10), seed: ctx.rng.next(), corruption: .abc)
    let c = ctx.model.config
    for l in 0..<c.nLayers {
        for h in 0..<c.nHeads {
            try compare(ctx.model, d.clean, d.answers, d.wrong, layer: l, head: h, what: "DLA of head \(l).\(h) to logit(IO) − logit(S)")
        }
    }
    return "all \(c.nLayers * c.nHeads) heads match on \(d.clean.count) prompts"
}

runner.run("a random head on random tokens") { ctx in
    let c = ctx.model.config
    let batch = ctx.rng.randint(1...5), length = ctx.rng.randint(3...20)
    let tokens = (0..<batch).map { _ in [0] + (1..<length).map { _ in ctx.rng.randint(2..<c.dVocab) } }
    let answers = (0..<batch).map { _ in ctx.rng.randint(0..<c.dVocab) }
    let wrong = (0..<batch).map { _ in ctx.rng.randint(0..<c.dVocab) }
    let l = ctx.rng.randint(0..<c.nLayers), h = ctx.rng.randint(0..<c.nHeads)
    return try compare(ctx.model, tokens, answers, wrong, layer: l, head: h, what: "DLA of head \(l).\(h) on \(batch) random sequences")
}

runner.finish()
