// Hidden cases of logit-diff: random logits and the model's logits on IOI prompts, compared with
// Interp's LogitDifference metric; the normalised metric on random and boundary values. Answer and
// wrong token always differ, and every expected value is far from 0, ±1 and the inputs.
import ExerciseKit
import ExerciseWire
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "logit-diff")

typealias Batch = (logits: Tensor, answers: [Int], wrong: [Int], expected: Float)

/// Two batches from `make` whose logit differences are far from trivial and from each other, asked
/// of the learner's `logitDiff`.
func twoBatches(_ ctx: inout CheckContext, what: @escaping (Batch) -> String, done: String,
                _ make: @escaping (inout CheckContext) throws -> (Tensor, [Int], [Int])) throws -> Question {
    var batches: [Batch] = []
    for _ in 0..<2 {
        let batch = try ctx.draw({ ctx -> Batch in
            let (logits, answers, wrong) = try make(&ctx)
            return (logits, answers, wrong, try LogitDifference(answers: answers, wrong: wrong).value(logits))
        }) { candidate in Trivial.farFromTrivial(candidate.expected) && !batches.contains { Compare.close($0.expected, candidate.expected) } }
        batches.append(batch)
    }
    return { learner in
        for b in batches {
            try Compare.scalar(try learner.float("logitDiff", .tensor(b.logits), .ints(b.answers), .ints(b.wrong)), b.expected, what: what(b))
        }
        return done
    }
}

runner.add("random logits") { ctx in
    try twoBatches(&ctx, what: { "logit difference of random logits \($0.logits.shape)" }, done: "2 random batches match") { ctx in
        let batch = ctx.rng.randint(1...6), pos = ctx.rng.randint(2...8), vocab = ctx.rng.randint(5...40)
        let logits = Reference.randomMatrix(batch * pos, vocab, rng: &ctx.rng).reshapedUnchecked([batch, pos, vocab])
        let answers = (0..<batch).map { _ in ctx.rng.randint(0..<vocab) }
        let wrong = answers.map { a in (a + ctx.rng.randint(1..<vocab)) % vocab }   // never the answer
        return (logits, answers, wrong)
    }
}

runner.add("the model on IOI prompts") { ctx in
    try twoBatches(&ctx, what: { "logit(IO) − logit(S) of \($0.answers.count) IOI prompts" }, done: "the model's logit difference on 2 IOI batches matches") { ctx in
        let data = Reference.ioiBatch(ctx.model, n: ctx.rng.randint(4...12), seed: ctx.rng.next(), corruption: .abc)
        return (try ctx.model.forward(data.clean), data.answers, data.wrong)
    }
}

func askMetric(_ learner: Learner, _ patched: Float, _ clean: Float, _ corrupted: Float, expected: Float, what: String) throws {
    try Compare.scalar(try learner.float("normalizedMetric", .float(patched), .float(clean), .float(corrupted)), expected, what: what)
}

runner.add("normalised metric of random values") { ctx in
    var triples: [(Float, Float, Float)] = []
    for _ in 0..<5 {
        let triple = try ctx.draw({ ctx in (ctx.rng.uniform(-5, 10), ctx.rng.uniform(1, 10), ctx.rng.uniform(-5, 0.5)) }) { t in
            Trivial.farFromTrivial((t.0 - t.2) / (t.1 - t.2), inputs: [t.0, t.1, t.2])
        }
        triples.append(triple)
    }
    return { learner in
        for (patched, clean, corrupted) in triples {
            try askMetric(learner, patched, clean, corrupted, expected: (patched - corrupted) / (clean - corrupted),
                          what: "normalizedMetric(patched: \(patched), clean: \(clean), corrupted: \(corrupted))")
        }
        return "5 random triples match"
    }
}

runner.add("patched = clean gives 1, patched = corrupted gives 0") { ctx in
    let clean = ctx.rng.uniform(2, 10), corrupted = ctx.rng.uniform(-3, 1)
    return { learner in
        try askMetric(learner, clean, clean, corrupted, expected: 1, what: "a patch that restores the clean run")
        try askMetric(learner, corrupted, clean, corrupted, expected: 0, what: "a patch that changes nothing")
        return "boundaries are 1 and 0"
    }
}

runner.finish()
