// JSONL files of IOI pairs: one {"clean", "corrupted", "answer", "wrong"} object per line.
import Foundation

/// Reads and writes IOI pair files (`interp data ioi --out F.jsonl`, `interp patch --pairs F.jsonl`).
///
/// Each line is a JSON object with the texts `clean` and `corrupted` and the words `answer` and
/// `wrong`; tokens, template and positions are re-derived from the texts on reading. Blank lines
/// are skipped.
public enum IOIPairsFile {
    struct Line: Codable {
        var clean: String
        var corrupted: String
        var answer: String
        var wrong: String
    }

    /// The pairs as JSONL text (one line per pair, keys sorted, ending with a newline).
    public static func encode(_ pairs: [IOIPair]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        for p in pairs {
            let line = Line(clean: p.clean.text, corrupted: p.corrupted.text, answer: p.answer, wrong: p.wrong)
            guard let data = try? encoder.encode(line) else { continue }
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }

    /// Pairs from JSONL text; `source` names the file in errors ("F.jsonl:3: …").
    /// - Throws: `ModelError` for a line that is not such an object, an unknown word, an answer or
    ///   wrong word outside the vocabulary, clean and corrupted prompts of different token lengths,
    ///   or a file without pairs.
    public static func decode(_ text: String, source: String) throws(ModelError) -> [IOIPair] {
        var pairs: [IOIPair] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineText = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if lineText.isEmpty { continue }
            let at = "\(source):\(i + 1)"
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(lineText.utf8)) else {
                throw ModelError("\(at): expected a JSON object with string fields clean, corrupted, answer, wrong")
            }
            let clean: IOIPrompt, corrupted: IOIPrompt
            do {
                clean = try IOIData.prompt(parsing: line.clean)
                corrupted = try IOIData.prompt(parsing: line.corrupted, orderHint: clean.order)
            } catch {
                throw ModelError("\(at): \(error.message)")
            }
            for (field, word) in [("answer", line.answer), ("wrong", line.wrong)] where Vocabulary.ids[word] == nil {
                throw ModelError("\(at): \(field) '\(word)' is not one word of the vocabulary")
            }
            guard clean.tokens.count == corrupted.tokens.count else {
                throw ModelError("\(at): clean prompt has \(clean.tokens.count) tokens, corrupted \(corrupted.tokens.count); they must be equal")
            }
            pairs.append(IOIPair(clean: clean, corrupted: corrupted, answer: line.answer, wrong: line.wrong))
        }
        guard !pairs.isEmpty else { throw ModelError("\(source): no pairs") }
        return pairs
    }

    /// Writes the pairs atomically (temporary file + rename).
    /// - Throws: `ModelError` naming the file when it cannot be written.
    public static func write(_ pairs: [IOIPair], to url: URL) throws(ModelError) {
        do {
            try Data(encode(pairs).utf8).write(to: url, options: .atomic)
        } catch {
            throw ModelError("\(url.path): cannot write (\(error.localizedDescription))")
        }
    }

    /// Reads a pair file.
    /// - Throws: `ModelError` naming the file (and line) when it cannot be read or parsed.
    public static func read(contentsOf url: URL) throws(ModelError) -> [IOIPair] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelError("\(url.path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ModelError("\(url.path): not UTF-8 text") }
        return try decode(text, source: url.path)
    }
}
