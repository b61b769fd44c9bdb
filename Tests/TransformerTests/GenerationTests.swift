// Generation: greedy tokens equal transformers' generate; the key/value cache changes no token;
// sampling is seeded; hooks apply at every step.
import Foundation
import Tensor
import Transformer
import XCTest

final class GenerationTests: XCTestCase {
    func testGreedyGenerationEqualsTransformersGenerate() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let golden = try GPT2Fixture.golden()
        let prompt = try golden.integers("gen.prompt", source: "golden").values
        let expected = try golden.integers("gen.tokens", source: "golden").values
        var streamed: [Int] = []
        let result = try model.generate(prompt, options: GenerationOptions(maxNewTokens: expected.count, temperature: 0, stopAtEndOfText: false)) {
            streamed.append($0)
        }
        XCTAssertEqual(result.tokens, expected)
        XCTAssertEqual(streamed, expected, "each token is handed over as it is chosen")
        XCTAssertEqual(result.stop, .maxTokens)
        XCTAssertEqual(model.tokenizer.decodeText(result.tokens), golden.metadata["generated_text"])
    }

    func testTheKeyValueCacheChangesNoToken() throws {
        let gpt2 = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let ioi = try ModelRegistry().load("ioi-3l")   // shortformer: positions enter after the prefix too
        for (model, prompt) in [(gpt2, try gpt2.tokenizer.encode("When Mary and John went to the store,")),
                                (ioi, try ioi.tokenizer.encode("when Mary and John went to the store ,"))] {
            for options in [GenerationOptions(maxNewTokens: 8, temperature: 0), GenerationOptions(maxNewTokens: 8, temperature: 1.3, seed: 7),
                            GenerationOptions(maxNewTokens: 6, temperature: 0.8, topK: 5, seed: 3)] {
                var uncached = options
                uncached.useKeyValueCache = false
                let a = try model.generate(prompt, options: options)
                let b = try model.generate(prompt, options: uncached)
                XCTAssertEqual(a.tokens, b.tokens, "\(model.config.modelName) \(options)")
            }
        }
    }

    func testSamplingIsSeededAndTopKKeepsToTheMostLikely() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let prompt = try model.tokenizer.encode("Hello, world!")
        let options = GenerationOptions(maxNewTokens: 10, temperature: 1, seed: 11, stopAtEndOfText: false)
        XCTAssertEqual(try model.generate(prompt, options: options).tokens, try model.generate(prompt, options: options).tokens)
        var other = options
        other.seed = 12
        XCTAssertNotEqual(try model.generate(prompt, options: options).tokens, try model.generate(prompt, options: other).tokens)
        var greedy = options
        greedy.temperature = 0
        var top1 = options
        top1.topK = 1
        XCTAssertEqual(try model.generate(prompt, options: top1).tokens, try model.generate(prompt, options: greedy).tokens)

        var top3 = options
        top3.topK = 3
        let sampled = try model.generate(prompt, options: top3).tokens
        var sequence = prompt
        for token in sampled {
            let logits = try model.run([sequence], options: ForwardOptions(logitPositions: .last)).logits?.scalars ?? []
            let rank = logits.filter { $0 > logits[token] }.count
            XCTAssertLessThan(rank, 3, "token \(token) is not among the 3 most likely")
            sequence.append(token)
        }
    }

    func testHooksApplyAtEveryStepAndEndOfTextStops() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let prompt = try model.tokenizer.encode("Hello")
        let mary = try model.tokenizer.answerID(" Mary")
        var passes = 0
        let boost = Hook("unembed.hook_out") { logits, _ in
            passes += 1
            logits.withUnsafeMutableBufferPointer { b in
                let vocab = model.config.dVocabOut
                for row in 0..<(b.count / vocab) { b[row * vocab + mary] += 1000 }
            }
        }
        let result = try model.generate(prompt, options: GenerationOptions(maxNewTokens: 5, temperature: 1, seed: 1), hooks: [boost])
        XCTAssertEqual(result.tokens, Array(repeating: mary, count: 5))
        XCTAssertEqual(passes, 5, "one forward pass per new token")

        let eot = try XCTUnwrap(model.tokenizer.eosID)
        let end = Hook("unembed.hook_out") { logits, _ in
            logits.withUnsafeMutableBufferPointer { b in b[b.count - model.config.dVocabOut + eot] += 1000 }
        }
        let stopped = try model.generate(prompt, options: GenerationOptions(maxNewTokens: 5, temperature: 0), hooks: [end])
        XCTAssertEqual(stopped, GenerationResult(tokens: [eot], stop: .endOfText))
    }

    func testTheContextLimitAndBadOptions() throws {
        let model = try HookedTransformer(contentsOf: GPT2Fixture.directory())
        let long = Array(repeating: 5, count: model.config.nCtx - 2)
        let result = try model.generate(long, options: GenerationOptions(maxNewTokens: 5, temperature: 0, stopAtEndOfText: false))
        XCTAssertEqual(result.tokens.count, 2)
        XCTAssertEqual(result.stop, .contextFull)
        XCTAssertThrowsError(try model.generate([])) { XCTAssertEqual("\($0)", "generate: the prompt is empty") }
        XCTAssertThrowsError(try model.generate([1], options: GenerationOptions(temperature: -1))) {
            XCTAssertEqual("\($0)", "generate: temperature must be a finite number ≥ 0, got -1.0")
        }
        XCTAssertThrowsError(try model.generate([1], options: GenerationOptions(topK: 0))) {
            XCTAssertEqual("\($0)", "generate: topK must be at least 1, got 0")
        }
    }
}
