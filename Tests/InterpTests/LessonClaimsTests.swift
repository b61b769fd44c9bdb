// Every number a hands-on lesson states about a bundled model, recomputed from the model and
// looked up in the lesson text, formatted the way the lesson (and the command it quotes) prints it.
// Inputs mirror the commands' defaults: `heads` (seq-len 15, batch 16, seed 0), `ablate --task
// induction` (batch 32, seed 0), `model card`.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

final class LessonClaimsTests: XCTestCase {
    // MARK: - Helpers

    /// The lesson's Markdown with every run of whitespace collapsed to one space, so a claim
    /// wrapped across lines still matches.
    func lesson(_ file: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Lessons/\(file)"), encoding: .utf8)
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    func assertClaim(_ claim: String, in text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(text.contains(claim), "the lesson should state: \(claim)", file: file, line: line)
    }

    /// Two decimals as the commands print them (no "-0.00").
    func f2(_ x: some BinaryFloatingPoint) -> String {
        let text = String(format: "%.2f", Double(x))
        return text == "-0.00" ? "0.00" : text
    }
    func f3(_ x: some BinaryFloatingPoint) -> String { String(format: "%.3f", Double(x)) }

    func induction() throws -> HookedTransformer { try ModelRegistry().load("induction-2l") }

    /// `pattern[0, head, q, k]` of a one-sequence cache.
    func attention(_ cache: ActivationCache, layer: Int, head: Int, _ q: Int, _ k: Int) throws -> Float {
        let p = try XCTUnwrap(cache[.pattern, layer])
        return p[0, head, q, k]
    }

    /// Probabilities of the next token after the last position of `text`.
    func nextTokenProbabilities(_ model: HookedTransformer, _ text: String) throws -> (logits: [Float], probs: [Float]) {
        let ids = try model.tokenizer.encode(text)
        let logits = try model.forward([ids])
        let v = model.config.dVocab
        let last = (0..<v).map { logits[0, ids.count - 1, $0] }
        return (last, Tensor(last).softmax().scalars)
    }

    // MARK: - residual-stream (07)

    func testResidualStreamLessonNumbers() throws {
        let text = try lesson("07-residual-stream.md")
        let model = try induction()
        let count = model.weights.parameterCount
        assertClaim("| Parameters | \(count / 1000),\(String(format: "%03d", count % 1000)) |", in: text)

        // predict --answer seven on the repeated prompt: top prediction, its logit and probability.
        let repeated = "cat moon ship red seven lamp door wolf cat moon ship red"
        let (logits, probs) = try nextTokenProbabilities(model, repeated)
        let seven = try XCTUnwrap(model.tokenizer.id(of: "seven"))
        XCTAssertEqual(logits.indices.max { logits[$0] < logits[$1] }, seven)
        assertClaim("it puts `seven` first, with logit \(f2(logits[seven])) and probability \(String(format: "%.1f", probs[seven] * 100))%", in: text)

        // The first eight words alone: no word above the stated share; uniform is 1/128.
        let (_, firstProbs) = try nextTokenProbabilities(model, "cat moon ship red seven lamp door wolf")
        assertClaim("no word gets more than \(String(format: "%.1f", (firstProbs.max() ?? 0) * 100))%", in: text)
        assertClaim("the \(String(format: "%.1f", 100.0 / Double(model.config.dVocab)))% of a uniform guess", in: text)

        // The residual stream is the sum of the embedding and both layers' outputs (no pos_embed).
        let ids = try model.tokenizer.encode(repeated)
        let (_, cache) = try model.runWithCache([ids])
        let embed = try XCTUnwrap(cache[.embed]), out0 = try XCTUnwrap(cache[.attnOut, 0])
        let out1 = try XCTUnwrap(cache[.attnOut, 1]), post = try XCTUnwrap(cache[.residPost, 1])
        let pre0 = try XCTUnwrap(cache[.residPre, 0])
        XCTAssertEqual(zip(pre0.scalars, embed.scalars).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1e-6)
        for i in 0..<post.count {
            XCTAssertEqual(post.scalars[i], embed.scalars[i] + out0.scalars[i] + out1.scalars[i], accuracy: 1e-4)
        }
        assertClaim("`blocks.0.hook_resid_pre` equals `hook_embed` alone", in: text)

        // Head 0.0 is a previous-token head on this prompt; 0.3 the most diagonal head of layer 0.
        for q in 2..<ids.count { XCTAssertGreaterThan(try attention(cache, layer: 0, head: 0, q, q - 1), 0.9) }
        let diagonal = try (0..<4).map { h in try (1..<ids.count).map { try attention(cache, layer: 0, head: h, $0, $0) }.reduce(0, +) }
        XCTAssertEqual(diagonal.indices.max { diagonal[$0] < diagonal[$1] }, 3)
        // Layer-1 heads rest on <bos> in the first half; 1.1 at the second `moon` looks at `ship`.
        for h in 0..<4 { for q in 1...8 { XCTAssertGreaterThan(try attention(cache, layer: 1, head: h, q, 0), 0.9) } }
        XCTAssertEqual(ids[10], ids[2])
        assertClaim("In head 1.1 that single cell holds \(f2(try attention(cache, layer: 1, head: 1, 10, 3))) of the row", in: text)

        // heads (defaults): previous-token 0.0 and the runner-up 0.2; layer 1 on <bos> > 0.5.
        let scores = try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 0)
        let prev = scores.previousToken.scalars
        XCTAssertEqual(prev.indices.sorted { prev[$0] > prev[$1] }.prefix(2), [0, 2])
        assertClaim("picks out head 0.0 at \(f2(prev[0])); the next best previous-token head, 0.2, scores \(f2(prev[2]))", in: text)
        for h in 0..<4 { XCTAssertGreaterThan(scores.firstToken[1, h], 0.5) }
        assertClaim("Every layer-1 head puts more than half of its attention on `<bos>`", in: text)
    }

