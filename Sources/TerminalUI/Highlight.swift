/// A language the code highlighter knows.
public enum CodeLanguage: String, Sendable, CaseIterable {
    case swift, python, shell

    /// The language of a fenced code block's info string (its first word): `swift`; `python`,
    /// `py`, `python3`; `sh`, `bash`, `zsh`, `shell`, `console`. Nil for anything else.
    public init?(infoString: String) {
        let word = infoString.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { $0.lowercased() } ?? ""
        switch word {
        case "swift": self = .swift
        case "python", "py", "python3": self = .python
        case "sh", "bash", "zsh", "shell", "console": self = .shell
        default: return nil
        }
    }
}

/// Simple syntax highlighting of keywords, strings, comments and numbers, line by line.
/// Block comments and multi-line strings carry over from one line to the next.
public struct CodeHighlighter: Sendable {
    public let language: CodeLanguage

    public init(language: CodeLanguage) { self.language = language }

    /// `lines` with ANSI colours added; every line closes its own styles.
    public func highlight(_ lines: [String]) -> [String] {
        var carry = Carry.none
        return lines.map { line in
            var scanner = LineScanner(scalars: Array(line.unicodeScalars), language: language, carry: carry)
            scanner.scan()
            carry = scanner.carry
            return scanner.spans.map { text, kind in kind.style.apply(text, enabled: true) }.joined()
        }
    }
}

private enum TokenKind {
    case plain, keyword, string, comment, number

    var style: Style {
        switch self {
        case .plain: return .plain
        case .keyword: return .magenta
        case .string: return .green
        case .comment: return .gray + .italic
        case .number: return .cyan
        }
    }
}

/// What an unfinished construct at the end of a line leaves open for the next one.
private enum Carry {
    case none
    case blockComment(depth: Int)
    case string(close: [Unicode.Scalar], escapes: Bool)
}

private struct LineScanner {
    let s: [Unicode.Scalar]
    let language: CodeLanguage
    var carry: Carry
    var spans: [(String, TokenKind)] = []
    var i = 0

    init(scalars: [Unicode.Scalar], language: CodeLanguage, carry: Carry) {
        self.s = scalars
        self.language = language
        self.carry = carry
    }

    mutating func scan() {
        switch carry {
        case .none: break
        case .blockComment(let depth): blockComment(from: 0, depth: depth)
        case .string(let close, let escapes): string(from: 0, bodyStart: 0, close: close, escapes: escapes)
        }
        while i < s.count {
            let start = i
            let c = s[i]
            if startsLineComment() {
                add(start, s.count, .comment)
            } else if language == .swift, matches("/*") {
                blockComment(from: start, depth: 0)
            } else if let (open, close, escapes) = stringOpening() {
                string(from: start, bodyStart: start + open, close: close, escapes: escapes)
            } else if isDigit(c) {
                number(from: start)
            } else if isIdentifierStart(c) {
                while i < s.count, isIdentifierPart(s[i]) { i += 1 }
                if language == .python, let quote = prefixedPythonString(from: start) {
                    string(from: start, bodyStart: i + quote.open, close: quote.close, escapes: quote.escapes)
                } else {
                    let word = String(String.UnicodeScalarView(s[start..<i]))
                    add(start, i, Self.keywords(language).contains(word) ? .keyword : .plain)
                }
            } else {
                add(start, start + 1, .plain)
            }
        }
    }

    // MARK: Constructs

    private func startsLineComment() -> Bool {
        switch language {
        case .swift: return matches("//")
        case .python: return s[i] == "#"
        case .shell:
            guard s[i] == "#" else { return false }
            return i == 0 || [" ", "\t", ";", "(", "|", "&"].contains(s[i - 1])
        }
    }

    /// Swift block comments nest; `depth` counts the levels already open before `from`.
    private mutating func blockComment(from start: Int, depth: Int) {
        var depth = depth
        while i < s.count {
            if matches("/*") { depth += 1; i += 2 } else if matches("*/") {
                depth -= 1; i += 2
                if depth == 0 { add(start, i, .comment); carry = .none; return }
            } else { i += 1 }
        }
        add(start, i, .comment)
        carry = .blockComment(depth: depth)
    }

