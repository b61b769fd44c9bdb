// Hidden cases of resid-patching: IOI prompt pairs (both corruptions) and random token pairs,
// compared with Interp's activationPatching(target: .residPre).
import ExerciseKit
import ResidPatching
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "resid-patching", layers: 3)

func compare(_ model: HookedTransformer, _ clean: [[Int]], _ corrupted: [[Int]], _ answers: [Int], _ wrong: [Int], what: String) throws -> String {
    let expected = try activationPatching(model: model, clean: clean, corrupted: corrupted, answers: answers, wrong: wrong, target: .residPre)
    let got = try residPrePatching(model: model, clean: clean, corrupted: corrupted, answers: answers, wrong: wrong)
    return try Compare.tensors(got, expected.values, what: what, atol: 1e-3, rtol: 1e-2)
}

runner.run("IOI pairs, all names replaced (abc)") { ctx in
    let d = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(3...8), seed: ctx.rng.next(), corruption: .abc)
    return try compare(ctx.model, d.clean, d.corrupted, d.answers, d.wrong, what: "patching [layer, pos] on \(d.clean.count) abc pairs")
}

runner.run("IOI pairs, names swapped (flip)") { ctx in
    let d = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(3...8), seed: ctx.rng.next(), corruption: .flip)
    return try compare(ctx.model, d.clean, d.corrupted, d.answers, d.wrong, what: "patching [layer, pos] on \(d.clean.count) flip pairs")
}

runner.run("random token pairs") { ctx in
    let c = ctx.model.config
    let batch = ctx.rng.randint(2...5), length = ctx.rng.randint(4...12)
    let draw = { (rng: inout SeededRandom) in (0..<batch).map { _ in [0] + (1..<length).map { _ in rng.randint(2..<c.dVocab) } } }
    let clean = draw(&ctx.rng), corrupted = draw(&ctx.rng)
    let answers = (0..<batch).map { _ in ctx.rng.randint(2..<c.dVocab) }
    let wrong = answers.map { $0 + 1 < c.dVocab ? $0 + 1 : 2 }
    return try compare(ctx.model, clean, corrupted, answers, wrong, what: "patching [layer, pos] on \(batch) random pairs of \(length) tokens")
}

runner.finish()
