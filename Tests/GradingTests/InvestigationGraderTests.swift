import Course
import Grading
import Interp
import Tensor
import Transformer
import XCTest

/// Every investigation grader on the bundled models: the truth, computed here from Interp's
/// analyses (not from the grader's helpers), is accepted; plausible wrong answers (a neighbouring
/// head, a missing head, an extra head, a head one layer off, an off-by-one position or layer)
/// are rejected with an explanation that names the head or cell. The truths must also sit clear of
/// the thresholds, so a retrained model does not cross one by accident.
final class InvestigationGraderTests: XCTestCase {
    static let induction = Result { try ModelRegistry().load("induction-2l") }
    static let ioi = Result { try ModelRegistry().load("ioi-3l") }

    // MARK: - induction-2l

    func testPreviousTokenHead() throws {
        let model = try Self.induction.get()
        let scores = try Self.stripeScores(model, offset: { _ in -1 })
        try checkHeadSet(HeadScoreGrader.previousToken, model: model, scores: scores, threshold: 0.5, margin: 0.2)
    }

    func testInductionHeads() throws {
        let model = try Self.induction.get()
        let scores = try Self.stripeScores(model, offset: { 1 - $0 })
        try checkHeadSet(HeadScoreGrader.induction, model: model, scores: scores, threshold: 0.5, margin: 0.15)
    }

    /// Mean attention on one stripe of the pattern (`key = query + offset(seqLen)`), written out
    /// from the cached patterns of the model card's data: 32 sequences `[bos, r, r]`, r of 15, seed 0.
    static func stripeScores(_ model: HookedTransformer, offset: (Int) -> Int) throws -> [[Float]] {
        let seqLen = ModelCard.scoreSeqLen, batch = ModelCard.scoreBatch
        var rng = SeededRandom(seed: ModelCard.scoreSeed)
        let tokens = InductionData.repeated(batch: batch, seqLen: seqLen, vocabSize: model.config.dVocab, rng: &rng)
        let (_, cache) = try model.runWithCache(tokens)
        let c = model.config, o = offset(seqLen)
        return try (0..<c.nLayers).map { l in
            let p = try XCTUnwrap(cache[.pattern, l])
            return (0..<c.nHeads).map { h in
                var total = 0.0, n = 0
                for b in 0..<batch { for i in max(0, -o)..<(2 * seqLen + 1) { total += Double(p[b, h, i, i + o]); n += 1 } }
                return Float(total / Double(n))
            }
        }
    }

    // MARK: - ioi-3l

    /// The IOI measurements, computed here from Interp's analyses on the graders' data.
    struct IOIFacts {
        var endToIO: [[Float]], endToS2: [[Float]]
        /// Direct logit attribution of each head to logit(IO) − logit(S), and the model's logit difference.
        var dla: [[Float]], logitDiff: Float
        /// head_out patching (abc pairs): share of the logit difference each head's output restores.
        var headOut: [[Float]]
        /// resid_pre patching (flip pairs) `[layer][pos]`.
        var residPre: [[Float]]
    }

    static let ioiFacts = Result { () throws -> IOIFacts in
        let model = try ioi.get()
        func ids(_ pairs: [IOIPair]) throws -> ([Int], [Int]) {
            (try pairs.map { try XCTUnwrap(model.tokenizer.id(of: $0.answer)) }, try pairs.map { try XCTUnwrap(model.tokenizer.id(of: $0.wrong)) })
        }
        func grid(_ t: Tensor) -> [[Float]] { (0..<t.shape[0]).map { i in (0..<t.shape[1]).map { t[i, $0] } } }
        let abc = IOIData.pairs(n: 50, seed: 1, corruption: .abc), flip = IOIData.pairs(n: 50, seed: 1, corruption: .flip)
        let attention = try IOIAttention.mean(model: model, prompts: abc.map(\.clean), routes: [("END", "IO"), ("END", "S2")])
        let (a, w) = try ids(abc)
        let dla = try LogitAttribution.analyse(model: model, tokens: abc.map(\.clean.tokens), answers: a, wrong: w)
        let headOut = try activationPatching(model: model, clean: abc.map(\.clean.tokens), corrupted: abc.map(\.corrupted.tokens),
                                             answers: a, wrong: w, target: .headOut)
        let (fa, fw) = try ids(flip)
        let resid = try activationPatching(model: model, clean: flip.map(\.clean.tokens), corrupted: flip.map(\.corrupted.tokens),
                                           answers: fa, wrong: fw, target: .residPre)
        return IOIFacts(endToIO: grid(attention[0]), endToS2: grid(attention[1]), dla: grid(dla.heads),
                        logitDiff: dla.logitDiff, headOut: grid(headOut.values), residPre: grid(resid.values))
    }

