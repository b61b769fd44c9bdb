import ArgumentParser
import Interp
import Transformer
import TerminalUI

/// `interp model card NAME [--json]`: facts computed from the model's weights on the spot.
struct ModelCardCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "A model's card: training record, task accuracy and head facts, computed from its weights.")
    @Argument(help: "Bundled model name or path to a .safetensors model file.") var model: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let card: ModelCard
        do { card = try ModelCard.make(model: loaded.model, name: loaded.name) } catch { throw CLIError.data("\(error)") }
        if json { try session.printJSON(card); return }
        guard let first = card.lines.first else { return }
        // The card quotes the file's metadata (training record, names): shown made safe.
        session.paragraph(session.style(TerminalText.line(first), .bold), hang: "  ")
        for line in card.lines.dropFirst() { session.paragraph(TerminalText.line(line), indent: "  ", hang: "    ") }
    }
}
