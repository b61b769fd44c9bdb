import ArgumentParser
import Interp
import TerminalUI

struct DLACommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "dla",
        abstract: "Direct logit attribution: how much each head and embedding writes the answer's logit.",
        discussion: """
        Splits the final residual stream at the last position into embed, pos_embed, each head's \
        output (z·W_O), MLPs and the summed biases, and projects each onto W_U[:, answer] − \
        W_U[:, wrong] (through the final LayerNorm's cached scale, as TransformerLens does). The \
        components plus a constant add up to the logit difference.
        Example: dla ioi-3l --text "..." --answer mary --wrong john
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Prompt text (default: the one 'set text' chose).") var text: String?
    @Option(help: "The answer word whose logit is attributed.") var answer: String
    @Option(help: "A competing word: attribute logit[answer] − logit[wrong].") var wrong: String?
    @Flag(help: "Print JSON: values per component.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let ids = try m.encodeOption(try session.text(text), option: "--text")
        let a = try m.wordID(answer, option: "--answer")
        let w = try wrong.map { try m.wordID($0, option: "--wrong") }
        let result = try LogitAttribution.analyse(model: m, tokens: [ids], answers: [a], wrong: w.map { [$0] })
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }

        let what = wrong.map { "logit[\(answer)] − logit[\($0)]" } ?? "logit[\(answer)]"
        if case .array(let rows)? = result.extra["heads"] {
            let matrix = rows.map { row -> [Double] in
                guard case .array(let xs) = row else { return [] }
                return xs.compactMap(\.number)
            }
            let c = m.config
            let map = Heatmap(matrix, rowLabels: (0..<c.nLayers).map { "L\($0)" }, columnLabels: (0..<c.nHeads).map { "H\($0)" },
                              title: "\(loaded.name): direct attribution of \(what) per head", palette: .diverging)
            session.out(map.render(width: session.screenWidth, depth: session.colorDepth), terminator: "")
            session.out("")
        }
        let labels = result.labels("component")
        let bars = zip(labels, result.values.scalars).map { BarChart.Bar($0, Double($1), valueText: CellText.number(Double($1))) }
        session.out(BarChart(bars: bars, title: "every component").render(width: min(session.screenWidth, 100), color: session.color),
                    terminator: "")
        let ld = result.extra["logit_diff"]?.number ?? 0, constant = result.extra["constant"]?.number ?? 0
        session.note("sum of components \(CellText.number(Double(result.values.sum()))) + constant \(CellText.number(constant)) = \(what) = \(CellText.number(ld))")
    }
}