    // MARK: - induction-heads (09)

    func testInductionHeadsLessonScoresAndAttention() throws {
        let text = try lesson("09-induction-heads.md")
        let model = try induction()
        assertClaim("ln 126 ≈ \(f2(Foundation.log(Double(model.config.dVocab - 2)))) nats", in: text)

        // model card: in-context loss (batch 64, seed 1, seq-len 15).
        let card = try ModelCard.make(url: try ModelRegistry().resolve("induction-2l"), name: "induction-2l")
        assertClaim("the in-context loss is \(f3(try XCTUnwrap(card.inContextLoss))) nats", in: text)

        // heads: induction scores of layer 1, duplicate-token scores all low.
        let scores = try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 0)
        let ind = (0..<4).map { f2(scores.induction[1, $0]) }
        assertClaim("heads 1.0, 1.1 and 1.3 score \(ind[0]), \(ind[1]) and \(ind[3]), and head 1.2 scores \(ind[2])", in: text)
        XCTAssertLessThan(scores.duplicateToken.max(), 0.1)
        assertClaim("No head has a duplicate-token score above 0.1", in: text)
        XCTAssertLessThan((0..<4).map { scores.induction[0, $0] }.max() ?? 1, 0.1)   // "Layer 0 is dark"

        // attn --layer 1 on eight words repeated: the stripe at offset −7 in 1.0, 1.1, 1.3, not in 1.2.
        let ids = try model.tokenizer.encode("cat sun ship red cup key door wolf cat sun ship red cup key door")
        let (_, cache) = try model.runWithCache([ids])
        for h in 0..<4 {
            let stripe = try (10..<ids.count).map { try attention(cache, layer: 1, head: h, $0, $0 - 7) }.reduce(0, +) / Float(ids.count - 10)
            if h == 2 { XCTAssertLessThan(stripe, 0.1, "head 1.2 should stay on <bos>") }
            else { XCTAssertGreaterThan(stripe, 0.4, "head 1.\(h) should draw the induction stripe") }
        }
        assertClaim("seven steps to its left", in: text)
        assertClaim("Head 1.2 stays on `<bos>` in this short prompt", in: text)
    }

    func testInductionHeadsLessonAblations() throws {
        let text = try lesson("09-induction-heads.md")
        let model = try induction()
        var rng = SeededRandom(seed: 0)
        let tokens = InductionData.repeated(batch: 32, seqLen: 15, vocabSize: model.config.dVocab, rng: &rng)
        let metric = AblationMetric.loss(lastPredictions: 14)

        let zero = try Ablation.everyHead(model: model, tokens: tokens, metric: metric, mode: .zero)
        let mean = try Ablation.everyHead(model: model, tokens: tokens, metric: metric, mode: .mean)
        let z = zero.values
        assertClaim("above its baseline of \(f3(zero.baseline)) nats", in: text)
        assertClaim("Knocking out head 0.0 adds \(f2(z[0, 0])) nats", in: text)
        assertClaim("The layer-1 heads add \(f2(z[1, 0])), \(f2(z[1, 1])), \(f2(z[1, 2])) and \(f2(z[1, 3])) one at a time", in: text)
        for h in 1..<4 { XCTAssertLessThan(z[0, h], 0.1, "the rest of layer 0 barely matters") }
        // Back at chance: baseline + effect of 0.0 within 0.05 of ln 126.
        XCTAssertEqual(Double(zero.baseline) + Double(z[0, 0]), Foundation.log(126.0), accuracy: 0.05)
        // Zero and mean ablation agree closely.
        XCTAssertLessThan(zip(z.scalars, mean.values.scalars).map { abs($0 - $1) }.max() ?? 1, 0.05)

        let layer1 = (0..<4).map { HeadIndex(1, $0) }
        let together = try Ablation.heads(layer1, model: model, tokens: tokens, metric: metric, mode: .zero)
        let joint = together.values.scalars[4], separate = together.values.scalars[0..<4].reduce(0, +)
        assertClaim("Together they add \(f3(joint)) nats, more than twice the sum of their separate effects", in: text)
        XCTAssertGreaterThan(joint, 2 * separate)

        // The quiz's redundancy question and previous-token fact.
        let quiz = try quizText("induction-heads")
        XCTAssertLessThan(together.values.scalars[0..<4].max() ?? 1, 0.6)
        assertClaim("by less than 0.6 nats, but ablating all four together raises it by about \(String(format: "%.1f", joint)) nats", in: quiz)
        let prev = try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 0).previousToken
        assertClaim("previous-token score of \(f2(prev[0, 0])), far above every other head", in: quiz)
        XCTAssertEqual(Double(zero.baseline) + Double(z[0, 0]), Foundation.log(126.0), accuracy: 0.05)
    }

    func testInductionHeadsLessonCompositionScores() throws {
        let text = try lesson("09-induction-heads.md")
        let w = try induction().weights
        func head(_ name: String, _ h: Int) throws -> Tensor { try XCTUnwrap(w[name]).select(axis: 0, h) }
        func frobenius(_ t: Tensor) -> Double { t.scalars.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        func score(_ a: Tensor, _ b: Tensor) -> Double { frobenius(a.matmul(b)) / (frobenius(a) * frobenius(b)) }
        let ov0 = try (0..<4).map { try head("blocks.0.attn.W_V", $0).matmul(try head("blocks.0.attn.W_O", $0)) }
        let qk1 = try (0..<4).map { try head("blocks.1.attn.W_Q", $0).matmul(try head("blocks.1.attn.W_K", $0), transposeB: true) }
        let ov1 = try (0..<4).map { try head("blocks.1.attn.W_V", $0).matmul(try head("blocks.1.attn.W_O", $0)) }

        let kFrom0 = (0..<4).map { score(ov0[0], qk1[$0].transposed()) }
        assertClaim("K-composition from head 0.0 into the four layer-1 heads is between \(f2(kFrom0.min() ?? 0)) and \(f2(kFrom0.max() ?? 0))", in: text)
        for h in 0..<4 { XCTAssertEqual(score(ov0[1], qk1[h].transposed()), 0.10, accuracy: 0.01) }
        assertClaim("from head 0.1, which is not a previous-token head, about 0.10", in: text)
        for h in 0..<4 {
            XCTAssertLessThan(score(ov0[0], qk1[h]), 0.03)      // Q-composition
            XCTAssertLessThan(score(ov0[0], ov1[h]), 0.03)      // V-composition
        }
        assertClaim("Q- and V-composition from 0.0 stay below 0.03", in: text)

        // Random baseline: unrelated rank-16 products of this size score about 1/√64.
        var rng = SeededRandom(seed: 7)
        func random(_ r: Int, _ c: Int) throws -> Tensor { try Tensor(shape: [r, c], scalars: (0..<(r * c)).map { _ in rng.normal() }) }
        var total = 0.0
        for _ in 0..<50 {
            total += score(try random(64, 16).matmul(try random(16, 64)), try random(64, 16).matmul(try random(16, 64)))
        }
        XCTAssertEqual(total / 50, 0.125, accuracy: 0.01)
        assertClaim("score about 1/√64 = 0.125", in: text)
    }

    func testInductionHeadsLessonPhaseChange() throws {
        let text = try lesson("09-induction-heads.md")
        let history = try trainingHistory(of: "induction-2l")
        func at(_ step: Int) throws -> [String: Double] { try XCTUnwrap(history.first { $0["step"] == Double(step) }, "no step \(step)") }
        for step in [0, 550, 700, 6000] {
            let e = try at(step)
            let row = "| \(step) | \(f2(e["inContextLoss"] ?? .nan)) | \(f2(e["bestInduction"] ?? .nan)) | \(f2(e["bestPreviousToken"] ?? .nan)) |"
            assertClaim(row, in: text.replacingOccurrences(of: #"\|\s+"#, with: "| ", options: .regularExpression)
                                     .replacingOccurrences(of: #"\s+\|"#, with: " |", options: .regularExpression))
        }
        let (a, b) = (try at(550), try at(700))
        let lossRatio = (a["inContextLoss"] ?? 0) / (b["inContextLoss"] ?? 1)
        XCTAssertTrue((5.5..<6.5).contains(lossRatio), "in-context loss drops by a factor of six (\(lossRatio))")
        assertClaim("drops by a factor of six", in: text)
        let scoreRatio = (b["bestInduction"] ?? 0) / (a["bestInduction"] ?? 1)
        XCTAssertTrue((3.5..<4.0).contains(scoreRatio), "the induction score nearly quadruples (\(scoreRatio))")
        assertClaim("the induction score nearly quadruples", in: text)
        // The quiz quotes the same transition.
        let quiz = try quizText("induction-heads")
        for key in ["inContextLoss", "bestInduction", "bestPreviousToken"] {
            assertClaim("from \(f2(a[key] ?? .nan)) to \(f2(b[key] ?? .nan))", in: quiz)
        }
        assertClaim("falls from \(f2(a["loss"] ?? .nan)) to \(f2(b["loss"] ?? .nan)) in the same window, after creeping from \(f2(try at(50)["loss"] ?? .nan)) to \(f2(a["loss"] ?? .nan))", in: text)
    }

    // MARK: - patching-ioi (11)

    func ioi() throws -> HookedTransformer { try ModelRegistry().load("ioi-3l") }

    /// The pairs `patch` and `path-patch` generate by default (`--n 50 --seed 1`), as token ids.
    func ioiPairs(_ model: HookedTransformer, _ corruption: IOICorruption)
        throws -> (pairs: [IOIPair], clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int]) {
        let pairs = IOIData.pairs(n: 50, seed: 1, corruption: corruption)
        let t = model.tokenizer
        return (pairs, try pairs.map { try t.encode($0.clean.text) }, try pairs.map { try t.encode($0.corrupted.text) },
                try pairs.map { try XCTUnwrap(t.id(of: $0.answer)) }, try pairs.map { try XCTUnwrap(t.id(of: $0.wrong)) })
    }

    static let ioiPrompt = "when Mary and John went to the store , John gave a drink to"

    func testPatchingLessonPromptCardAndAttribution() throws {
        let text = try lesson("11-patching-ioi.md"), model = try ioi()
        assertClaim("set text \"\(Self.ioiPrompt)\"", in: text)
        let (logits, _) = try nextTokenProbabilities(model, Self.ioiPrompt)
        let t = model.tokenizer
        let mary = try XCTUnwrap(t.id(of: "Mary")), john = try XCTUnwrap(t.id(of: "John"))
        let order = logits.indices.sorted { logits[$0] > logits[$1] }
        XCTAssertEqual(order.first, mary)
        XCTAssertGreaterThan(order.firstIndex(of: john) ?? 0, 2, "John is not among the top three")
        assertClaim("`Mary` comes first with a logit of \(f2(logits[mary])); `John` is not even among the top three", in: text)

        // model card: accuracy and mean logit difference on 500 held-out prompts; attention averages.
        let card = try ModelCard.make(url: try ModelRegistry().resolve("ioi-3l"), name: "ioi-3l")
        let accuracy = String(format: "%.1f", (card.ioiAccuracy ?? 0) * 100), meanLD = f2(card.ioiMeanLogitDiff ?? 0)
        assertClaim("`ioi-3l` picks IO over S \(accuracy)% of the time, with a mean logit difference of \(meanLD)", in: text)
        assertClaim("\(accuracy)% accuracy, a mean logit difference of \(meanLD)", in: text)
        let toIO = try XCTUnwrap(card.endToIO), toS2 = try XCTUnwrap(card.endToS2), dup = try XCTUnwrap(card.s2ToS1)
        XCTAssertEqual(toIO.first?.label, "2.3")
        assertClaim("the model card gives END → IO \(f2(toIO[0].score))", in: text)
        XCTAssertEqual(toS2.prefix(2).map(\.label), ["1.1", "0.2"])
        assertClaim("END → S2 \(f2(toS2[0].score)) for 1.1 and \(f2(toS2[1].score)) for 0.2", in: text)
        assertClaim("the best duplicate-token attention is \(f2(dup[0].score))", in: text)
        let scores = try HeadScores.compute(model: model, seqLen: 15, batch: 16, seed: 0)
        for kind in scores.all { XCTAssertLessThan(kind.scores.max(), 0.4, "\(kind.name): no head reaches 0.4") }
        assertClaim("no head reaches 0.4 on any detector", in: text)
        let quiz = try quizText("patching-ioi")
        assertClaim("attends from END to IO (\(f2(toIO[0].score)) on average over 500 prompts)", in: quiz)
        assertClaim("The best S2 → S1 attention in `ioi-3l` is \(f2(dup[0].score))", in: quiz)

        // attn on the prompt: 2.3 from END to Mary (IO, position 2); 1.1 from END to S2 (position 10).
        let ids = try t.encode(Self.ioiPrompt)
        XCTAssertEqual(ids[2], mary)
        XCTAssertEqual(ids[10], john)
        let (_, cache) = try model.runWithCache([ids])
        let end = ids.count - 1
        assertClaim("from `to` (END) it puts \(f2(try attention(cache, layer: 2, head: 3, end, 2))) on `Mary`", in: text)
        assertClaim("from END, 1.1 puts \(f2(try attention(cache, layer: 1, head: 1, end, 10))) on the second `John`", in: text)

        // dla: the logit difference and the direct shares of 2.3 and 1.0.
        let dla = try LogitAttribution.analyse(model: model, tokens: [ids], answers: [mary], wrong: [john])
        let ld = f2(logits[mary] - logits[john])
        assertClaim("On our prompt the logit difference is \(ld), and head 2.3 writes \(f2(dla.heads[2, 3])) of it directly; head 1.0 adds \(f2(dla.heads[1, 0]))", in: text)
        assertClaim("(−0.77; +\(f2(dla.heads[2, 3])) of \(ld) on our prompt)", in: text)

        // lens: Mary first becomes the top token after layer 1.
        let lens = try LogitLens.analyse(model: model, tokens: ids, answer: mary)
        let answers = lens.stages.compactMap(\.answer)
        let rank = answers.map { $0.rank + 1 }, prob = answers.map(\.probability)
        XCTAssertEqual(rank.count, 4)
        XCTAssertTrue(rank[0] > 1 && rank[1] > 1 && rank[2] == 1 && rank[3] == 1, "ranks \(rank)")
        assertClaim("becoming the top token only after layer 1 (probability \(f2(prob[2])))", in: text)
        XCTAssertGreaterThan(prob[3], 0.99, "certain after layer 2")
    }

    func testPatchingLessonPatchingSweeps() throws {
        let text = try lesson("11-patching-ioi.md"), model = try ioi()
        let abc = try ioiPairs(model, .abc), flip = try ioiPairs(model, .flip)
        func sweep(_ p: (pairs: [IOIPair], clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int]),
                   _ target: PatchTarget, byPosition: Bool = false) throws -> Tensor {
            try activationPatching(model: model, clean: p.clean, corrupted: p.corrupted, answers: p.answers,
                                   wrong: p.wrong, target: target, byPosition: byPosition).values
        }
        let positions = flip.pairs[0].clean.positions
        let (io, s2, end) = (try XCTUnwrap(positions["IO"]), try XCTUnwrap(positions["S2"]), try XCTUnwrap(positions["END"]))
        XCTAssertEqual([io, s2, end], [6, 17, 21], "the lesson names positions 6, 17 and 21")
        XCTAssertEqual(flip.pairs[0].clean.s, "Bob")

        // resid_pre with flip pairs: the S2 column fades, the END column grows.
        let resid = try sweep(flip, .residPre)
        assertClaim("restores \(f2(resid[0, s2])) of the behaviour before layer 0, \(f2(resid[1, s2])) before layer 1 and \(f2(resid[2, s2])) before layer 2, while at END (position 21) it restores \(f2(resid[0, end])), then \(f2(resid[1, end])), then \(f2(resid[2, end]))", in: text)

        let attnOut = try sweep(abc, .attnOut)
        assertClaim("In its END column almost everything happens in layer 2, which restores \(f2(attnOut[2, end]))", in: text)
        XCTAssertGreaterThan(attnOut[2, end], attnOut[0, end] + attnOut[1, end])
        XCTAssertEqual(abc.pairs[0].clean.text.split(separator: " ").suffix(6).joined(separator: " "), "also Bob handed the hat to")

        // head_out, ABC and flip.
        let headsABC = try sweep(abc, .headOut)
        assertClaim("2.3 alone restores \(f2(headsABC[2, 3])) of the logit difference; no other head scores above 0.10", in: text)
        XCTAssertLessThan(headsABC.scalars.enumerated().filter { $0.offset != 11 }.map(\.element).max() ?? 1, 0.105)
        assertClaim("2.3 alone restores \(f2(headsABC[2, 3])) under ABC patching", in: text)
        let headsFlip = try sweep(flip, .headOut)
        assertClaim("0.2 restores \(f2(headsFlip[0, 2])), 1.1 restores \(f2(headsFlip[1, 1])) and 0.3 restores \(f2(headsFlip[0, 3])), next to 2.3 at \(f2(headsFlip[2, 3]))", in: text)

        // head_out by position, flip: at END and at IO.
        let byPos = try sweep(flip, .headOut, byPosition: true)                      // [layer, pos, head]
        assertClaim("At END, 0.2 restores \(f2(byPos[0, end, 2])) and 1.1 restores \(f2(byPos[1, end, 1]))", in: text)
        assertClaim("Head 1.1 also matters at the IO position (\(f2(byPos[1, io, 1])))", in: text)

        // path patching: to the logits, and into 2.3's q, k, v.
        func path(_ receiver: PathReceiver) throws -> Tensor {
            try PathPatching.sweep(model: model, clean: abc.clean, corrupted: abc.corrupted, answers: abc.answers,
                                   wrong: abc.wrong, receiver: receiver).values
        }
        let logits = try path(.logits)
        assertClaim("Sender → logits: only 2.3 carries much, \(signed(logits[2, 3]))", in: text)
        XCTAssertLessThan(logits.scalars.enumerated().filter { $0.offset != 11 }.map { abs($0.element) }.max() ?? 1, 0.075)
        assertClaim("is at most 0.07 in size", in: text)
        assertClaim("head 2.3 carries the direct effect (\(signed(logits[2, 3]));", in: text)
        let q = try path(.heads([HeadIndex(2, 3)], input: .q))
        let k = try path(.heads([HeadIndex(2, 3)], input: .k))
        let v = try path(.heads([HeadIndex(2, 3)], input: .v))
        let quiz = try quizText("patching-ioi")
        assertClaim("carries the direct path to the logits (path patching \(signed(logits[2, 3])))", in: quiz)
        assertClaim("restores \(f2(headsABC[2, 3])) of the logit difference on its own under ABC patching", in: quiz)
        assertClaim("(here by layer 2: \(f2(resid[2, s2])) at S2, \(f2(resid[2, end])) at END)", in: quiz)
        assertClaim("Heads 1.1 (\(signed(q[1, 1]))) and 0.2 (\(signed(q[0, 2]))) stand out", in: text)
        XCTAssertEqual(q.scalars.indices.sorted { q.scalars[$0] < q.scalars[$1] }.prefix(2), [5, 2])
        XCTAssertLessThan(max(abs(k[0, 2]), abs(v[0, 2])), 0.05, "0.2 acts almost only on the query")
        assertClaim("1.1 reaches 2.3 through its keys (\(signed(k[1, 1]))) and values (\(signed(v[1, 1]))) as well", in: text)
    }

    /// A value as the lesson writes a negative score: a true minus sign and two decimals.
    func signed(_ x: Float) -> String { (x < 0 ? "−" : "") + f2(abs(x)) }

    /// A quiz file with whitespace collapsed, like `lesson(_:)`.
    func quizText(_ id: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("quizzes/\(id).yaml"), encoding: .utf8)
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    /// The `training.history` entries recorded in a bundled model file's safetensors metadata.
    func trainingHistory(of name: String) throws -> [[String: Double]] {
        let data = try Data(contentsOf: try ModelRegistry().resolve(name))
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let metadata = try XCTUnwrap(header["__metadata__"] as? [String: String])
        let training = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(metadata["training"]).utf8)) as? [String: Any])
        let history = try XCTUnwrap(training["history"] as? [[String: Any]])
        return history.map { $0.compactMapValues { ($0 as? NSNumber)?.doubleValue } }
    }
}
