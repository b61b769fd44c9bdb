import Transformer

/// Token strings and generated text made safe and readable for a terminal.
enum TokenDisplay {
    /// A token as a person should see it: BPE tokens in quotes so a leading space shows (`" Mary"`),
    /// newlines, tabs and other control characters escaped (`\n`, `\u{1B}`).
    static func token(_ text: String, bytePair: Bool) -> String {
        let escaped = escape(text, keepLayout: false)
        return bytePair ? "\"" + escaped + "\"" : escaped
    }

    /// Text with control characters escaped; with `keepLayout`, newlines and tabs stay as they are.
    static func escape(_ text: String, keepLayout: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += keepLayout ? "\n" : "\\n"
            case "\t": out += keepLayout ? "\t" : "\\t"
            case "\r": out += "\\r"
            default:
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Turns a stream of token ids into text pieces: word-level tokens joined by spaces; BPE bytes held
/// back until they complete a UTF-8 character, so a character split across tokens prints whole.
struct StreamingDecoder {
    let tokenizer: Tokenizer
    private var pending: [UInt8] = []
    private var first = true

    init(tokenizer: Tokenizer, continuing: Bool) {
        self.tokenizer = tokenizer
        first = !continuing
    }

    /// The text that token `id` completes (maybe empty).
    mutating func push(_ id: Int) -> String {
        switch tokenizer.kind {
        case .wordLevel:
            defer { first = false }
            return (first ? "" : " ") + (tokenizer.decode([id]).first ?? "")
        case .bytePair(let bpe):
            pending += bpe.bytes(of: id) ?? []
            let complete = StreamingDecoder.completePrefix(pending)
            let text = String(decoding: pending[..<complete], as: UTF8.self)
            pending.removeFirst(complete)
            return text
        }
    }

    /// What is still held back (an incomplete character), as replacement characters.
    mutating func finish() -> String {
        defer { pending = [] }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix that does not end inside a UTF-8 sequence still incomplete.
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var back = 0
        while i >= 0 && back < 4 && bytes[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
        guard i >= 0 else { return bytes.count }
        let lead = bytes[i]
        let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return need > back + 1 && lead >= 0xC0 ? i : bytes.count
    }
}
