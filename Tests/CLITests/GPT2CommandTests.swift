// tokens, generate, model import, predict --answer and --pairs on the random GPT-2 checkpoint fixture
// (a Hugging Face directory), against the goldens of scripts/gpt2_fixtures.py.
import Foundation
import Tensor
import XCTest

final class GPT2CommandTests: XCTestCase {
    static let fixtures = InterpRunner.repositoryRoot.appendingPathComponent("Tests/TransformerTests/Fixtures")
    static let checkpoint = fixtures.appendingPathComponent("gpt2-tiny")
    static let prompt = "When Mary and John went to the store, John gave a drink to"

    func testTokensJSONIsTransformerLensToStrTokens() throws {
        let runner = try InterpRunner()
        let golden = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("gpt2_tiny.golden.safetensors"))
        let r = try runner.run(["tokens", Self.checkpoint.path, "--text", Self.prompt, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["tokens"] as? [Int], try golden.integers("p0.tokens", source: "golden").values)
        let strings = try XCTUnwrap(json["str_tokens"] as? [String])
        XCTAssertEqual(Array(strings.prefix(4)), ["<|endoftext|>", "When", " Mary", " and"])
        let noBOS = try runner.run(["tokens", Self.checkpoint.path, "--text", "a\nb", "--no-bos"])
        XCTAssertEqual(noBOS.status, 0, noBOS.stderr)
        XCTAssertTrue(noBOS.stdout.contains("\"↵\""), "a newline token is shown by the one sanitizer:\n\(noBOS.stdout)")
        XCTAssertFalse(noBOS.stdout.contains("\"\n\""), "no raw newline inside a token's quotes")
        XCTAssertFalse(noBOS.stdout.contains("<|endoftext|>"))
    }

