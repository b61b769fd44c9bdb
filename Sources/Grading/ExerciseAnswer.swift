import Course
import Foundation
import Interp
import Transformer

/// A parsed investigation answer.
public enum ExerciseAnswer: Sendable, Equatable, CustomStringConvertible {
    /// A set of heads (order-free, duplicates merged), sorted.
    case heads([HeadIndex])
    /// A layer and a position.
    case layerPosition(layer: Int, position: Int)
    case number(Double)
    case token(String)

    public var description: String {
        switch self {
        case .heads(let heads): return heads.map(\.description).joined(separator: ",")
        case .layerPosition(let l, let p): return "\(l):\(p)"
        case .number(let x): return "\(x)"
        case .token(let t): return t
        }
    }
}

/// An answer that does not follow the expected format: a usage error, not a wrong answer.
public struct AnswerFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Exercise.AnswerFormat {
    /// How to write an answer of this format, for usage messages and prompts.
    public var example: String {
        switch self {
        case .heads: return "heads as LAYER.HEAD, comma-separated, any order (e.g. 0.1,1.2)"
        case .layerPosition: return "a layer and a position as L:P (e.g. 1:7) or 'layer 1 pos 7'"
        case .number: return "a number (e.g. 0.85)"
        case .token: return "one vocabulary token (e.g. Mary)"
        }
    }

    /// Parses `text` in this format. `config` bounds heads and layers; `vocabulary` checks tokens.
    /// - Throws: `AnswerFormatError` naming the expected format or the valid range.
    public func parse(_ text: String, config: ModelConfig? = nil, vocabulary: [String]? = nil) throws(AnswerFormatError) -> ExerciseAnswer {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AnswerFormatError("empty answer: expected \(example)") }
        switch self {
        case .heads: return .heads(try Self.heads(trimmed, config: config))
        case .layerPosition: return try Self.layerPosition(trimmed, config: config)
        case .number:
            guard let value = Double(trimmed.replacingOccurrences(of: "%", with: "")), value.isFinite else {
                throw AnswerFormatError("'\(trimmed)' is not a number: expected \(example)")
            }
            return .number(trimmed.hasSuffix("%") ? value / 100 : value)
        case .token:
            guard !trimmed.contains(where: \.isWhitespace) else {
                throw AnswerFormatError("'\(trimmed)' is more than one token: expected \(example)")
            }
            if let vocabulary, !vocabulary.contains(trimmed) {
                let close = Tokenizer.closest(to: trimmed, in: vocabulary, limit: 3)
                throw AnswerFormatError("'\(trimmed)' is not in the model's vocabulary" + (close.isEmpty ? "" : " (closest: \(close.joined(separator: ", ")))"))
            }
            return .token(trimmed)
        }
    }

    private static func heads(_ text: String, config: ModelConfig?) throws(AnswerFormatError) -> [HeadIndex] {
        let range = config.map { " (layers 0…\($0.nLayers - 1), heads 0…\($0.nHeads - 1))" } ?? ""
        var heads = Set<HeadIndex>()
        let items = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
        for item in items {
            guard let head = HeadIndex(item) else {
                throw AnswerFormatError("'\(item)' is not a head: expected \(Exercise.AnswerFormat.heads.example)")
            }
            if let c = config, head.layer >= c.nLayers || head.head >= c.nHeads {
                throw AnswerFormatError("head \(head) is not in the model\(range)")
            }
            heads.insert(head)
        }
        guard !heads.isEmpty else { throw AnswerFormatError("no heads given: expected \(Exercise.AnswerFormat.heads.example)") }
        return heads.sorted()
    }

    private static func layerPosition(_ text: String, config: ModelConfig?) throws(AnswerFormatError) -> ExerciseAnswer {
        let lower = text.lowercased()
        var numbers: [Int]?
        let colon = lower.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if colon.count == 2, let l = Int(colon[0]), let p = Int(colon[1]) {
            numbers = [l, p]
        } else {
            let words = lower.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
            if words.count == 4, ["layer", "l"].contains(words[0]), ["pos", "position", "p"].contains(words[2]),
               let l = Int(words[1]), let p = Int(words[3]) {
                numbers = [l, p]
            }
        }
        guard let numbers, numbers[0] >= 0, numbers[1] >= 0 else {
            throw AnswerFormatError("'\(text)' is not a layer and position: expected \(Exercise.AnswerFormat.layerPosition.example)")
        }
        if let c = config, numbers[0] >= c.nLayers {
            throw AnswerFormatError("layer \(numbers[0]) is not in the model (layers 0…\(c.nLayers - 1))")
        }
        return .layerPosition(layer: numbers[0], position: numbers[1])
    }
}
