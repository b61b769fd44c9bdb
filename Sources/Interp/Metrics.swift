// Metrics of a forward pass's logits: TL's next-token loss, logit difference, answer probability
// and log-probability. One implementation each, on differentiable values: the same code gives the
// value of a plain forward and the seed of every gradient (`runWithGradients`, attribution).
import Tensor
import Transformer

/// A scalar function of the logits `[batch, pos, d_vocab]` of one forward pass.
public protocol LogitMetric: Sendable {
    /// The metric's short name, as the CLI and JSON show it (`loss`, `logit-diff`, …).
    var name: String { get }
    /// The metric as a differentiable scalar of the logits (a constant when the logits are).
    /// - Throws: `AnalysisError` when the logits do not fit the metric (batch size, ids, positions).
    func callAsFunction(_ logits: Variable) throws(AnalysisError) -> Variable
}

extension LogitMetric {
    /// The value of the metric on `logits`.
    /// - Throws: `AnalysisError` when the logits do not fit the metric (batch size, ids, positions).
    public func value(_ logits: Tensor) throws(AnalysisError) -> Float {
        try self(Variable(logits)).value.item
    }
}

/// Which position of each sequence a per-sequence metric reads.
public enum MetricPosition: Sendable, Equatable {
    /// The last position of every sequence (a last-token readout).
    case last
    /// One position per sequence (e.g. END of right-padded IOI prompts).
    case each([Int])

    /// The position read in sequence `b` of a batch with `pos` positions.
    func index(_ b: Int, pos: Int) -> Int {
        switch self {
        case .last: return pos - 1
        case .each(let positions): return positions[b]
        }
    }

    /// The flat row (`b · pos + position`) of each sequence's logits.
    func rows(batch: Int, pos: Int) -> [Int] { (0..<batch).map { $0 * pos + index($0, pos: pos) } }

    func validate(batch: Int, pos: Int) throws(AnalysisError) {
        guard pos > 0 else { throw AnalysisError("logits have no positions") }
        if case .each(let positions) = self {
            guard positions.count == batch else {
                throw AnalysisError("\(positions.count) metric positions for a batch of \(batch); need one each")
            }
            for p in positions where p < 0 || p >= pos {
                throw AnalysisError("metric position \(p) is outside 0..<\(pos)")
            }
        }
    }
}

/// Checks that `logits` is `[batch, pos, vocab]` and returns the three sizes.
func logitShape(_ logits: Tensor) throws(AnalysisError) -> (batch: Int, pos: Int, vocab: Int) {
    guard logits.rank == 3 else { throw AnalysisError("logits must be [batch, pos, vocab], got \(logits.shape)") }
    return (logits.shape[0], logits.shape[1], logits.shape[2])
}

/// Checks one id per sequence, each inside the vocabulary (`allowNone`: -1 means "no token").
func checkIDs(_ ids: [Int], _ what: String, batch: Int, vocab: Int, allowNone: Bool = false) throws(AnalysisError) {
    guard ids.count == batch else {
        throw AnalysisError("\(ids.count) \(what) ids for a batch of \(batch); need one each")
    }
    for id in ids where !(allowNone && id == -1) && (id < 0 || id >= vocab) {
        throw AnalysisError("\(what) id \(id) is outside the vocabulary 0..<\(vocab)")
    }
}

// MARK: - Logit difference

/// Mean over the batch of `logit[answer] − logit[wrong]` at one position per sequence (the last by
/// default): the metric of IOI and of activation patching. A wrong id of -1 reads as 0 (the answer's
/// logit alone, for direct logit attribution to a single token).
public struct LogitDifference: LogitMetric {
    public var answers: [Int]
    public var wrong: [Int]
    public var position: MetricPosition

    public init(answers: [Int], wrong: [Int], position: MetricPosition = .last) {
        self.answers = answers
        self.wrong = wrong
        self.position = position
    }

    public var name: String { "logit-diff" }

    /// The per-sequence differences `[batch]` as a differentiable value.
    public func perSequence(_ logits: Variable) throws(AnalysisError) -> Variable {
        let (batch, pos, vocab) = try logitShape(logits.value)
        try checkIDs(answers, "answer", batch: batch, vocab: vocab)
        try checkIDs(wrong, "wrong", batch: batch, vocab: vocab, allowNone: true)
        try position.validate(batch: batch, pos: pos)
        let read = logits.reshaped([batch * pos, vocab]).gatherRows(position.rows(batch: batch, pos: pos))  // [b, vocab]
        let answer = read.gatherLast(answers)                                                               // [b]
        guard wrong.contains(where: { $0 >= 0 }) else { return answer }
        // A wrong id of -1 reads the answer column times zero: the difference is the answer's logit.
        let other = read.gatherLast(wrong.map { Swift.max($0, 0) }) * Variable(Tensor(wrong.map { $0 >= 0 ? 1 : 0 }))
        return answer - other
    }

