import Foundation

/// A progress bar for long work (training, sweeps): counts, a bar, free-form fields such as the
/// loss, the rate and the time left.
///
/// On a terminal it redraws one line in place, at most ten times a second. Off a terminal (a log
/// file, CI) it writes a plain line each time another 10% of the total is done, and one at the end;
/// with an unknown total (0), only the final line. Output goes to stderr unless another sink is given.
public final class ProgressBar {
    /// A named value shown after the bar, e.g. `("loss", "2.314")`.
    public typealias Field = (name: String, value: String)

    public let total: Int
    private let label: String
    private let unit: String
    private let color: Bool
    private let isTTY: Bool
    private let output: (String) -> Void
    private let columns: () -> Int
    private let clock: () -> Double
    private let start: Double
    private let initial: Int
    private var lastDraw: Double?
    private var lastDecile = 0
    private var lastLine: (current: Int, fields: [Field]) = (0, [])
    private var finished = false

    /// - Parameters:
    ///   - total: the number of steps; 0 or less when unknown (no bar, percentage or ETA).
    ///   - label: a word before the counts, e.g. "train".
    ///   - unit: what a step is called in the rate, e.g. "steps" → "85.3 steps/s".
    ///   - initial: the step the work resumes from (the rate counts steps from here).
    ///   - color: colour the bar.
    ///   - isTTY: redraw in place (terminal) or write log lines; by default, whether stderr is a terminal.
    ///   - columns: the width to fit; by default the width of the terminal on stderr (80 if unknown).
    ///   - clock: seconds from any fixed origin (injected in tests).
    ///   - output: where text goes (stderr by default).
    public init(total: Int, label: String = "", unit: String = "steps", initial: Int = 0, color: Bool = false,
                isTTY: Bool = isatty(STDERR_FILENO) == 1,
                columns: @escaping () -> Int = { ProgressBar.stderrColumns() ?? 80 },
                clock: @escaping () -> Double = ProgressBar.monotonicSeconds,
                output: ((String) -> Void)? = nil) {
        self.total = total
        self.label = label
        self.unit = unit
        self.initial = initial
        self.color = color
        self.isTTY = isTTY
        self.columns = columns
        self.clock = clock
        self.output = output ?? { RawOutput.stderr($0) }
        self.start = clock()
    }

    /// Reports that `current` steps are done. Draws only when due (see the type's description).
    public func update(_ current: Int, fields: [Field] = []) {
        guard !finished else { return }
        lastLine = (current, fields)
        let now = clock()
        if isTTY {
            if let lastDraw, now - lastDraw < 0.1, current < total { return }
            lastDraw = now
            output("\r" + line(current, fields, now: now, width: columns() - 1) + "\u{1B}[K")
        } else if total > 0 {
            let decile = min(10, max(0, current) * 10 / total)
            guard decile > lastDecile else { return }
            lastDecile = decile
            output(line(current, fields, now: now, width: 100) + "\n")
        }
    }

    /// Prints a line of text above the bar (the bar is redrawn after it on a terminal).
    public func log(_ text: String) {
        if isTTY {
            output("\r\u{1B}[K" + text + "\n")
            lastDraw = nil
            if !finished { update(lastLine.current, fields: lastLine.fields) }
        } else {
            output(text + "\n")
        }
    }

    /// Draws the final state and ends the line. Later updates are ignored.
    public func finish(_ current: Int? = nil, fields: [Field]? = nil) {
        guard !finished else { return }
        finished = true
        let current = current ?? lastLine.current
        let fields = fields ?? lastLine.fields
        let now = clock()
        if isTTY {
            output("\r" + line(current, fields, now: now, width: columns() - 1) + "\u{1B}[K\n")
        } else {
            output(line(current, fields, now: now, width: 100) + "\n")
        }
    }

    private func line(_ current: Int, _ fields: [Field], now: Double, width: Int) -> String {
        ProgressBar.render(current: current, total: total, label: label, fields: fields,
                           elapsed: now - start, stepsDone: current - initial, unit: unit,
                           width: width, color: color)
    }

    /// One line of progress, at most `width` columns:
    /// `label current/total [bar] pct% · field value · rate unit/s · ETA m:ss`. The bar goes first
    /// when space is short, then the line is cut with an ellipsis. `stepsDone` steps took `elapsed` seconds.
    public static func render(current: Int, total: Int, label: String = "", fields: [Field] = [],
                              elapsed: Double, stepsDone: Int? = nil, unit: String = "steps",
                              width: Int, color: Bool = false) -> String {
        guard width > 0 else { return "" }
        let known = total > 0
        let fraction = known ? min(1, max(0, Double(current) / Double(total))) : 0
        var head = label.isEmpty ? "" : TerminalText.line(label) + " "
        head += known ? "\(current)/\(total)" : "\(current)"

        var tail: [String] = []
        if known { tail.append(String(format: "%3d%%", Int(fraction * 100))) }
        tail += fields.map { TerminalText.line($0.name) + " " + TerminalText.line($0.value) }
        let done = stepsDone ?? current
        let rate = elapsed > 0 && done > 0 ? Double(done) / elapsed : nil
        if let rate { tail.append(formatRate(rate) + " " + unit + "/s") }
        if known, let rate, current < total {
            tail.append("ETA " + formatDuration(Double(total - current) / rate))
        } else if !known || current >= total {
            tail.append(formatDuration(elapsed))
        }
        let tailText = tail.joined(separator: " · ")

        let fixed = CellText.width(head) + 1 + CellText.width(tailText)
        let barWidth = min(40, width - fixed - 3)
        guard known, barWidth >= 8 else {
            let separator = known ? " " : " · "  // "5/10  50% · …" but "42 · 10.5 steps/s · …"
            return CellText.truncate(head + (tailText.isEmpty ? "" : separator + tailText), to: width)
        }
        return head + " [" + bar(fraction, width: barWidth, color: color) + "] " + tailText
    }

    /// A bar `width` cells wide, filled to `fraction` with eighth-cell resolution.
    static func bar(_ fraction: Double, width: Int, color: Bool) -> String {
        let eighths = Int((fraction * Double(width) * 8).rounded(.down))
        let full = min(width, eighths / 8)
        let partial = full < width ? eighths % 8 : 0
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let filled = String(repeating: "█", count: full) + blocks[partial]
        let empty = String(repeating: " ", count: width - full - (partial > 0 ? 1 : 0))
        return Style.cyan.apply(filled, enabled: color) + empty
    }

    /// "0.52", "8.31", "85.3", "1204".
    static func formatRate(_ rate: Double) -> String {
        switch rate {
        case 100...: return String(format: "%.0f", rate)
        case 10..<100: return String(format: "%.1f", rate)
        default: return String(format: "%.2f", rate)
        }
    }

    /// "42s", "3:05", "1:02:03" (from seconds; "?" when not finite).
    static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%d:%02d", s / 60, s % 60) }
        return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    /// Seconds on a monotonic clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Columns of the terminal on stderr, or nil when stderr is not a terminal.
    public static func stderrColumns() -> Int? {
        var ws = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return nil
    }
}
