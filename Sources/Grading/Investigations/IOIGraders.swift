import Course
import Interp
import Tensor
import Transformer

/// The IOI data the IOI graders measure on: `interp data ioi --n 50 --seed 1 --corrupt abc`.
public enum IOIGradingData {
    public static let n = 50, seed: UInt64 = 1
    public static let corruption = IOICorruption.abc
    public static var pairs: [IOIPair] { IOIData.pairs(n: n, seed: seed, corruption: corruption) }
    static let description = "the 50 prompt pairs of 'interp data ioi --n 50 --seed 1 --corrupt abc'"

    /// Answer and wrong ids of the pairs for `model`.
    static func ids(_ pairs: [IOIPair], model: HookedTransformer) throws -> (answers: [Int], wrong: [Int]) {
        var answers: [Int] = [], wrong: [Int] = []
        for pair in pairs {
            guard let a = model.tokenizer.id(of: pair.answer), let w = model.tokenizer.id(of: pair.wrong) else {
                throw GraderError("the names '\(pair.answer)'/'\(pair.wrong)' are not in the vocabulary of \(model.config.modelName)")
            }
            answers.append(a)
            wrong.append(w)
        }
        return (answers, wrong)
    }
}

/// The duplicate-token head: at S2, attends to S1 (the earlier copy of the same name).
public struct DuplicateTokenGrader: InvestigationGrader {
    public let id = "duplicate-token-head"
    public var format: Exercise.AnswerFormat { .heads }
    public let threshold: Float = 0.4
    public static let promptCount = 100, seed: UInt64 = 0
    public init() {}
    public var method: String {
        "mean attention from S2 to S1 over \(Self.promptCount) IOI prompts (IOIData.prompts, seed \(Self.seed)); heads above \(fmt(threshold))"
    }

    /// `[layer][head]` mean S2 → S1 attention.
    public func scores(model: HookedTransformer) throws -> [[Float]] {
        var rng = SeededRandom(seed: Self.seed)
        return try IOIAttention.mean(model: model, prompts: IOIData.prompts(n: Self.promptCount, rng: &rng), from: "S2", to: "S1")
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let table = try scores(model: model)
        let truth = heads(in: table) { $0 > threshold }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) attends S2 → S1 above \(fmt(threshold)); this exercise needs the trained model") }
        return HeadSetGrading(scoreName: "S2 → S1 attention", criterion: "> \(fmt(threshold))", truth: truth,
                              evidence: { "S2 → S1 attention \(fmt(table[$0.layer][$0.head]))" }).grade(given)
    }
}

/// Name movers: heads at END that attend to IO and write the IO name (large positive DLA on IO − S).
public struct NameMoverGrader: InvestigationGrader {
    public let id = "name-mover-heads"
    public var format: Exercise.AnswerFormat { .heads }
    public let attentionThreshold: Float = 0.3
    /// The least share of the model's logit difference a name mover's DLA must carry.
    public let dlaShare: Float = 0.1
    public init() {}
    public var method: String {
        "on \(IOIGradingData.description): mean END → IO attention above \(fmt(attentionThreshold)) and direct logit attribution to logit(IO) − logit(S) above \(Int(dlaShare * 100))% of the model's logit difference"
    }

    /// Per head: END → IO attention, DLA, and the model's mean logit difference.
    public func evidence(model: HookedTransformer) throws -> (attention: [[Float]], dla: [[Float]], logitDiff: Float) {
        let pairs = IOIGradingData.pairs
        let attention = try IOIAttention.mean(model: model, prompts: pairs.map(\.clean), from: "END", to: "IO")
        let (answers, wrong) = try IOIGradingData.ids(pairs, model: model)
        let result = try LogitAttribution.analyse(model: model, tokens: pairs.map(\.clean.tokens), answers: answers, wrong: wrong)
        let labels = result.labels("component")
        let c = model.config
        var dla = [[Float]](repeating: [Float](repeating: 0, count: c.nHeads), count: c.nLayers)
        for (i, label) in labels.enumerated() where i < result.values.count {
            for l in 0..<c.nLayers { for h in 0..<c.nHeads where label == "L\(l)H\(h)" { dla[l][h] = result.values.scalars[i] } }
        }
        let ld = Float(result.extra["logit_diff"]?.number ?? 0)
        return (attention, dla, ld)
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let (attention, dla, ld) = try evidence(model: model)
        guard ld > 0 else { throw GraderError("\(model.config.modelName) does not prefer IO over S (mean logit difference \(fmt(ld))); this exercise needs the trained model") }
        var truth = Set<HeadIndex>()
        for l in attention.indices { for h in attention[l].indices where attention[l][h] > attentionThreshold && dla[l][h] > dlaShare * ld { truth.insert(HeadIndex(l, h)) } }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) meets the name-mover criteria; this exercise needs the trained model") }
        return HeadSetGrading(scoreName: "END → IO attention and DLA", criterion: "attention > \(fmt(attentionThreshold)) and DLA > \(fmt(dlaShare * ld))",
                              truth: truth, evidence: { "END → IO attention \(fmt(attention[$0.layer][$0.head])), DLA \(fmt(dla[$0.layer][$0.head]))" }).grade(given)
    }
}

