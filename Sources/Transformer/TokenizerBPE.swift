// BytePairTokenizer: GPT-2's byte-level BPE from vocab.json and merges.txt.
import Foundation

/// GPT-2's byte-level byte-pair encoding, as Hugging Face `tokenizers` computes it.
///
/// Encoding: special tokens (`<|endoftext|>`) are split out of the text first; each stretch between
/// them is pre-tokenized with GPT-2's pattern (`ByteLevel.pretokenize`); each piece's UTF-8 bytes
/// become byte symbols, and adjacent symbols are merged lowest merge rank first (leftmost on ties)
/// until no ranked pair remains. Decoding maps each token's characters back to bytes, so any text
/// survives a round trip.
public struct BytePairTokenizer: Sendable, Equatable {
    /// Token strings by id, in the byte-to-unicode form of vocab.json (`Ġthe` is " the").
    public let vocab: [String]
    /// The merges in rank order, each a pair of token strings (merges.txt without its header).
    public let merges: [(String, String)]
    /// Tokens matched in the raw text before pre-tokenization, never merged (`<|endoftext|>`).
    public let specialTokens: [String]
    /// The token prepended as beginning of sequence (TL's `prepend_bos`), if any.
    public let bosToken: String?
    /// The end-of-text token generation stops at, if any.
    public let eosToken: String?

    private let ids: [String: Int]
    /// (left id, right id) packed in 64 bits → (rank, merged id).
    private let ranks: [UInt64: (rank: Int32, id: Int32)]
    /// The id of each byte's symbol (-1 when the vocabulary lacks it).
    private let byteIDs: [Int]
    private let specialIDs: [Int: String]
    /// Special tokens longest first, for leftmost-longest matching.
    private let specialsByLength: [(text: [UInt8], id: Int)]