    /// The per-sequence differences `[batch]`.
    public func perSequence(_ logits: Tensor) throws(AnalysisError) -> [Float] {
        try perSequence(Variable(logits)).value.scalars
    }

    public func callAsFunction(_ logits: Variable) throws(AnalysisError) -> Variable {
        try perSequence(logits).mean()
    }
}

// MARK: - Next-token loss

/// TransformerLens's `return_type="loss"`: mean cross-entropy of predicting token `i + 1` from
/// position `i`, over every position that has a next token and every sequence. `mask` (same shape as
/// the tokens) keeps only the targets where it is true.
public struct NextTokenLoss: LogitMetric {
    public var tokens: [[Int]]
    public var mask: [[Bool]]?

    public init(tokens: [[Int]], mask: [[Bool]]? = nil) {
        self.tokens = tokens
        self.mask = mask
    }

    public var name: String { "loss" }

    /// One target per logit row: the next token, or -1 where no loss is taken.
    public var targets: [Int] { HookedTransformer.nextTokenTargets(tokens, mask: mask) }

    public func callAsFunction(_ logits: Variable) throws(AnalysisError) -> Variable {
        let (batch, pos, vocab) = try logitShape(logits.value)
        guard batch == tokens.count, tokens.allSatisfy({ $0.count == pos }) else {
            throw AnalysisError("logits \(logits.shape) do not match \(tokens.count) sequences of \(tokens.first?.count ?? 0) tokens")
        }
        let targets = self.targets
        if let bad = targets.first(where: { $0 >= vocab }) {
            throw AnalysisError("token id \(bad) is outside the output vocabulary 0..<\(vocab)")
        }
        return logits.crossEntropy(targets: targets)
    }
}

// MARK: - Answer probability and log-probability

/// Mean over the batch of the answer's log-probability (or probability) at one position per sequence.
public struct AnswerProbability: LogitMetric {
    public var answers: [Int]
    public var position: MetricPosition
    /// True: log-probability; false: probability.
    public var logarithm: Bool

    public init(answers: [Int], position: MetricPosition = .last, logarithm: Bool = true) {
        self.answers = answers
        self.position = position
        self.logarithm = logarithm
    }

    public var name: String { logarithm ? "log-prob" : "prob" }

    public func callAsFunction(_ logits: Variable) throws(AnalysisError) -> Variable {
        let (batch, pos, vocab) = try logitShape(logits.value)
        try checkIDs(answers, "answer", batch: batch, vocab: vocab)
        try position.validate(batch: batch, pos: pos)
        let read = logits.reshaped([batch * pos, vocab]).gatherRows(position.rows(batch: batch, pos: pos))  // [b, vocab]
        let logProbs = read.logSoftmax().gatherLast(answers)                                                // [b]
        return (logarithm ? logProbs : logProbs.exp()).mean()
    }
}

// MARK: - Choosing a metric by name

/// The metrics a command can be asked for by name.
public enum MetricKind: String, Sendable, CaseIterable {
    /// TL's next-token loss.
    case loss
    /// logit[answer] − logit[wrong] at the last position.
    case logitDiff = "logit-diff"
    /// log p(answer) at the last position.
    case logProb = "log-prob"
    /// p(answer) at the last position.
    case prob

    /// True when the metric reads an answer token (and, for `logitDiff`, a wrong one).
    public var needsAnswer: Bool { self != .loss }

    /// The metric over a batch: `answers` / `wrong` hold one id per sequence (or one id for all).
    /// - Throws: `AnalysisError` when an answer the metric needs is missing or the counts do not fit.
    public func metric(tokens: [[Int]], answers: [Int] = [], wrong: [Int] = []) throws(AnalysisError) -> any LogitMetric {
        func perSequence(_ ids: [Int], _ what: String) throws(AnalysisError) -> [Int] {
            if ids.count == 1 { return [Int](repeating: ids[0], count: tokens.count) }
            guard ids.count == tokens.count else {
                throw AnalysisError("\(ids.count) \(what) tokens for \(tokens.count) sequences: give one, or one per sequence")
            }
            return ids
        }
        switch self {
        case .loss: return NextTokenLoss(tokens: tokens)
        case .logitDiff:
            guard !answers.isEmpty, !wrong.isEmpty else { throw AnalysisError("the logit-diff metric needs an answer and a wrong token") }
            return LogitDifference(answers: try perSequence(answers, "answer"), wrong: try perSequence(wrong, "wrong"))
        case .logProb, .prob:
            guard !answers.isEmpty else { throw AnalysisError("the \(rawValue) metric needs an answer token") }
            return AnswerProbability(answers: try perSequence(answers, "answer"), logarithm: self == .logProb)
        }
    }
}
