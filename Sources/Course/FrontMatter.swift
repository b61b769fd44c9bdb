/// The YAML front matter of a lesson, split from its Markdown body, with line bookkeeping so that
/// diagnostics inside either part point at lines of the file.
struct FrontMatter: Sendable {
    /// The YAML text between the two `---` lines.
    let yaml: String
    /// File line of the closing `---`.
    let closingLine: Int
    /// The Markdown after the closing `---`.
    let body: String
    /// File line where the body starts (the line after the closing `---`).
    let bodyStartLine: Int

    /// Added to a line number inside `yaml` (1-based) to get the file line: the opening `---` is line 1.
    static let yamlLineOffset = 1

    enum Failure: Error, Equatable {
        /// The first line is not `---`.
        case missing
        /// No `---` line closes the front matter.
        case unclosed
    }

    /// Splits normalised file text. The front matter must open on line 1.
    static func split(_ text: String) -> Result<FrontMatter, Failure> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, SourceText.trimTrailing(first) == "---" else { return .failure(.missing) }
        guard let closing = lines.indices.dropFirst().first(where: { SourceText.trimTrailing(lines[$0]) == "---" }) else {
            return .failure(.unclosed)
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        let body = lines[(closing + 1)...].joined(separator: "\n")
        return .success(FrontMatter(yaml: yaml, closingLine: closing + 1, body: body, bodyStartLine: closing + 2))
    }
}
