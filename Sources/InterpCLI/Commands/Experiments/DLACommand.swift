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
        session.drawMatrix(.heads(result.heads), title: "\(loaded.name): direct attribution of \(what) per head", palette: .diverging)
        session.out("")
        let bars = result.components.map { BarChart.Bar($0.label, Double($0.value), valueText: CellText.number(Double($0.value))) }
        session.out(BarChart(bars: bars, title: "every component").render(width: min(session.screenWidth, 100), color: session.color),
                    terminator: "")
        session.note("sum of components \(CellText.number(Double(result.componentSum))) + constant \(CellText.number(Double(result.constant))) = \(what) = \(CellText.number(Double(result.logitDiff)))")
    }
}
