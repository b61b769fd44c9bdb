// Tokenizer: the one tokenizer type every command uses — word-level for the bundled models, GPT-2's
// byte-level BPE for Hugging Face GPT-2 checkpoints.
import Foundation

/// Text ↔ token ids for a model: a word-level vocabulary (the bundled models) or GPT-2's byte-level
/// BPE. Which one a model file uses is stored in its metadata (`tokenizer`; absent means word-level).
public struct Tokenizer: Sendable, Equatable {
    /// The two kinds of tokenizer.
    public enum Kind: Sendable, Equatable {
        /// Whitespace-separated words, each a vocabulary token.
        case wordLevel(WordLevelTokenizer)
        /// GPT-2's byte-level BPE.
        case bytePair(BytePairTokenizer)
    }

    /// Which tokenizer this is.
    public let kind: Kind

    /// The word-level beginning-of-sequence token, prepended by default.
    public static let bos = WordLevelTokenizer.bos

    /// A word-level tokenizer over `vocab` (ids are positions in the array).
    /// - Throws: `ModelError` when a token is empty, contains whitespace, or appears twice.
    public init(vocab: [String]) throws(ModelError) {
        kind = .wordLevel(try WordLevelTokenizer(vocab: vocab))
    }

    /// A byte-level BPE tokenizer.
    public init(_ bytePair: BytePairTokenizer) {
        kind = .bytePair(bytePair)
    }

    /// The tokenizer a model file describes: its `vocab` plus, for BPE, its `tokenizer` metadata.
    /// - Throws: `ModelError` for unreadable or inconsistent tokenizer metadata.
    public init(vocab: [String], metadata: [String: String]) throws(ModelError) {
        guard let json = metadata[Tokenizer.metadataKey] else {
            try self.init(vocab: vocab)
            return
        }
        let stored: StoredBytePair
        do {
            stored = try JSONDecoder().decode(StoredBytePair.self, from: Data(json.utf8))
        } catch {
            throw ModelError("metadata 'tokenizer' is not a tokenizer description (\(Tokenizer.storedType) with merges)")
        }
        guard stored.type == Tokenizer.storedType else {
            throw ModelError("metadata 'tokenizer': type '\(stored.type)' is not supported (\(Tokenizer.storedType))")
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(stored.merges.count)
        for (i, m) in stored.merges.enumerated() {
            let parts = m.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw ModelError("metadata 'tokenizer': merge \(i + 1) '\(m)' is not two tokens") }
            merges.append((String(parts[0]), String(parts[1])))
        }
        self.init(try BytePairTokenizer(vocab: vocab, merges: merges, specialTokens: stored.specialTokens,
                                        bosToken: stored.bosToken, eosToken: stored.eosToken))
    }

    /// The metadata key holding a BPE tokenizer's merges and special tokens.
    public static let metadataKey = "tokenizer"
    static let storedType = "gpt2-bpe"

    /// What a model file stores about a BPE tokenizer besides `vocab`. In Python:
    /// `t = json.loads(meta["tokenizer"]); merges = [tuple(m.split(" ")) for m in t["merges"]]`.
    struct StoredBytePair: Codable {
        var type: String
        var merges: [String]
        var specialTokens: [String]
        var bosToken: String?
        var eosToken: String?
        enum CodingKeys: String, CodingKey {
            case type, merges, specialTokens = "special_tokens", bosToken = "bos_token", eosToken = "eos_token"
        }
    }

    /// The metadata entries (besides `vocab`) a model file needs to rebuild this tokenizer.
    public var metadata: [String: String] {
        guard case .bytePair(let t) = kind else { return [:] }
        let stored = StoredBytePair(type: Tokenizer.storedType, merges: t.merges.map { $0.0 + " " + $0.1 },
                                    specialTokens: t.specialTokens, bosToken: t.bosToken, eosToken: t.eosToken)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(stored) else { return [:] }
        return [Tokenizer.metadataKey: String(decoding: data, as: UTF8.self)]
    }

    /// True for GPT-2's byte-level BPE.
    public var isBytePair: Bool {
        if case .bytePair = kind { return true }
        return false
    }

    /// A short description: "word-level, 128 tokens" or "GPT-2 byte-level BPE, 50257 tokens".
    public var summary: String {
        switch kind {
        case .wordLevel(let t): return "word-level, \(t.vocab.count) tokens"
        case .bytePair(let t): return "GPT-2 byte-level BPE, \(t.vocab.count) tokens, \(t.merges.count) merges"
        }
    }

    /// Token strings by id (BPE: in vocab.json's byte-to-unicode form, `Ġthe` for " the").
    public var vocab: [String] {
        switch kind {
        case .wordLevel(let t): return t.vocab
        case .bytePair(let t): return t.vocab
        }
    }

