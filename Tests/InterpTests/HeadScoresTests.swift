// Head scores against a direct reading of the cached patterns, and on a model built to have them.
import Interp
import Tensor
import Transformer
import XCTest

final class HeadScoresTests: XCTestCase {
    func testScoresEqualTheDiagonalMeansOfThePatterns() throws {
        let config = try ModelConfig(nLayers: 2, dModel: 16, nHeads: 3, dHead: 4, nCtx: 21, dVocab: 30, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer)
        let model = try HookedTransformer.random(config: config, seed: 4)
        var rng = SeededRandom(seed: 9)
        let tokens = InductionData.repeated(batch: 5, seqLen: 10, vocabSize: 30, rng: &rng)
        let scores = try HeadScores.compute(model: model, tokens: tokens)
        XCTAssertEqual(scores.seqLen, 10)
        let (_, cache) = try model.runWithCache(tokens)
        for l in 0..<2 {
            guard let p = cache[.pattern, l] else { return XCTFail("no pattern") }
            for h in 0..<3 {
                // Written out with plain subscripts, position by position.
                var prev = 0.0, dup = 0.0, ind = 0.0, first = 0.0
                var nPrev = 0, nDup = 0, nInd = 0
                for b in 0..<5 {
                    for i in 0..<21 {
                        first += Double(p[b, h, i, 0])
                        if i >= 1 { prev += Double(p[b, h, i, i - 1]); nPrev += 1 }
                        if i >= 10 { dup += Double(p[b, h, i, i - 10]); nDup += 1 }
                        if i >= 9 { ind += Double(p[b, h, i, i - 9]); nInd += 1 }
                    }
                }
                XCTAssertEqual(scores.previousToken[l, h], Float(prev / Double(nPrev)), accuracy: 1e-6)
                XCTAssertEqual(scores.duplicateToken[l, h], Float(dup / Double(nDup)), accuracy: 1e-6)
                XCTAssertEqual(scores.induction[l, h], Float(ind / Double(nInd)), accuracy: 1e-6)
                XCTAssertEqual(scores.firstToken[l, h], Float(first / Double(5 * 21)), accuracy: 1e-6)
            }
        }
    }

    func testAPreviousTokenHeadBuiltByHandScoresNearOne() throws {
        // One head whose queries and keys see only positions, with a strong "key = query − 1" match.
        let config = try ModelConfig(nLayers: 1, dModel: 16, nHeads: 1, dHead: 16, nCtx: 9, dVocab: 12, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer)
        var model = try HookedTransformer.random(config: config, seed: 1)
        var pos = Tensor.zeros([9, 16]), wq = Tensor.zeros([1, 16, 16]), wk = Tensor.zeros([1, 16, 16])
        for i in 0..<9 { pos[i, i] = 1 }
        for i in 1..<9 { wq[0, i, i - 1] = 20; wk[0, i - 1, i - 1] = 20 }
        try model.setParameter("embed.W_E", Tensor.zeros([12, 16]))
        try model.setParameter("pos_embed.W_pos", pos)
        try model.setParameter("blocks.0.attn.W_Q", wq)
        try model.setParameter("blocks.0.attn.W_K", wk)
        let scores = try HeadScores.compute(model: model, seqLen: 4, batch: 3, seed: 0)
        XCTAssertGreaterThan(scores.previousToken[0, 0], 0.85)
        XCTAssertLessThan(scores.induction[0, 0], 0.1)
        XCTAssertEqual(HeadScores.best(scores.previousToken).layer, 0)
    }

    func testBadSizesAreErrors() throws {
        let config = try ModelConfig(nLayers: 1, dModel: 8, nHeads: 2, dHead: 4, nCtx: 9, dVocab: 12, attnOnly: true,
                                     normalizationType: nil, positionalEmbeddingType: .shortformer)
        let model = try HookedTransformer.random(config: config, seed: 1)
        XCTAssertThrowsError(try HeadScores.compute(model: model, seqLen: 5, batch: 2, seed: 0)) {
            XCTAssertTrue("\($0)".contains("needs 11 positions"), "\($0)")
        }
        XCTAssertThrowsError(try HeadScores.compute(model: model, seqLen: 1, batch: 2, seed: 0))
        XCTAssertThrowsError(try HeadScores.compute(model: model, tokens: [[0, 1, 2, 3]]))
    }
}
