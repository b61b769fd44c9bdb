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
        if let pos, pos < 0 || pos >= ids.count { throw CLIError.usage("--pos \(pos) is outside 0...\(ids.count - 1)") }
        let a = try answer.map { try m.wordID($0, option: "--answer") }
        let result = try LogitLens.analyse(model: m, tokens: ids, position: pos, answer: a, top: top)
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }

        guard case .array(let tokenRows)? = result.extra["tokens"] else { return }
        let k = result.shape[1]
        var headers = ["after", "top tokens (probability)"]
        if answer != nil { headers += ["rank of \(answer ?? "")", "p"] }
        var rows: [[String]] = []
        for (s, stage) in result.labels("stage").enumerated() {
            guard case .array(let items) = tokenRows[s] else { continue }
            let cells = items.enumerated().map { i, t -> String in
                guard case .string(let word) = t else { return "" }
                let p = result.values.scalars[s * k + i]
                let text = m.tokenizer.isBytePair ? TokenDisplay.token(word, bytePair: true) : word   // GPT-2: " Mary" in quotes
                let shown = word == answer ? session.style(text, .bold + .green) : text
                return "\(shown) \(String(format: "%.2f", p))"
            }
            // As many of the top tokens as fit on one line: a wrapped cell would garble the table.
            let budget = max(12, session.width - 8 - (answer != nil ? 24 + (answer?.count ?? 0) : 0))
            var shownCells: [String] = []
            for cell in cells where displayWidth((shownCells + [cell]).joined(separator: "  ")) <= budget { shownCells.append(cell) }
            var row = [stage, (shownCells.isEmpty ? Array(cells.prefix(1)) : shownCells).joined(separator: "  ")]
            if case .array(let ranks)? = result.extra["answer_rank"], case .array(let probs)? = result.extra["answer_prob"] {
                row += [CellText.number(ranks[s].number ?? 0, decimals: 0), String(format: "%.2f", probs[s].number ?? 0)]
            }
            rows.append(row)
        }
        let p = Int(result.extra["position"]?.number ?? 0)
        session.out(session.style("\(loaded.name) logit lens at position \(p) (\(TokenDisplay.token(m.tokenizer.decode([ids[p]])[0], bytePair: m.tokenizer.isBytePair)))", .bold))
        session.out(TextTable(headers: headers, rows: rows, alignments: [.left, .left, .right, .right], boxed: false)
            .render(maxWidth: session.width, color: session.color))
    }
}
