import Course
import Interp
import Tensor
import Transformer

/// The IOI data the IOI graders measure on: `interp data ioi --n 50 --seed 1 --corrupt abc|flip`
/// (the default pairs of `patch`, `path-patch` and `ablate --task ioi`).
public enum IOIGradingData {
    public static let n = 50, seed: UInt64 = 1
    public static func pairs(_ corruption: IOICorruption = .abc) -> [IOIPair] {
        IOIData.pairs(n: n, seed: seed, corruption: corruption)
    }
    static func description(_ corruption: IOICorruption = .abc) -> String {
        "the \(n) prompt pairs of 'data ioi --n \(n) --seed \(seed) --corrupt \(corruption.rawValue)'"
    }

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

/// Name movers: heads at END that attend to IO and write the IO name (large positive DLA on IO − S).
/// On ioi-3l (seed-1 weights): 2.3 has END → IO 0.90 and DLA 7.49 of the logit difference 10.04
/// (75%); the other heads attending to IO (1.0 at 0.58, 2.2 at 0.44) write at most 8%.
public struct NameMoverGrader: InvestigationGrader {
    public let id = "name-mover-heads"
    public var format: Exercise.AnswerFormat { .heads }
    public let attentionThreshold: Float = 0.3
    /// The least share of the model's logit difference a name mover's DLA must carry.
    public let dlaShare: Float = 0.3
    public init() {}
    public var method: String {
        "on the clean prompts of \(IOIGradingData.description()): mean END → IO attention above \(fmt(attentionThreshold)) and direct logit attribution to logit(IO) − logit(S) above \(Int(dlaShare * 100))% of the model's mean logit difference"
    }

    /// Per head: END → IO attention, DLA, and the model's mean logit difference.
    public func evidence(model: HookedTransformer) throws -> (attention: [[Float]], dla: [[Float]], logitDiff: Float) {
        let pairs = IOIGradingData.pairs()
        let attention = try IOIAttention.mean(model: model, prompts: pairs.map(\.clean), from: "END", to: "IO")
        let (answers, wrong) = try IOIGradingData.ids(pairs, model: model)
        let result = try LogitAttribution.analyse(model: model, tokens: pairs.map(\.clean.tokens), answers: answers, wrong: wrong)
        let (dla, ld) = (LabelledMatrix.heads(result.heads).rows, result.logitDiff)
        return (LabelledMatrix.heads(attention).rows, dla, ld)
    }

    /// The name movers of `model`.
    /// - Throws: `GraderError` when the model does not solve IOI or has no head meeting both criteria.
    public func truth(model: HookedTransformer) throws -> Set<HeadIndex> {
        try truth(try evidence(model: model), model: model)
    }

    func truth(_ e: (attention: [[Float]], dla: [[Float]], logitDiff: Float), model: HookedTransformer) throws -> Set<HeadIndex> {
        guard e.logitDiff > 0 else { throw GraderError("\(model.config.modelName) does not prefer IO over S (mean logit difference \(fmt(e.logitDiff))); this exercise needs the trained model") }
        var truth = Set<HeadIndex>()
        for l in e.attention.indices {
            for h in e.attention[l].indices where e.attention[l][h] > attentionThreshold && e.dla[l][h] > dlaShare * e.logitDiff { truth.insert(HeadIndex(l, h)) }
        }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) meets the name-mover criteria; this exercise needs the trained model") }
        return truth
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let e = try evidence(model: model)
        let truth = try self.truth(e, model: model)
        let (attention, dla, ld) = e
        let share = { (x: Float) in ld == 0 ? "" : " (\(Int((x / ld * 100).rounded()))% of the logit difference)" }
        return try HeadSetGrading(scoreName: "END → IO attention and DLA", criterion: "attention > \(fmt(attentionThreshold)) and DLA > \(fmt(dlaShare * ld))",
                                  truth: truth, evidence: { "END → IO attention \(fmt(attention[$0.layer][$0.head])), DLA \(fmt(dla[$0.layer][$0.head]))\(share(dla[$0.layer][$0.head]))" },
                                  headCount: model.config.headCount).grade(given)
    }
}

/// S-inhibition heads: heads at END that attend to S2 (moving "S is the repeated name" to END)
/// without writing a name themselves (not name movers). On ioi-3l: 0.2 (0.99), 1.1 (0.98) and 0.3
/// (0.87); the next head, 1.3, attends 0.34.
public struct SInhibitionGrader: InvestigationGrader {
    public let id = "s-inhibition-heads"
    public var format: Exercise.AnswerFormat { .heads }
    public let attentionThreshold: Float = 0.6
    public init() {}
    public var method: String {
        "on the clean prompts of \(IOIGradingData.description()): mean END → S2 attention above \(fmt(attentionThreshold)), excluding the name movers (the heads of 'name-mover-heads')"
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let movers = NameMoverGrader()
        let evidence = try movers.evidence(model: model)
        let nameMovers = try movers.truth(evidence, model: model)
        let toS2 = LabelledMatrix.heads(try IOIAttention.mean(model: model, prompts: IOIGradingData.pairs().map(\.clean),
                                                              from: "END", to: "S2")).rows
        var truth = Set<HeadIndex>()
        for l in toS2.indices { for h in toS2[l].indices where toS2[l][h] > attentionThreshold && !nameMovers.contains(HeadIndex(l, h)) { truth.insert(HeadIndex(l, h)) } }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) attends END → S2 above \(fmt(attentionThreshold)); this exercise needs the trained model") }
        let dla = evidence.dla
        return try HeadSetGrading(scoreName: "END → S2 attention", criterion: "attention > \(fmt(attentionThreshold)) (not a name mover)", truth: truth,
                                  evidence: { h in "END → S2 attention \(fmt(toS2[h.layer][h.head])), DLA \(fmt(dla[h.layer][h.head]))" },
                                  headCount: model.config.headCount).grade(given)
    }
}

