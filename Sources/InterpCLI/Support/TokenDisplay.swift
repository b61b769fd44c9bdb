import TerminalUI
import Transformer

/// Token strings and generated text made safe and readable for a terminal.
enum TokenDisplay {
    /// A token as a person should see it: BPE tokens in quotes so a leading space shows (`" Mary"`),
    /// control characters shown by the one sanitizer (newline as `↵`, ESC as `␛`).
    static func token(_ text: String, bytePair: Bool) -> String {
        let safe = TerminalText.line(text)
        return bytePair ? "\"" + safe + "\"" : safe
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
