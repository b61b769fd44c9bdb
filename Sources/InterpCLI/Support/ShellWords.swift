/// Splits a REPL line into words the way a POSIX shell would for simple cases: whitespace
/// separates words; single quotes keep everything literal; double quotes keep spaces and allow
/// `\"` and `\\`; a backslash outside quotes escapes the next character.
enum ShellWords {
    struct UnterminatedQuote: Error, CustomStringConvertible {
        var quote: Character
        var description: String { "unterminated \(quote) quote" }
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaping = false

        for ch in line {
            if escaping {
                current.append(ch); escaping = false; inWord = true
                continue
            }
            switch quote {
            case "'":
                if ch == "'" { quote = nil } else { current.append(ch) }
            case "\"":
                if ch == "\"" { quote = nil } else if ch == "\\" { escaping = true } else { current.append(ch) }
            default:
                if ch == "'" || ch == "\"" { quote = ch; inWord = true }
                else if ch == "\\" { escaping = true }
                else if ch.isWhitespace {
                    if inWord { words.append(current); current = ""; inWord = false }
                } else { current.append(ch); inWord = true }
            }
        }
        if let q = quote { throw UnterminatedQuote(quote: q) }
        if escaping { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }
}
