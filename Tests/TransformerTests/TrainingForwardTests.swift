// The one forward in training mode (tracked parameters) against inference mode, gradients at hooks,
// and whole-model gradient checks against finite differences.
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
            let logits = try model.logits(tokens, parameters: model.parameterVariables(on: tape))
            let reference = try model.forward(tokens)
            XCTAssertEqual(logits.shape, reference.shape)
            XCTAssertEqual(logits.value, reference, "config \(i): the training forward is the inference forward")
            XCTAssertTrue(logits.requiresGrad)
        }
    }

    /// Every hook of a training-mode forward (parameters tracked on a tape) equals the inference
    /// forward's bit for bit: one code path.
    func testEveryHookOfTheTrainingForwardEqualsInferenceBitForBit() throws {
        for (i, config) in try configs().enumerated() {
            let model = try randomized(config, seed: UInt64(20 + i))
            let tokens = [[0, 3, 5, 7, 3, 5, 1], [0, 1, 1, 1, 9, 8, 7]]
            let (logits, cache) = try model.runWithCache(tokens)
            let trained = try model.runWithGradients(tokens, metric: { $0.sum() },
                                                     cache: .all, gradients: .none, parameterGradients: true)
            XCTAssertEqual(trained.cache.names, model.hookPoints.map(\.name), "config \(i)")
            XCTAssertEqual(cache.names, trained.cache.names)
            for name in cache.names {
                guard let a = cache[name], let b = trained.cache[name] else { return XCTFail("config \(i): \(name) missing") }
                XCTAssertEqual(a.shape, b.shape, "config \(i) \(name)")
                let same = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    zip(pa, pb).allSatisfy { $0.bitPattern == $1.bitPattern } } }
                XCTAssertTrue(same, "config \(i) \(name): training and inference differ")
            }
            XCTAssertEqual(trained.logits, logits)
            XCTAssertEqual(Set(trained.parameterGradients.keys), Set(model.weights.names))
        }
    }

    func testDifferentiableHooksSeeTLNamesAndCanReplaceActivations() throws {
        let config = try configs()[1]
        let model = try randomized(config, seed: 5)
        let tokens = [[0, 3, 5, 7]]
        var seen: [String] = []
        _ = try model.runWithGradients(tokens, metric: { $0.sum() }, cache: .none, gradients: .none,
                                       hooks: [.differentiable(where: { _ in true }) { v, point in seen.append(point.name); return v }])
        XCTAssertEqual(seen, model.hookPoints.map(\.name))
        // Zeroing a head's output through hook_z: a differentiable mask and a plain hook agree, and the
        // gradient at hook_z of the masked head is zero downstream of the mask only.
        let zero: (inout Tensor) -> Void = { t in
            for b in 0..<t.shape[0] { for p in 0..<t.shape[1] { for d in 0..<t.shape[3] { t[b, p, 1, d] = 0 } } }
        }
        let hooked = try model.runWithHooks(tokens, hooks: [Hook("blocks.0.attn.hook_z") { t, _ in zero(&t) }])
        let masked = try model.runWithGradients(tokens, metric: { $0.sum() }, cache: .none,
                                                gradients: .names(["blocks.0.attn.hook_v"]),
                                                hooks: [.differentiable("blocks.0.attn.hook_z") { v, _ in
                                                    var mask = Tensor.ones(v.shape)
                                                    zero(&mask)
                                                    return v * Variable(mask)
                                                }])
        XCTAssertLessThanOrEqual(masked.logits.maxAbsDifference(hooked), 1e-6)
        // With head 1's z masked, nothing flows back into head 1's values.
        guard let dv = masked.gradients["blocks.0.attn.hook_v"] else { return XCTFail("no hook_v gradient") }
        for p in 0..<dv.shape[1] { for d in 0..<dv.shape[3] { XCTAssertEqual(dv[0, p, 1, d], 0) } }
        XCTAssertGreaterThan(dv.abs().max(), 0)
    }

    func testWholeModelGradientsMatchFiniteDifferences() throws {
        for (i, config) in try configs().enumerated() {
            let model = try randomized(config, seed: UInt64(10 + i))
            let tokens = [[0, 3, 5, 7, 3, 5], [0, 2, 9, 2, 9, 4]]
            let targets = HookedTransformer.nextTokenTargets(tokens).map { $0 < 0 ? $0 : $0 % config.dVocabOut }
            let run = try model.runWithGradients(tokens, metric: { $0.crossEntropy(targets: targets) }, cache: .none,
                                                 gradients: .names(["hook_embed"]), parameterGradients: true)

            func lossValue(_ m: HookedTransformer) throws -> Double {
                Double(try m.forward(tokens).crossEntropy(targets: targets))
            }
            let eps: Float = 2e-3
            var checked = 0
            for name in model.weights.names {
                guard let w = model.weights[name], let analytic = run.parameterGradients[name] else { continue }
                // A few elements per tensor (spread over it) keep the debug test fast.
                for i in Set([0, w.count / 3, w.count / 2, w.count - 1]) {
                    var plus = model, minus = model
                    var wp = w, wm = w
                    wp.withUnsafeMutableBufferPointer { $0[i] += eps }
                    wm.withUnsafeMutableBufferPointer { $0[i] -= eps }
                    try plus.setParameter(name, wp)
                    try minus.setParameter(name, wm)
                    let numeric = Float((try lossValue(plus) - lossValue(minus)) / Double(2 * eps))
                    let a = analytic.element(at: i)
                    XCTAssertLessThanOrEqual(abs(a - numeric), 2e-4 + 2e-3 * abs(numeric), "config \(i) \(name)[\(i)]: \(a) vs \(numeric)")
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 30)
            // The embedding's gradient is the W_E gradient before the scatter: check their sums agree.
            if let e = run.gradients["hook_embed"], let we = run.parameterGradients["embed.W_E"] {
                XCTAssertEqual(e.sum(), we.sum(), accuracy: 1e-4)
            }
        }
    }
}
