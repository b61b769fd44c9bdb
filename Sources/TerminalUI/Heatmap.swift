import Foundation

/// How many colours the terminal shows. `none` means no colour at all: pictures fall back to text.
public enum ColorDepth: String, Sendable, CaseIterable {
    case none, ansi256, truecolor

    /// `none` when colour is off; `truecolor` when `COLORTERM` is `truecolor` or `24bit`; else `ansi256`.
    public static func detect(colorEnabled: Bool,
                              environment: [String: String] = Terminal.environment) -> ColorDepth {
        guard colorEnabled else { return .none }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        return colorterm == "truecolor" || colorterm == "24bit" ? .truecolor : .ansi256
    }

    /// A background colour for `color` at this depth (plain at `none`).
    func background(_ color: RGB) -> Style {
        switch self {
        case .none: return .plain
        case .ansi256: return .paletteBackground(color.xterm256)
        case .truecolor: return .background(color.r, color.g, color.b)
        }
    }
}

/// A 24-bit colour.
struct RGB: Equatable {
    var r: Int, g: Int, b: Int

    /// The nearest colour of the xterm 256-colour palette: the 6×6×6 cube, or the grey ramp for
    /// near-neutral colours only (a grey in place of a dark blue would break a palette's hue).
    var xterm256: Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: Int) -> Int {
            levels.indices.min { abs(levels[$0] - v) < abs(levels[$1] - v) } ?? 0
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let cube = RGB(r: levels[ri], g: levels[gi], b: levels[bi])
        let greyStep = min(23, max(0, ((r + g + b) / 3 - 3) / 10))
        let grey = RGB(r: 8 + 10 * greyStep, g: 8 + 10 * greyStep, b: 8 + 10 * greyStep)
        let neutral = max(r, g, b) - min(r, g, b) < 24
        return neutral && distance(to: grey) < distance(to: cube) ? 232 + greyStep : 16 + 36 * ri + 6 * gi + bi
    }

    private func distance(to other: RGB) -> Int {
        let (dr, dg, db) = (r - other.r, g - other.g, b - other.b)
        return dr * dr + dg * dg + db * db
    }
}

/// Colour scales for heatmaps.
public enum HeatmapPalette: Sendable {
    /// Dark violet → blue → green → yellow (viridis-like): for values from 0 to 1, such as attention.
    case sequential
    /// Blue → white → red with white at 0: for signed effects (patching, logit attribution).
    case diverging

    private var stops: [RGB] {
        switch self {
        case .sequential:
            return [RGB(r: 68, g: 1, b: 84), RGB(r: 59, g: 82, b: 139), RGB(r: 33, g: 145, b: 140),
                    RGB(r: 94, g: 201, b: 98), RGB(r: 253, g: 231, b: 37)]
        case .diverging:
            return [RGB(r: 33, g: 102, b: 172), RGB(r: 103, g: 169, b: 207), RGB(r: 247, g: 247, b: 247),
                    RGB(r: 239, g: 138, b: 98), RGB(r: 178, g: 24, b: 43)]
        }
    }

    /// The colour at position `t` of the scale (clamped to 0…1).
    func color(at t: Double) -> RGB {
        let stops = self.stops
        let x = min(1, max(0, t.isNaN ? 0 : t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        let f = x - Double(i)
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * f).rounded()) }
        return RGB(r: mix(stops[i].r, stops[i + 1].r), g: mix(stops[i].g, stops[i + 1].g),
                   b: mix(stops[i].b, stops[i + 1].b))
    }

    /// The range the colours span for `values` when none is given: min…max for `sequential`,
    /// ±max|v| for `diverging`. Never empty (a constant matrix gets a unit-wide range).
    func defaultRange(_ values: [Double]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        switch self {
        case .sequential:
            return lo < hi ? lo...hi : (lo - 0.5)...(lo + 0.5)
        case .diverging:
            let m = max(abs(lo), abs(hi))
            return m > 0 ? -m...m : -1...1
        }
    }
}

