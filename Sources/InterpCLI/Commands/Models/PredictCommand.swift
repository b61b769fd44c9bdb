import ArgumentParser
import Foundation
import Interp
import TerminalUI
import Transformer

struct PredictCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "The model's top next-token predictions for a prompt, and the rank of an answer (TL's test_prompt).")

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Prompt text.") var text: String?
    @Option(help: "The token you expect next (GPT-2: with its leading space, \" Mary\"); its rank, logit and probability are shown.") var answer: String?
    @Option(help: "How many top predictions to show.") var top: Int = 10
    @Flag(name: .customLong("no-bos"), help: "Do not prepend <bos>.") var noBOS = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        guard top >= 1 else { throw CLIError.usage("--top must be at least 1") }
        let loaded = try session.model(model)
        let m = loaded.model
        let ids = try m.encodeOption(try session.text(text), option: "--text", prependBOS: !noBOS)
        var answerID: Int? = nil
        if let a = answer {
            do { answerID = try m.tokenizer.answerID(a) } catch { throw CLIError.usage("--answer: \(error.message)") }
        }
        var prediction = try withFlags(["top": "--top"]) { try Prediction.make(model: m, tokens: ids, top: top, answer: answerID) }
        prediction.model = loaded.name
        if json { try session.printJSON(prediction); return }

        let bpe = m.tokenizer.isBytePair
        func shown(_ token: String) -> String { TokenDisplay.token(token, bytePair: bpe) }
        session.out(session.style("prompt", .bold) + "  " + prediction.tokens.map { "[" + TerminalText.line($0) + "]" }.joined(separator: " "))
        if let a = prediction.answer {
            let mark = a.rank == 0 ? session.style("top prediction", .green) : "rank \(a.rank)"
            session.out(session.style("answer", .bold) + "  " + shown(a.token) + "  — \(mark), logit "
                        + String(format: "%.2f", a.logit) + ", probability " + String(format: "%.1f%%", a.probability * 100))
        }
        session.out("")
        let rows = prediction.top.map { p -> [String] in
            let token = p.id == answerID ? session.style(shown(p.token), .bold + .green) : shown(p.token)
            return ["\(p.rank)", token, String(format: "%.2f", p.logit), String(format: "%.1f%%", p.probability * 100)]
        }
        session.out(TextTable(headers: ["rank", "token", "logit", "prob"], rows: rows,
                              alignments: [.right, .left, .right, .right], boxed: false)
            .render(maxWidth: session.width, color: session.color))
    }
}
