// Hidden cases of composition-score: random matrices, identities, and the K-composition of every
// layer-0 head into every later head of the model.
import ExerciseKit
import CompositionScore
import Tensor
import Transformer

let runner = CheckRunner(exercise: "composition-score", layers: 2)

runner.run("random matrices") { ctx in
    for _ in 0..<4 {
        let (m, n, k) = (ctx.rng.randint(2...20), ctx.rng.randint(2...20), ctx.rng.randint(2...20))
        let a = Reference.randomMatrix(m, n, rng: &ctx.rng), b = Reference.randomMatrix(n, k, rng: &ctx.rng)
        try Compare.scalar(compositionScore(a, b), Reference.compositionScore(a, b), what: "score of random [\(m), \(n)] · [\(n), \(k)]")
    }
    return "4 random pairs match"
}

runner.run("identity matrices score 1/√n") { ctx in
    let n = ctx.rng.randint(2...16)
    var values = [Float](repeating: 0, count: n * n)
    for i in 0..<n { values[i * n + i] = 1 }
    let eye = tensor([n, n], values)
    return try Compare.scalar(compositionScore(eye, eye), 1 / Float(n).squareRoot(), what: "score of I·I with n = \(n)")
}

runner.run("K-composition between the model's heads") { ctx in
    let model = ctx.model, c = model.config
    var got: [Float] = [], expected: [Float] = []
    let readerLayer = ctx.rng.randint(1..<c.nLayers)
    for w in 0..<c.nHeads {
        for r in 0..<c.nHeads {
            got.append(kComposition(model: model, writerLayer: 0, writerHead: w, readerLayer: readerLayer, readerHead: r))
            expected.append(Reference.compositionScore(Reference.ov(model, layer: 0, head: w), Reference.qk(model, layer: readerLayer, head: r).transposed()))
        }
    }
    return try Compare.tensors(tensor([c.nHeads, c.nHeads], got), tensor([c.nHeads, c.nHeads], expected),
                               what: "K-composition [writer 0.h, reader \(readerLayer).h]")
}

runner.finish()
