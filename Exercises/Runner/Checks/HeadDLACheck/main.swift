// Hidden cases of head-dla: every head on IOI prompts and random heads on random tokens, compared
// with Interp's LogitAttribution. Answer and wrong token always differ; a head is only drawn when
// its attribution is far from 0, ±1 and the numbers passed in.
import ExerciseKit
import ExerciseWire
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "head-dla")

/// Every head's DLA `[layer][head]` on `tokens`.
func reference(_ model: HookedTransformer, _ tokens: [[Int]], _ answers: [Int], _ wrong: [Int]) throws -> [[Float]] {
    let result = try LogitAttribution.analyse(model: model, tokens: tokens, answers: answers, wrong: wrong)
    let c = model.config
    return (0..<c.nLayers).map { l in (0..<c.nHeads).map { h in result.heads[l, h] } }
}

func askDLA(_ learner: Learner, _ tokens: [[Int]], layer: Int, head: Int, _ answers: [Int], _ wrong: [Int]) throws -> Float {
    try learner.float("headDLA", .rows(tokens), .int(layer), .int(head), .ints(answers), .ints(wrong))
}

runner.add("every head on IOI prompts") { ctx in
    let model = ctx.model, c = model.config
    let (d, expected) = try ctx.draw({ ctx in
        let d = Reference.ioiBatch(model, n: ctx.rng.randint(3...10), seed: ctx.rng.next(), corruption: .abc)
        return (d, try reference(model, d.clean, d.answers, d.wrong))
    }) { !Trivial.isTrivial(tensor([c.nLayers, c.nHeads], $0.1.flatMap { $0 })) }
    return { learner in
        for l in 0..<c.nLayers {
            for h in 0..<c.nHeads {
                try Compare.scalar(try askDLA(learner, d.clean, layer: l, head: h, d.answers, d.wrong), expected[l][h],
                                   what: "DLA of head \(l).\(h) to logit(IO) − logit(S)")
            }
        }
        return "all \(c.nLayers * c.nHeads) heads match on \(d.clean.count) prompts"
    }
}

runner.add("random heads on random tokens") { ctx in
    let model = ctx.model, c = model.config
    let batch = ctx.rng.randint(1...5), length = ctx.rng.randint(3...20)
    let tokens = (0..<batch).map { _ in [0] + (1..<length).map { _ in ctx.rng.randint(2..<c.dVocab) } }
    let answers = (0..<batch).map { _ in ctx.rng.randint(0..<c.dVocab) }
    let wrong = answers.map { a in (a + ctx.rng.randint(1..<c.dVocab)) % c.dVocab }   // never the answer
    let table = try reference(model, tokens, answers, wrong)
    var heads: [(Int, Int)] = []
    for _ in 0..<2 {
        let head = try ctx.draw({ ctx in (ctx.rng.randint(0..<c.nLayers), ctx.rng.randint(0..<c.nHeads)) }) { (l, h) in
            Trivial.farFromTrivial(table[l][h], inputs: [Float(l), Float(h)]) && !heads.contains { $0 == (l, h) || Compare.close(table[$0.0][$0.1], table[l][h]) }
        }
        heads.append(head)
    }
    return { learner in
        for (l, h) in heads {
            try Compare.scalar(try askDLA(learner, tokens, layer: l, head: h, answers, wrong), table[l][h],
                               what: "DLA of head \(l).\(h) on \(batch) random sequences")
        }
        return "heads \(heads.map { "\($0.0).\($0.1)" }.joined(separator: " and ")) match on \(batch) random sequences"
    }
}

runner.finish()
