// Hidden cases of resid-patching: IOI prompt pairs (both corruptions) and random token pairs,
// compared with Interp's activationPatching(target: .residPre). Pairs are drawn again when the
// clean and corrupted logit differences are too close for the metric to mean anything, or when
// the result would be a constant.
import ExerciseKit
import ExerciseWire
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "resid-patching")

typealias Batch = (clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int])

/// Draws batches until the metric is well defined and not trivial, then asks for it.
func patchingCase(_ ctx: inout CheckContext, what: @escaping (Batch) -> String, _ make: @escaping (inout CheckContext) -> Batch) throws -> Question {
    let model = ctx.model
    let (batch, expected) = try ctx.draw({ ctx -> (Batch, Tensor?) in
        let b = make(&ctx)
        let ldClean = try LogitDifference(answers: b.answers, wrong: b.wrong).value(try model.forward(b.clean))
        let ldCorrupt = try LogitDifference(answers: b.answers, wrong: b.wrong).value(try model.forward(b.corrupted))
        // Clean and corrupted runs must differ for the metric to mean anything (the random-init
        // stand-in's differences are a few thousandths; float32 error stays far below the tolerance).
        guard abs(ldClean - ldCorrupt) > 0.002 else { return (b, nil) }
        return (b, try activationPatching(model: model, clean: b.clean, corrupted: b.corrupted, answers: b.answers, wrong: b.wrong, target: .residPre).values)
    }) { $0.1.map { !Trivial.isTrivial($0) } ?? false }
    guard let expected else { throw CaseFailure("internal: no expected values") }
    return { learner in
        let got = try learner.tensor("residPrePatching", .rows(batch.clean), .rows(batch.corrupted), .ints(batch.answers), .ints(batch.wrong),
                                     shape: expected.shape)
        return try Compare.tensors(got, expected, what: what(batch), atol: 1e-3, rtol: 1e-2)
    }
}

for corruption in [IOICorruption.abc, .flip] {
    runner.add(corruption == .abc ? "IOI pairs, all names replaced (abc)" : "IOI pairs, names swapped (flip)") { ctx in
        try patchingCase(&ctx, what: { "patching [layer, pos] on \($0.clean.count) \(corruption.rawValue) pairs" }) { ctx in
            let d = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(3...8), seed: ctx.rng.next(), corruption: corruption)
            return (d.clean, d.corrupted, d.answers, d.wrong)
        }
    }
}

runner.add("random token pairs") { ctx in
    let c = ctx.model.config
    return try patchingCase(&ctx, what: { "patching [layer, pos] on \($0.clean.count) random pairs of \($0.clean[0].count) tokens" }) { ctx in
        let batch = ctx.rng.randint(2...5), length = ctx.rng.randint(4...12)
        let draw = { (rng: inout SeededRandom) in (0..<batch).map { _ in [0] + (1..<length).map { _ in rng.randint(2..<c.dVocab) } } }
        let clean = draw(&ctx.rng), corrupted = draw(&ctx.rng)
        let answers = (0..<batch).map { _ in ctx.rng.randint(2..<c.dVocab) }
        let wrong = answers.map { $0 + 1 < c.dVocab ? $0 + 1 : 2 }
        return (clean, corrupted, answers, wrong)
    }
}

runner.finish()
