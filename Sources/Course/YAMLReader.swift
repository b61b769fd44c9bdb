import Yams

/// A value read from YAML together with the file line it came from.
struct Located<Value> {
    let value: Value
    let line: Int
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A YAML mapping with text keys, in authored order, with file lines.
struct YAMLMapping {
    struct Entry {
        let key: String
        let keyLine: Int
        let value: Node
    }

    let entries: [Entry]
    /// File line where the mapping starts.
    let line: Int

    subscript(key: String) -> Entry? { entries.first { $0.key == key } }
}

/// Reads Yams nodes into checked values. Every problem becomes a diagnostic at the file line of the
/// offending node; readers return nil for a value they rejected so callers can carry on.
struct YAMLReader {
    let path: String
    /// Added to a Yams line (1-based within the YAML text) to get the file line.
    let lineOffset: Int
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String, lineOffset: Int) {
        self.path = path
        self.lineOffset = lineOffset
    }

    enum Document {
        case node(Node)
        case empty
        case invalid
    }

    // MARK: - Documents and diagnostics

    /// Parses one YAML document; syntax errors, and nesting deeper than `InputLimits.maximumDepth`,
    /// are reported with their file line.
    /// - Parameter lastLine: the last file line of the YAML text (error lines are clamped to it).
    mutating func compose(_ yaml: String, lastLine: Int) -> Document {
        // Yams composes recursively: depth is measured first, without recursion.
        if let line = InputLimits.yamlExcess(yaml) {
            report(InputLimits.depthMessage, line: line + lineOffset)
            return .invalid
        }
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return .empty }
            return .node(node)
        } catch {
            let (message, yamlLine) = Self.describe(error)
            let line = yamlLine.map { min($0 + lineOffset, max(lastLine, 1)) } ?? (1 + lineOffset)
            report(message, line: line)
            return .invalid
        }
    }

    mutating func report(_ message: String, line: Int, severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(path: path, line: line, message: message, severity: severity))
    }

    func line(of node: Node, default fallback: Int) -> Int {
        node.mark.map { $0.line + lineOffset } ?? fallback
    }

    /// One-line message and Yams line for a Yams error.
    static func describe(_ error: any Error) -> (String, Int?) {
        guard let yamlError = error as? YamlError else { return ("invalid YAML: \(firstLine(of: "\(error)"))", nil) }
        if case let .scanner(context, problem, mark, _) = yamlError {
            return located(problem, context, mark)
        }
        if case let .parser(context, problem, mark, _) = yamlError {
            return located(problem, context, mark)
        }
        if case let .composer(context, problem, mark, _) = yamlError {
            return located(problem, context, mark)
        }
        if case let .reader(problem, _, _, _) = yamlError {
            return ("invalid YAML: \(problem)", nil)
        }
        return ("invalid YAML: \(firstLine(of: yamlError.description))", nil)
    }

    private static func located(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> (String, Int?) {
        guard let context else { return ("invalid YAML: \(problem)", mark.line) }
        // Some problems are found lines after their cause (a key without ':', an unclosed quote or
        // bracket); the context then marks the cause. A block mapping's context is just where the
        // mapping began, so the problem's own line is better there.
        let atCause = context.text.hasPrefix("while scanning") || context.text.hasPrefix("while parsing a flow")
        let line = atCause ? context.mark.line : mark.line
        return ("invalid YAML: \(problem) (\(context.text))", line)
    }

    private static func firstLine(of text: String) -> Substring {
        text.split(separator: "\n", maxSplits: 1).first ?? ""
    }

    // MARK: - Structure

    /// True for `~`, `null` and an empty plain scalar.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Reads a mapping with text keys; reports a non-mapping and duplicate keys (the first wins).
    mutating func mapping(_ node: Node, what: String, line fallback: Int) -> YAMLMapping? {
        let line = self.line(of: node, default: fallback)
        guard let mapping = node.mapping else {
            report("\(what) must be a mapping of 'key: value' lines", line: line)
            return nil
        }
        var entries: [YAMLMapping.Entry] = []
        for (key, value) in mapping {
            let keyLine = self.line(of: key, default: line)
            guard let name = key.scalar?.string else {
                report("keys in \(what) must be plain words", line: keyLine)
                continue
            }
            if let first = entries.first(where: { $0.key == name }) {
                report("duplicate key '\(name)' (first at line \(first.keyLine))", line: keyLine)
                continue
            }
            entries.append(.init(key: name, keyLine: keyLine, value: value))
        }
        return YAMLMapping(entries: entries, line: line)
    }

    /// Reports keys that are not in `allowed`. Keys in `misplaced` are known elsewhere and get the
    /// explanation stored with them instead of "unknown key".
    mutating func rejectUnknownKeys(
        _ mapping: YAMLMapping, allowed: [String], misplaced: [String: String] = [:], in place: String
    ) {
        for entry in mapping.entries where !allowed.contains(entry.key) {
            if let reason = misplaced[entry.key] {
                report("key '\(entry.key)' \(reason)", line: entry.keyLine)
            } else if let guess = Suggestion.closest(to: entry.key, among: allowed) {
                report("unknown key '\(entry.key)' in \(place) (did you mean '\(guess)'?)", line: entry.keyLine)
            } else {
                report("unknown key '\(entry.key)' in \(place)", line: entry.keyLine)
            }
        }
    }

    // MARK: - Typed fields

    /// A text field, trimmed. Null or blank counts as missing.
    mutating func text(_ mapping: YAMLMapping, _ key: String, required: Bool, singleLine: Bool = false) -> Located<String>? {
        guard let entry = present(mapping, key, required: required) else { return nil }
        let line = self.line(of: entry.value, default: entry.keyLine)
        guard let scalar = entry.value.scalar else {
            report("'\(key)' must be text, not a list or mapping", line: line)
            return nil
        }
        let value = scalar.string.trimmingWhitespace
        if YAMLReader.isNull(entry.value) || value.isEmpty {
            report("'\(key)' must not be empty", line: line)
            return nil
        }
        if singleLine && value.contains("\n") {
            report("'\(key)' must be one line", line: line)
            return nil
        }
        return Located(value: value, line: line)
    }

    /// A text field holding Markdown (a prompt, an explanation): as `text`, and refused when its
    /// Markdown nests deeper than `InputLimits.maximumDepth`.
    mutating func markdown(_ mapping: YAMLMapping, _ key: String, required: Bool) -> Located<String>? {
        guard let value = text(mapping, key, required: required) else { return nil }
        let block = mapping[key]?.value.scalar.map { $0.style == .literal || $0.style == .folded } ?? false
        return checkedMarkdown(value, block: block)
    }

    /// `value` when its Markdown nests no deeper than the limit; else nil, reported at its line.
    /// - Parameter block: the value is a `|` or `>` scalar, whose text starts on the next line.
    mutating func checkedMarkdown(_ value: Located<String>, block: Bool = false) -> Located<String>? {
        guard let excess = InputLimits.markdownExcess(value.value) else { return value }
        report(InputLimits.depthMessage, line: value.line + excess - (block ? 0 : 1))
        return nil
    }

    /// The raw text of a scalar field (not trimmed), or nil when absent or null. Reports lists and mappings.
    mutating func scalar(_ mapping: YAMLMapping, _ key: String, required: Bool, expected: String) -> Located<String>? {
        guard let entry = present(mapping, key, required: required) else { return nil }
        let line = self.line(of: entry.value, default: entry.keyLine)
        guard let scalar = entry.value.scalar, !YAMLReader.isNull(entry.value) else {
            report("'\(key)' must be \(expected)", line: line)
            return nil
        }
        return Located(value: scalar.string, line: line)
    }

    /// A whole number written without quotes or decoration.
    mutating func integer(_ mapping: YAMLMapping, _ key: String, required: Bool, expected: String) -> Located<Int>? {
        guard let raw = scalar(mapping, key, required: required, expected: expected) else { return nil }
        let text = raw.value.trimmingWhitespace
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigitCharacter), let value = Int(text) else {
            report("'\(key)' must be \(expected), found '\(text)'", line: raw.line)
            return nil
        }
        return Located(value: value, line: raw.line)
    }

    /// A finite decimal number such as `0.25`, `-2` or `1e-3`.
    mutating func number(_ mapping: YAMLMapping, _ key: String, required: Bool) -> Located<Double>? {
        guard let raw = scalar(mapping, key, required: required, expected: "a number") else { return nil }
        guard let value = AnswerParsing.number(raw.value) else {
            report("'\(key)' must be a number, found '\(raw.value.trimmingWhitespace)'", line: raw.line)
            return nil
        }
        return Located(value: value, line: raw.line)
    }

    /// A sequence field, located at its key; null counts as an empty list when `nullIsEmpty`.
    mutating func sequence(_ mapping: YAMLMapping, _ key: String, required: Bool, nullIsEmpty: Bool = false) -> Located<[Node]>? {
        guard let entry = mapping[key] else {
            if required { report("missing required field '\(key)'", line: mapping.line) }
            return nil
        }
        // Problems with a list as a whole point at its key (a block list starts on the next line).
        let line = entry.keyLine
        if YAMLReader.isNull(entry.value) {
            if nullIsEmpty { return Located(value: [], line: line) }
            report("'\(key)' must be a list", line: line)
            return nil
        }
        guard let sequence = entry.value.sequence else {
            report("'\(key)' must be a list", line: line)
            return nil
        }
        return Located(value: Array(sequence), line: line)
    }

    /// A list of non-empty text items; bad items are reported and skipped.
    mutating func textList(_ mapping: YAMLMapping, _ key: String, required: Bool, nullIsEmpty: Bool = false) -> Located<[Located<String>]>? {
        guard let list = sequence(mapping, key, required: required, nullIsEmpty: nullIsEmpty) else { return nil }
        var items: [Located<String>] = []
        for node in list.value {
            let line = self.line(of: node, default: list.line)
            guard let scalar = node.scalar else {
                // `- Nothing: at all` is a mapping to YAML; the author meant text.
                let hint = node.mapping != nil ? " (quote an entry that contains ': ')" : ""
                report("each entry of '\(key)' must be text\(hint)", line: line)
                continue
            }
            let value = scalar.string.trimmingWhitespace
            if YAMLReader.isNull(node) || value.isEmpty {
                report("'\(key)' has an empty entry", line: line)
                continue
            }
            items.append(Located(value: value, line: line))
        }
        return Located(value: items, line: list.line)
    }

    private mutating func present(_ mapping: YAMLMapping, _ key: String, required: Bool) -> YAMLMapping.Entry? {
        guard let entry = mapping[key] else {
            if required { report("missing required field '\(key)'", line: mapping.line) }
            return nil
        }
        if YAMLReader.isNull(entry.value) && !required { return nil }
        return entry
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