/// A matrix drawn as coloured cells with row and column labels and a colour scale; with no colour,
/// a table of values (two decimals). Everything fits the given width: labels are truncated with an
/// ellipsis, cells shrink from their preferred width down to one column, and only then are columns
/// left out, with a note saying so.
public struct Heatmap: Sendable {
    /// Values by row then column. Missing cells (ragged rows) and NaN are drawn empty.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var title: String?
    public var palette: HeatmapPalette
    /// The values mapped to the ends of the palette; nil takes them from the data.
    public var range: ClosedRange<Double>?
    /// Preferred cell width in columns; nil picks 2, or up to 4 so that short column labels fit across.
    public var cellWidth: Int?
    /// Column labels too long to fit across a cell are written downwards, at most this many rows.
    public var maxColumnLabelHeight: Int

    public init<T: BinaryFloatingPoint>(_ values: [[T]], rowLabels: [String] = [], columnLabels: [String] = [],
                                        title: String? = nil, palette: HeatmapPalette = .sequential,
                                        range: ClosedRange<Double>? = nil, cellWidth: Int? = nil,
                                        maxColumnLabelHeight: Int = 8) {
        self.values = values.map { $0.map { Double($0) } }
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.title = title
        self.palette = palette
        self.range = range
        self.cellWidth = cellWidth
        self.maxColumnLabelHeight = maxColumnLabelHeight
    }

    var rowCount: Int { values.count }
    var columnCount: Int { values.map(\.count).max() ?? 0 }

    func value(_ row: Int, _ column: Int) -> Double {
        column < values[row].count ? values[row][column] : .nan
    }
    func rowLabel(_ row: Int) -> String { row < rowLabels.count ? TerminalText.line(rowLabels[row]) : "" }
    func columnLabel(_ column: Int) -> String {
        column < columnLabels.count ? TerminalText.line(columnLabels[column]) : ""
    }

    var resolvedRange: ClosedRange<Double> {
        if let range, range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound {
            return range
        }
        return palette.defaultRange(values.flatMap { $0 })
    }

    /// The picture (colour at `depth`) or, at `ColorDepth.none`, the table of values; at most `width`
    /// columns per line. Ends with a newline.
    public func render(width: Int, depth: ColorDepth) -> String {
        // A lone heatmap's title may use the whole width, not just the width of its cells.
        var panel = self
        panel.title = nil
        return HeatmapGrid(panels: [panel], title: title).render(width: width, depth: depth)
    }
}

/// Several heatmaps side by side (for example the attention pattern of every head of a layer),
/// wrapped onto as many rows as the width needs, on one shared colour scale. Without colour the
/// panels' tables follow one another.
public struct HeatmapGrid: Sendable {
    public var panels: [Heatmap]
    public var title: String?
    /// Blank columns between panels.
    public var gap: Int

    public init(panels: [Heatmap], title: String? = nil, gap: Int = 3) {
        self.panels = panels
        self.title = title
        self.gap = max(1, gap)
    }

