import Foundation

/// One line of a `LineChart`: y values at x positions (x defaults to 0, 1, 2, …).
public struct ChartSeries: Sendable {
    public var name: String
    public var xs: [Double]
    public var ys: [Double]

    /// Points that are not finite (a loss that blew up, NaN) are skipped; extra xs or ys are ignored.
    public init<T: BinaryFloatingPoint>(name: String, values: [T], xs: [Double]? = nil) {
        self.name = name
        self.ys = values.map { Double($0) }
        self.xs = xs ?? values.indices.map(Double.init)
    }

    var points: [(x: Double, y: Double)] {
        zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
    }
}

/// A line chart (a loss curve): a y axis with labels, an x axis with the first, middle and last x,
/// and a legend when there are several series. Drawn with braille dots (2×4 per character, points
/// binned and joined by lines); without colour, several series are drawn with ASCII markers
/// (`*`, `+`, `o`, …) so they stay apart.
public struct LineChart: Sendable {
    public var series: [ChartSeries]
    public var title: String?
    /// Rows of the plot area (axes and labels come on top of this).
    public var height: Int
    /// Name of the x axis, e.g. "step".
    public var xLabel: String?

    public init(series: [ChartSeries], title: String? = nil, height: Int = 10, xLabel: String? = nil) {
        self.series = series
        self.title = title
        self.height = height
        self.xLabel = xLabel
    }

    static let seriesStyles: [Style] = [.cyan, .magenta, .yellow, .green, .blue, .red]
    static let markers: [Character] = ["*", "+", "o", "x", "#", "@"]

    /// The chart in at most `width` columns. Ends with a newline.
    public func render(width: Int, color: Bool) -> String {
        var lines: [String] = []
        if let title { lines.append(Style.bold.apply(CellText.truncate(TerminalText.line(title), to: width), enabled: color)) }
        let all = series.flatMap(\.points)
        guard let xMin = all.map(\.x).min(), let xMax = all.map(\.x).max(),
              var yMin = all.map(\.y).min(), var yMax = all.map(\.y).max() else {
            return (lines + ["(no data to plot)"]).map { $0 + "\n" }.joined()
        }
        if yMin == yMax {
            yMin -= 1
            yMax += 1
        }
        let rows = max(2, height)
        // Counts (whole numbers) get whole-number tick labels: "6, 4, 0", not "6.00, 3.60, 0.00".
        let integral = series.allSatisfy { $0.ys.allSatisfy { !$0.isFinite || $0 == $0.rounded() } }
        let decimals = integral ? 0 : LineChart.decimals(for: yMax - yMin)
        let tickRows = Set([0, rows - 1] + (rows >= 5 ? [(rows - 1) / 2] : []))
        let tickLabels = Dictionary(uniqueKeysWithValues: tickRows.map { row in
            (row, CellText.number(yMax - (yMax - yMin) * Double(row) / Double(rows - 1), decimals: decimals))
        })
        let labelWidth = tickLabels.values.map(CellText.width).max() ?? 0
        let plotWidth = width - labelWidth - 2
        guard plotWidth >= 4 else {
            return (lines + [CellText.truncate("(too narrow for a chart)", to: width)]).map { $0 + "\n" }.joined()
        }

        let ascii = !color && series.count > 1
        let canvas = ascii
            ? markerCanvas(width: plotWidth, rows: rows, x: xMin...xMax, y: yMin...yMax)
            : brailleCanvas(width: plotWidth, rows: rows, x: xMin...xMax, y: yMin...yMax, color: color)
        for row in 0..<rows {
            let label = CellText.padLeft(tickLabels[row] ?? "", to: labelWidth)
            lines.append((label + (tickLabels[row] == nil ? " │" : " ┤") + canvas[row]).trimmingTrailingWhitespace)
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: plotWidth))
        lines.append(xAxisName(margin: labelWidth + 2, plotWidth: plotWidth)
                     + xAxisLabels(xMin: xMin, xMax: xMax, width: plotWidth))
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            lines.append(legend(ascii: ascii, color: color, width: width))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Decimals for y labels so that the ticks of a range this wide differ.
    static func decimals(for span: Double) -> Int {
        switch span {
        case 100...: return 0
        case 10..<100: return 1
        case 0.1..<10: return 2
        case 0.001..<0.1: return 4
        default: return 6
        }
    }

