// WordLevelTokenizer: word-level tokens over a model's vocabulary (the bundled models).

/// A word-level tokenizer: text is split on whitespace and each word must be a vocabulary token.
public struct WordLevelTokenizer: Sendable, Equatable {
    /// The beginning-of-sequence token, prepended by default.
    public static let bos = "<bos>"

    /// Token strings by id.
    public let vocab: [String]
    private let ids: [String: Int]
    /// Lower-cased token → id, for tokens no other token equals when case is ignored.
    private let caseless: [String: Int]

    /// A tokenizer over `vocab` (ids are positions in the array).
    /// - Throws: `ModelError` when a token is empty, contains whitespace, or appears twice.
    public init(vocab: [String]) throws(ModelError) {
        var ids: [String: Int] = [:]
        for (i, token) in vocab.enumerated() {
            guard !token.isEmpty else { throw ModelError("vocab: token \(i) is empty") }
            guard !token.contains(where: \.isWhitespace) else { throw ModelError("vocab: token \(i) \"\(token)\" contains whitespace") }
            if let previous = ids.updateValue(i, forKey: token) {
                throw ModelError("vocab: token \"\(token)\" appears twice (ids \(previous) and \(i))")
            }
        }
        self.vocab = vocab
        self.ids = ids
        var caseless: [String: Int] = [:], ambiguous: Set<String> = []
        for (i, token) in vocab.enumerated() {
            let key = token.lowercased()
            if caseless.updateValue(i, forKey: key) != nil { ambiguous.insert(key) }
        }
        for key in ambiguous { caseless[key] = nil }
        self.caseless = caseless
    }

    /// The id of a token string, or nil.
    public func id(of token: String) -> Int? { ids[token] }

    /// The id of a word a person typed: the token itself, else the one token that differs from it
    /// only in case (`mary` → `Mary`, `When` → `when`), else nil.
    public func id(forWord word: String) -> Int? { ids[word] ?? caseless[word.lowercased()] }

    /// The ids of the whitespace-separated words of `text`, with `<bos>` first unless `prependBOS` is false.
    /// - Throws: `ModelError` naming an unknown word and up to three closest vocabulary tokens, or a
    ///   missing `<bos>` token.
    public func encode(_ text: String, prependBOS: Bool = true) throws(ModelError) -> [Int] {
        var out: [Int] = []
        if prependBOS {
            guard let bos = ids[WordLevelTokenizer.bos] else {
                throw ModelError("the vocabulary has no \(WordLevelTokenizer.bos) token; encode without prepending it")
            }
            out.append(bos)
        }
        for word in text.split(whereSeparator: \.isWhitespace) {
            let w = String(word)
            guard let id = id(forWord: w) else {
                let near = Tokenizer.closest(to: w, in: vocab, limit: 3)
                throw ModelError("unknown word '\(w)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
            }
            out.append(id)
        }
        return out
    }

    /// Token strings for ids; an id outside the vocabulary becomes `<unk:ID>`.
    public func decode(_ ids: [Int]) -> [String] {
        ids.map { $0 >= 0 && $0 < vocab.count ? vocab[$0] : "<unk:\($0)>" }
    }

    /// Decoded tokens joined by spaces.
    public func decodeText(_ ids: [Int]) -> String { decode(ids).joined(separator: " ") }
}
