// Drawing an AnalysisResult: heatmaps and tables on a terminal, JSON with --json.
import Interp
import TerminalUI

extension AnalysisError: ExitStatusProviding {
    var exitStatus: ExitStatus { .usage }
}

extension PatchingError: ExitStatusProviding {
    var exitStatus: ExitStatus { .dataError }
}

extension Session {
    /// The colour depth of pictures on stdout (none without colour: pictures become tables).
    var colorDepth: ColorDepth { ColorDepth.detect(colorEnabled: color, environment: environment) }

    /// Prints `result` as JSON, its model named as the learner named it.
    func printAnalysisJSON(_ result: AnalysisResult, model: String) throws {
        var r = result
        r.model = model
        try printJSON(r)
    }

    /// A heatmap of a two-axis result (rows = first axis, columns = second), fitted to the screen.
    func drawMatrix(_ result: AnalysisResult, title: String, palette: HeatmapPalette,
                    range: ClosedRange<Double>? = nil, rowPrefix: String = "", columnPrefix: String = "") {
        let rows = result.labels(result.axes.first ?? "").map { rowPrefix + $0 }
        let cols = result.labels(result.axes.count > 1 ? result.axes[1] : "").map { columnPrefix + $0 }
        let map = Heatmap(result.matrix, rowLabels: rows, columnLabels: cols, title: title, palette: palette, range: range)
        out(map.render(width: screenWidth, depth: colorDepth), terminator: "")
    }

    /// One heatmap per index of the first axis of a three-axis result (e.g. `[layer, pos, head]`).
    func drawPanels(_ result: AnalysisResult, title: String, panelPrefix: String, palette: HeatmapPalette,
                    range: ClosedRange<Double>? = nil, columnPrefix: String = "") {
        guard result.values.rank == 3 else { return drawMatrix(result, title: title, palette: palette, range: range) }
        let (n, r, c) = (result.shape[0], result.shape[1], result.shape[2])
        let rowLabels = result.labels(result.axes[1])
        let colLabels = result.labels(result.axes[2]).map { columnPrefix + $0 }
        let panelLabels = result.labels(result.axes[0])
        let panels = (0..<n).map { i in
            Heatmap((0..<r).map { row in (0..<c).map { result.values.scalars[(i * r + row) * c + $0] } },
                    rowLabels: rowLabels, columnLabels: colLabels,
                    title: panelPrefix + (i < panelLabels.count ? panelLabels[i] : "\(i)"), palette: palette, range: range)
        }
        out(HeatmapGrid(panels: panels, title: title).render(width: screenWidth, depth: colorDepth), terminator: "")
    }

    /// A dim one-line note (metric baselines and hints) after a picture.
    func note(_ text: String) {
        out(style(CellText.truncate(TerminalText.line(text), to: max(20, width)), .dim))
    }
}
