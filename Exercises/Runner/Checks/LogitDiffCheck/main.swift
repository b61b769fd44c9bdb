// Hidden cases of logit-diff: random logits and the model's logits on IOI prompts, compared with
// Interp's LogitDifference metric; the normalised metric on random and boundary values.
import ExerciseKit
import LogitDiff
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "logit-diff", layers: 3)

runner.run("random logits") { ctx in
    let batch = ctx.rng.randint(1...6), pos = ctx.rng.randint(2...8), vocab = ctx.rng.randint(5...40)
    let logits = Reference.randomMatrix(batch * pos, vocab, rng: &ctx.rng).reshapedUnchecked([batch, pos, vocab])
    let answers = (0..<batch).map { _ in ctx.rng.randint(0..<vocab) }
    let wrong = (0..<batch).map { _ in ctx.rng.randint(0..<vocab) }
    return try Compare.scalar(logitDiff(logits: logits, answers: answers, wrong: wrong),
                              try LogitDifference(answers: answers, wrong: wrong).value(logits),
                              what: "logit difference of random logits [\(batch), \(pos), \(vocab)]")
}

runner.run("the model on IOI prompts") { ctx in
    let data = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(4...12), seed: ctx.rng.next(), corruption: .abc)
    let logits = try ctx.model.forward(data.clean)
    return try Compare.scalar(logitDiff(logits: logits, answers: data.answers, wrong: data.wrong),
                              try LogitDifference(answers: data.answers, wrong: data.wrong).value(logits),
                              what: "logit(IO) − logit(S) of \(data.clean.count) IOI prompts")
}

runner.run("normalised metric of random values") { ctx in
    for _ in 0..<5 {
        let clean = ctx.rng.uniform(1, 10), corrupted = ctx.rng.uniform(-5, 0.5), patched = ctx.rng.uniform(-5, 10)
        try Compare.scalar(normalizedMetric(patched: patched, clean: clean, corrupted: corrupted), (patched - corrupted) / (clean - corrupted),
                           what: "normalizedMetric(patched: \(patched), clean: \(clean), corrupted: \(corrupted))")
    }
    return "5 random triples match"
}

runner.run("patched = clean gives 1, patched = corrupted gives 0") { ctx in
    let clean = ctx.rng.uniform(2, 10), corrupted = ctx.rng.uniform(-3, 1)
    try Compare.scalar(normalizedMetric(patched: clean, clean: clean, corrupted: corrupted), 1, what: "a patch that restores the clean run")
    try Compare.scalar(normalizedMetric(patched: corrupted, clean: clean, corrupted: corrupted), 0, what: "a patch that changes nothing")
    return "boundaries are 1 and 0"
}

runner.finish()
