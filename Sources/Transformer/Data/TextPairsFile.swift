// Prompt pairs as plain text (`--pairs F.jsonl` for any tokenizer, GPT-2's included).
import Foundation

/// One clean/corrupted pair as text: the model's own tokenizer turns it into tokens.
public struct TextPromptPair: Codable, Sendable, Equatable {
    /// The clean prompt.
    public var clean: String
    /// The corrupted prompt (patching needs it to have the clean prompt's token length).
    public var corrupted: String
    /// The token the clean prompt should predict (GPT-2: with its leading space, " Mary").
    public var answer: String
    /// The competing token.
    public var wrong: String

    public init(clean: String, corrupted: String, answer: String, wrong: String) {
        self.clean = clean
        self.corrupted = corrupted
        self.answer = answer
        self.wrong = wrong
    }
}

/// JSONL files of text pairs: one `{"clean", "corrupted", "answer", "wrong"}` object a line (other
/// fields, such as a template, are ignored; blank lines are skipped). The same files
/// `interp data ioi --out` writes, read without the bundled vocabulary.
public enum TextPairsFile {
    /// Pairs from JSONL text; `source` names the file in errors ("F.jsonl:3: …").
    /// - Throws: `ModelError` for a line that is not such an object, or a file without pairs.
    public static func decode(_ text: String, source: String) throws(ModelError) -> [TextPromptPair] {
        var pairs: [TextPromptPair] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let pair = try? JSONDecoder().decode(TextPromptPair.self, from: Data(line.utf8)) else {
                throw ModelError("\(source):\(i + 1): expected a JSON object with string fields clean, corrupted, answer, wrong")
            }
            pairs.append(pair)
        }
        guard !pairs.isEmpty else { throw ModelError("\(source): no pairs") }
        return pairs
    }

    /// Reads a pair file.
    /// - Throws: `ModelError` naming the file (and line) when it cannot be read or parsed.
    public static func read(contentsOf url: URL) throws(ModelError) -> [TextPromptPair] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelError.missing("\(url.path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ModelError("\(url.path): not UTF-8 text") }
        return try decode(text, source: url.path)
    }
}

extension ModelRegistry {
    /// A data file shipped beside the bundled models (`NAME.jsonl`, such as `ioi-wang2022`), or nil.
    public func dataset(_ name: String) -> URL? {
        for dir in directories {
            let url = dir.appendingPathComponent(name + ".jsonl")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }
}
