import Foundation
import Tensor
import XCTest

/// `interp cache`, `predict` and `model` against the engine's golden fixtures (numpy reference).
final class EngineCommandTests: XCTestCase {
    static let fixtures = InterpRunner.repositoryRoot.appendingPathComponent("Tests/TransformerTests/Fixtures")
    static let architectures = ["attn_only_shortformer", "attn_only_ln", "gpt2_style", "lnpre_mlp"]

    func testCacheFileAgreesWithGoldensForEveryArchitecture() throws {
        let runner = try InterpRunner()
        for arch in Self.architectures {
            let model = Self.fixtures.appendingPathComponent("\(arch).model.safetensors").path
            let golden = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("\(arch).golden.safetensors"))
            let tokens = try golden.integers("tokens", source: arch)
            let batch = stride(from: 0, to: tokens.values.count, by: tokens.shape[1]).map { Array(tokens.values[$0..<$0 + tokens.shape[1]]) }
            let tokensFile = runner.home.appendingPathComponent("\(arch).tokens.json")
            try JSONSerialization.data(withJSONObject: batch).write(to: tokensFile)
            let out = runner.home.appendingPathComponent("\(arch).cache.safetensors")

            let r = try runner.run(["cache", model, "--tokens-file", tokensFile.path, "--out", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)

            let cache = try SafeTensorsFile(contentsOf: out)
            let expectedNames = Set(golden.tensors.keys.filter { !$0.hasPrefix("patched.") })
            XCTAssertEqual(Set(cache.tensors.keys), expectedNames, arch)
            XCTAssertEqual(try cache.integers("tokens", source: arch).values, tokens.values)
            for name in expectedNames where name != "tokens" {
                let got = try cache.float32(name, source: arch), want = try golden.float32(name, source: arch)
                XCTAssertEqual(got.shape, want.shape, "\(arch) \(name)")
                for (g, w) in zip(got.scalars, want.scalars) {
                    if w.isInfinite { XCTAssertEqual(g, w, "\(arch) \(name)"); continue }
                    XCTAssertEqual(g, w, accuracy: 1e-4, "\(arch) \(name)")
                }
            }
        }
    }

    func testCacheHookFilterAndErrors() throws {
        let runner = try InterpRunner()
        let model = Self.fixtures.appendingPathComponent("gpt2_style.model.safetensors").path
        let out = runner.home.appendingPathComponent("c.safetensors")
        let r = try runner.run(["cache", model, "--tokens", "0,3,5", "--out", out.path, "--hooks", "pattern,resid_pre"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let cache = try SafeTensorsFile(contentsOf: out)
        XCTAssertEqual(Set(cache.tensors.keys), ["blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern",
                                                 "blocks.0.hook_resid_pre", "blocks.1.hook_resid_pre", "logits", "tokens"])
        let typo = try runner.run(["cache", model, "--tokens", "0,3", "--out", out.path, "--hooks", "patern"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("did you mean 'pattern'?"), typo.stderr)
        let outside = try runner.run(["cache", model, "--tokens", "0,999", "--out", out.path])
        XCTAssertEqual(outside.status, 64)
        XCTAssertTrue(outside.stderr.contains("999"), outside.stderr)
        let missing = try runner.run(["cache", "no-such-model", "--tokens", "0", "--out", out.path])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("no model named 'no-such-model'"), missing.stderr)
    }

    func testPredictRanksAnswerLikeTheGoldenLogits() throws {
        let runner = try InterpRunner()
        let model = Self.fixtures.appendingPathComponent("attn_only_shortformer.model.safetensors").path
        let r = try runner.run(["predict", model, "--text", "w1 w2 w3", "--answer", "w4", "--top", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["tokens"] as? [String], ["<bos>", "w1", "w2", "w3"])
        let top = try XCTUnwrap(json["top"] as? [[String: Any]])
        XCTAssertEqual(top.count, 3)
        let logits = top.compactMap { ($0["logit"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(logits, logits.sorted(by: >), "top predictions come in logit order")
        let probs = top.compactMap { ($0["probability"] as? NSNumber)?.doubleValue }
        XCTAssertTrue(probs.allSatisfy { $0 > 0 && $0 < 1 })
        let answer = try XCTUnwrap(json["answer"] as? [String: Any])
        XCTAssertEqual(answer["token"] as? String, "w4")
        // The answer's rank is the number of tokens with a larger logit.
        let bad = try runner.run(["predict", model, "--text", "w1 zz"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("unknown word 'zz'"), bad.stderr)
    }

    func testAnEmptyPromptIsTheSameErrorForPredictAsForTheAnalyses() throws {
        let runner = try InterpRunner()
        let model = Self.fixtures.appendingPathComponent("attn_only_shortformer.model.safetensors").path
        let attn = try runner.run(["attn", model, "--text", ""])
        XCTAssertEqual(attn.status, 64)
        XCTAssertEqual(attn.stderr, "interp: --text: the prompt is empty\n")
        for args in [["predict", model, "--text", ""], ["predict", model, "--text", "  ", "--no-bos"], ["lens", model, "--text", ""]] {
            let r = try runner.run(args)
            XCTAssertEqual(r.status, attn.status, args.joined(separator: " "))
            XCTAssertEqual(r.stderr, attn.stderr, args.joined(separator: " "))
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertEqual(try runner.run(["predict", model, "--text", "w1", "--no-bos"]).status, 0)
    }

    func testModelInfoAndExportRoundTrip() throws {
        let runner = try InterpRunner()
        let model = Self.fixtures.appendingPathComponent("lnpre_mlp.model.safetensors").path
        let info = try runner.run(["model", "info", model, "--json"])
        XCTAssertEqual(info.status, 0, info.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        let config = try XCTUnwrap(json["config"] as? [String: Any])
        XCTAssertEqual(config["normalization_type"] as? String, "LNPre")
        let tensors = try XCTUnwrap(json["tensors"] as? [String: [Int]])
        let original = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: model))
        XCTAssertEqual(Set(tensors.keys), Set(original.tensors.keys))
        let total = tensors.values.reduce(0) { $0 + $1.reduce(1, *) }
        XCTAssertEqual(json["parameters"] as? Int, total)

        let out = runner.home.appendingPathComponent("exported.safetensors")
        let export = try runner.run(["model", "export", model, "--out", out.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let exported = try SafeTensorsFile(contentsOf: out)
        for name in original.tensors.keys {
            XCTAssertEqual(try exported.float32(name, source: "x"), try original.float32(name, source: "y"), name)
        }
        XCTAssertEqual(exported.metadata["config"], original.metadata["config"])
    }
}
