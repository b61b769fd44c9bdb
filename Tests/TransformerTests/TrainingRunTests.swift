// A tiny training run: the loss falls, runs are deterministic, and the recipes are what the README says.
import Tensor
import Transformer
import XCTest

final class TrainingRunTests: XCTestCase {
    func tinyRecipe(_ task: TrainingTask) throws -> TrainingRecipe {
        var r = try TrainingRecipe.named(task == .induction ? "induction-2l" : "ioi-3l")
        r.config = try ModelConfig(nLayers: 1, dModel: 16, nHeads: 2, dHead: 8, nCtx: 32, dVocab: Vocabulary.shared.count,
                                   attnOnly: true, normalizationType: nil, positionalEmbeddingType: .shortformer, modelName: "tiny")
        r.batch = 8
        r.steps = 60
        r.warmupSteps = 5
        r.lr = 1e-2
        return r
    }

    func testLossFallsOnBothTasks() throws {
        for task in TrainingTask.allCases {
            var trainer = try Trainer(recipe: tinyRecipe(task), seed: 3)
            var first: [Float] = [], last: [Float] = []
            for s in 0..<60 {
                let loss = try trainer.step()
                XCTAssertTrue(loss.isFinite)
                if s < 5 { first.append(loss) }
                if s >= 55 { last.append(loss) }
            }
            let before = first.reduce(0, +) / 5, after = last.reduce(0, +) / 5
            // IOI: the template words are learnt within a few dozen steps. Induction: most tokens are
            // random (floor ≈ ln 126 ≈ 4.84), so only the repeated segments can lower the loss.
            XCTAssertLessThan(after, before - (task == .ioi ? 1.5 : 0.02), "\(task): \(before) → \(after)")
            XCTAssertEqual(trainer.stepsTaken, 60)
        }
    }

    func testSameSeedSameWeightsBitForBit() throws {
        var a = try Trainer(recipe: tinyRecipe(.ioi), seed: 7), b = try Trainer(recipe: tinyRecipe(.ioi), seed: 7)
        var c = try Trainer(recipe: tinyRecipe(.ioi), seed: 8)
        for _ in 0..<4 { try a.step(); try b.step(); try c.step() }
        XCTAssertEqual(try a.model().weights, try b.model().weights)
        XCTAssertNotEqual(try a.model().weights, try c.model().weights)
    }

    func testRecipes() throws {
        let ind = try TrainingRecipe.named("induction-2l"), ioi = try TrainingRecipe.named("ioi-3l")
        XCTAssertEqual([ind.config.nLayers, ioi.config.nLayers], [2, 3])
        for r in [ind, ioi] {
            XCTAssertEqual(r.config.dModel, 64)
            XCTAssertTrue(r.config.attnOnly)
            XCTAssertNil(r.config.normalizationType)
            XCTAssertEqual(r.config.positionalEmbeddingType, .shortformer)
            XCTAssertEqual(r.config.dVocab, Vocabulary.shared.count)
        }
        XCTAssertThrowsError(try TrainingRecipe.named("gpt2")) {
            XCTAssertEqual("\($0)", "no training recipe named 'gpt2'; known: induction-2l, ioi-3l")
        }
    }

    func testIOIBatchPadsAfterTheEnd() {
        var rng = SeededRandom(seed: 4)
        let prompts = IOIData.prompts(n: 10, rng: &rng)
        let (tokens, targets) = IOIBatch.padded(prompts)
        let length = tokens[0].count
        XCTAssertEqual(length, prompts.map(\.tokens.count).max())
        for (b, p) in prompts.enumerated() {
            XCTAssertEqual(Array(tokens[b].prefix(p.tokens.count)), p.tokens)
            XCTAssertTrue(tokens[b].dropFirst(p.tokens.count).allSatisfy { $0 == Vocabulary.padID })
            let row = Array(targets[(b * length)..<((b + 1) * length)])
            XCTAssertEqual(row.filter { $0 >= 0 }, [Vocabulary.id(p.io)].compactMap { $0 })
            XCTAssertEqual(row.firstIndex { $0 >= 0 }, p.positions["END"])
        }
    }

    func testSplitTargetsSeparatesTheAnswerFromThePrompt() {
        var rng = SeededRandom(seed: 5)
        let prompts = IOIData.prompts(n: 8, rng: &rng)
        let (tokens, targets) = IOIBatch.padded(prompts, allPositions: true)
        let (answer, prompt) = IOIBatch.splitTargets(targets, tokens: tokens)
        let length = tokens[0].count
        for (b, p) in prompts.enumerated() {
            guard let end = p.positions["END"] else { return XCTFail("END") }
            for i in 0..<length {
                let k = b * length + i
                XCTAssertEqual(answer[k], i == end ? Vocabulary.id(p.io) ?? -2 : -1)
                XCTAssertEqual(prompt[k], i < end ? p.tokens[i + 1] : -1)
            }
        }
    }
}
