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
        if let layer, layer < 0 || layer >= m.config.nLayers {
            throw CLIError.usage("--layer \(layer) is outside 0...\(m.config.nLayers - 1)")
        }
        if let head {
            guard layer != nil else { throw CLIError.usage("--head needs --layer") }
            guard head >= 0 && head < m.config.nHeads else {
                throw CLIError.usage("--head \(head) is outside 0...\(m.config.nHeads - 1)")
            }
        }
        var result = try AttentionAnalysis.patterns(model: m, tokens: ids, layers: layer.map { [$0] })
        if let head, let layer {
            // [1, head, q, k] -> [1, 1, q, k]
            let one = result.values.select(axis: 1, head).reshapedUnchecked([1, 1, ids.count, ids.count])
            result = AnalysisResult(kind: result.kind, model: result.model, axes: result.axes, values: one,
                                    labels: ["layer": ["\(layer)"], "head": ["\(head)"], "query": result.labels("query"),
                                             "key": result.labels("key")])
        }
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }
        let tokens = m.tokenizer.decode(ids)
        let layers = result.labels("layer"), heads = result.labels("head")
        let (nh, q) = (result.shape[1], ids.count)
        for (li, l) in layers.enumerated() {
            let panels = (0..<nh).map { h in
                Heatmap((0..<q).map { i in (0..<q).map { j in result.values.scalars[((li * nh + h) * q + i) * q + j] } },
                        rowLabels: tokens, columnLabels: tokens, title: "head \(l).\(heads[h])", range: 0...1)
            }
            let title = "\(loaded.name) attention, layer \(l) (rows: query, columns: key)"
            session.out(HeatmapGrid(panels: panels, title: title).render(width: session.screenWidth, depth: session.colorDepth),
                        terminator: "")
            if li < layers.count - 1 { session.out("") }
        }
    }
}