    /// The opening delimiter length, closing delimiter and escape rule of a string starting here.
    private func stringOpening() -> (Int, [Unicode.Scalar], Bool)? {
        switch language {
        case .swift:
            if matches("\"\"\"") { return (3, Array("\"\"\"".unicodeScalars), true) }
            if s[i] == "\"" { return (1, ["\""], true) }
        case .python:
            for triple in ["\"\"\"", "'''"] where matches(triple) { return (3, Array(triple.unicodeScalars), true) }
            if s[i] == "\"" || s[i] == "'" { return (1, [s[i]], true) }
        case .shell:
            if s[i] == "'" { return (1, ["'"], false) }
            if s[i] == "\"" { return (1, ["\""], true) }
        }
        return nil
    }

    /// Python string prefixes (`f"…"`, `rb'…'`): the identifier just scanned, if it is one and a
    /// quote follows.
    private func prefixedPythonString(from start: Int) -> (open: Int, close: [Unicode.Scalar], escapes: Bool)? {
        let prefix = String(String.UnicodeScalarView(s[start..<i])).lowercased()
        guard prefix.count <= 2, prefix.allSatisfy({ "rbfu".contains($0) }), i < s.count else { return nil }
        for triple in ["\"\"\"", "'''"] where matches(triple) { return (3, Array(triple.unicodeScalars), !prefix.contains("r")) }
        if s[i] == "\"" || s[i] == "'" { return (1, [s[i]], !prefix.contains("r")) }
        return nil
    }

    /// A string whose body starts at `bodyStart`; single-quote-style strings of Swift and Python
    /// end at the line end, the others carry over.
    private mutating func string(from start: Int, bodyStart: Int, close: [Unicode.Scalar], escapes: Bool) {
        i = bodyStart
        while i < s.count {
            if escapes, s[i] == "\\" { i += 2; continue }
            if matches(close) {
                i += close.count
                add(start, i, .string)
                carry = .none
                return
            }
            i += 1
        }
        i = s.count
        add(start, i, .string)
        let multiline = close.count == 3 || language == .shell
        carry = multiline ? .string(close: close, escapes: escapes) : .none
    }

    private mutating func number(from start: Int) {
        while i < s.count {
            let c = s[i]
            if isIdentifierPart(c) {
                i += 1
            } else if c == ".", i + 1 < s.count, isDigit(s[i + 1]) {
                i += 2
            } else if c == "+" || c == "-", "eEpP".unicodeScalars.contains(s[i - 1]) {
                i += 1
            } else {
                break
            }
        }
        add(start, i, .number)
    }

    // MARK: Helpers

    private func matches(_ text: String) -> Bool { matches(Array(text.unicodeScalars)) }

    private func matches(_ pattern: [Unicode.Scalar]) -> Bool {
        guard i + pattern.count <= s.count else { return false }
        for (k, p) in pattern.enumerated() where s[i + k] != p { return false }
        return true
    }

    private mutating func add(_ start: Int, _ end: Int, _ kind: TokenKind) {
        let end = min(end, s.count)
        guard start < end else { return }
        i = max(i, end)
        let text = String(String.UnicodeScalarView(s[start..<end]))
        if let last = spans.last, last.1 == kind {
            spans[spans.count - 1].0 += text
        } else {
            spans.append((text, kind))
        }
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    private func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
            || (c.value >= 0x80 && c.properties.isAlphabetic)
    }

    private func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }

    static func keywords(_ language: CodeLanguage) -> Set<String> {
        switch language {
        case .swift: return swiftKeywords
        case .python: return pythonKeywords
        case .shell: return shellKeywords
        }
    }
}

private let swiftKeywords: Set<String> = [
    "actor", "any", "as", "associatedtype", "async", "await", "break", "case", "catch", "class",
    "continue", "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough",
    "false", "fileprivate", "final", "for", "func", "guard", "if", "import", "in", "init", "inout",
    "internal", "is", "lazy", "let", "mutating", "nil", "nonisolated", "open", "operator",
    "override", "private", "protocol", "public", "repeat", "rethrows", "return", "self", "Self",
    "some", "static", "struct", "subscript", "super", "switch", "throw", "throws", "true", "try",
    "typealias", "var", "weak", "where", "while",
]

private let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "match", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
]

private let shellKeywords: Set<String> = [
    "case", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if", "in",
    "local", "readonly", "return", "select", "then", "until", "while",
]
