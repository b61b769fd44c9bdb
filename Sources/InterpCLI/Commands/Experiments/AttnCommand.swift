import ArgumentParser
import Interp
import TerminalUI

struct AttnCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "attn",
        abstract: "Attention patterns as heatmaps: one head, or every head of a layer.",
        discussion: """
        Rows are query positions (who attends), columns key positions (attended to), both labelled \
        with their tokens. Without --head, all heads of the layer are drawn side by side; without \
        --layer, every layer. NO_COLOR or --color never prints the numbers instead.
        Example: attn induction-2l --text "cat river seven cat river" --layer 1
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Prompt text (default: the one 'set text' chose).") var text: String?
    @Option(help: "Only this layer.") var layer: Int?
    @Option(help: "Only this head (needs --layer).") var head: Int?
    @Flag(help: "Print JSON: values [layer, head, query, key].") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let ids = try m.encodeOption(try session.text(text), option: "--text")
        if head != nil && layer == nil { throw CLIError.usage("--head needs --layer") }
        let result = try withFlags(["layer": "--layer", "head": "--head"]) {
            try AttentionAnalysis.patterns(model: m, tokens: ids, layers: layer.map { [$0] }, head: head)
        }
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }
        for (li, l) in result.layers.enumerated() {
            let panels = result.heads.indices.map { hi in
                (title: "head \(l).\(result.heads[hi])",
                 matrix: LabelledMatrix(rows: result.pattern(layer: li, head: hi), rowLabels: result.tokens, columnLabels: result.tokens))
            }
            session.drawPanels(panels, title: "\(loaded.name) attention, layer \(l) (rows: query, columns: key)", range: 0...1)
            if li < result.layers.count - 1 { session.out("") }
        }
    }
}