/// S-inhibition heads: heads at END that attend to S2 (moving "S is the repeated name" to END)
/// without writing a name themselves (their DLA stays below the name movers' bar).
public struct SInhibitionGrader: InvestigationGrader {
    public let id = "s-inhibition-heads"
    public var format: Exercise.AnswerFormat { .heads }
    public let attentionThreshold: Float = 0.3
    public init() {}
    public var method: String {
        "on \(IOIGradingData.description): mean END → S2 attention above \(fmt(attentionThreshold)), excluding the name movers (DLA above 10% of the logit difference)"
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let movers = NameMoverGrader()
        let (_, dla, ld) = try movers.evidence(model: model)
        let toS2 = try IOIAttention.mean(model: model, prompts: IOIGradingData.pairs.map(\.clean), from: "END", to: "S2")
        var truth = Set<HeadIndex>()
        for l in toS2.indices { for h in toS2[l].indices where toS2[l][h] > attentionThreshold && dla[l][h] <= movers.dlaShare * ld { truth.insert(HeadIndex(l, h)) } }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) attends END → S2 above \(fmt(attentionThreshold)); this exercise needs the trained model") }
        return HeadSetGrading(scoreName: "END → S2 attention", criterion: "attention > \(fmt(attentionThreshold)) (not a name mover)", truth: truth,
                              evidence: { "END → S2 attention \(fmt(toS2[$0.layer][$0.head])), DLA \(fmt(dla[$0.layer][$0.head]))" }).grade(given)
    }
}

/// Where the IO information lives: the deepest layer at which patching the clean resid_pre at one
/// position into the corrupted run recovers more than 80% of the logit difference, and that position.
public struct ResidPatchingGrader: InvestigationGrader {
    public let id = "io-information-moves"
    public var format: Exercise.AnswerFormat { .layerPosition }
    public let threshold: Float = 0.8
    public init() {}
    public var method: String {
        "resid_pre activation patching [layer, pos] on \(IOIGradingData.description), metric (LD_patched − LD_corrupt) / (LD_clean − LD_corrupt); the answer is the cell above \(fmt(threshold)) in the deepest layer that has one (the highest such cell if a layer has several)"
    }

    /// The patching result `[layer, pos]` the grader uses.
    public func sweep(model: HookedTransformer) throws -> Tensor {
        let pairs = IOIGradingData.pairs
        let (answers, wrong) = try IOIGradingData.ids(pairs, model: model)
        return try activationPatching(model: model, clean: pairs.map(\.clean.tokens), corrupted: pairs.map(\.corrupted.tokens),
                                      answers: answers, wrong: wrong, target: .residPre).values
    }

    /// The (layer, position) the exercise asks for.
    public func truth(_ values: Tensor) throws -> (layer: Int, position: Int) {
        let (layers, positions) = (values.shape[0], values.shape[1])
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let row = (0..<positions).map { values[l, $0] }
            if let best = row.indices.max(by: { row[$0] < row[$1] }), row[best] > threshold { return (l, best) }
        }
        throw GraderError("no single resid_pre position recovers more than \(Int(threshold * 100))%; this exercise needs the trained model")
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        guard case .layerPosition(let layer, let position) = answer else { throw GraderError("this exercise expects \(format.example)") }
        let values = try sweep(model: model)
        let positions = values.shape[1]
        guard position < positions else {
            throw AnswerFormatError("position \(position) is outside the prompts (positions 0…\(positions - 1))")
        }
        let truth = try self.truth(values)
        let tokens = model.tokenizer.decode(IOIGradingData.pairs[0].clean.tokens)
        let label = { (p: Int) in p < tokens.count ? "\(p) ('\(tokens[p])')" : "\(p)" }
        let got = values[layer, position]
        let pct = { (x: Float) in "\(Int((x * 100).rounded()))%" }
        if layer == truth.layer && position == truth.position {
            return InvestigationResult(passed: true, summary: "correct: layer \(layer), position \(label(position)) recovers \(pct(got))",
                               details: ["✓ no later layer has a single position above \(pct(threshold))"])
        }
        var details = ["patching resid_pre at layer \(layer), position \(label(position)) recovers \(pct(got))"]
        if got > threshold {
            details.append(layer < truth.layer ? "✗ true, but a deeper layer still holds the information at one position: follow it further"
                                               : "✗ another position of layer \(layer) recovers more")
        } else if layer == truth.layer {
            details.append("✗ right layer, but this position is below \(pct(threshold)): look along the row")
        } else {
            details.append("✗ that is not above \(pct(threshold))")
        }
        return InvestigationResult(passed: false, summary: "not yet: \(layer):\(position) is not the cell the exercise asks for", details: details)
    }
}
