// A Hugging Face GPT-2 checkpoint, loaded directly and through an imported model file, against
// GPT2LMHeadModel (log-probs, hidden states) and TransformerLens 3.9 (every hook, processed weights).
import Foundation
import Tensor
import Transformer
import XCTest

enum GPT2Fixture {
    static func directory() throws -> URL { try Fixtures.url("gpt2-tiny") }
    static func golden() throws -> SafeTensorsFile { try SafeTensorsFile(contentsOf: Fixtures.url("gpt2_tiny.golden.safetensors")) }
    static let prompts = 3

    static func tokens(_ golden: SafeTensorsFile, _ p: Int) throws -> [Int] {
        try golden.integers("p\(p).tokens", source: "golden").values
    }

    /// A golden tensor with a leading batch axis of 1.
    static func batched(_ golden: SafeTensorsFile, _ name: String) throws -> Tensor {
        let t = try golden.float32(name, source: "golden")
        return t.reshapedUnchecked([1] + t.shape)
    }

    /// A copy of the fixture directory that a test may damage.
    static func copy(into test: XCTestCase) throws -> URL {
        let dir = try temporaryDirectory(test).appendingPathComponent("gpt2-copy")
        try FileManager.default.copyItem(at: directory(), to: dir)
        return dir
    }
}

