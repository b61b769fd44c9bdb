// Drawing typed analysis results: heatmaps and notes on a terminal, the public form with --json.
import Interp
import TerminalUI

extension AnalysisError: ExitStatusProviding {
    var exitStatus: ExitStatus { .usage }
}

extension PatchingError: ExitStatusProviding {
    var exitStatus: ExitStatus { .dataError }
}

/// Runs an analysis; an `AnalysisError` about one of its parameters becomes a usage error naming the
/// flag that set it (`flags`: parameter name → flag text, e.g. `["mode": "--mode mean"]`).
func withFlags<T>(_ flags: [String: String], _ analysis: () throws -> T) throws -> T {
    do {
        return try analysis()
    } catch let e as AnalysisError {
        guard let argument = e.argument, let flag = flags[argument] else { throw e }
        throw CLIError.usage("\(flag): \(e.message)")
    }
}

extension Session {
    /// The colour depth of pictures on stdout (none without colour: pictures become tables).
    var colorDepth: ColorDepth { ColorDepth.detect(colorEnabled: color, environment: environment) }

    /// Prints the public JSON form of `result`, its model named as the learner named it.
    func printAnalysisJSON(_ result: some AnalysisOutput, model: String) throws {
        var r = result.publicForm
        r.model = model
        try printJSON(r)
    }

    /// A heatmap of a labelled matrix, fitted to the screen.
    func drawMatrix(_ matrix: LabelledMatrix, title: String, palette: HeatmapPalette = .sequential,
                    range: ClosedRange<Double>? = nil) {
        let map = Heatmap(matrix.rows, rowLabels: matrix.rowLabels, columnLabels: matrix.columnLabels, title: title,
                          palette: palette, range: range)
        out(map.render(width: screenWidth, depth: colorDepth), terminator: "")
    }

    /// Heatmaps side by side (wrapped to the screen) under one title.
    func drawPanels(_ panels: [(title: String, matrix: LabelledMatrix)], title: String, palette: HeatmapPalette = .sequential,
                    range: ClosedRange<Double>? = nil) {
        let maps = panels.map {
            Heatmap($0.matrix.rows, rowLabels: $0.matrix.rowLabels, columnLabels: $0.matrix.columnLabels, title: $0.title,
                    palette: palette, range: range)
        }
        out(HeatmapGrid(panels: maps, title: title).render(width: screenWidth, depth: colorDepth), terminator: "")
    }

    /// A dim one-line note (metric baselines and hints) after a picture.
    func note(_ text: String) {
        out(style(CellText.truncate(TerminalText.line(text), to: max(20, width)), .dim))
    }
}