    func testGenerateGreedyStreamsTransformersTokens() throws {
        let runner = try InterpRunner()
        let golden = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("gpt2_tiny.golden.safetensors"))
        let expected = try golden.integers("gen.tokens", source: "golden").values
        let r = try runner.run(["generate", Self.checkpoint.path, "--text", Self.prompt, "--temperature", "0",
                                "--max-tokens", "\(expected.count)", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["tokens"] as? [Int], expected)
        XCTAssertEqual(json["stop"] as? String, "max_tokens")
        let text = try runner.run(["generate", Self.checkpoint.path, "--text", Self.prompt, "--temperature", "0", "--max-tokens", "4"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix(Self.prompt), text.stdout)
        XCTAssertTrue(text.stdout.contains("4 tokens in"), text.stdout)
        let sampled = try runner.run(["generate", "ioi-3l", "--text", "when Mary and John went to the store ,", "--seed", "3", "--top-k", "2", "--json"])
        XCTAssertEqual(sampled.status, 0, sampled.stderr)
        XCTAssertEqual(try runner.run(["generate", Self.checkpoint.path, "--text", "x", "--temperature", "-1"]).status, 64)
    }

    func testPredictTakesAnAnswerWithItsLeadingSpaceAndShowsTheSplitOfALongerOne() throws {
        let runner = try InterpRunner()
        let r = try runner.run(["predict", Self.checkpoint.path, "--text", Self.prompt, "--answer", " Mary", "--top", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["answer"] as? [String: Any])?["token"] as? String, " Mary")
        let long = try runner.run(["predict", Self.checkpoint.path, "--text", Self.prompt, "--answer", " Mary and John"])
        XCTAssertEqual(long.status, 64)
        XCTAssertEqual(long.stderr, "interp: --answer: ' Mary and John' is 3 tokens, [ Mary] [ and] [ John]; an answer must be one token (such as ' Mary')\n")
    }

    func testModelImportWritesOneFileThatLoadsAsTheDirectoryDoes() throws {
        let runner = try InterpRunner()
        let out = runner.home.appendingPathComponent("tiny.safetensors")
        let r = try runner.run(["model", "import", Self.checkpoint.path, "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("Imported "), r.stdout)
        let file = try SafeTensorsFile(contentsOf: out)
        XCTAssertNotNil(file.metadata["tokenizer"])
        XCTAssertTrue(file.metadata["config"]?.contains("\"LNPre\"") ?? false)
        let a = try runner.run(["predict", out.path, "--text", Self.prompt, "--json"])
        let b = try runner.run(["predict", Self.checkpoint.path, "--text", Self.prompt, "--json"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout.replacingOccurrences(of: out.path, with: "M"), b.stdout.replacingOccurrences(of: Self.checkpoint.path, with: "M"))
        let plain = runner.home.appendingPathComponent("plain.safetensors")
        XCTAssertEqual(try runner.run(["model", "import", Self.checkpoint.path, "--out", plain.path, "--no-fold-ln"]).status, 0)
        XCTAssertTrue(try SafeTensorsFile(contentsOf: plain).metadata["config"]?.contains("\"LN\"") ?? false)
        let info = try runner.run(["model", "info", out.path, "--width", "60"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("GPT-2 byte-level BPE, 1078 tokens"), info.stdout)
    }

    func testGPT2NameFromTheCacheAndTheImportedFile() throws {
        let runner = try InterpRunner()
        let missing = try runner.run(["predict", "gpt2", "--text", "x"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.hasPrefix("interp: gpt2 is not on this machine (interp downloads nothing): put its Hugging Face files"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)
        let hub = runner.home.appendingPathComponent("hf/hub/models--gpt2/snapshots/abc")
        try FileManager.default.createDirectory(at: hub.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.checkpoint, to: hub)
        let env = ["HF_HOME": runner.home.appendingPathComponent("hf").path]
        XCTAssertEqual(try runner.run(["tokens", "gpt2", "--text", "Mary"], environment: env).status, 0)
        let imported = try runner.run(["model", "import", "gpt2"], environment: env)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let file = runner.home.appendingPathComponent("data/interp/models/gpt2.safetensors")
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))
        try FileManager.default.removeItem(at: runner.home.appendingPathComponent("hf"))
        let fromFile = try runner.run(["predict", "gpt2", "--text", Self.prompt, "--top", "1"])
        XCTAssertEqual(fromFile.status, 0, "the imported file serves the name without the cache: \(fromFile.stderr)")
    }

    func testPairsFileInTextFormPatchesGPT2AndKeepsOneTokenLength() throws {
        let runner = try InterpRunner()
        let pairs = runner.home.appendingPathComponent("pairs.jsonl")
        let lines = [
            #"{"clean": "When Mary and John went to the store, John gave a drink to", "corrupted": "When Alice and Bob went to the store, Tom gave a drink to", "answer": " Mary", "wrong": " John"}"#,
            #"{"clean": "When Anna and James went to the park, James gave a ball to", "corrupted": "When Kate and Paul went to the park, Lisa gave a ball to", "answer": " Anna", "wrong": " James"}"#,
            #"{"clean": "Then, Sarah and David went to the office. David gave a key to", "corrupted": "Then, Mary and Tom went to the office. Bob gave a key to", "answer": " Sarah", "wrong": " David"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: pairs, atomically: true, encoding: .utf8)
        let r = try runner.run(["patch", Self.checkpoint.path, "--target", "head_out", "--pairs", pairs.path, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "note: \(pairs.path): kept the 2 of 3 pairs that have 15 tokens\n")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["shape"] as? [Int], [2, 4])
        try "{\"clean\": 3}\n".write(to: pairs, atomically: true, encoding: .utf8)
        let bad = try runner.run(["patch", Self.checkpoint.path, "--pairs", pairs.path])
        XCTAssertEqual(bad.status, 65)
        XCTAssertEqual(bad.stderr, "interp: \(pairs.path):1: expected a JSON object with string fields clean, corrupted, answer, wrong\n")
    }

    // MARK: - Bad checkpoints: one line naming the file, exit 65/66, nothing written

    func testBadCheckpointsAreOneLineAndWriteNothing() throws {
        let runner = try InterpRunner()
        func damaged(_ name: String, _ damage: (URL) throws -> Void) throws -> URL {
            let dir = runner.home.appendingPathComponent(name)
            try FileManager.default.copyItem(at: Self.checkpoint, to: dir)
            try damage(dir)
            return dir
        }
        let noMerges = try damaged("no-merges") { try FileManager.default.removeItem(at: $0.appendingPathComponent("merges.txt")) }
        let llama = try damaged("llama") { dir in
            let url = dir.appendingPathComponent("config.json")
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            json["model_type"] = "llama"
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        let shapes = try damaged("shapes") { dir in
            let url = dir.appendingPathComponent("config.json")
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            json["n_positions"] = 32
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        let truncated = try damaged("truncated") { dir in
            let url = dir.appendingPathComponent("model.safetensors")
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count / 2).write(to: url)
        }
        let cases: [(URL, Int32, String)] = [
            (noMerges, 66, noMerges.appendingPathComponent("merges.txt").path + ": missing"),
            (llama, 65, llama.appendingPathComponent("config.json").path + ": unsupported architecture: model_type 'llama'"),
            (shapes, 65, shapes.appendingPathComponent("model.safetensors").path + ": tensor 'transformer.wpe.weight' has shape [64, 48], expected [32, 48]"),
            (truncated, 65, truncated.appendingPathComponent("model.safetensors").path + ": "),
        ]
        for (dir, status, prefix) in cases {
            let out = runner.home.appendingPathComponent(dir.lastPathComponent + ".safetensors")
            for arguments in [["model", "import", dir.path, "--out", out.path], ["predict", dir.path, "--text", "x"]] {
                let r = try runner.run(arguments)
                XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)")
                XCTAssertTrue(r.stderr.hasPrefix("interp: " + prefix), "\(arguments): \(r.stderr)")
                XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)")
                XCTAssertEqual(r.stdout, "")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written for \(dir.lastPathComponent)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: runner.home.path).filter { $0.contains(".tmp-") }
            XCTAssertEqual(leftovers, [])
        }
    }
}
