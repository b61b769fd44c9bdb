// The typed results of the analyses: their fields against the model computed another way, and their
// public JSON form `{kind, model, shape, labels, values, …}` against those fields.
import Foundation
import Interp
import Tensor
import Transformer
import XCTest

final class TypedResultsTests: XCTestCase {
    /// The public JSON of a result, decoded.
    func json(_ result: some Encodable) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
    }

    /// Row `b`, position `p` of logits `[batch, pos, vocab]`.
    func row(_ logits: Tensor, _ b: Int, _ p: Int) -> [Float] { (0..<logits.shape[2]).map { logits[b, p, $0] } }

    /// The error an analysis throws, as an `AnalysisError`.
    func analysisError(_ body: () throws -> Any) -> AnalysisError? {
        do { _ = try body(); return nil } catch { return error as? AnalysisError }
    }

    // MARK: - Attention

    func testAttentionPatternsAreTheCachedPatterns() throws {
        let g = try ToolkitGolden("gpt2_style")
        let tokens = g.clean[0], c = g.model.config
        let all = try AttentionAnalysis.patterns(model: g.model, tokens: tokens)
        let (_, cache) = try g.model.runWithCache([tokens])
        XCTAssertEqual(all.layers, [0, 1])
        XCTAssertEqual(all.heads, Array(0..<c.nHeads))
        XCTAssertEqual(all.tokens, g.model.tokenizer.decode(tokens))
        for l in 0..<c.nLayers {
            let p = try XCTUnwrap(cache[.pattern, l])
            for h in 0..<c.nHeads {
                XCTAssertEqual(all.pattern(layer: l, head: h), tokens.indices.map { q in tokens.indices.map { p[0, h, q, $0] } })
            }
        }
        let one = try AttentionAnalysis.patterns(model: g.model, tokens: tokens, layers: [1], head: 1)
        XCTAssertEqual(one.values.shape, [1, 1, tokens.count, tokens.count])
        XCTAssertEqual(one.pattern(layer: 0, head: 0), all.pattern(layer: 1, head: 1))
        let j = try json(one)
        XCTAssertEqual(j["kind"] as? String, "attention")
        XCTAssertEqual(j["shape"] as? [Int], [1, 1, tokens.count, tokens.count])
        let labels = try XCTUnwrap(j["labels"] as? [String: [String]])
        XCTAssertEqual(labels["layer"], ["1"])
        XCTAssertEqual(labels["head"], ["1"])
        XCTAssertEqual(labels["query"], positionLabels(one.tokens))
        XCTAssertEqual((j["values"] as? [[[[Double]]]])?[0][0].map { $0.map(Float.init) }, one.pattern(layer: 0, head: 0))

        XCTAssertEqual(analysisError { try AttentionAnalysis.patterns(model: g.model, tokens: tokens, layers: [2]) },
                       AnalysisError("layer 2 is outside 0...1", argument: "layer"))
        XCTAssertEqual(analysisError { try AttentionAnalysis.patterns(model: g.model, tokens: tokens, head: 2) },
                       AnalysisError("head 2 is outside 0...1", argument: "head"))
    }

    // MARK: - Head scores

    func testHeadScoresEncodeTheirSettings() throws {
        let g = try ToolkitGolden("attn_only_shortformer")
        let drawn = try HeadScores.compute(model: g.model, seqLen: 3, batch: 2, seed: 5)
        let j = try json(drawn)
        XCTAssertEqual(j["kind"] as? String, "head_scores")
        XCTAssertEqual(j["shape"] as? [Int], [4, 2, 3])
        XCTAssertEqual((j["labels"] as? [String: [String]])?["score"], ["previous-token", "duplicate-token", "induction", "first-token"])
        XCTAssertEqual(j["seq_len"] as? Int, 3)
        XCTAssertEqual(j["batch"] as? Int, 2)
        XCTAssertEqual(j["seed"] as? Int, 5)
        XCTAssertEqual((j["values"] as? [[[Double]]])?[2][1].map(Float.init), (0..<3).map { drawn.induction[1, $0] })
        var rng = SeededRandom(seed: 5)
        let given = try HeadScores.compute(model: g.model, tokens: InductionData.repeated(batch: 2, seqLen: 3, vocabSize: 20, rng: &rng))
        XCTAssertNil(given.seed)
        XCTAssertNil(try json(given)["seed"])
        XCTAssertEqual(given.induction, drawn.induction)

        let listed = drawn.heads(scoringAtLeast: 0.3)
        var expected: [String] = []
        for d in drawn.all { for h in HeadIndex.all(g.model.config) where d.scores[h.layer, h.head] >= 0.3 { expected.append("\(d.name) \(h)") } }
        XCTAssertEqual(listed.map { "\($0.detector) \($0.head)" }, expected)
        XCTAssertFalse(listed.isEmpty)
        XCTAssertEqual(drawn.all.map(\.shortName), ["previous", "duplicate", "induction", "first"])
    }

    // MARK: - Direct logit attribution

    func testDirectLogitAttributionFieldsAndJSON() throws {
        for arch in ["attn_only_shortformer", "gpt2_style"] {
            let g = try ToolkitGolden(arch)
            let c = g.model.config
            let r = try LogitAttribution.analyse(model: g.model, tokens: g.clean, answers: g.answers, wrong: g.wrong)
            XCTAssertEqual(r.posEmbed == nil, c.positionalEmbeddingType == .shortformer, arch)
            XCTAssertEqual(r.mlps?.count, c.attnOnly ? nil : c.nLayers, arch)
            XCTAssertEqual(r.position, g.clean[0].count - 1)
            let components = Dictionary(uniqueKeysWithValues: r.components.map { ($0.label, $0.value) })
            for h in HeadIndex.all(c) { XCTAssertEqual(components[h.label], r.heads[h.layer, h.head], arch) }
            XCTAssertEqual(components["embed"], r.embed)
            XCTAssertEqual(components["bias"], r.bias)
            XCTAssertEqual(r.logitDiff, try LogitDifference(answers: g.answers, wrong: g.wrong).value(g.model.forward(g.clean)), accuracy: 1e-5)
            XCTAssertEqual(r.componentSum + r.constant, r.logitDiff, accuracy: 1e-3, arch)

            let j = try json(r)
            XCTAssertEqual(j["kind"] as? String, "dla")
            XCTAssertEqual(j["shape"] as? [Int], [r.components.count])
            XCTAssertEqual((j["labels"] as? [String: [String]])?["component"], r.components.map(\.label))
            XCTAssertEqual((j["values"] as? [Double])?.map(Float.init), r.components.map(\.value))
            XCTAssertEqual((j["heads"] as? [[Double]])?.map { $0.map(Float.init) }, LabelledMatrix.heads(r.heads).rows)
            XCTAssertEqual((j["constant"] as? Double).map(Float.init), r.constant)
            XCTAssertEqual((j["logit_diff"] as? Double).map(Float.init), r.logitDiff)
            XCTAssertEqual(j["position"] as? Int, r.position)
        }
        // Without a wrong token: the answer's own logit.
        let g = try ToolkitGolden("gpt2_style")
        let one = try LogitAttribution.analyse(model: g.model, tokens: [g.clean[0]], answers: [g.answers[0]])
        let logits = try g.model.forward([g.clean[0]])
        XCTAssertEqual(one.logitDiff, logits[0, g.clean[0].count - 1, g.answers[0]], accuracy: 1e-5)
        XCTAssertEqual(one.componentSum + one.constant, one.logitDiff, accuracy: 1e-3)
    }

    // MARK: - Logit lens

    func testLogitLensLastStageIsTheModelsPrediction() throws {
        let g = try ToolkitGolden("gpt2_style")
        let tokens = g.clean[1], answer = g.answers[1]
        let lens = try LogitLens.analyse(model: g.model, tokens: tokens, answer: answer, top: 4)
        XCTAssertEqual(lens.stages.map(\.name), ["embed", "L0", "L1"])
        XCTAssertEqual(lens.position, tokens.count - 1)
        XCTAssertEqual(lens.answer, g.model.tokenizer.decode([answer])[0])
        let logits = row(try g.model.forward([tokens]), 0, tokens.count - 1)
        let probs = Tensor(logits).softmax()
        let last = try XCTUnwrap(lens.stages.last)
        XCTAssertEqual(last.top.map(\.id), Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(4)))
        for t in last.top {
            XCTAssertEqual(t.logit, logits[t.id], accuracy: 1e-4)
            XCTAssertEqual(t.probability, probs[t.id], accuracy: 1e-5)
        }
        let a = try XCTUnwrap(last.answer)
        XCTAssertEqual(a.rank, logits.filter { $0 > logits[answer] }.count)
        XCTAssertEqual(lens.probabilities.shape, [3, 4])
        XCTAssertEqual(lens.probabilities[2, 0], last.top[0].probability)

        let j = try json(lens)
        XCTAssertEqual(j["kind"] as? String, "logit_lens")
        XCTAssertEqual(j["shape"] as? [Int], [3, 4])
        XCTAssertEqual((j["labels"] as? [String: [String]])?["rank"], ["1", "2", "3", "4"])
        XCTAssertEqual(j["answer_rank"] as? [Int], lens.stages.map { ($0.answer?.rank ?? -9) + 1 })
        XCTAssertEqual((j["answer_prob"] as? [Double])?.map(Float.init), lens.stages.compactMap { $0.answer?.probability })
        XCTAssertEqual((j["tokens"] as? [[String]])?.last, last.top.map(\.token))
        XCTAssertEqual(j["token"] as? String, g.model.tokenizer.decode([tokens.last ?? 0])[0])
        XCTAssertEqual(j["answer"] as? String, lens.answer)
        // Without an answer, no answer fields.
        let plain = try json(LogitLens.analyse(model: g.model, tokens: tokens, position: 2, top: 2))
        XCTAssertNil(plain["answer_rank"])
        XCTAssertEqual(plain["position"] as? Int, 2)

        XCTAssertEqual(analysisError { try LogitLens.analyse(model: g.model, tokens: tokens, position: 9) }?.argument, "position")
        XCTAssertEqual(analysisError { try LogitLens.analyse(model: g.model, tokens: tokens, top: 0) }?.argument, "top")
    }

    // MARK: - Prediction

    func testPredictionRanksTheNextToken() throws {
        let g = try ToolkitGolden("attn_only_shortformer")
        let t = g.model.tokenizer
        let tokens = try t.encode("w1 w2 w3"), answer = try XCTUnwrap(t.id(forWord: "w4"))
        let p = try Prediction.make(model: g.model, tokens: tokens, top: 5, answer: answer)
        let logits = row(try g.model.forward([tokens]), 0, tokens.count - 1)
        let probs = Tensor(logits).softmax()
        XCTAssertEqual(p.tokens, ["<bos>", "w1", "w2", "w3"])
        XCTAssertEqual(p.top.map(\.id), Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5)))
        XCTAssertEqual(p.top.map(\.rank), [0, 1, 2, 3, 4])
        for x in p.top { XCTAssertEqual(x.probability, probs[x.id], accuracy: 1e-6) }
        XCTAssertEqual(p.answer?.token, "w4")
        XCTAssertEqual(p.answer?.rank, logits.filter { $0 > logits[answer] }.count)
        XCTAssertEqual(p.answer?.logit ?? 0, logits[answer], accuracy: 1e-5)
        XCTAssertEqual(Set(try json(p).keys), ["model", "tokens", "top", "answer"])
        XCTAssertEqual(Set(try json(Prediction.make(model: g.model, tokens: tokens, top: 1)).keys), ["model", "tokens", "top"])
        XCTAssertEqual(analysisError { try Prediction.make(model: g.model, tokens: []) }, AnalysisError("the prompt is empty", argument: "tokens"))
        XCTAssertEqual(analysisError { try Prediction.make(model: g.model, tokens: tokens, top: 0) }?.argument, "top")
    }

    // MARK: - Ablation

    func testAblationAblatesARepeatedHeadOnceAndEncodes() throws {
        let g = try ToolkitGolden("attn_only_shortformer")
        let metric = AblationMetric.loss(lastPredictions: nil)
        let once = try Ablation.heads([HeadIndex(1, 0)], model: g.model, tokens: g.clean, metric: metric)
        let twice = try Ablation.heads([HeadIndex(1, 0), HeadIndex(1, 0)], model: g.model, tokens: g.clean, metric: metric)
        XCTAssertEqual(twice, once)
        XCTAssertEqual(twice.labels, ["1.0"])
        let pair = try Ablation.heads([HeadIndex(1, 0), HeadIndex(0, 1), HeadIndex(1, 0)], model: g.model, tokens: g.clean, metric: metric)
        XCTAssertEqual(pair.labels, ["1.0", "0.1", "1.0+0.1"])
        XCTAssertEqual(pair.ablated, .sets([[HeadIndex(1, 0)], [HeadIndex(0, 1)], [HeadIndex(1, 0), HeadIndex(0, 1)]]))
        let every = try Ablation.everyHead(model: g.model, tokens: g.clean, metric: metric)
        XCTAssertEqual(pair.values[0], every.values[1, 0], accuracy: 1e-6)
        XCTAssertEqual(pair.values[1], every.values[0, 1], accuracy: 1e-6)
        XCTAssertEqual(every.baseline, try NextTokenLoss(tokens: g.clean).value(g.model.forward(g.clean)), accuracy: 1e-6)

        let j = try json(every)
        XCTAssertEqual(j["kind"] as? String, "ablation")
        XCTAssertEqual(j["axes"] as? [String], ["layer", "head"])
        XCTAssertEqual(j["shape"] as? [Int], [2, 3])
        XCTAssertEqual((j["baseline"] as? Double).map(Float.init), every.baseline)
        XCTAssertEqual(j["metric"] as? String, "loss")
        XCTAssertEqual(j["mode"] as? String, "zero")
        let jp = try json(pair)
        XCTAssertEqual(jp["axes"] as? [String], ["ablation"])
        XCTAssertEqual((jp["labels"] as? [String: [String]])?["ablation"], ["1.0", "0.1", "1.0+0.1"])
        XCTAssertEqual((jp["values"] as? [Double])?.map(Float.init), pair.values.scalars)

        // The loss on the last two predictions only: TL's loss with the other targets masked.
        let last2 = try Ablation.everyHead(model: g.model, tokens: g.clean, metric: .loss(lastPredictions: 2))
        let n = g.clean[0].count
        let masked = NextTokenLoss(tokens: g.clean, mask: g.clean.map { _ in (0..<n).map { $0 >= n - 2 } })
        XCTAssertEqual(last2.baseline, try masked.value(g.model.forward(g.clean)), accuracy: 1e-6)
        let ld = try Ablation.everyHead(model: g.model, tokens: g.clean, metric: .logitDifference(answers: g.answers, wrong: g.wrong))
        XCTAssertEqual(ld.baseline, try LogitDifference(answers: g.answers, wrong: g.wrong).value(g.model.forward(g.clean)), accuracy: 1e-5)
        XCTAssertEqual(try json(ld)["metric"] as? String, "logit_diff")

        let single = analysisError { try Ablation.everyHead(model: g.model, tokens: [g.clean[0]], metric: metric, mode: .mean) }
        XCTAssertEqual(single?.argument, "mode")
        XCTAssertFalse(single?.message.contains("--") ?? true)
    }

    // MARK: - Patching and path patching

    func testPatchingResultMatricesAndJSON() throws {
        let g = try ToolkitGolden("gpt2_style")
        let c = g.model.config
        let pairs = try PromptPairs(clean: g.clean, corrupted: g.corrupted, answers: g.answers, wrong: g.wrong, vocabulary: c.dVocabOut)
        let resid = try activationPatching(model: g.model, pairs: pairs)
        XCTAssertEqual(resid, try activationPatching(model: g.model, clean: g.clean, corrupted: g.corrupted, answers: g.answers, wrong: g.wrong))
        XCTAssertEqual(resid.tokens, g.model.tokenizer.decode(g.clean[0]))
        XCTAssertEqual(resid.matrix.rowLabels, ["L0", "L1"])
        XCTAssertEqual(resid.matrix.columnLabels, positionLabels(resid.tokens))
        XCTAssertEqual(resid.matrix.rows[1][3], resid.values[1, 3])
        let j = try json(resid)
        XCTAssertEqual(j["kind"] as? String, "patching.resid_pre")
        XCTAssertEqual((j["labels"] as? [String: [String]])?["pos"], positionLabels(resid.tokens))
        XCTAssertEqual((j["clean_logit_diff"] as? Double).map(Float.init), resid.cleanLogitDiff)
        XCTAssertEqual((j["corrupted_logit_diff"] as? Double).map(Float.init), resid.corruptedLogitDiff)
        XCTAssertEqual(j["metric"] as? String, "(LD_patched - LD_corrupt) / (LD_clean - LD_corrupt)")

        let heads = try activationPatching(model: g.model, pairs: pairs, target: .headOut)
        XCTAssertEqual(heads.matrix.columnLabels, ["H0", "H1"])
        XCTAssertNil((try json(heads)["labels"] as? [String: [String]])?["pos"])
        let byPos = try activationPatching(model: g.model, pairs: pairs, target: .headOut, byPosition: true)
        XCTAssertEqual(byPos.panels.map(\.layer), [0, 1])
        XCTAssertTrue(heads.panels.isEmpty)
        let panel = byPos.panels[1].matrix
        XCTAssertEqual(panel.rowLabels, positionLabels(byPos.tokens))
        XCTAssertEqual(panel.columnLabels, ["H0", "H1"])
        XCTAssertEqual(panel.rows[4][1], byPos.values[1, 4, 1])
    }

    func testPathPatchingResultCountsARepeatedReceiverOnce() throws {
        let g = try ToolkitGolden("attn_only_shortformer")
        func sweep(_ receiver: PathReceiver) throws -> PathPatchingResult {
            try PathPatching.sweep(model: g.model, clean: g.clean, corrupted: g.corrupted, answers: g.answers, wrong: g.wrong, receiver: receiver)
        }
        let once = try sweep(.heads([HeadIndex(1, 2)], input: .k))
        XCTAssertEqual(try sweep(.heads([HeadIndex(1, 2), HeadIndex(1, 2)], input: .k)), once)
        XCTAssertEqual(once.receiverDescription, "1.2 k")
        XCTAssertEqual(once.matrix.rowLabels, ["L0", "L1"])
        XCTAssertEqual(once.matrix.rows[1], [0, 0, 0], "senders in the receiver's layer cannot reach it")
        let j = try json(once)
        XCTAssertEqual(j["kind"] as? String, "path_patching")
        XCTAssertEqual(j["receiver"] as? String, "1.2 k")
        XCTAssertEqual((j["values"] as? [[Double]])?[0].map(Float.init), once.matrix.rows[0])
        XCTAssertEqual(try json(sweep(.logits))["receiver"] as? String, "logits")
        let outside = analysisError { try sweep(.heads([HeadIndex(2, 0)], input: .q)) }
        XCTAssertEqual(outside?.argument, "receivers")
        XCTAssertEqual(outside?.message, "receiver head 2.0 is outside the model: layers 0...1, heads 0...2")
    }
}