    /// Braille rendering: each series binned per dot column (mean y), consecutive bins joined.
    private func brailleCanvas(width: Int, rows: Int, x: ClosedRange<Double>, y: ClosedRange<Double>,
                               color: Bool) -> [String] {
        let dotsX = width * 2, dotsY = rows * 4
        var bits = [[UInt8]](repeating: [UInt8](repeating: 0, count: width), count: rows)
        var owner = [[Int]](repeating: [Int](repeating: -1, count: width), count: rows)
        for (index, s) in series.enumerated() {
            let bins = LineChart.bin(s.points, columns: dotsX, x: x)
            var previous: (Int, Int)?
            for (column, mean) in bins.enumerated() {
                guard let mean else { continue }
                let dotY = Int(((y.upperBound - mean) / (y.upperBound - y.lowerBound) * Double(dotsY - 1)).rounded())
                let point = (column, min(dotsY - 1, max(0, dotY)))
                for (dx, dy) in LineChart.segment(from: previous ?? point, to: point) {
                    let bit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
                    bits[dy / 4][dx / 2] |= bit[dx % 2][dy % 4]
                    owner[dy / 4][dx / 2] = index
                }
                previous = point
            }
        }
        return (0..<rows).map { row in
            (0..<width).map { column -> String in
                let mask = bits[row][column]
                guard mask != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(mask)) else { return " " }
                let style = LineChart.seriesStyles[owner[row][column] % LineChart.seriesStyles.count]
                return style.apply(String(Character(scalar)), enabled: color)
            }.joined()
        }
    }

    /// ASCII rendering: one marker per series per character column (mean y of the column's points).
    private func markerCanvas(width: Int, rows: Int, x: ClosedRange<Double>, y: ClosedRange<Double>) -> [String] {
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: rows)
        for (index, s) in series.enumerated() {
            for (column, mean) in LineChart.bin(s.points, columns: width, x: x).enumerated() {
                guard let mean else { continue }
                let row = Int(((y.upperBound - mean) / (y.upperBound - y.lowerBound) * Double(rows - 1)).rounded())
                grid[min(rows - 1, max(0, row))][column] = LineChart.markers[index % LineChart.markers.count]
            }
        }
        return grid.map { String($0) }
    }

    /// Mean y of the points falling in each of `columns` equal slices of the x range (nil if none).
    static func bin(_ points: [(x: Double, y: Double)], columns: Int, x: ClosedRange<Double>) -> [Double?] {
        var sums = [Double](repeating: 0, count: columns), counts = [Int](repeating: 0, count: columns)
        let span = x.upperBound - x.lowerBound
        for p in points {
            let column = span > 0 ? Int(((p.x - x.lowerBound) / span * Double(columns - 1)).rounded()) : 0
            let c = min(columns - 1, max(0, column))
            sums[c] += p.y
            counts[c] += 1
        }
        return (0..<columns).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
    }

    /// The dots of a straight segment between two dots (Bresenham), ends included.
    static func segment(from a: (Int, Int), to b: (Int, Int)) -> [(Int, Int)] {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var error = dx + dy
        var out: [(Int, Int)] = []
        while true {
            out.append((x, y))
            if x == b.0 && y == b.1 { return out }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// First x at the left, last at the right, the middle one centred when there is room; then the axis name.
    private func xAxisLabels(xMin: Double, xMax: Double, width: Int) -> String {
        let integral = series.allSatisfy { $0.xs.allSatisfy { !$0.isFinite || $0 == $0.rounded() } }
        func format(_ v: Double) -> String {
            integral ? String(Int(v.rounded())) : CellText.number(v, decimals: LineChart.decimals(for: xMax - xMin))
        }
        var line = [Character](repeating: " ", count: width)
        func place(_ text: String, at start: Int) {
            let chars = Array(text)
            guard start >= 0, start + chars.count <= width else { return }
            guard line[max(0, start - 1)..<min(width, start + chars.count + 1)].allSatisfy({ $0 == " " }) else { return }
            for (i, c) in chars.enumerated() { line[start + i] = c }
        }
        let first = format(xMin), last = format(xMax)
        place(first, at: 0)
        if xMax > xMin {
            place(last, at: width - last.count)
            let middle = format((xMin + xMax) / 2)
            place(middle, at: width / 2 - middle.count / 2)
        }
        var text = String(line)
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// The left margin of the x-label line: the axis name ("step") right-aligned in it when it fits,
    /// so that the line reads "step 0 … 6000".
    private func xAxisName(margin: Int, plotWidth: Int) -> String {
        let name = TerminalText.line(xLabel ?? "")
        guard !name.isEmpty, CellText.width(name) + 1 <= margin else { return String(repeating: " ", count: margin) }
        return CellText.padLeft(name, to: margin - 1) + " "
    }

    private func legend(ascii: Bool, color: Bool, width: Int) -> String {
        let entries = series.enumerated().map { index, s -> String in
            let mark = ascii ? String(LineChart.markers[index % LineChart.markers.count]) : "⣿"
            let style = LineChart.seriesStyles[index % LineChart.seriesStyles.count]
            return style.apply(mark, enabled: color) + " " + TerminalText.line(s.name)
        }
        var line = ""
        var used = 0
        for (entry, s) in zip(entries, series) {
            let w = 2 + CellText.width(TerminalText.line(s.name)) + (used > 0 ? 3 : 0)
            if used + w > width { break }
            line += (used > 0 ? "   " : "") + entry
            used += w
        }
        return line
    }
}

/// A one-line chart of values: `▁▂▃▄▅▆▇█`.
public enum Sparkline {
    /// One character per value, or per slice of values (their mean) when `width` is smaller than the
    /// count. Non-finite values show as a space; a constant series sits mid-height.
    public static func render<T: BinaryFloatingPoint>(_ values: [T], width: Int? = nil) -> String {
        let doubles = values.map { Double($0) }
        let columns = max(0, min(width ?? doubles.count, doubles.count))
        guard columns > 0 else { return "" }
        var slices: [Double?] = []
        for c in 0..<columns {
            let range = (c * doubles.count / columns)..<((c + 1) * doubles.count / columns)
            let finite = doubles[range].filter(\.isFinite)
            slices.append(finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count))
        }
        let present = slices.compactMap { $0 }
        guard let lo = present.min(), let hi = present.max() else { return String(repeating: " ", count: columns) }
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(slices.map { value -> Character in
            guard let value else { return " " }
            guard hi > lo else { return blocks[3] }
            return blocks[min(7, max(0, Int(((value - lo) / (hi - lo) * 7).rounded())))]
        })
    }
}

/// Horizontal bars with labels and values (accuracy per lesson, reviews per day, effect per head).
/// Negative values extend left of a zero line.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Text shown after the bar; by default the value (no decimals when it is a whole number).
        public var valueText: String?
        public init(_ label: String, _ value: Double, valueText: String? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
        }
    }

    public var bars: [Bar]
    public var title: String?
    /// The value a full-width bar stands for (e.g. 1 for an accuracy); nil uses the largest value.
    public var maxValue: Double?

    public init(bars: [Bar], title: String? = nil, maxValue: Double? = nil) {
        self.bars = bars
        self.title = title
        self.maxValue = maxValue
    }

    /// The chart in at most `width` columns. Ends with a newline.
    public func render(width: Int, color: Bool) -> String {
        var lines: [String] = []
        if let title { lines.append(Style.bold.apply(CellText.truncate(TerminalText.line(title), to: width), enabled: color)) }
        guard !bars.isEmpty else { return (lines + ["(no data)"]).map { $0 + "\n" }.joined() }
        let texts = bars.map { bar -> String in
            if let text = bar.valueText { return TerminalText.line(text) }
            if bar.value.isFinite, bar.value == bar.value.rounded(), abs(bar.value) < 1e15 {
                return String(Int(bar.value))
            }
            return CellText.number(bar.value)
        }
        let labels = bars.map { TerminalText.line($0.label) }
        let labelWidth = min(labels.map(CellText.width).max() ?? 0, max(4, width / 3))
        let valueWidth = texts.map(CellText.width).max() ?? 0
        let area = width - labelWidth - valueWidth - 2
        // One scale for both sides: `unit` columns per unit of value; negatives get the left part.
        let finite = bars.map(\.value).filter(\.isFinite)
        let positiveEnd = maxValue.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? max(0, finite.max() ?? 0)
        let negativeEnd = max(0, -(finite.min() ?? 0))
        let unit = positiveEnd + negativeEnd > 0 ? Double(max(0, area)) / (positiveEnd + negativeEnd) : 0
        let left = min(max(0, area), Int((negativeEnd * unit).rounded()))
        let right = max(0, area) - left

        for (i, bar) in bars.enumerated() {
            var line = CellText.padRight(labels[i], to: labelWidth) + " "
            if area >= 2 {
                let cells = bar.value.isFinite ? abs(bar.value) * unit : 0
                if bar.value < 0 {
                    let cells = min(left, Int(cells.rounded()))
                    line += String(repeating: " ", count: left - cells)
                        + Style.red.apply(String(repeating: "█", count: cells), enabled: color)
                        + String(repeating: " ", count: right)
                } else {
                    line += String(repeating: " ", count: left)
                        + ProgressBar.bar(min(1, cells / Double(max(1, right))), width: right, color: color)
                }
                line += " "
            }
            line += CellText.padLeft(texts[i], to: valueWidth)
            // Without bars (or colour codes) a line can be cut safely; with them the layout already fits.
            lines.append((area < 2 || !color ? CellText.truncate(line, to: width) : line).trimmingTrailingWhitespace)
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
