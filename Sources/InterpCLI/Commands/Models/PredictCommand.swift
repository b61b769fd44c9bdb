import ArgumentParser
import Foundation
import Tensor
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

    struct Prediction: Encodable { var rank: Int; var token: String; var id: Int; var logit: Float; var probability: Float }
    struct Output: Encodable {
        var model: String; var tokens: [String]; var top: [Prediction]; var answer: Prediction?
    }

    func execute(in session: Session) throws {
        guard top >= 1 else { throw CLIError.usage("--top must be at least 1") }
        let loaded = try session.model(model)
        let m = loaded.model
        let prompt = try session.text(text)
        let ids = try m.promptIDs(prompt, prependBOS: !noBOS)
        var answerID: Int? = nil
        if let a = answer {
            do { answerID = try m.tokenizer.answerID(a) } catch { throw CLIError.usage("--answer: \(error.message)") }
        }
        // Only the last position is read: unembedding the others would cost GPT-2 a 50257-wide matmul each.
        let logits = try m.run([ids], options: ForwardOptions(logitPositions: .last)).logits ?? Tensor.zeros([1, 1, m.config.dVocabOut])
        let last = logits.scalars                                   // [1, 1, vocab]
        let probs = Tensor(last).softmax().scalars
        let order = last.indices.sorted { last[$0] != last[$1] ? last[$0] > last[$1] : $0 < $1 }
        func prediction(_ id: Int) -> Prediction {
            let rank = order.firstIndex(of: id) ?? 0
            return Prediction(rank: rank, token: m.tokenizer.decode([id])[0], id: id, logit: last[id], probability: probs[id])
        }
        let out = Output(model: loaded.name, tokens: m.tokenizer.decode(ids),
                         top: order.prefix(top).map(prediction), answer: answerID.map(prediction))
        if json { try session.printJSON(out); return }

        let bpe = m.tokenizer.isBytePair
        func shown(_ token: String) -> String { bpe ? TokenDisplay.token(token, bytePair: true) : TokenDisplay.escape(token, keepLayout: false) }
        session.out(session.style("prompt", .bold) + "  " + out.tokens.map { "[\(TokenDisplay.escape($0, keepLayout: false))]" }.joined(separator: " "))
        if let a = out.answer {
            let mark = a.rank == 0 ? session.style("top prediction", .green) : "rank \(a.rank)"
            session.out(session.style("answer", .bold) + "  " + shown(a.token) + "  — \(mark), logit "
                        + String(format: "%.2f", a.logit) + ", probability " + String(format: "%.1f%%", a.probability * 100))
        }
        session.out("")
        let rows = out.top.map { p -> [String] in
            let token = p.id == answerID ? session.style(shown(p.token), .bold + .green) : shown(p.token)
            return ["\(p.rank)", token, String(format: "%.2f", p.logit), String(format: "%.1f%%", p.probability * 100)]
        }
        session.out(TextTable(headers: ["rank", "token", "logit", "prob"], rows: rows,
                              alignments: [.right, .left, .right, .right], boxed: false)
            .render(maxWidth: session.width, color: session.color))
    }
}