    func testNameMoverHeads() throws {
        let (model, f) = (try Self.ioi.get(), try Self.ioiFacts.get())
        // Attention above 0.3 and DLA above 30% of the logit difference; every head is clear of one bar.
        var truth: [HeadIndex] = []
        for l in f.endToIO.indices {
            for h in f.endToIO[l].indices {
                let (a, share) = (f.endToIO[l][h], f.dla[l][h] / f.logitDiff)
                if a > 0.3 && share > 0.3 { truth.append(HeadIndex(l, h)); XCTAssertTrue(a > 0.5 && share > 0.5, "\(l).\(h): \(a), \(share)") }
                else { XCTAssertTrue(a < 0.2 || share < 0.15, "\(l).\(h) is close to both bars: attention \(a), DLA share \(share)") }
            }
        }
        XCTAssertFalse(truth.isEmpty)
        print("name movers on ioi-3l: \(truth); END→IO \(f.endToIO); DLA \(f.dla); LD \(f.logitDiff)")
        try checkAnswers(NameMoverGrader(), model: model, truth: truth)
        // A head that attends to IO but writes little makes the answer wrong, without being named.
        let attendsOnly = try XCTUnwrap(Self.allHeads(model).first { f.endToIO[$0.layer][$0.head] > 0.3 && !truth.contains($0) })
        let result = try NameMoverGrader().grade(.heads(truth + [attendsOnly]), model: model)
        XCTAssertFalse(result.passed)
        XCTAssertFalse((result.details + [result.summary]).joined().contains(attendsOnly.description), "\(result.details)")
    }

    func testSInhibitionHeads() throws {
        let (model, f) = (try Self.ioi.get(), try Self.ioiFacts.get())
        let movers = Set(Self.allHeads(model).filter { f.endToIO[$0.layer][$0.head] > 0.3 && f.dla[$0.layer][$0.head] > 0.3 * f.logitDiff })
        var scores = f.endToS2
        for m in movers { scores[m.layer][m.head] = 0 }
        try checkHeadSet(SInhibitionGrader(), model: model, scores: scores, threshold: 0.6, margin: 0.2)
    }

    func testHeadsThatSteerTheNameMoversQueries() throws {
        let (model, f) = (try Self.ioi.get(), try Self.ioiFacts.get())
        let movers = Self.allHeads(model).filter { f.endToIO[$0.layer][$0.head] > 0.3 && f.dla[$0.layer][$0.head] > 0.3 * f.logitDiff }
        let pairs = IOIData.pairs(n: 50, seed: 1, corruption: .abc)
        let answers = try pairs.map { try XCTUnwrap(model.tokenizer.id(of: $0.answer)) }, wrong = try pairs.map { try XCTUnwrap(model.tokenizer.id(of: $0.wrong)) }
        let sweep = try PathPatching.sweep(model: model, clean: pairs.map(\.clean.tokens), corrupted: pairs.map(\.corrupted.tokens),
                                           answers: answers, wrong: wrong, receiver: .heads(movers, input: .q))
        let c = model.config
        let effects = (0..<c.nLayers).map { l in (0..<c.nHeads).map { -sweep.values[l, $0] } }   // positive: a larger effect
        let strongest = try XCTUnwrap(effects.joined().max())
        // Half the strongest effect separates the heads by at least a third of that bar.
        try checkHeadSet(QueryPathGrader(), model: model, scores: effects, threshold: strongest / 2, margin: strongest / 6)
        // Naming the receiver too is one wrong answer like any other.
        let truth = Self.allHeads(model).filter { effects[$0.layer][$0.head] > strongest / 2 }
        let result = try QueryPathGrader().grade(.heads(truth + movers), model: model)
        XCTAssertFalse(result.passed)
        XCTAssertTrue(result.summary.contains("\(truth.count) of the \(truth.count + movers.count) heads you named"), result.summary)
    }

