// Inputs shared by the analyses: their errors, layer/head checks, and clean/corrupted prompt pairs.
import Foundation
import Transformer

/// An analysis input error: a bad layer, head, token or option. One line naming what is wrong.
/// `argument` names the analysis's parameter at fault (`"mode"`, `"position"`, …), so that a caller
/// can say which of its own inputs (a CLI flag, a form field) to change.
public struct AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    /// The parameter of the analysis the error is about, when it is about one.
    public let argument: String?
    /// An error with a one-line message.
    public init(_ message: String, argument: String? = nil) {
        self.message = message
        self.argument = argument
    }
    public var description: String { message }
}

/// A patching failure: inputs that do not fit together, or a metric that is undefined. One line.
public struct PatchingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    /// An error with a one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks `layer` against the model. - Throws: `AnalysisError` naming the valid range.
func checkLayer(_ layer: Int, _ config: ModelConfig) throws(AnalysisError) {
    guard layer >= 0 && layer < config.nLayers else {
        throw AnalysisError("layer \(layer) is outside 0...\(config.nLayers - 1)", argument: "layer")
    }
}

/// Checks `head` against the model. - Throws: `AnalysisError` naming the valid range.
func checkHead(_ head: Int, _ config: ModelConfig) throws(AnalysisError) {
    guard head >= 0 && head < config.nHeads else {
        throw AnalysisError("head \(head) is outside 0...\(config.nHeads - 1)", argument: "head")
    }
}

/// Unwraps an activation or parameter that a run or the model should hold.
func need<T>(_ value: T?, _ what: String) throws(AnalysisError) -> T {
    guard let value else { throw AnalysisError("internal: \(what) is missing") }
    return value
}

/// Clean and corrupted prompts with one answer and one wrong token per pair, checked to fit together:
/// the input of activation and path patching (and of IOI ablation, through `logitDifference`).
public struct PromptPairs: Sendable, Equatable {
    /// Token ids of the clean prompts `[pair][pos]`, all of one length.
    public let clean: [[Int]]
    /// Token ids of the corrupted prompts, each as long as its clean prompt.
    public let corrupted: [[Int]]
    /// The token each clean prompt should predict, and the competing one.
    public let answers: [Int]
    public let wrong: [Int]

    /// Pairs checked against each other and against a vocabulary of `vocabulary` tokens.
    /// - Throws: `PatchingError` for no pairs, batches of different sizes, prompts of different token
    ///   lengths, or answer lists without one id per pair inside the vocabulary.
    public init(clean: [[Int]], corrupted: [[Int]], answers: [Int], wrong: [Int], vocabulary: Int) throws(PatchingError) {
        guard let length = clean.first?.count else { throw PatchingError("no prompt pairs: the clean batch is empty") }
        guard clean.count == corrupted.count else {
            throw PatchingError("\(clean.count) clean prompts and \(corrupted.count) corrupted ones; they must pair up")
        }
        for (i, (c, k)) in zip(clean, corrupted).enumerated() {
            guard c.count == k.count else {
                throw PatchingError("pair \(i + 1): the clean prompt has \(c.count) tokens, the corrupted one \(k.count); patching needs prompts of the same token length")
            }
            guard c.count == length else {
                throw PatchingError("pair \(i + 1) has \(c.count) tokens, pair 1 has \(length); every pair needs the same token length")
            }
        }
        guard answers.count == clean.count, wrong.count == clean.count else {
            throw PatchingError("\(answers.count) answers and \(wrong.count) wrong ids for \(clean.count) pairs; need one each")
        }
        for id in answers + wrong where id < 0 || id >= vocabulary {
            throw PatchingError("answer id \(id) is outside the vocabulary 0..<\(vocabulary)")
        }
        self.clean = clean
        self.corrupted = corrupted
        self.answers = answers
        self.wrong = wrong
    }

    /// The number of pairs.
    public var count: Int { clean.count }

    /// The metric of patching: mean `logit[answer] − logit[wrong]` at the last position.
    public var logitDifference: LogitDifference { LogitDifference(answers: answers, wrong: wrong) }
}
