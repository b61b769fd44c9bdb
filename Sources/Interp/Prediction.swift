// TransformerLens's `test_prompt`: the top next-token predictions of a prompt and the rank of an answer.
import Tensor
import Transformer

/// One candidate next token: its rank (0 = the most likely), logit and probability.
public struct TokenPrediction: Codable, Sendable, Equatable {
    /// How many tokens have a higher logit (0 for the top prediction).
    public var rank: Int
    public var token: String
    public var id: Int
    public var logit: Float
    public var probability: Float
}

/// The next-token distribution read from one row of logits `[d_vocab]`.
public struct NextTokenDistribution: Sendable {
    public let logits: [Float]
    /// The softmax of `logits`.
    public let probabilities: [Float]
    /// Token ids, most likely first (equal logits: the lower id first).
    public let order: [Int]

    public init(logits: [Float]) {
        self.logits = logits
        probabilities = Tensor(logits).softmax().scalars
        order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
    }

    /// How many tokens have a strictly higher logit than `id` (0 = a top prediction).
    public func rank(of id: Int) -> Int { logits.reduce(0) { $0 + ($1 > logits[id] ? 1 : 0) } }

    /// The prediction of token `id`, its string from `tokenizer`.
    public func prediction(_ id: Int, tokenizer: Tokenizer) -> TokenPrediction {
        TokenPrediction(rank: rank(of: id), token: tokenizer.decode([id])[0], id: id, logit: logits[id], probability: probabilities[id])
    }

    /// The `k` most likely tokens.
    public func top(_ k: Int, tokenizer: Tokenizer) -> [TokenPrediction] {
        order.prefix(k).map { prediction($0, tokenizer: tokenizer) }
    }
}

/// The model's prediction after a prompt (TL's `utils.test_prompt`): the prompt's tokens, the top
/// next tokens and, with an answer, where it ranks. JSON: `{model, tokens, top, answer}`.
public struct Prediction: Codable, Sendable, Equatable {
    public var model: String
    /// The prompt's tokens as the model sees them.
    public var tokens: [String]
    /// The most likely next tokens, best first.
    public var top: [TokenPrediction]
    /// The expected answer's prediction, when one was given.
    public var answer: TokenPrediction?

    /// The `top` most likely next tokens after `tokens` and the prediction of `answer`.
    /// - Throws: `AnalysisError` for an empty prompt, `top` < 1 or an answer outside the vocabulary;
    ///   `ModelError` for bad tokens.
    public static func make(model: HookedTransformer, tokens: [Int], top: Int = 10, answer: Int? = nil) throws -> Prediction {
        guard !tokens.isEmpty else { throw AnalysisError("the prompt is empty", argument: "tokens") }
        guard top >= 1 else { throw AnalysisError("the number of top predictions must be at least 1 (got \(top))", argument: "top") }
        let vocab = model.config.dVocabOut
        if let answer, answer < 0 || answer >= vocab {
            throw AnalysisError("answer id \(answer) is outside the vocabulary 0..<\(vocab)", argument: "answer")
        }
        let run = try model.run([tokens], options: ForwardOptions(logitPositions: .last))
        let last = try need(run.logits, "logits")                                   // [1, 1, vocab]
        let distribution = NextTokenDistribution(logits: last.scalars)
        return Prediction(model: model.config.modelName, tokens: model.tokenizer.decode(tokens),
                          top: distribution.top(top, tokenizer: model.tokenizer),
                          answer: answer.map { distribution.prediction($0, tokenizer: model.tokenizer) })
    }
}