final class HuggingFaceGPT2Tests: XCTestCase {
    func testLoadsDirectlyWithTheTokenizerAndLogProbsOfTransformers() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let golden = try GPT2Fixture.golden()
        let prompts = try JSONDecoder().decode([String].self, from: Data((golden.metadata["prompts"] ?? "[]").utf8))
        XCTAssertEqual(prompts.count, GPT2Fixture.prompts)
        XCTAssertTrue(model.tokenizer.isBytePair)
        XCTAssertEqual(model.config.normalizationType, .lnPre, "fold_ln is on by default, as in from_pretrained")
        for (p, text) in prompts.enumerated() {
            let tokens = try GPT2Fixture.tokens(golden, p)
            XCTAssertEqual(try model.tokenizer.encode(text), tokens, "prompt \(p) tokenizes as transformers does")
            let logprobs = try model.forward([tokens]).logSoftmax()
            assertClose(logprobs, try GPT2Fixture.batched(golden, "p\(p).logprobs"), "prompt \(p) log-probs")
        }
    }

    func testEveryHookAndWeightEqualsTransformerLensFromPretrained() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let golden = try GPT2Fixture.golden()
        var hooks = 0
        for p in 0..<2 {
            let (_, cache) = try model.runWithCache([try GPT2Fixture.tokens(golden, p)])
            for name in golden.tensors.keys.sorted() where name.hasPrefix("p\(p).tl.") {
                let hook = String(name.dropFirst("p\(p).tl.".count))
                assertClose(cache[hook], try GPT2Fixture.batched(golden, name), "prompt \(p) \(hook)")
                hooks += 1
            }
        }
        XCTAssertEqual(hooks, 2 * model.hookPoints.count, "every hook point has a golden")
        var weights = 0
        for name in golden.tensors.keys.sorted() where name.hasPrefix("tl.weights.") {
            let param = String(name.dropFirst("tl.weights.".count))
            assertClose(model.weights[param], try golden.float32(name, source: "golden"), "processed \(param)")
            weights += 1
        }
        XCTAssertEqual(weights, model.weights.names.count, "TL's processed state dict has exactly our parameters")
    }

    func testResidualStreamIsTransformersHiddenStatesAndCenteredWhenProcessed() throws {
        let dir = try GPT2Fixture.directory()
        let golden = try GPT2Fixture.golden()
        let plain = try HuggingFaceGPT2.load(directory: dir, processing: .none)
        let processed = try HuggingFaceGPT2.load(directory: dir)
        XCTAssertEqual(plain.config.normalizationType, .ln)
        for p in 0..<GPT2Fixture.prompts {
            let tokens = try GPT2Fixture.tokens(golden, p)
            let (_, raw) = try plain.runWithCache([tokens])
            let (_, centered) = try processed.runWithCache([tokens])
            for l in 0..<plain.config.nLayers {
                let hidden = try GPT2Fixture.batched(golden, "p\(p).hidden.\(l)")
                assertClose(raw[.residPre, l], hidden, "prompt \(p) resid_pre \(l), no processing")
                assertClose(centered[.residPre, l], hidden.centeredRows(plain.config.dModel),
                            "prompt \(p) resid_pre \(l), centred")
            }
            // The last hidden state is after ln_f: the unembedding's input.
            assertClose(raw["unembed.hook_in"], try GPT2Fixture.batched(golden, "p\(p).hidden.\(plain.config.nLayers)"),
                        "prompt \(p) ln_f output")
        }
    }

    func testNoProcessingStepChangesALogProbability() throws {
        let dir = try GPT2Fixture.directory()
        let golden = try GPT2Fixture.golden()
        let steps: [(String, WeightProcessing)] = [
            ("none", .none), ("fold_ln", WeightProcessing(foldLN: true, centerWritingWeights: false, centerUnembed: false, foldValueBiases: false)),
            ("center_writing_weights", WeightProcessing(foldLN: false, centerWritingWeights: true, centerUnembed: false, foldValueBiases: false)),
            ("center_unembed", WeightProcessing(foldLN: false, centerWritingWeights: false, centerUnembed: true, foldValueBiases: false)),
            ("fold_value_biases", WeightProcessing(foldLN: false, centerWritingWeights: false, centerUnembed: false, foldValueBiases: true)),
            ("all", .transformerLens),
        ]
        var logits: [String: Tensor] = [:]
        for (label, processing) in steps {
            let model = try HuggingFaceGPT2.load(directory: dir, processing: processing)
            for p in 0..<GPT2Fixture.prompts {
                let out = try model.forward([try GPT2Fixture.tokens(golden, p)])
                assertClose(out.logSoftmax(), try GPT2Fixture.batched(golden, "p\(p).logprobs"), "\(label), prompt \(p)")
                if p == 0 { logits[label] = out }
            }
        }
        // The steps do change the weights: centring the unembedding moves the logits.
        let moved = try XCTUnwrap(logits["center_unembed"]).maxAbsDifference(try XCTUnwrap(logits["none"]))
        XCTAssertGreaterThan(moved, 1e-3)
    }

    func testImportWritesOneSelfContainedFileThatLoadsTheSameModel() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let out = try temporaryDirectory(self).appendingPathComponent("gpt2-tiny.safetensors")
        try model.save(to: out, extraMetadata: ["processing": WeightProcessing.transformerLens.jsonString()])
        let loaded = try HookedTransformer(contentsOf: out)
        XCTAssertEqual(loaded.tokenizer, model.tokenizer)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertNotNil(loaded.fileMetadata["tokenizer"])
        XCTAssertEqual(loaded.fileMetadata["processing"], #"{"center_unembed":true,"center_writing_weights":true,"fold_ln":true,"fold_value_biases":true}"#)
        let tokens = try GPT2Fixture.tokens(GPT2Fixture.golden(), 0)
        XCTAssertEqual(try loaded.forward([tokens]), try model.forward([tokens]), "bit for bit")
        XCTAssertTrue(loaded.weights["unembed.W_U"]?.isMapped ?? false, "the imported file is memory-mapped")
    }

    func testHubLayoutWithoutPrefixWithBuffersAndAnUntiedHeadLoadsToo() throws {
        let dir = try GPT2Fixture.copy(into: self)
        let url = dir.appendingPathComponent("model.safetensors")
        var file = try SafeTensorsFile(contentsOf: url)
        var renamed: [String: SafeTensor] = [:]
        for (name, t) in file.tensors { renamed[String(name.dropFirst("transformer.".count))] = t }
        renamed["h.0.attn.bias"] = .float32(Tensor.ones([1, 1, 64, 64]))   // the causal-mask buffer of old checkpoints
        let wte = try XCTUnwrap(renamed["wte.weight"])
        renamed["lm_head.weight"] = wte
        file.tensors = renamed
        try file.write(to: url)
        let model = try HookedTransformer(contentsOf: dir)
        let golden = try GPT2Fixture.golden()
        assertClose(try model.forward([try GPT2Fixture.tokens(golden, 1)]).logSoftmax(), try GPT2Fixture.batched(golden, "p1.logprobs"), "hub layout")
    }

    // MARK: - Bad input: one line naming the file

    func testMissingMergesIsAMissingFileNamedByPath() throws {
        let dir = try GPT2Fixture.copy(into: self)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("merges.txt"))
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) { error in
            let e = error as? ModelError
            XCTAssertEqual(e?.isMissingInput, true)
            XCTAssertEqual(e?.message, "\(dir.path)/merges.txt: missing (a Hugging Face GPT-2 checkpoint holds config.json, model.safetensors, vocab.json, merges.txt)")
        }
    }

    func testUnsupportedArchitectureNamesTheFields() throws {
        let dir = try GPT2Fixture.copy(into: self)
        let config = dir.appendingPathComponent("config.json")
        func rewrite(_ edit: (inout [String: Any]) -> Void) throws {
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: GPT2Fixture.directory().appendingPathComponent("config.json"))) as? [String: Any])
            edit(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: config)
        }
        try rewrite { $0["model_type"] = "llama"; $0["architectures"] = ["LlamaForCausalLM"] }
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) {
            XCTAssertEqual("\($0)", "\(config.path): unsupported architecture: model_type 'llama' (interp reads 'gpt2'); architectures [LlamaForCausalLM] (GPT2LMHeadModel)")
        }
        try rewrite { $0["scale_attn_by_inverse_layer_idx"] = true; $0["activation_function"] = "silu" }
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) {
            XCTAssertEqual("\($0)", "\(config.path): unsupported architecture: activation_function 'silu' (gelu_new, gelu, relu); scale_attn_by_inverse_layer_idx true")
        }
        try rewrite { $0["n_embd"] = nil }
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) { XCTAssertEqual("\($0)", "\(config.path): missing field 'n_embd'") }
        try "{not json".write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) {
            XCTAssertEqual("\($0)", "\(config.path): not a Hugging Face config (a JSON object with GPT-2's fields)")
        }
    }

    func testMismatchedShapesNameTheTensorAndTheConfig() throws {
        let dir = try GPT2Fixture.copy(into: self)
        let config = dir.appendingPathComponent("config.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        json["n_embd"] = 40
        try JSONSerialization.data(withJSONObject: json).write(to: config)
        let weights = dir.appendingPathComponent("model.safetensors")
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) {
            XCTAssertEqual("\($0)", "\(weights.path): tensor 'transformer.h.0.attn.c_attn.bias' has shape [144], expected [120] (from config.json: n_layer 2, n_embd 40, n_head 4, vocab_size 1078, n_positions 64)")
        }
    }

    func testTruncatedWeightsAreRefusedBeforeAnyTensorIsRead() throws {
        let dir = try GPT2Fixture.copy(into: self)
        let weights = dir.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count - 1000).write(to: weights)
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("\(weights.path): "), message)
            XCTAssertTrue(message.contains("out of range"), message)
            XCTAssertEqual(message.split(separator: "\n").count, 1)
        }
    }

    func testAVocabularyLargerThanTheModelIsRefused() throws {
        let dir = try GPT2Fixture.copy(into: self)
        let vocab = dir.appendingPathComponent("vocab.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: vocab)) as? [String: Int])
        json["extra"] = 1078
        try JSONSerialization.data(withJSONObject: json).write(to: vocab)
        XCTAssertThrowsError(try HookedTransformer(contentsOf: dir)) {
            XCTAssertEqual("\($0)", "\(vocab.path): token id 1078 does not fit the model's vocab_size 1078")
        }
    }
}

extension Tensor {
    /// Each run of `n` elements minus its mean (test helper, computed in Double).
    func centeredRows(_ n: Int) -> Tensor {
        let s = scalars
        var out = s
        var start = 0
        while start < s.count {
            let mean = s[start..<(start + n)].reduce(0.0) { $0 + Double($1) } / Double(n)
            for k in start..<(start + n) { out[k] = s[k] - Float(mean) }
            start += n
        }
        return (try? Tensor(shape: shape, scalars: out)) ?? self
    }
}
