// The bundled models' cards: the done-when thresholds, and the card's numbers recomputed another way.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

final class ModelCardTests: XCTestCase {
    func bundled(_ name: String) throws -> (URL, HookedTransformer) {
        let url = try ModelRegistry().resolve(name)
        return (url, try HookedTransformer(contentsOf: url))
    }

    func testInductionModelHasItsHeadsAndLowInContextLoss() throws {
        let (url, model) = try bundled("induction-2l")
        let card = try ModelCard.make(url: url, name: "induction-2l")
        XCTAssertEqual(card.training?.command, "interp train induction-2l --seed 0")
        XCTAssertEqual(card.training?.seed, 0)
        XCTAssertEqual(card.training?.steps, 6000)
        XCTAssertGreaterThan(card.previousTokenHeads.first?.score ?? 0, 0.5)
        XCTAssertEqual(card.previousTokenHeads.first?.layer, 0)
        XCTAssertGreaterThan(card.inductionHeads.first?.score ?? 0, 0.5)
        XCTAssertEqual(card.inductionHeads.first?.layer, 1)

        // The in-context loss written out with a per-row log-softmax over plain arrays.
        var rng = SeededRandom(seed: ModelCard.lossSeed)
        let tokens = InductionData.repeated(batch: ModelCard.lossBatch, seqLen: 15, vocabSize: 128, rng: &rng)
        let logits = try model.forward(tokens)
        var total = 0.0, n = 0
        for (b, seq) in tokens.enumerated() {
            for i in 16..<30 {          // positions 16…29 predict the second copy's tokens r[1…14]
                let row = (0..<128).map { Double(logits[b, i, $0]) }
                let m = row.max() ?? 0
                let lse = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
                total += lse - row[seq[i + 1]]
                n += 1
            }
        }
        XCTAssertEqual(Double(card.inContextLoss ?? -1), total / Double(n), accuracy: 1e-4)
        XCTAssertLessThan(card.inContextLoss ?? 9, 0.5)
    }

    func testIOIModelSolvesTheTaskWithFindableHeads() throws {
        let (url, model) = try bundled("ioi-3l")
        let card = try ModelCard.make(url: url, name: "ioi-3l")
        XCTAssertEqual(card.training?.command, "interp train ioi-3l --seed 1")
        XCTAssertGreaterThanOrEqual(card.ioiAccuracy ?? 0, 0.98)
        XCTAssertGreaterThan(card.ioiMeanLogitDiff ?? 0, 5)

        // Accuracy and logit difference recomputed one prompt at a time, without padding.
        let prompts = TaskMetrics.ioiEvalPrompts()
        var correct = 0, diff = 0.0
        for p in prompts {
            let logits = try model.forward([p.tokens])
            let last = p.tokens.count - 1
            guard let io = Vocabulary.id(p.io), let s = Vocabulary.id(p.s) else { return XCTFail("names") }
            let d = logits[0, last, io] - logits[0, last, s]
            if d > 0 { correct += 1 }
            diff += Double(d)
        }
        XCTAssertEqual(card.ioiAccuracy ?? 0, Float(correct) / Float(prompts.count), accuracy: 1e-6)
        XCTAssertEqual(Double(card.ioiMeanLogitDiff ?? 0), diff / Double(prompts.count), accuracy: 1e-3)

        // Heads at END that attend to IO (name movers) and to S2.
        XCTAssertGreaterThan(card.endToIO?.first?.score ?? 0, 0.4)
        XCTAssertGreaterThan(card.endToS2?.first?.score ?? 0, 0.5)
        // The lesson's circuit: the top name mover sits in the last layer and writes IO − S directly;
        // a middle-layer head attends from END to S2 (S-inhibition).
        let last = model.config.nLayers - 1
        XCTAssertEqual(card.endToIO?.first?.layer, last)
        let endToS2 = try IOIAttention.mean(model: model, prompts: prompts, from: "END", to: "S2")
        XCTAssertGreaterThan((0..<model.config.nHeads).map { endToS2[1, $0] }.max() ?? 0, 0.5)
        if let mover = card.endToIO?.first {
            let pairs = IOIData.pairs(n: 32, seed: 1, corruption: .abc)
            let dla = try LogitAttribution.analyse(model: model, tokens: pairs.map(\.clean.tokens),
                                                   answers: pairs.compactMap { Vocabulary.id($0.answer) },
                                                   wrong: pairs.compactMap { Vocabulary.id($0.wrong) })
            XCTAssertGreaterThan(dla.heads[mover.layer, mover.head], 1)
        }
        // The card's attention means, recomputed from unpadded single-prompt caches for the top head.
        if let top = card.endToIO?.first {
            var mean = 0.0
            for p in prompts.prefix(50) {
                let (_, cache) = try model.runWithCache([p.tokens], names: .names([HookPoint.name(.pattern, layer: top.layer)]))
                guard let pattern = cache[.pattern, top.layer], let end = p.positions["END"], let io = p.positions["IO"] else { return XCTFail("cache") }
                mean += Double(pattern[0, top.head, end, io]) / 50
            }
            let fifty = try IOIAttention.mean(model: model, prompts: Array(prompts.prefix(50)), from: "END", to: "IO")[top.layer, top.head]
            XCTAssertEqual(Double(fifty), mean, accuracy: 1e-5)
        }
    }
}