    /// The id of the beginning-of-sequence token, if the tokenizer has one.
    public var bosID: Int? {
        switch kind {
        case .wordLevel(let t): return t.id(of: Tokenizer.bos)
        case .bytePair(let t): return t.bosID
        }
    }

    /// The id of the end-of-text token generation stops at (BPE only).
    public var eosID: Int? {
        switch kind {
        case .wordLevel: return nil
        case .bytePair(let t): return t.eosID
        }
    }

    /// The id of a token string exactly as the vocabulary spells it, or nil.
    public func id(of token: String) -> Int? {
        switch kind {
        case .wordLevel(let t): return t.id(of: token)
        case .bytePair(let t): return t.id(of: token)
        }
    }

    /// The id of a word a person typed: word-level, the token itself or the one token that differs
    /// from it only in case; BPE, the one token the text encodes to (" Mary" with its space), else
    /// the vocabulary token spelled so (`ĠMary`); else nil.
    public func id(forWord word: String) -> Int? {
        switch kind {
        case .wordLevel(let t): return t.id(forWord: word)
        case .bytePair(let t):
            if let ids = try? t.encode(word, prependBOS: false), ids.count == 1 { return ids[0] }
            return t.id(of: word)
        }
    }

    /// The one token an answer names (`--answer`), or an error that says why not: the closest words
    /// for a word-level vocabulary; for BPE, the tokens a longer text splits into.
    public func answerID(_ text: String) throws(ModelError) -> Int {
        if let id = id(forWord: text) { return id }
        switch kind {
        case .wordLevel(let t):
            let near = Tokenizer.closest(to: text, in: t.vocab, limit: 3)
            throw ModelError("unknown word '\(text)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
        case .bytePair(let t):
            let ids = (try? t.encode(text, prependBOS: false)) ?? []
            guard !ids.isEmpty else { throw ModelError("the answer is empty") }
            let split = t.decode(ids).map { "[" + $0 + "]" }.joined(separator: " ")
            var message = "'\(text)' is \(ids.count) tokens, \(split); an answer must be one token"
            if let first = t.decode([ids[0]]).first, !first.allSatisfy(\.isWhitespace) { message += " (such as '\(first)')" }
            throw ModelError(message)
        }
    }

    /// Token ids of `text`, with the beginning-of-sequence token first unless `prependBOS` is false.
    /// - Throws: `ModelError` (word-level: an unknown word with the closest ones).
    public func encode(_ text: String, prependBOS: Bool = true) throws(ModelError) -> [Int] {
        switch kind {
        case .wordLevel(let t): return try t.encode(text, prependBOS: prependBOS)
        case .bytePair(let t): return try t.encode(text, prependBOS: prependBOS)
        }
    }

    /// Each token as a string (TL's `to_str_tokens`); an unknown id becomes `<unk:ID>`.
    public func decode(_ ids: [Int]) -> [String] {
        switch kind {
        case .wordLevel(let t): return t.decode(ids)
        case .bytePair(let t): return t.decode(ids)
        }
    }

    /// The text of a token sequence: word-level tokens joined by spaces, BPE bytes joined as UTF-8.
    public func decodeText(_ ids: [Int]) -> String {
        switch kind {
        case .wordLevel(let t): return t.decodeText(ids)
        case .bytePair(let t): return t.decodeText(ids)
        }
    }

    /// `<bos>` followed by `t1`, `t2`, … (for random-init models without a vocabulary).
    public static func placeholderVocabulary(size: Int) -> [String] {
        (0..<size).map { $0 == 0 ? bos : "t\($0)" }
    }

    /// Up to `limit` candidates closest to `word` by edit distance (ties in candidate order): those
    /// within one edit of the best match, and within half the word's length plus one edits.
    public static func closest(to word: String, in candidates: [String], limit: Int) -> [String] {
        let w = Array(word)
        let cutoff = w.count / 2 + 1
        let scored = candidates.enumerated().compactMap { (i, c) -> (Int, Int, String)? in
            let d = editDistance(w, Array(c), cap: cutoff)
            return d <= cutoff ? (d, i, c) : nil
        }
        // Only candidates nearly as close as the best one: a near miss should not drown in noise.
        guard let best = scored.map(\.0).min() else { return [] }
        return scored.filter { $0.0 <= best + 1 }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.2)
    }

    /// Levenshtein distance, stopping early once every entry of a row exceeds `cap`.
    static func editDistance(_ a: [Character], _ b: [Character], cap: Int) -> Int {
        if abs(a.count - b.count) > cap { return cap + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > cap { return cap + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