/// The heads that steer the name movers' queries: path patching from every sender head into the
/// name movers' `q` (abc pairs), keeping the heads whose effect is at least half the strongest.
/// On ioi-3l: 1.1 (−0.26) and 0.2 (−0.19); the next, 0.3, reaches only −0.06.
public struct QueryPathGrader: InvestigationGrader {
    public let id = "name-mover-queries"
    public var format: Exercise.AnswerFormat { .heads }
    /// A head counts when its path effect is at least this share of the strongest (most negative) one.
    public let shareOfStrongest: Float = 0.5
    /// Effects weaker than this are noise, whatever the strongest is.
    public let floor: Float = 0.05
    public init() {}
    public var method: String {
        "path patching (sender → the queries of the name movers) on \(IOIGradingData.description()); every head whose effect is at least \(Int(shareOfStrongest * 100))% of the strongest one (and below −\(fmt(floor)))"
    }

    /// The name movers and the `[layer][head]` path-patching effects into their queries.
    public func sweep(model: HookedTransformer) throws -> (receivers: [HeadIndex], effects: [[Float]]) {
        let receivers = try NameMoverGrader().truth(model: model).sorted()
        let pairs = IOIGradingData.pairs()
        let (answers, wrong) = try IOIGradingData.ids(pairs, model: model)
        let result = try PathPatching.sweep(model: model, clean: pairs.map(\.clean.tokens), corrupted: pairs.map(\.corrupted.tokens),
                                            answers: answers, wrong: wrong, receiver: .heads(receivers, input: .q))
        let c = model.config
        let effects = (0..<c.nLayers).map { l in (0..<c.nHeads).map { h in result.values[l, h] } }
        return (receivers, effects)
    }

    public func grade(_ answer: ExerciseAnswer, model: HookedTransformer) throws -> InvestigationResult {
        let given = try expectHeads(answer)
        let (receivers, effects) = try sweep(model: model)
        let strongest = effects.joined().min() ?? 0
        let bar = min(-floor, shareOfStrongest * strongest)
        let truth = heads(in: effects) { $0 <= bar }
        guard !truth.isEmpty else { throw GraderError("no head of \(model.config.modelName) changes the name movers' queries by more than \(fmt(floor)); this exercise needs the trained model") }
        let names = receivers.map(\.description).joined(separator: ",")
        return try HeadSetGrading(scoreName: "a path effect into the query of \(names)", criterion: "≤ \(fmt(bar))", truth: truth,
                                  evidence: { "path effect into the query of \(names) \(fmt(effects[$0.layer][$0.head]))" },
                                  headCount: model.config.headCount).grade(given)
    }
}

/// Where the information that decides the answer lives: the deepest layer at which patching the
/// clean resid_pre at one position into the corrupted run recovers more than 80% of the logit
/// difference, and the position of that layer that recovers the most. Measured on flip pairs (IO and
/// S swapped): with abc pairs no single position of ioi-3l recovers 80% (the answer needs both
/// names). On ioi-3l: layer 2, END (0.95); the name IO in that layer recovers 0.78; END in layer 1 0.62.
public struct ResidPatchingGrader: InvestigationGrader {
    public let id = "io-information-moves"
    public var format: Exercise.AnswerFormat { .layerPosition }
    public let threshold: Float = 0.8
    public init() {}
    public var method: String {
        "resid_pre activation patching [layer, pos] on \(IOIGradingData.description(.flip)), metric (LD_patched − LD_corrupt) / (LD_clean − LD_corrupt); the answer is the cell above \(fmt(threshold)) in the deepest layer that has one (the highest such cell if a layer has several)"
    }

    /// The patching result `[layer, pos]` the grader uses.
    public func sweep(model: HookedTransformer) throws -> Tensor {
        let pairs = IOIGradingData.pairs(.flip)
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
        let tokens = model.tokenizer.decode(IOIGradingData.pairs(.flip)[0].clean.tokens)
        let label = { (p: Int) in p < tokens.count ? "\(p) ('\(tokens[p])')" : "\(p)" }
        let got = values[layer, position]
        let pct = { (x: Float) in "\(Int((x * 100).rounded()))%" }
        if layer == truth.layer && position == truth.position {
            return InvestigationResult(passed: true, summary: "correct: layer \(layer), position \(label(position)) recovers \(pct(got))",
                               details: ["✓ no later layer has a single position above \(pct(threshold))"])
        }
        // One verdict: what patching that cell does (as 'patch' shows it), not which half is right.
        let details = ["patching resid_pre at layer \(layer), position \(label(position)) recovers \(pct(got))",
                       "each wrong answer costs \(Int(ExerciseScoring.wrongAnswerCost * 100))% of the points"]
        return InvestigationResult(passed: false, summary: "not yet: \(layer):\(position) is not the cell the exercise asks for", details: details)
    }
}