    func testWhereTheInformationMoves() throws {
        let (model, f) = (try Self.ioi.get(), try Self.ioiFacts.get())
        // The deepest layer with a cell above 0.8, its highest cell; clear of the bar and of the runner-up.
        let layer = try XCTUnwrap(f.residPre.indices.last { l in f.residPre[l].contains { $0 > 0.8 } })
        let row = f.residPre[layer]
        let position = try XCTUnwrap(row.indices.max { row[$0] < row[$1] })
        let runnerUp = row.indices.filter { $0 != position }.map { row[$0] }.max() ?? 0
        XCTAssertGreaterThan(row[position], 0.9)
        XCTAssertGreaterThan(row[position] - runnerUp, 0.1, "the highest cell of layer \(layer) is not clearly the highest")
        if layer + 1 < f.residPre.count { XCTAssertLessThan(f.residPre[layer + 1].max() ?? 0, 0.7) }
        print("io-information-moves on ioi-3l: \(layer):\(position) recovers \(row[position]); runner-up \(runnerUp)")
        let grader = ResidPatchingGrader()
        let right = try grader.grade(.layerPosition(layer: layer, position: position), model: model)
        XCTAssertTrue(right.passed, "\(right.summary) \(right.details)")
        let positions = row.count
        var wrong: [(Int, Int)] = [(layer, position - 1), (layer - 1, position), (layer, row.indices.filter { $0 != position }.max { row[$0] < row[$1] } ?? 0)]
        if position + 1 < positions { wrong.append((layer, position + 1)) }
        if layer + 1 < f.residPre.count { wrong.append((layer + 1, position)) }
        for (l, p) in wrong where l >= 0 && p >= 0 {
            let result = try grader.grade(.layerPosition(layer: l, position: p), model: model)
            XCTAssertFalse(result.passed, "\(l):\(p) was accepted")
            let pct = "\(Int((f.residPre[l][p] * 100).rounded()))%"
            XCTAssertTrue(result.details.contains { $0.contains("layer \(l), position \(p)") && $0.contains(pct) }, "\(l):\(p): \(result.details)")
            // One verdict: nothing says whether the layer or the position was the right half.
            XCTAssertFalse(result.details.joined().contains("right layer") || result.details.joined().contains("deeper"), "\(result.details)")
        }
        // A position past the prompt is a format error, not a wrong answer.
        XCTAssertThrowsError(try grader.grade(.layerPosition(layer: 0, position: positions), model: model)) { XCTAssertTrue($0 is AnswerFormatError) }
    }

    static func allHeads(_ model: HookedTransformer) -> [HeadIndex] {
        (0..<model.config.nLayers).flatMap { l in (0..<model.config.nHeads).map { HeadIndex(l, $0) } }
    }

    // MARK: - Shared checks

    /// The heads above `threshold` are the truth; it is accepted, every plausible wrong answer is
    /// rejected, and every score is at least `margin` away from the threshold.
    func checkHeadSet(_ grader: any InvestigationGrader, model: HookedTransformer, scores: [[Float]], threshold: Float, margin: Float,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        var truth: [HeadIndex] = []
        for (l, row) in scores.enumerated() {
            for (h, x) in row.enumerated() {
                if x > threshold { truth.append(HeadIndex(l, h)) }
                XCTAssertGreaterThan(abs(x - threshold), margin, "\(grader.id): head \(l).\(h) scores \(x), too close to \(threshold)", file: file, line: line)
            }
        }
        XCTAssertFalse(truth.isEmpty, "\(grader.id): no head above \(threshold)", file: file, line: line)
        print("\(grader.id) on \(model.config.modelName): truth \(truth.map(\.description).joined(separator: ",")); scores \(scores.map { $0.map { String(format: "%.2f", $0) } })")
        try checkAnswers(grader, model: model, truth: truth, file: file, line: line)
    }

