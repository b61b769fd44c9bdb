// Hidden cases of induction-score: random patterns, a perfect induction head, and every head of the
// model on random repeated tokens compared with Interp's HeadScores.
import ExerciseKit
import InductionScore
import Interp
import Tensor
import Transformer

let runner = CheckRunner(exercise: "induction-score", layers: 2)

runner.run("a perfect induction pattern scores 1") { ctx in
    let seqLen = ctx.rng.randint(3...10), n = 2 * seqLen + 1
    var values = [Float](repeating: 0, count: n * n)
    for i in 0..<n { values[i * n + (i >= seqLen - 1 ? i - seqLen + 1 : 0)] = 1 }
    return try Compare.scalar(inductionScore(pattern: tensor([n, n], values), seqLen: seqLen), 1,
                              what: "score of a pattern that always attends to the token after the earlier copy (seqLen \(seqLen))")
}

runner.run("attention only to <bos>") { ctx in
    let seqLen = ctx.rng.randint(3...10), n = 2 * seqLen + 1
    var values = [Float](repeating: 0, count: n * n)
    for i in 0..<n { values[i * n] = 1 }
    return try Compare.scalar(inductionScore(pattern: tensor([n, n], values), seqLen: seqLen), 1 / Float(seqLen + 2),
                              what: "score of a pattern that always attends to <bos> (seqLen \(seqLen); only query seqLen − 1 hits key 0)")
}

runner.run("random attention patterns") { ctx in
    var messages: [String] = []
    for _ in 0..<5 {
        let seqLen = ctx.rng.randint(2...15)
        let pattern = Reference.randomPattern(2 * seqLen + 1, rng: &ctx.rng)
        messages.append(try Compare.scalar(inductionScore(pattern: pattern, seqLen: seqLen),
                                           Reference.stripeMean(pattern, offset: 1 - seqLen),
                                           what: "random pattern with seqLen \(seqLen)"))
    }
    return "5 random patterns match"
}

runner.run("every head of the model on repeated random tokens") { ctx in
    let model = ctx.model, c = model.config
    let seqLen = ctx.rng.randint(4...min(15, (c.nCtx - 1) / 2))
    let tokens = InductionData.repeated(batch: 1, seqLen: seqLen, vocabSize: c.dVocab, rng: &ctx.rng)
    let expected = try HeadScores.compute(model: model, tokens: tokens).induction
    let (_, cache) = try model.runWithCache(tokens, names: .suffixes(["attn.hook_pattern"]))
    var got = [Float]()
    for l in 0..<c.nLayers {
        guard let pattern = cache[.pattern, l] else { throw CaseFailure("internal: no pattern for layer \(l)") }
        for h in 0..<c.nHeads { got.append(inductionScore(pattern: pattern.select(axis: 0, 0).select(axis: 0, h), seqLen: seqLen)) }
    }
    return try Compare.tensors(tensor([c.nLayers, c.nHeads], got), expected, what: "induction scores [layer, head] (seqLen \(seqLen))")
}

runner.finish()
