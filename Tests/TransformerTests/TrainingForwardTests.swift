// The differentiable forward against the inference forward, and whole-model gradient checks.
import Foundation
import Tensor
import Transformer
import XCTest

final class TrainingForwardTests: XCTestCase {
    /// Attention-only shortformer (the bundled shape), LN + gelu_new MLP (GPT-2 style), LNPre + relu.
    func configs() throws -> [ModelConfig] {
        [
            try ModelConfig(nLayers: 2, dModel: 8, nHeads: 2, dHead: 4, nCtx: 9, dVocab: 11, attnOnly: true,
                            normalizationType: nil, positionalEmbeddingType: .shortformer),
            try ModelConfig(nLayers: 2, dModel: 8, nHeads: 2, dHead: 3, nCtx: 9, dVocab: 11, dMLP: 12, actFn: .geluNew,
                            normalizationType: .ln, positionalEmbeddingType: .standard),
            try ModelConfig(nLayers: 1, dModel: 6, nHeads: 3, dHead: 2, nCtx: 9, dVocab: 11, dVocabOut: 7, dMLP: 10, actFn: .relu,
                            normalizationType: .lnPre, positionalEmbeddingType: .standard),
            try ModelConfig(nLayers: 1, dModel: 6, nHeads: 2, dHead: 3, nCtx: 9, dVocab: 11, dMLP: 10, actFn: .gelu,
                            normalizationType: .ln, positionalEmbeddingType: .shortformer),
        ]
    }

    func randomized(_ config: ModelConfig, seed: UInt64) throws -> HookedTransformer {
        // Non-trivial LayerNorm weights and biases, so their gradients are exercised too.
        var model = try HookedTransformer.random(config: config, seed: seed)
        var rng = SeededRandom(seed: seed &+ 100)
        for name in model.weights.names where name.hasSuffix(".w") || name.hasSuffix(".b") || name.contains(".b_") {
            guard let t = model.weights[name] else { continue }
            try model.setParameter(name, t + Tensor.randomNormal(t.shape, std: 0.2, using: &rng))
        }
        return model
    }

    func testLogitsEqualTheInferenceForward() throws {
        for (i, config) in try configs().enumerated() {
            let model = try randomized(config, seed: UInt64(i))
            let tokens = [[0, 3, 5, 7, 3, 5, 1, 2, 10], [0, 1, 1, 1, 9, 8, 7, 6, 5]]
            let tape = Tape()
            let logits = try model.logits(tokens, on: tape, parameters: model.parameterVariables(on: tape))
            let reference = try model.forward(tokens)
            XCTAssertEqual(logits.shape, reference.shape)
            XCTAssertLessThanOrEqual(logits.value.maxAbsDifference(reference), 1e-5, "config \(i)")
        }
    }

    func testHooksSeeTLNamesAndCanReplaceActivations() throws {
        let config = try configs()[1]
        let model = try randomized(config, seed: 5)
        let tokens = [[0, 3, 5, 7]]
        let tape = Tape()
        var seen: [String] = []
        _ = try model.logits(tokens, on: tape, parameters: model.parameterVariables(on: tape)) { name, v in
            seen.append(name)
            return v
        }
        let expected = model.hookPoints.map(\.name).filter { !$0.hasSuffix("hook_scale") }
        XCTAssertEqual(seen, expected)
        // Zeroing a head's output through hook_z matches the inference hooks doing the same.
        let zero: (inout Tensor) -> Void = { t in
            for b in 0..<t.shape[0] { for p in 0..<t.shape[1] { for d in 0..<t.shape[3] { t[b, p, 1, d] = 0 } } }
        }
        let hooked = try model.runWithHooks(tokens, hooks: [Hook("blocks.0.attn.hook_z") { t, _ in zero(&t) }])
        let tape2 = Tape()
        let logits = try model.logits(tokens, on: tape2, parameters: model.parameterVariables(on: tape2)) { name, v in
            guard name == "blocks.0.attn.hook_z" else { return v }
            var mask = Tensor.ones(v.shape)
            zero(&mask)
            return v * tape2.constant(mask)
        }
        XCTAssertLessThanOrEqual(logits.value.maxAbsDifference(hooked), 1e-5)
    }

    func testWholeModelGradientsMatchFiniteDifferences() throws {
        for (i, config) in try configs().enumerated() {
            let model = try randomized(config, seed: UInt64(10 + i))
            let tokens = [[0, 3, 5, 7, 3, 5], [0, 2, 9, 2, 9, 4]]
            let targets = HookedTransformer.nextTokenTargets(tokens).map { $0 < 0 ? $0 : $0 % config.dVocabOut }
            let tape = Tape()
            let vars = model.parameterVariables(on: tape)
            var embedGrad: Variable?
            let loss = try model.logits(tokens, on: tape, parameters: vars) { name, v in
                if name == "hook_embed" { embedGrad = v }
                return v
            }.crossEntropy(targets: targets)
            tape.backward(from: loss)

            func lossValue(_ m: HookedTransformer) throws -> Double {
                Double(try m.forward(tokens).crossEntropy(targets: targets))
            }
            let eps: Float = 2e-3
            var checked = 0
            for name in model.weights.names {
                guard let w = model.weights[name], let v = vars[name] else { continue }
                let analytic = tape.gradient(of: v)
                // A few elements per tensor (spread over it) keep the debug test fast.
                for i in Set([0, w.count / 3, w.count / 2, w.count - 1]) {
                    var plus = model, minus = model
                    var wp = w, wm = w
                    wp.withUnsafeMutableBufferPointer { $0[i] += eps }
                    wm.withUnsafeMutableBufferPointer { $0[i] -= eps }
                    try plus.setParameter(name, wp)
                    try minus.setParameter(name, wm)
                    let numeric = Float((try lossValue(plus) - lossValue(minus)) / Double(2 * eps))
                    let a = analytic.scalars[i]
                    XCTAssertLessThanOrEqual(abs(a - numeric), 2e-4 + 2e-3 * abs(numeric), "config \(i) \(name)[\(i)]: \(a) vs \(numeric)")
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 30)
            // The embedding's gradient is the W_E gradient before the scatter: check their sums agree.
            if let e = embedGrad, let we = vars["embed.W_E"] {
                XCTAssertEqual(tape.gradient(of: e).sum(), tape.gradient(of: we).sum(), accuracy: 1e-4)
            }
        }
    }
}
