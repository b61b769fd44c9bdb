// GPT-2's byte level: the byte-to-unicode table and the pre-tokenization pattern.

/// The two fixed parts of GPT-2's byte-level BPE that come before the merges.
///
/// - The byte-to-unicode table maps each of the 256 byte values to a printable character, so a
///   token of arbitrary bytes is a string without spaces or control characters: printable Latin-1
///   bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) map to themselves, the other 68 to U+0100 onwards in byte
///   order (space 0x20 becomes `Ġ`, newline 0x0A `Ċ`).
/// - The pre-tokenizer splits text as GPT-2's pattern
///   `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` does, leftmost
///   alternative first: English contractions, runs of letters, of digits, of other symbols (each
///   with at most one leading space), and whitespace runs, which leave their last space to the word
///   that follows.
public enum ByteLevel {
    /// The printable character of each byte value.
    public static let byteToCharacter: [Character] = {
        var printable = Array(UInt32(0x21)...0x7E) + Array(UInt32(0xA1)...0xAC) + Array(UInt32(0xAE)...0xFF)
        var table = [UInt32](repeating: 0, count: 256)
        for b in printable { table[Int(b)] = b }
        var next: UInt32 = 256
        for b in 0..<256 where !printable.contains(UInt32(b)) {
            table[b] = next
            printable.append(UInt32(b))
            next += 1
        }
        return table.map { Character(Unicode.Scalar($0)!) }
    }()

    /// The byte value of each table character.
    public static let characterToByte: [Character: UInt8] = {
        var out: [Character: UInt8] = [:]
        for (b, c) in byteToCharacter.enumerated() { out[c] = UInt8(b) }
        return out
    }()

    /// The table form of `bytes` (one character per byte).
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = ""
        for b in bytes { s.append(byteToCharacter[Int(b)]) }
        return s
    }

    /// The bytes a table-form token stands for, or nil when a character is not in the table.
    public static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for c in token {
            guard let b = characterToByte[c] else { return nil }
            out.append(b)
        }
        return out
    }

    // MARK: - Pre-tokenization

    /// The class of a scalar in GPT-2's pattern.
    enum ScalarClass { case letter, number, space, other }

    static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        if s.properties.isWhitespace { return .space }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// The pieces of `text` under GPT-2's pattern, in order; joined they give `text` back.
    public static func pretokenize(_ text: String) -> [Substring.UnicodeScalarView] {
        let view = text.unicodeScalars
        let scalars = Array(view)
        let classes = scalars.map(classify)
        let n = scalars.count
        var indices: [String.UnicodeScalarView.Index] = []
        indices.reserveCapacity(n + 1)
        var idx = view.startIndex
        while idx != view.endIndex { indices.append(idx); idx = view.index(after: idx) }
        indices.append(view.endIndex)

        var pieces: [Substring.UnicodeScalarView] = []
        var i = 0
        while i < n {
            let length = match(at: i, scalars, classes)
            pieces.append(view[indices[i]..<indices[i + length]])
            i += length
        }
        return pieces
    }

    /// The length of the match of GPT-2's pattern at `i` (always ≥ 1).
    static func match(at i: Int, _ s: [Unicode.Scalar], _ c: [ScalarClass]) -> Int {
        let n = s.count
        // 's 't 're 've 'm 'll 'd
        if s[i] == "'" && i + 1 < n {
            let a = s[i + 1]
            if a == "s" || a == "t" || a == "m" || a == "d" { return 2 }
            if i + 2 < n {
                let b = s[i + 2]
                if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { return 3 }
            }
        }
        // ` ?X+` for X in letter, number, other: an optional leading space, then a run of one class
        // (a space is none of the three, so without it the run would have to start at i).
        let start = s[i] == " " && i + 1 < n ? i + 1 : i
        if c[start] != .space {
            let cls = c[start]
            var j = start
            while j < n && c[j] == cls { j += 1 }
            return j - i
        }
        // `\s+(?!\S)`: a whitespace run, less its last scalar when a non-space follows; else `\s+`.
        var j = i
        while j < n && c[j] == .space { j += 1 }
        if j == n { return j - i }
        return j - i > 1 ? j - i - 1 : j - i
    }
}