    /// The tokenizer GPT-2's files define: `vocab[id]` token strings and ranked merges.
    /// - Throws: `ModelError` for a repeated token, a merge of tokens not in the vocabulary or whose
    ///   result is not in it, or a special token outside the vocabulary.
    public init(vocab: [String], merges: [(String, String)], specialTokens: [String],
                bosToken: String?, eosToken: String?) throws(ModelError) {
        var ids: [String: Int] = [:]
        ids.reserveCapacity(vocab.count)
        for (i, token) in vocab.enumerated() {
            if let previous = ids.updateValue(i, forKey: token) {
                throw ModelError("vocab: token \"\(token)\" appears twice (ids \(previous) and \(i))")
            }
        }
        var ranks: [UInt64: (rank: Int32, id: Int32)] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, (a, b)) in merges.enumerated() {
            guard let left = ids[a], let right = ids[b] else {
                throw ModelError("merges: merge \(rank + 1) '\(a) \(b)' uses a token the vocabulary lacks")
            }
            guard let merged = ids[a + b] else {
                throw ModelError("merges: merge \(rank + 1) '\(a) \(b)' makes '\(a + b)', which the vocabulary lacks")
            }
            let key = UInt64(left) << 32 | UInt64(right)
            if ranks[key] == nil { ranks[key] = (Int32(rank), Int32(merged)) }
        }
        var specialIDs: [Int: String] = [:]
        for token in specialTokens {
            guard let id = ids[token] else { throw ModelError("special token '\(token)' is not in the vocabulary") }
            specialIDs[id] = token
        }
        for case let token? in [bosToken, eosToken] where ids[token] == nil {
            throw ModelError("special token '\(token)' is not in the vocabulary")
        }
        self.vocab = vocab
        self.merges = merges
        self.specialTokens = specialTokens
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.ids = ids
        self.ranks = ranks
        self.byteIDs = ByteLevel.byteToCharacter.map { ids[String($0)] ?? -1 }
        self.specialIDs = specialIDs
        self.specialsByLength = specialTokens.compactMap { t in ids[t].map { (Array(t.utf8), $0) } }
            .sorted { $0.text.count > $1.text.count }
    }

    public static func == (a: BytePairTokenizer, b: BytePairTokenizer) -> Bool {
        a.vocab == b.vocab && a.specialTokens == b.specialTokens && a.bosToken == b.bosToken
            && a.eosToken == b.eosToken && a.merges.count == b.merges.count
            && zip(a.merges, b.merges).allSatisfy { $0 == $1 }
    }

    /// The id of a token string (byte-to-unicode form, or a special token), or nil.
    public func id(of token: String) -> Int? { ids[token] }

    /// The id of the beginning-of-sequence token.
    public var bosID: Int? { bosToken.flatMap { ids[$0] } }
    /// The id of the end-of-text token.
    public var eosID: Int? { eosToken.flatMap { ids[$0] } }

    /// Token ids of `text`, with the beginning-of-sequence token first when `prependBOS` is true.
    /// - Throws: `ModelError` when a byte of the text has no token, or BOS is asked for but undefined.
    public func encode(_ text: String, prependBOS: Bool = true) throws(ModelError) -> [Int] {
        var out: [Int] = []
        if prependBOS {
            guard let bos = bosID else { throw ModelError("the tokenizer has no beginning-of-sequence token; encode without prepending it") }
            out.append(bos)
        }
        for segment in splitSpecials(text) {
            switch segment {
            case .special(let id): out.append(id)
            case .text(let stretch):
                for piece in ByteLevel.pretokenize(stretch) {
                    try encodePiece(Array(String(piece).utf8), into: &out)
                }
            }
        }
        return out
    }

    enum Segment { case text(String), special(Int) }

    /// The text cut at every special token (leftmost, longest first where several start together).
    func splitSpecials(_ text: String) -> [Segment] {
        guard !specialsByLength.isEmpty else { return [.text(text)] }
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var start = 0, i = 0
        while i < bytes.count {
            if let hit = specialsByLength.first(where: { s in
                i + s.text.count <= bytes.count && bytes[i..<(i + s.text.count)].elementsEqual(s.text)
            }) {
                if i > start { segments.append(.text(String(decoding: bytes[start..<i], as: UTF8.self))) }
                segments.append(.special(hit.id))
                i += hit.text.count
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count { segments.append(.text(String(decoding: bytes[start...], as: UTF8.self))) }
        return segments
    }

    /// Appends the BPE of one pre-tokenized piece: byte symbols merged lowest rank first.
    private func encodePiece(_ bytes: [UInt8], into out: inout [Int]) throws(ModelError) {
        var symbols: [Int] = []
        symbols.reserveCapacity(bytes.count)
        for b in bytes {
            let id = byteIDs[Int(b)]
            guard id >= 0 else {
                throw ModelError("byte 0x\(String(b, radix: 16, uppercase: true)) has no token in the vocabulary")
            }
            symbols.append(id)
        }
        while symbols.count > 1 {
            var best: (rank: Int32, id: Int32, at: Int)? = nil
            for k in 0..<(symbols.count - 1) {
                if let r = ranks[UInt64(symbols[k]) << 32 | UInt64(symbols[k + 1])], r.rank < (best?.rank ?? .max) {
                    best = (r.rank, r.id, k)
                }
            }
            guard let best else { break }
            symbols[best.at] = Int(best.id)
            symbols.remove(at: best.at + 1)
        }
        out.append(contentsOf: symbols)
    }

    /// The bytes of one token (a special token's UTF-8 text), or nil for an unknown id.
    public func bytes(of id: Int) -> [UInt8]? {
        guard id >= 0 && id < vocab.count else { return nil }
        if let special = specialIDs[id] { return Array(special.utf8) }
        return ByteLevel.decode(vocab[id]) ?? Array(vocab[id].utf8)
    }

    /// Each token as text (TL's `to_str_tokens`): its bytes as UTF-8, an incomplete character as
    /// U+FFFD; an unknown id as `<unk:ID>`.
    public func decode(_ ids: [Int]) -> [String] {
        ids.map { id in bytes(of: id).map { String(decoding: $0, as: UTF8.self) } ?? "<unk:\(id)>" }
    }

    /// The text of a token sequence: all bytes joined, then read as UTF-8.
    public func decodeText(_ ids: [Int]) -> String {
        var all: [UInt8] = []
        for id in ids {
            if let b = bytes(of: id) { all += b } else { all += Array("<unk:\(id)>".utf8) }
        }
        return String(decoding: all, as: UTF8.self)
    }
}

// MARK: - Files

extension BytePairTokenizer {
    /// GPT-2's end-of-text token, also its beginning of sequence.
    public static let endOfText = "<|endoftext|>"

    /// Reads `vocab.json` (token → id) and `merges.txt` (a `#version` line, then one `a b` pair a
    /// line) of a Hugging Face GPT-2 checkpoint. Ids missing from vocab.json up to `size` get
    /// placeholder names. `<|endoftext|>` is the special, BOS and EOS token when present.
    /// - Throws: `ModelError` naming the file and line at fault.
    public static func load(vocab vocabURL: URL, merges mergesURL: URL, size: Int? = nil) throws(ModelError) -> BytePairTokenizer {
        guard let vocabData = FileManager.default.contents(atPath: vocabURL.path) else {
            throw ModelError("\(vocabURL.path): missing or not readable")
        }
        guard let object = try? JSONSerialization.jsonObject(with: vocabData), let table = object as? [String: Any] else {
            throw ModelError("\(vocabURL.path): not a JSON object of token → id")
        }
        var maxID = -1
        var pairs: [(String, Int)] = []
        pairs.reserveCapacity(table.count)
        for (token, value) in table {
            guard let number = value as? NSNumber, let id = Int(exactly: number.doubleValue), id >= 0 else {
                throw ModelError("\(vocabURL.path): token '\(token)' has id \(value), not a non-negative integer")
            }
            pairs.append((token, id))
            maxID = max(maxID, id)
        }
        let count = max(maxID + 1, size ?? 0)
        guard count <= ModelConfig.maxDimension else { throw ModelError("\(vocabURL.path): \(count) tokens is too many") }
        if let size, maxID >= size {
            throw ModelError("\(vocabURL.path): token id \(maxID) does not fit the model's vocab_size \(size)")
        }
        var vocab = [String?](repeating: nil, count: count)
        for (token, id) in pairs {
            if let other = vocab[id] { throw ModelError("\(vocabURL.path): id \(id) is given to both '\(other)' and '\(token)'") }
            vocab[id] = token
        }
        let filled = vocab.enumerated().map { $0.element ?? "<|unused:\($0.offset)|>" }

        guard let mergesData = FileManager.default.contents(atPath: mergesURL.path) else {
            throw ModelError("\(mergesURL.path): missing or not readable")
        }
        guard let text = String(data: mergesData, encoding: .utf8) else { throw ModelError("\(mergesURL.path): not UTF-8 text") }
        let merges = try parseMerges(text, source: mergesURL.path)
        let hasEOT = table[endOfText] != nil
        do {
            return try BytePairTokenizer(vocab: filled, merges: merges, specialTokens: hasEOT ? [endOfText] : [],
                                         bosToken: hasEOT ? endOfText : nil, eosToken: hasEOT ? endOfText : nil)
        } catch {
            let file = error.message.hasPrefix("merges") ? mergesURL.path : vocabURL.path
            throw ModelError("\(file): \(error.message)")
        }
    }

    /// Merge pairs from merges.txt text (`#version` lines and blank lines skipped).
    static func parseMerges(_ text: String, source: String) throws(ModelError) -> [(String, String)] {
        var merges: [(String, String)] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty || (n == 0 && trimmed.hasPrefix("#version")) { continue }
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ModelError("\(source):\(n + 1): expected two tokens separated by one space")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        return merges
    }
}
