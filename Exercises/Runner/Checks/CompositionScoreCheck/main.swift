// Hidden cases of composition-score: random matrices, identities, and the K-composition of every
// layer-0 head into every later head of the model. Every case asks several questions whose
// answers differ, each far from 0 and ±1.
import ExerciseKit
import ExerciseWire
import Tensor
import Transformer

let runner = CheckRunner(exercise: "composition-score")

func askScore(_ learner: Learner, _ a: Tensor, _ b: Tensor, expected: Float, what: String) throws {
    try Compare.scalar(try learner.float("compositionScore", .tensor(a), .tensor(b)), expected, what: what)
}

runner.add("random matrices") { ctx in
    var pairs: [(Tensor, Tensor, Float)] = []
    for _ in 0..<4 {
        let pair = try ctx.draw({ ctx -> (Tensor, Tensor, Float) in
            let (m, n, k) = (ctx.rng.randint(2...20), ctx.rng.randint(2...20), ctx.rng.randint(2...20))
            let a = Reference.randomMatrix(m, n, rng: &ctx.rng), b = Reference.randomMatrix(n, k, rng: &ctx.rng)
            return (a, b, Reference.compositionScore(a, b))
        }) { Trivial.farFromTrivial($0.2) }
        pairs.append(pair)
    }
    return { learner in
        for (a, b, expected) in pairs { try askScore(learner, a, b, expected: expected, what: "score of random \(a.shape) · \(b.shape)") }
        return "4 random pairs match"
    }
}

runner.add("identity matrices score 1/√n") { ctx in
    let first = ctx.rng.randint(2...16)
    let second = try ctx.draw({ $0.rng.randint(2...16) }) { $0 != first }
    return { learner in
        for n in [first, second] {
            var values = [Float](repeating: 0, count: n * n)
            for i in 0..<n { values[i * n + i] = 1 }
            let eye = tensor([n, n], values)
            try askScore(learner, eye, eye, expected: 1 / Float(n).squareRoot(), what: "score of I·I with n = \(n)")
        }
        return "I·I scores 1/√n for n = \(first) and \(second)"
    }
}

runner.add("K-composition between the model's heads") { ctx in
    let model = ctx.model, c = model.config
    let readerLayer = ctx.rng.randint(1..<c.nLayers)
    var expected: [Float] = []
    for w in 0..<c.nHeads {
        for r in 0..<c.nHeads {
            expected.append(Reference.compositionScore(Reference.ov(model, layer: 0, head: w), Reference.qk(model, layer: readerLayer, head: r).transposed()))
        }
    }
    let table = tensor([c.nHeads, c.nHeads], expected)
    guard !Trivial.isTrivial(table) else { throw CaseFailure("internal: the model's K-composition scores are all equal") }
    return { learner in
        var got: [Float] = []
        for w in 0..<c.nHeads {
            for r in 0..<c.nHeads {
                got.append(try learner.float("kComposition", .int(0), .int(w), .int(readerLayer), .int(r)))
            }
        }
        return try Compare.tensors(tensor([c.nHeads, c.nHeads], got), table, what: "K-composition [writer 0.h, reader \(readerLayer).h]")
    }
}

runner.finish()
