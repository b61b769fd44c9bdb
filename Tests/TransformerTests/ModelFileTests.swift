// Weights validation (missing / misshapen / unexpected tensors), model files, random init.
import Foundation
import Tensor
import Transformer
import XCTest

final class ModelFileTests: XCTestCase {
    private func tinyConfig() throws -> ModelConfig {
        try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 6, dVocab: 7, dMLP: 16, actFn: .geluNew)
    }

    func testSaveAndLoadRoundTrip() throws {
        let dir = try temporaryDirectory(self)
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        let url = dir.appendingPathComponent("m.safetensors")
        try model.save(to: url, extraMetadata: ["trained_by": "test"])
        let loaded = try HookedTransformer(contentsOf: url)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertEqual(loaded.tokenizer.vocab, model.tokenizer.vocab)
        XCTAssertEqual(loaded.weights, model.weights)
        XCTAssertEqual(try loaded.forward([[0, 1, 2]]), try model.forward([[0, 1, 2]]))
        XCTAssertEqual(try SafeTensorsFile(contentsOf: url).metadata["trained_by"], "test")
    }

    func testRandomInitIsSeededAndTLShaped() throws {
        let a = try HookedTransformer.random(config: tinyConfig(), seed: 1)
        XCTAssertEqual(a.weights, try HookedTransformer.random(config: tinyConfig(), seed: 1).weights)
        XCTAssertNotEqual(a.weights, try HookedTransformer.random(config: tinyConfig(), seed: 2).weights)
        XCTAssertEqual(a.weights["blocks.0.attn.W_Q"]?.shape, [2, 8, 4])
        XCTAssertEqual(a.weights["blocks.0.attn.W_O"]?.shape, [2, 4, 8])
        XCTAssertEqual(a.weights["blocks.0.mlp.W_in"]?.shape, [8, 16])
        XCTAssertEqual(a.weights["blocks.0.ln1.w"]?.scalars, Array(repeating: 1, count: 8))
        XCTAssertEqual(a.weights["unembed.b_U"]?.scalars, Array(repeating: 0, count: 7))
        XCTAssertEqual(a.weights.parameterCount, a.config.parameterCount)
        XCTAssertEqual(a.weights.names.first, "embed.W_E")
    }

    private func tensors(of model: HookedTransformer) -> [String: Tensor] { model.weights.tensors }

    func testMissingTensorNamesItTheShapeAndTheFile() throws {
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        var t = tensors(of: model)
        t["blocks.0.attn.W_K"] = nil
        XCTAssertThrowsError(try ModelWeights(config: model.config, tensors: t, source: "m.safetensors")) {
            XCTAssertEqual("\($0)", "m.safetensors: missing tensor 'blocks.0.attn.W_K' (expected shape [2, 8, 4])")
        }
    }

    func testMisshapenTensorNamesBothShapes() throws {
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        var t = tensors(of: model)
        t["blocks.0.mlp.W_in"] = Tensor.zeros([16, 8])
        XCTAssertThrowsError(try ModelWeights(config: model.config, tensors: t, source: "m.safetensors")) {
            XCTAssertEqual("\($0)", "m.safetensors: tensor 'blocks.0.mlp.W_in' has shape [16, 8], expected [8, 16]")
        }
    }

    func testNonFiniteWeightsAreRefusedWithTheTensorName() throws {
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (value, word) in [(Float.nan, "nan"), (Float.infinity, "inf"), (-Float.infinity, "-inf")] {
            var bad = model
            var w = try XCTUnwrap(bad.weights["blocks.0.attn.W_K"])
            w.withUnsafeMutableBufferPointer { $0[5] = value }
            try bad.setParameter("blocks.0.attn.W_K", w)
            let url = dir.appendingPathComponent("bad.safetensors")
            try bad.save(to: url)
            XCTAssertThrowsError(try HookedTransformer(contentsOf: url)) {
                XCTAssertEqual("\($0)", "\(url.path): tensor 'blocks.0.attn.W_K' holds \(word) at element 5 (weights must be finite)")
            }
        }
        // The finite model loads with its weights viewing the file.
        let url = dir.appendingPathComponent("good.safetensors")
        try model.save(to: url, extraMetadata: ["note": "kept"])
        let loaded = try HookedTransformer(contentsOf: url)
        XCTAssertTrue(try XCTUnwrap(loaded.weights["embed.W_E"]).isMapped)
        XCTAssertEqual(loaded.fileMetadata["note"], "kept")
        XCTAssertEqual(try loaded.forward([[0, 1, 2]]), try model.forward([[0, 1, 2]]))
    }

    func testUnexpectedTensorIsAnErrorButTLBuffersAreIgnored() throws {
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        var t = tensors(of: model)
        t["blocks.0.attn.IGNORE"] = Tensor(-.infinity)
        XCTAssertNoThrow(try ModelWeights(config: model.config, tensors: t, source: "m"))
        t["blocks.1.attn.W_Q"] = Tensor.zeros([2, 8, 4])
        XCTAssertThrowsError(try ModelWeights(config: model.config, tensors: t, source: "m")) {
            XCTAssertEqual("\($0)", "m: unexpected tensor 'blocks.1.attn.W_Q' for this config")
        }
    }

    func testModelFileProblemsNameTheFile() throws {
        let dir = try temporaryDirectory(self)
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        func write(_ edit: (inout SafeTensorsFile) -> Void) throws -> URL {
            var file = model.safetensors()
            edit(&file)
            let url = dir.appendingPathComponent("bad.safetensors")
            try file.write(to: url)
            return url
        }
        let cases: [((inout SafeTensorsFile) -> Void, String)] = [
            ({ $0.metadata["config"] = nil }, "missing metadata 'config'"),
            ({ $0.metadata["vocab"] = nil }, "missing metadata 'vocab'"),
            ({ $0.metadata["vocab"] = "{}" }, "metadata 'vocab' is not a JSON array of strings"),
            ({ $0.metadata["vocab"] = "[\"a\"]" }, "vocab has 1 tokens but d_vocab is 7"),
            ({ $0.metadata["vocab"] = "[\"a\",\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]" }, "token \"a\" appears twice"),
            ({ $0.metadata["config"] = "{\"n_layers\": 0}" }, "missing required field"),
            ({ $0.tensors["embed.W_E"] = .int64([0], shape: [1]) }, "tensor 'embed.W_E' is I64, expected F32"),
            ({ $0.tensors["unembed.b_U"] = .float32(Tensor.zeros([8])) }, "tensor 'unembed.b_U' has shape [8], expected [7]"),
        ]
        for (edit, phrase) in cases {
            let url = try write(edit)
            XCTAssertThrowsError(try HookedTransformer(contentsOf: url)) { error in
                XCTAssertTrue("\(error)".hasPrefix(url.path + ": "), "\(error)")
                XCTAssertTrue("\(error)".contains(phrase), "'\(error)' lacks '\(phrase)'")
            }
        }
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir.appendingPathComponent("none.safetensors"))) {
            XCTAssertTrue("\($0)".hasSuffix("none.safetensors: no such file"))
        }
    }

    func testSetParameterValidatesAndChangesTheForward() throws {
        var model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        let before = try model.forward([[0, 1, 2]])
        XCTAssertThrowsError(try model.setParameter("blocks.0.attn.W_Q", Tensor.zeros([8, 8])))
        XCTAssertThrowsError(try model.setParameter("nope", Tensor.zeros([1])))
        var rng = SeededRandom(seed: 9)
        try model.setParameter("blocks.0.attn.W_Q", Tensor.randomNormal([2, 8, 4], using: &rng))
        XCTAssertGreaterThan(try model.forward([[0, 1, 2]]).maxAbsDifference(before), 1e-4)
        let other = try HookedTransformer.random(config: tinyConfig(), seed: 4)
        try model.setWeights(other.weights)
        XCTAssertEqual(try model.forward([[0, 1, 2]]), try other.forward([[0, 1, 2]]))
        let wrong = try HookedTransformer.random(config: ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 6, dVocab: 7, attnOnly: true), seed: 1)
        XCTAssertThrowsError(try model.setWeights(wrong.weights))
    }

    func testHookPointListMatchesTLNames() throws {
        let model = try HookedTransformer.random(config: tinyConfig(), seed: 3)
        XCTAssertEqual(model.hookPoints.map(\.name), [
            "hook_embed", "hook_pos_embed",
            "blocks.0.hook_resid_pre", "blocks.0.ln1.hook_scale", "blocks.0.ln1.hook_normalized",
            "blocks.0.attn.hook_q", "blocks.0.attn.hook_k", "blocks.0.attn.hook_v",
            "blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_pattern", "blocks.0.attn.hook_z",
            "blocks.0.hook_attn_out", "blocks.0.hook_resid_mid", "blocks.0.ln2.hook_scale", "blocks.0.ln2.hook_normalized",
            "blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post", "blocks.0.hook_mlp_out", "blocks.0.hook_resid_post",
            "ln_final.hook_scale", "ln_final.hook_normalized", "unembed.hook_in", "unembed.hook_out",
        ])
    }
}
