// Hidden cases of induction-score: perfect, split and <bos>-only patterns, random patterns, and
// every head of the model on random repeated tokens compared with Interp's HeadScores. Every case
// asks at least two questions with different answers, each far from 0, ±1 and seqLen.
import ExerciseKit
import ExerciseWire
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "induction-score")

/// A pattern `[n, n]`, n = 2·seqLen + 1, whose query i puts `weight` on the token after its earlier
/// copy (key i − seqLen + 1) and the rest on <bos>.
func inductionPattern(seqLen: Int, weight: Float) -> Tensor {
    let n = 2 * seqLen + 1
    var values = [Float](repeating: 0, count: n * n)
    for i in 0..<n {
        let key = i - seqLen + 1
        if key > 0 { values[i * n + key] = weight; values[i * n] = 1 - weight } else { values[i * n] = 1 }
    }
    return tensor([n, n], values)
}

func ask(_ learner: Learner, _ pattern: Tensor, seqLen: Int, expected: Float, what: String) throws -> String {
    try Compare.scalar(try learner.float("inductionScore", .tensor(pattern), .int(seqLen)), expected, what: what)
}

runner.add("a perfect induction pattern scores 1, a split one less") { ctx in
    let seqLen = ctx.rng.randint(3...10)
    let weight = try ctx.draw({ $0.rng.uniform(0.2, 0.8) }) { w in
        Trivial.farFromTrivial(Reference.stripeMean(inductionPattern(seqLen: seqLen, weight: w), offset: 1 - seqLen), inputs: [Float(seqLen)])
    }
    let split = inductionPattern(seqLen: seqLen, weight: weight)
    let expected = Reference.stripeMean(split, offset: 1 - seqLen)
    return { learner in
        try ask(learner, inductionPattern(seqLen: seqLen, weight: 1), seqLen: seqLen, expected: 1,
                what: "score of a pattern that always attends to the token after the earlier copy (seqLen \(seqLen))")
        try ask(learner, split, seqLen: seqLen, expected: expected,
                what: "score of a pattern that puts \(Compare.format(weight)) there and the rest on <bos> (seqLen \(seqLen))")
        return "a perfect pattern scores 1 and a split one \(Compare.format(expected))"
    }
}

runner.add("attention only to <bos>") { ctx in
    let first = ctx.rng.randint(3...10)
    let second = try ctx.draw({ $0.rng.randint(3...10) }) { $0 != first }
    return { learner in
        for seqLen in [first, second] {
            try ask(learner, inductionPattern(seqLen: seqLen, weight: 0), seqLen: seqLen, expected: 1 / Float(seqLen + 2),
                    what: "score of a pattern that always attends to <bos> (seqLen \(seqLen); only query seqLen − 1 hits key 0)")
        }
        return "<bos>-only patterns score 1/(seqLen + 2)"
    }
}

runner.add("random attention patterns") { ctx in
    var patterns: [(Tensor, Int, Float)] = []
    for _ in 0..<5 {
        let drawn = try ctx.draw({ ctx -> (Tensor, Int, Float) in
            let seqLen = ctx.rng.randint(2...15)
            let pattern = Reference.randomPattern(2 * seqLen + 1, rng: &ctx.rng)
            return (pattern, seqLen, Reference.stripeMean(pattern, offset: 1 - seqLen))
        }) { Trivial.farFromTrivial($0.2, inputs: [Float($0.1)]) }
        patterns.append(drawn)
    }
    return { learner in
        for (pattern, seqLen, expected) in patterns {
            try ask(learner, pattern, seqLen: seqLen, expected: expected, what: "random pattern with seqLen \(seqLen)")
        }
        return "5 random patterns match"
    }
}

runner.add("every head of the model on repeated random tokens") { ctx in
    let model = ctx.model, c = model.config
    let (seqLen, tokens, expected) = try ctx.draw({ ctx -> (Int, [[Int]], Tensor) in
        let seqLen = ctx.rng.randint(4...min(15, (c.nCtx - 1) / 2))
        let tokens = InductionData.repeated(batch: 1, seqLen: seqLen, vocabSize: c.dVocab, rng: &ctx.rng)
        return (seqLen, tokens, try HeadScores.compute(model: model, tokens: tokens).induction)
    }) { !Trivial.isTrivial($0.2) }
    let (_, cache) = try model.runWithCache(tokens, names: .suffixes(["attn.hook_pattern"]))
    var patterns: [Tensor] = []
    for l in 0..<c.nLayers {
        guard let pattern = cache[.pattern, l] else { throw CaseFailure("internal: no pattern for layer \(l)") }
        for h in 0..<c.nHeads { patterns.append(pattern.select(axis: 0, 0).select(axis: 0, h)) }
    }
    return { learner in
        var got: [Float] = []
        for pattern in patterns { got.append(try learner.float("inductionScore", .tensor(pattern), .int(seqLen))) }
        return try Compare.tensors(tensor([c.nLayers, c.nHeads], got), expected, what: "induction scores [layer, head] (seqLen \(seqLen))")
    }
}

runner.finish()
