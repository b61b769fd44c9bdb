/// A table of text for the terminal: Markdown tables in lessons and data printed by commands.
///
/// Cells are strings, possibly styled with escape codes; a `\n` in a cell starts a new line.
/// `render(maxWidth:color:)` never produces a line wider than `maxWidth` (for `maxWidth` ≥ 2): long
/// cells wrap inside their column, the widest columns shrinking first down to
/// `minimumColumnWidth`; when even that cannot fit, each row is printed as a record, one
/// `header  value` line per column.
public struct TextTable: Sendable {
    public enum Alignment: Sendable, Equatable {
        case left, center, right
    }

    /// Header cells; empty for a table without a header row.
    public var headers: [String]
    public var rows: [[String]]
    /// Alignment per column; columns without an entry are left-aligned.
    public var alignments: [Alignment]
    /// Box drawing (`┌─┬─┐`) when true; columns separated by two spaces when false.
    public var boxed: Bool
    /// The narrowest a column is shrunk to before the table falls back to records.
    public var minimumColumnWidth: Int

    public init(headers: [String] = [], rows: [[String]], alignments: [Alignment] = [],
                boxed: Bool = true, minimumColumnWidth: Int = 4) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
        self.boxed = boxed
        self.minimumColumnWidth = max(1, minimumColumnWidth)
    }

    /// The table as text, lines joined by `\n` without a trailing newline. With `color` the
    /// header is bold and the borders dim; without it the table adds no escape codes.
    public func render(maxWidth: Int, color: Bool) -> String {
        renderLines(maxWidth: maxWidth, color: color).joined(separator: "\n")
    }

    /// The table as lines (see `render(maxWidth:color:)`).
    public func renderLines(maxWidth: Int, color: Bool) -> [String] {
        let columnCount = max(headers.count, rows.map(\.count).max() ?? 0)
        guard columnCount > 0 else { return [] }
        let maxWidth = max(1, maxWidth)
        let header = headers.isEmpty ? nil : cells(headers, columnCount)
        let body = rows.map { cells($0, columnCount) }
        let all = (header.map { [$0] } ?? []) + body

        var natural = [Int](repeating: 1, count: columnCount)
        for row in all {
            for (c, cell) in row.enumerated() {
                for line in cell { natural[c] = max(natural[c], displayWidth(line)) }
            }
        }
        let overhead = boxed ? 3 * columnCount + 1 : 2 * (columnCount - 1)
        let available = maxWidth - overhead
        let minimum = natural.map { min($0, minimumColumnWidth) }
        guard minimum.reduce(0, +) <= available else {
            return recordLines(header: header, body: body, maxWidth: maxWidth, color: color)
        }
        let widths = Self.shrink(natural, toFit: available, minimum: minimum)
        let layout = Layout(widths: widths, alignments: (0..<columnCount).map { alignment(of: $0) },
                            boxed: boxed, color: color)
        return layout.lines(header: header, body: body)
    }

    private func alignment(of column: Int) -> Alignment {
        column < alignments.count ? alignments[column] : .left
    }

    /// A row padded to `count` cells, each split into its lines.
    private func cells(_ row: [String], _ count: Int) -> [[String]] {
        (0..<count).map { c in
            guard c < row.count else { return [""] }
            return row[c].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Column widths that sum to at most `available`: one column at a time, the widest (the
    /// rightmost of equals) loses a column until the total fits; none goes below its minimum.
    static func shrink(_ natural: [Int], toFit available: Int, minimum: [Int]) -> [Int] {
        var widths = natural
        var excess = widths.reduce(0, +) - available
        while excess > 0 {
            var widest = -1
            for c in widths.indices where widths[c] > minimum[c] {
                if widest < 0 || widths[c] >= widths[widest] { widest = c }
            }
            guard widest >= 0 else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    /// The fallback for tables that cannot fit: every row as a block of `header  value` lines.
    private func recordLines(header: [[String]]?, body: [[[String]]], maxWidth: Int,
                             color: Bool) -> [String] {
        let columnCount = body.first?.count ?? header?.count ?? 0
        let keys: [String] = (0..<columnCount).map { c in
            let text = header?[c].joined(separator: " ") ?? ""
            return text.isEmpty ? "\(c + 1)" : text
        }
        let keyWidth = min(keys.map(displayWidth).max() ?? 1, max(1, maxWidth / 3))
        let valueWidth = maxWidth - keyWidth - 2
        let sideBySide = valueWidth >= 8
        let keyStyle: Style = color ? .bold : .plain
        var out: [String] = []
        if body.isEmpty { return wrap(keys.joined(separator: "  "), width: maxWidth) }
        for (r, row) in body.enumerated() {
            if r > 0 { out.append(Style.dim.apply(String(repeating: "─", count: min(maxWidth, 20)), enabled: color)) }
            for c in 0..<columnCount {
                let keyLines = wrap(keys[c], width: sideBySide ? keyWidth : maxWidth)
                if sideBySide {
                    let values = row[c].flatMap { wrap($0, width: valueWidth) }
                    for i in 0..<max(keyLines.count, values.count) {
                        let key = i < keyLines.count ? keyLines[i] : ""
                        let value = i < values.count ? values[i] : ""
                        let padded = pad(applyBase(keyStyle, to: key, color: color), to: keyWidth, .left)
                        out.append(trimTrailingSpaces(padded + "  " + value))
                    }
                } else {
                    out += keyLines.map { applyBase(keyStyle, to: $0, color: color) }
                    let indent = maxWidth >= 4 ? 2 : 0
                    let values = row[c].flatMap { wrap($0, width: maxWidth - indent) }
                    out += values.map { String(repeating: " ", count: indent) + $0 }
                }
            }
        }
        return out
    }
}

/// Column widths, alignments and border style of a table that fits.
private struct Layout {
    let widths: [Int]
    let alignments: [TextTable.Alignment]
    let boxed: Bool
    let color: Bool

    func lines(header: [[String]]?, body: [[[String]]]) -> [String] {
        let wrappedBody = body.map(wrapRow)
        let separateRows = wrappedBody.contains { row in row.contains { $0.count > 1 } }
        var out: [String] = []
        if boxed { out.append(rule("┌", "─", "┬", "┐")) }
        if let header {
            out += rowLines(wrapRow(header), style: color ? .bold : .plain)
            out.append(boxed ? rule("╞", "═", "╪", "╡") : rule("", "─", "  ", ""))
        }
        for (r, row) in wrappedBody.enumerated() {
            if r > 0, separateRows { out.append(boxed ? rule("├", "─", "┼", "┤") : "") }
            out += rowLines(row, style: .plain)
        }
        if boxed { out.append(rule("└", "─", "┴", "┘")) }
        return out
    }

    private func wrapRow(_ row: [[String]]) -> [[String]] {
        row.enumerated().map { c, cell in cell.flatMap { wrap($0, width: widths[c]) } }
    }

    private func rowLines(_ row: [[String]], style: Style) -> [String] {
        let height = row.map(\.count).max() ?? 1
        let bar = border("│")
        return (0..<height).map { i in
            var parts: [String] = []
            for (c, cell) in row.enumerated() {
                let text = i < cell.count ? applyBase(style, to: cell[i], color: color) : ""
                parts.append(pad(text, to: widths[c], alignments[c]))
            }
            if boxed { return bar + " " + parts.joined(separator: " " + bar + " ") + " " + bar }
            return trimTrailingSpaces(parts.joined(separator: "  "))
        }
    }

    private func rule(_ left: String, _ fill: String, _ join: String, _ right: String) -> String {
        let extra = boxed ? 2 : 0
        let segments = widths.map { String(repeating: fill, count: $0 + extra) }
        return border(left + segments.joined(separator: join) + right)
    }

    private func border(_ text: String) -> String { Style.dim.apply(text, enabled: color) }
}

/// `text` padded with spaces to `width` columns according to `alignment`.
func pad(_ text: String, to width: Int, _ alignment: TextTable.Alignment) -> String {
    let gap = max(0, width - displayWidth(text))
    switch alignment {
    case .left: return text + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + text
    case .center:
        let left = gap / 2
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: gap - left)
    }
}

/// `text` in `style`, the style restored after every reset inside `text` so nested styles
/// (for example inline code in a header cell) do not end it early.
func applyBase(_ style: Style, to text: String, color: Bool) -> String {
    guard color, !style.codes.isEmpty, !text.isEmpty else { return text }
    let open = "\u{1B}[" + style.codes.joined(separator: ";") + "m"
    let body = text.replacing(ANSIText.reset, with: ANSIText.reset + open)
    return open + body + ANSIText.reset
}

func trimTrailingSpaces(_ text: String) -> String {
    var end = text.endIndex
    while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
    return String(text[..<end])
}