    /// The panels at most `width` columns wide per line. Ends with a newline.
    public func render(width: Int, depth: ColorDepth) -> String {
        let width = max(1, width)
        var lines: [String] = []
        if let title { lines.append(Style.bold.apply(CellText.truncate(TerminalText.line(title), to: width), enabled: depth != .none)) }
        if panels.isEmpty {
            lines.append("(nothing to show)")
        } else if depth == .none {
            for (i, panel) in panels.enumerated() {
                if i > 0 { lines.append("") }
                lines += ValueTable(panel).lines(width: width)
            }
        } else {
            lines += HeatmapLayout(panels: panels, gap: gap, depth: depth).lines(width: width)
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

/// A block of rendered lines, each exactly `width` display columns wide.
struct TextBlock {
    var lines: [String]
    var width: Int
}

/// Colour rendering: cell width choice, panel blocks, packing into rows, the legend.
private struct HeatmapLayout {
    let panels: [Heatmap]
    let gap: Int
    let depth: ColorDepth

    func lines(width: Int) -> [String] {
        let shared = sharedRange()
        var rowLabelWidth = min(panels.map(labelWidth).max() ?? 0, max(4, min(16, width / 4)))
        if rowLabelWidth + 2 > width { rowLabelWidth = 0 }  // too narrow for labels and a cell
        let sameRows = panels.allSatisfy { $0.rowLabels == panels[0].rowLabels }
        let columns = panels.map(\.columnCount).max() ?? 0
        let labelled = rowLabelWidth > 0 ? rowLabelWidth + 1 : 0
        let preferred = panels[0].cellWidth ?? automaticCellWidth()
        let cellWidth = (1...max(1, preferred)).reversed().first { labelled + columns * $0 <= width } ?? 1
        let visible = max(0, min(columns, (width - labelled) / cellWidth))

        var out: [String] = []
        var row: [TextBlock] = []
        var rowWidth = 0
        func flush() {
            guard !row.isEmpty else { return }
            let height = row.map(\.lines.count).max() ?? 0
            for i in 0..<height {
                let parts = row.map { i < $0.lines.count ? $0.lines[i] : String(repeating: " ", count: $0.width) }
                out.append(trimTrailing(parts.joined(separator: String(repeating: " ", count: gap))))
            }
            row = []
            rowWidth = 0
        }
        for (i, panel) in panels.enumerated() {
            let withLabels = !sameRows || row.isEmpty
            var block = panelBlock(panel, range: shared, cellWidth: cellWidth, visible: visible,
                                   rowLabelWidth: withLabels ? rowLabelWidth : 0)
            if !row.isEmpty, rowWidth + gap + block.width > width {
                flush()
                if sameRows {
                    block = panelBlock(panel, range: shared, cellWidth: cellWidth, visible: visible,
                                       rowLabelWidth: rowLabelWidth)
                }
            }
            if i > 0 && row.isEmpty { out.append("") }
            rowWidth += (row.isEmpty ? 0 : gap) + block.width
            row.append(block)
        }
        flush()
        if visible < columns {
            out.append(CellText.truncate("(\(columns - visible) of \(columns) columns not shown: too narrow)",
                                         to: width))
        }
        out.append(legend(range: shared, width: width, indent: labelled))
        return out
    }

    /// One colour scale for all panels: the first explicit range, else one spanning every value.
    private func sharedRange() -> ClosedRange<Double> {
        if let explicit = panels.first(where: { $0.range != nil }) { return explicit.resolvedRange }
        return panels[0].palette.defaultRange(panels.flatMap { $0.values.flatMap { $0 } })
    }

    private func labelWidth(_ panel: Heatmap) -> Int {
        (0..<panel.rowCount).map { CellText.width(panel.rowLabel($0)) }.max() ?? 0
    }

    /// 2 columns, or up to 4 when that lets every column label fit across its cell with a space to spare.
    private func automaticCellWidth() -> Int {
        let longest = panels.flatMap { p in (0..<p.columnCount).map { CellText.width(p.columnLabel($0)) } }.max() ?? 0
        return longest + 1 <= 4 ? max(2, longest + 1) : 2
    }

    private func panelBlock(_ panel: Heatmap, range: ClosedRange<Double>, cellWidth: Int, visible: Int,
                            rowLabelWidth: Int) -> TextBlock {
        let columns = min(visible, panel.columnCount)
        let labelled = rowLabelWidth > 0 ? rowLabelWidth + 1 : 0
        let width = labelled + columns * cellWidth
        let margin = String(repeating: " ", count: labelled)
        var lines: [String] = []
        if let title = panel.title.map(TerminalText.line) {  // over the cells, or from the left edge when the cells are too narrow
            let cellsWidth = columns * cellWidth
            lines.append(CellText.width(title) <= cellsWidth || labelled == 0
                         ? CellText.padRight(margin + CellText.truncate(title, to: cellsWidth), to: width)
                         : CellText.padRight(CellText.truncate(title, to: width), to: width))
        }
        for header in columnHeader(panel, columns: columns, cellWidth: cellWidth) {
            lines.append(margin + header)
        }
        let span = range.upperBound - range.lowerBound
        for r in 0..<panel.rowCount {
            var line = rowLabelWidth > 0 ? CellText.padRight(panel.rowLabel(r), to: rowLabelWidth) + " " : ""
            for c in 0..<columns {
                let v = panel.value(r, c)
                if v.isNaN {
                    line += CellText.padRight("·", to: cellWidth)
                } else {
                    let color = panel.palette.color(at: (v - range.lowerBound) / span)
                    line += depth.background(color).apply(String(repeating: " ", count: cellWidth), enabled: true)
                }
            }
            lines.append(line)
        }
        return TextBlock(lines: lines, width: width)
    }

    /// Column labels: across when all fit their cells, else written downwards (one character per
    /// row, at most `maxColumnLabelHeight` rows, cut with an ellipsis).
    private func columnHeader(_ panel: Heatmap, columns: Int, cellWidth: Int) -> [String] {
        let labels = (0..<columns).map(panel.columnLabel)
        guard labels.contains(where: { !$0.isEmpty }) else { return [] }
        if labels.allSatisfy({ CellText.width($0) < cellWidth }) {
            return [labels.map { CellText.padRight($0, to: cellWidth) }.joined()]
        }
        let limit = max(1, panel.maxColumnLabelHeight)
        let stacks: [[String]] = labels.map { label in
            var chars = label.map { String($0) }
            if chars.count > limit { chars = Array(chars.prefix(limit - 1)) + ["…"] }
            return chars.map { CellText.width($0) <= cellWidth ? $0 : "…" }
        }
        let height = stacks.map(\.count).max() ?? 0
        return (0..<height).map { row in
            stacks.map { CellText.padRight(row < $0.count ? $0[row] : "", to: cellWidth) }.joined()
        }
    }

    /// `lo ▕gradient▏ hi`, aligned under the cells when it fits.
    private func legend(range: ClosedRange<Double>, width: Int, indent: Int) -> String {
        let lo = CellText.number(range.lowerBound), hi = CellText.number(range.upperBound)
        let fixed = CellText.width(lo) + CellText.width(hi) + 2
        let indent = width - indent - fixed >= 10 ? indent : 0  // under the cells unless that squeezes it
        let gradientWidth = min(24, width - indent - fixed)
        guard gradientWidth >= 2 else { return CellText.truncate("scale \(lo) … \(hi)", to: width) }
        let palette = panels[0].palette
        var bar = ""
        for i in 0..<gradientWidth {
            let color = palette.color(at: Double(i) / Double(gradientWidth - 1))
            bar += depth.background(color).apply(" ", enabled: true)
        }
        return String(repeating: " ", count: indent) + lo + " " + bar + " " + hi
    }

    private func trimTrailing(_ s: String) -> String {
        var s = s
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// The colourless fallback: a right-aligned table of values with two decimals. Columns that do not
/// fit the width continue in further blocks below, each repeating the row labels.
private struct ValueTable {
    let panel: Heatmap

    init(_ panel: Heatmap) { self.panel = panel }

    func lines(width: Int) -> [String] {
        var out: [String] = []
        if let title = panel.title { out.append(CellText.truncate(TerminalText.line(title), to: width)) }
        let rows = panel.rowCount, columns = panel.columnCount
        guard rows > 0, columns > 0 else { return out + [CellText.truncate("(empty)", to: width)] }
        let cells = (0..<rows).map { r in (0..<columns).map { c in CellText.number(panel.value(r, c)) } }
        let rowLabelWidth = min((0..<rows).map { CellText.width(panel.rowLabel($0)) }.max() ?? 0,
                                max(4, min(16, width / 4)))
        let columnWidths = (0..<columns).map { c -> Int in
            let valueWidth = cells.map { CellText.width($0[c]) }.max() ?? 0
            return max(valueWidth, min(CellText.width(panel.columnLabel(c)), max(valueWidth, 10)))
        }
        // Pack columns greedily into blocks that fit the width.
        var blocks: [Range<Int>] = []
        var start = 0, used = rowLabelWidth
        for c in 0..<columns {
            if c > start, used + 2 + columnWidths[c] > width {
                blocks.append(start..<c)
                start = c
                used = rowLabelWidth
            }
            used += 2 + columnWidths[c]
        }
        blocks.append(start..<columns)
        for block in blocks {
            if blocks.count > 1 {
                if block != blocks[0] { out.append("") }
                let which = block.count == 1 ? "column \(block.upperBound)"
                    : "columns \(block.lowerBound + 1)–\(block.upperBound)"
                out.append(CellText.truncate("(\(which) of \(columns))", to: width))
            }
            var header = String(repeating: " ", count: rowLabelWidth)
            for c in block {
                header += "  " + CellText.padLeft(CellText.truncate(panel.columnLabel(c), to: columnWidths[c]),
                                                  to: columnWidths[c])
            }
            out.append(header)
            for r in 0..<rows {
                var line = CellText.padRight(panel.rowLabel(r), to: rowLabelWidth)
                for c in block { line += "  " + CellText.padLeft(cells[r][c], to: columnWidths[c]) }
                out.append(line)
            }
        }
        return out.map { CellText.truncate($0.trimmingTrailingSpaces, to: width) }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
