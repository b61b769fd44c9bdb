import ArgumentParser
import Course
import Foundation
import Transformer

/// The ways a command takes its input tokens: text, a list of ids, or a JSON file of ids.
struct TokenInput: ParsableArguments {
    @Option(help: "Input text (words of the model's vocabulary; <bos> is prepended).") var text: String?
    @Option(help: "Token ids, comma-separated (e.g. 0,4,9); used as given.") var tokens: String?
    @Option(name: .customLong("tokens-file"), help: "JSON file: an array of ids, or an array of equal-length arrays (a batch).")
    var tokensFile: String?
    @Flag(name: .customLong("no-bos"), help: "Do not prepend <bos> to --text.") var noBOS = false

    /// The batch of token sequences, validated against the model (vocabulary and context length).
    func batch(for model: HookedTransformer, in session: Session) throws -> [[Int]] {
        let given = [text != nil, tokens != nil, tokensFile != nil].filter { $0 }.count
        if given > 1 { throw CLIError.usage("give only one of --text, --tokens, --tokens-file") }
        var batch: [[Int]]
        if let list = tokens {
            let parts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var ids: [Int] = []
            for p in parts {
                guard let n = Int(p) else { throw CLIError.usage("--tokens: '\(p)' is not a token id") }
                ids.append(n)
            }
            batch = [ids]
        } else if let file = tokensFile {
            let data = try Self.read(file)
            if let line = InputLimits.jsonExcess(data) { throw CLIError.data("\(file):\(line): \(InputLimits.depthMessage)") }
            let json = try? JSONSerialization.jsonObject(with: data)
            if let ids = json as? [Int] { batch = [ids] }
            else if let rows = json as? [[Int]] { batch = rows }
            else { throw CLIError.data("\(file): expected a JSON array of token ids or an array of arrays") }
        } else {
            let t = try session.text(text)
            do { batch = [try model.tokenizer.encode(t, prependBOS: !noBOS)] } catch {
                throw CLIError.usage("--text: \(error.message)")
            }
        }
        guard let first = batch.first, !first.isEmpty else { throw CLIError.usage("no tokens to run") }
        if batch.contains(where: { $0.count != first.count }) {
            throw CLIError.data("the sequences of a batch must have equal lengths (got \(Set(batch.map(\.count)).sorted()))")
        }
        if first.count > model.config.nCtx {
            throw CLIError.usage("\(first.count) tokens is longer than the model's context of \(model.config.nCtx)")
        }
        let vocab = model.config.dVocab
        if let bad = batch.joined().first(where: { $0 < 0 || $0 >= vocab }) {
            throw CLIError.usage("token id \(bad) is outside the vocabulary (0–\(vocab - 1))")
        }
        return batch
    }

    /// The bytes of a token file (see `InputFile`).
    private static func read(_ file: String) throws -> Data {
        do { return try InputFile.read(file) } catch {
            if error == .tooLarge { throw CLIError.data("\(file):1: \(error)") }
            throw CLIError.noInput("--tokens-file \(file): \(error)")
        }
    }
}

extension HookedTransformer {
    /// The ids of a prompt given with `--text`, checked: not empty, and leaving `room` positions
    /// free in the context (generation needs one for each new token).
    func promptIDs(_ text: String, prependBOS: Bool, room: Int = 0) throws -> [Int] {
        let ids: [Int]
        do { ids = try tokenizer.encode(text, prependBOS: prependBOS) } catch { throw CLIError.usage("--text: \(error.message)") }
        guard !ids.isEmpty else { throw CLIError.usage("--text: the prompt is empty") }
        guard ids.count + room <= config.nCtx else {
            throw CLIError.usage("--text: \(ids.count) tokens " + (room > 0 ? "leave no room in" : "is longer than") + " the model's context of \(config.nCtx)")
        }
        return ids
    }
}
