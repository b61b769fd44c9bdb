/// Code blocks: a rule carrying the language (and `[run N]` for runnable blocks), the code
/// indented by two columns and never wrapped, a closing rule. Swift, Python and shell code is
/// highlighted when colour is on; runnable `interp` blocks are highlighted as shell.
extension MarkdownRenderContext {
    static let codeIndent = "  "

    func renderCodeBlock(_ node: MarkdownNode, width: Int) -> [String] {
        let info = trimmingSpaces(node.fenceInfo)
        let language = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let runnable = MarkdownRenderer.isRunnable(info: info)
        var lines = codeLines(node.literal)
        if color {
            let highlighting = CodeLanguage(infoString: info) ?? (runnable ? .shell : nil)
            if let highlighting { lines = CodeHighlighter(language: highlighting).highlight(lines) }
        }
        var runLabel = ""
        if runnable, numberRunnableBlocks {
            runnableCount += 1
            runLabel = "[run \(runnableCount)]"
        }
        let ruleWidth = max(4, width - Self.codeIndent.count)
        return [codeHeader(language: TerminalText.line(language), runLabel: runLabel, ruleWidth: ruleWidth)]
            + lines.map { $0.isEmpty ? "" : Self.codeIndent + $0 }
            + [Self.codeIndent + styled(String(repeating: MarkdownGlyphs.codeRule, count: ruleWidth), MarkdownTheme.codeFrame)]
    }

    /// `── swift ───…` or `── interp [run 2] ───…`, `ruleWidth` columns wide (more only when the
    /// label itself is longer).
    private func codeHeader(language: String, runLabel: String, ruleWidth: Int) -> String {
        let rule = MarkdownGlyphs.codeRule
        guard !language.isEmpty || !runLabel.isEmpty else {
            return Self.codeIndent + styled(String(repeating: rule, count: ruleWidth), MarkdownTheme.codeFrame)
        }
        var label = ""
        var labelWidth = 0
        if !language.isEmpty {
            label += styled(language, MarkdownTheme.codeLabel)
            labelWidth += displayWidth(language)
        }
        if !runLabel.isEmpty {
            label += (language.isEmpty ? "" : " ") + styled(runLabel, MarkdownTheme.runLabel)
            labelWidth += runLabel.count + (language.isEmpty ? 0 : 1)
        }
        let tail = max(2, ruleWidth - labelWidth - 4)
        return Self.codeIndent + styled(rule + rule + " ", MarkdownTheme.codeFrame) + label
            + styled(" " + String(repeating: rule, count: tail), MarkdownTheme.codeFrame)
    }

    /// The lines of a code or HTML block literal: the final newline dropped, tabs expanded to
    /// stops of 4, control characters removed.
    func codeLines(_ literal: String) -> [String] {
        var text = Substring(literal)
        if text.hasSuffix("\n") { text = text.dropLast() }
        if text.isEmpty { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            TerminalText.block(expandTabs(String(line)))
        }
    }

    private func expandTabs(_ line: String) -> String {
        guard line.contains("\t") else { return line }
        var out = ""
        var column = 0
        for character in line {
            if character == "\t" {
                let spaces = 4 - column % 4
                out += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                out.append(character)
                column += graphemeWidth(character)
            }
        }
        return out
    }
}

/// `text` without leading and trailing spaces and tabs.
private func trimmingSpaces(_ text: String) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !isSpace($0) }),
          let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(text[first...last])
}
