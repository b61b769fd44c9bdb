import ArgumentParser
import Interp
import TerminalUI

struct LensCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "The logit lens: the top tokens after each layer, and the answer's rank.",
        discussion: """
        Reads the residual stream after the embedding and after each layer through the final norm \
        and the unembedding, at the last position (or --pos).
        Example: lens induction-2l --text "cat river seven cat river" --answer seven
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Prompt text (default: the one 'set text' chose).") var text: String?
    @Option(help: "A word whose rank and probability are shown per layer.") var answer: String?
    @Option(help: "Position to read (default: the last; 0 is <bos>).") var pos: Int?
    @Option(help: "How many top tokens per layer.") var top: Int = 5
    @Flag(help: "Print JSON: probabilities [stage, rank], tokens, answer ranks.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let ids = try m.encodeOption(try session.text(text), option: "--text")
        guard top >= 1 && top <= 50 else { throw CLIError.usage("--top must be between 1 and 50 (got \(top))") }
        let a = try answer.map { try m.wordID($0, option: "--answer") }
        let lens = try withFlags(["position": "--pos", "top": "--top"]) {
            try LogitLens.analyse(model: m, tokens: ids, position: pos, answer: a, top: top)
        }
        if json { return try session.printAnalysisJSON(lens, model: loaded.name) }

        let bpe = m.tokenizer.isBytePair   // GPT-2: " Mary" in quotes
        var headers = ["after", "top tokens (probability)"]
        if let answer { headers += ["rank of \(answer)", "p"] }
        // As many of the top tokens as fit on one line: a wrapped cell would garble the table.
        let budget = max(12, session.width - 8 - (answer.map { 24 + $0.count } ?? 0))
        let rows = lens.stages.map { stage -> [String] in
            let cells = stage.top.map { t in
                "\(t.id == a ? session.style(TokenDisplay.token(t.token, bytePair: bpe), .bold + .green) : TokenDisplay.token(t.token, bytePair: bpe)) \(String(format: "%.2f", t.probability))"
            }
            var shown: [String] = []
            for cell in cells where displayWidth((shown + [cell]).joined(separator: "  ")) <= budget { shown.append(cell) }
            var row = [stage.name, (shown.isEmpty ? Array(cells.prefix(1)) : shown).joined(separator: "  ")]
            if let p = stage.answer { row += [CellText.number(Double(p.rank + 1), decimals: 0), String(format: "%.2f", p.probability)] }
            return row
        }
        session.out(session.style(TerminalText.line(loaded.name) + " logit lens at position \(lens.position) (\(TokenDisplay.token(lens.token, bytePair: bpe)))", .bold))
        session.out(TextTable(headers: headers, rows: rows, alignments: [.left, .left, .right, .right], boxed: false)
            .render(maxWidth: session.width, color: session.color))
    }
}
