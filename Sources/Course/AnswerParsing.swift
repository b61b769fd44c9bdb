/// Parsing of learners' answers and of answer fields in quiz files: letters, booleans, numbers
/// and the normalisation of short answers.
public enum AnswerParsing {
    /// The letter naming a 0-based position: 0 → "a".
    public static func letter(_ index: Int) -> String {
        guard (0..<26).contains(index), let scalar = Unicode.Scalar(UInt32(97 + index)) else { return "?" }
        return String(Character(scalar))
    }

    /// The 0-based position a letter names ("a" or "A" → 0), or nil.
    public static func index(ofLetter character: Character) -> Int? {
        guard let ascii = character.lowercased().first?.asciiValue, ascii >= 97, ascii <= 122 else { return nil }
        return Int(ascii) - 97
    }

    /// The span of letters for `count` entries, such as "a–d".
    public static func letterRange(_ count: Int) -> String {
        count <= 1 ? "a" : "a–\(letter(count - 1))"
    }

    /// Letters written as "a c", "a, c", "a,c" or "ac" → 0-based positions in the order written.
    /// Nil if anything but letters, spaces and commas appears.
    public static func letters(_ text: String) -> [Int]? {
        var result: [Int] = []
        for character in text {
            if character == " " || character == "," || character == "\t" { continue }
            guard let index = index(ofLetter: character) else { return nil }
            result.append(index)
        }
        return result
    }

    /// true / false / t / f / yes / no / y / n, any case; nil otherwise.
    public static func boolean(_ text: String) -> Bool? {
        switch text.trimmingWhitespace.lowercased() {
        case "true", "t", "yes", "y": return true
        case "false", "f", "no", "n": return false
        default: return nil
        }
    }

    /// A finite decimal number: optional sign, digits with an optional fraction, optional exponent
    /// (`0.5`, `.5`, `-2`, `1e-3`, `+3.0E2`). No hexadecimal, no `inf`/`nan`, no thousands separators.
    public static func number(_ text: String) -> Double? {
        let chars = Array(text.trimmingWhitespace)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < chars.count, chars[i].isASCIIDigitCharacter { i += 1 }
            return i - start
        }
        if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
        var mantissaDigits = digits()
        if i < chars.count, chars[i] == "." {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return nil }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == chars.count, let value = Double(String(chars)), value.isFinite else { return nil }
        return value
    }

    /// A number for display: whole numbers without ".0", others in Swift's shortest form.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// The comparison form of a short answer: lower case, surrounding spaces removed, runs of
    /// spaces collapsed to one, and one final full stop dropped.
    public static func normaliseShort(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
        if words.hasSuffix(".") {
            words.removeLast()
            while words.hasSuffix(" ") { words.removeLast() }
        }
        return words
    }
}
