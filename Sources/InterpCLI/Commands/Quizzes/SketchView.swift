import Course
import TerminalUI

/// Sketches beside their reference, and the rubric with hints. Pure text.
struct SketchView {
    let width: Int
    let color: Bool

    /// Two columns need at least this many columns each.
    static let minimumColumn = 32
    /// Between the columns.
    private var separator: String { color ? " │ " : " | " }

    private func style(_ text: String, _ style: Style) -> String { style.apply(text, enabled: color) }

    /// The width of each column when two fit side by side, else nil.
    var columnWidth: Int? {
        let column = (width - 3) / 2
        return column >= Self.minimumColumn ? column : nil
    }

    /// A learner's text, made safe, wrapped to `width`, keeping its line breaks.
    static func plainLines(_ text: String, width: Int) -> [String] {
        let lines = TerminalText.block(text).split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            wrap(String(line), width: max(1, width))
        }
        return lines.isEmpty ? [""] : lines
    }

    /// Markdown rendered to `width`, as lines.
    func markdownLines(_ text: String, width: Int) -> [String] {
        var rendered = MarkdownRenderer(width: max(MarkdownRenderer.minimumWidth, width), color: color).render(text)
        while rendered.hasSuffix("\n") { rendered.removeLast() }
        return rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A titled block: the title in bold over a rule, then the lines.
    private func titled(_ title: String, _ lines: [String], width: Int) -> [String] {
        [style(CellText.truncate(title, to: width), .bold),
         style(String(repeating: color ? "─" : "-", count: max(1, width)), .dim)] + lines
    }

    /// Two titled columns side by side when the width allows, else one after the other. `left` and
    /// `right` make their lines for a given width.
    func columns(leftTitle: String, left: (Int) -> [String], rightTitle: String, right: (Int) -> [String]) -> String {
        guard let column = columnWidth else {
            let first = titled(leftTitle, left(width), width: width)
            let second = titled(rightTitle, right(width), width: width)
            return (first + [""] + second).joined(separator: "\n")
        }
        let a = titled(leftTitle, left(column), width: column)
        let b = titled(rightTitle, right(column), width: column)
        return (0..<max(a.count, b.count)).map { row in
            let cell = row < a.count ? a[row] : ""
            let pad = String(repeating: " ", count: max(0, column - displayWidth(cell)))
            let line = cell + pad + style(separator, .dim) + (row < b.count ? b[row] : "")
            return line.trimmingTrailingSpaces
        }.joined(separator: "\n")
    }

    /// The learner's sketch beside the reference sketch.
    func comparison(sketch: String, reference: String) -> String {
        columns(leftTitle: "Your sketch", left: { Self.plainLines(sketch, width: $0) },
                rightTitle: "Reference sketch", right: { markdownLines(reference, width: $0) })
    }

    /// The rubric points, marked where the sketch mentions a key term, labelled as a hint.
    func rubric(_ hints: [SketchHints.Hint]) -> String {
        let yes = color ? style("✓", .green) : "[x]"
        let no = color ? style("·", .dim) : "[ ]"
        let markWidth = color ? 1 : 3
        var lines = [style("Key points", .bold) + style(" — a hint, not a grade: \(color ? "✓" : "[x]") marks points whose key terms your sketch mentions", .dim)]
        for hint in hints {
            var text = TerminalText.line(hint.point)
            if hint.mentioned { text += style(" (" + TerminalText.line(hint.matchedKeys.joined(separator: ", ")) + ")", .dim) }
            let wrapped = wrap(text, width: max(10, width - markWidth - 3))
            for (i, line) in wrapped.enumerated() {
                lines.append(i == 0 ? "  " + (hint.mentioned ? yes : no) + " " + line
                                    : String(repeating: " ", count: markWidth + 3) + line)
            }
        }
        let found = hints.filter(\.mentioned).count
        lines.append(style("Your sketch mentions \(found) of \(hints.count) key points.", .dim))
        return lines.joined(separator: "\n")
    }
}

private extension String {
    /// The string without spaces at its end.
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