    /// Grades the truth (passes, in any order) and the plausible wrong answers: each fails with one
    /// verdict that says how many of its heads are right and names none of them; an answer with
    /// more heads than the limit (half the model's) is refused as a format error, not graded.
    func checkAnswers(_ grader: any InvestigationGrader, model: HookedTransformer, truth: [HeadIndex],
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let right = try grader.grade(.heads(truth.reversed()), model: model)
        XCTAssertTrue(right.passed, "\(grader.id): the truth \(truth) was rejected: \(right.summary) \(right.details)", file: file, line: line)
        XCTAssertTrue(right.details.allSatisfy { $0.hasPrefix("✓") }, "\(right.details)", file: file, line: line)
        let limit = max(truth.count, Self.allHeads(model).count / 2)
        for (what, answer) in Self.wrongAnswers(truth, config: model.config) {
            guard answer.count <= limit else {
                XCTAssertThrowsError(try grader.grade(.heads(answer), model: model), "\(grader.id) \(what): over the limit", file: file, line: line)
                continue
            }
            let result = try grader.grade(.heads(answer), model: model)
            XCTAssertFalse(result.passed, "\(grader.id): \(what) \(answer) was accepted", file: file, line: line)
            let text = ([result.summary] + result.details).joined(separator: "\n")
            for h in Self.allHeads(model) { XCTAssertFalse(text.contains(h.description), "\(grader.id) \(what): '\(text)' names \(h)", file: file, line: line) }
            let hits = Set(answer).intersection(truth).count
            let expected = answer.count == 1 ? (hits == 1 ? "the head you named is right" : "the head you named does not meet")
                : hits == answer.count ? "heads you named are right, but more heads meet" : "\(hits) of the \(answer.count) heads you named"
            XCTAssertTrue(result.summary.contains(expected), "\(grader.id) \(what): '\(result.summary)' does not say '\(expected)'", file: file, line: line)
        }
        // Every head at once: refused before grading.
        let all = Self.allHeads(model)
        XCTAssertThrowsError(try grader.grade(.heads(all), model: model), "\(grader.id): every head", file: file, line: line) { error in
            XCTAssertEqual((error as? AnswerFormatError)?.message,
                           "\(all.count) heads named; an answer may name at most \(limit) (half the model's heads): name the heads your evidence points to")
        }
    }

    /// A neighbouring head, a head one layer off, a missing head, an extra head.
    static func wrongAnswers(_ truth: [HeadIndex], config: ModelConfig) -> [(String, [HeadIndex])] {
        let set = Set(truth)
        let all = (0..<config.nLayers).flatMap { l in (0..<config.nHeads).map { HeadIndex(l, $0) } }
        let others = all.filter { !set.contains($0) }
        var result: [(String, [HeadIndex])] = []
        func swapped(_ t: HeadIndex, _ by: HeadIndex) -> [HeadIndex] { truth.filter { $0 != t } + [by] }
        for t in truth {
            for dh in [-1, 1] {
                let n = HeadIndex(t.layer, t.head + dh)
                if n.head >= 0, n.head < config.nHeads, !set.contains(n) { result.append(("neighbouring head", swapped(t, n))); break }
            }
            for dl in [1, -1] {
                let n = HeadIndex(t.layer + dl, t.head)
                if n.layer >= 0, n.layer < config.nLayers, !set.contains(n) { result.append(("head one layer off", swapped(t, n))); break }
            }
        }
        if truth.count > 1 { result.append(("a missing head", Array(truth.dropLast()))) }
        if let extra = others.first { result.append(("an extra head", truth + [extra])) }
        if let extra = others.last { result.append(("an extra head", truth + [extra])) }
        return result
    }
}
