import ArgumentParser
import TerminalUI

struct SetCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set the model and text later commands use: set model NAME, set text \"...\".",
        discussion: "'set' alone shows them; 'set --clear' forgets both. Meant for the REPL (a one-shot run forgets them).")

    enum Key: String, ExpressibleByArgument, CaseIterable { case model, text }

    @Argument(help: "model or text.") var key: Key?
    @Argument(help: "The model name (or path) or the text.") var value: [String] = []
    @Flag(help: "Forget the model and the text.") var clear = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        if clear {
            guard key == nil else { throw CLIError.usage("set --clear takes no other arguments") }
            session.currentModel = nil
            session.currentText = nil
            session.out("model and text cleared")
            return
        }
        guard let key else {
            session.out("model  " + (session.currentModel ?? session.style("(none)", .dim)))
            session.out("text   " + (session.currentText.map { "\"\($0)\"" } ?? session.style("(none)", .dim)))
            return
        }
        let joined = value.joined(separator: " ")
        guard !joined.isEmpty else { throw CLIError.usage("set \(key.rawValue) needs a value") }
        switch key {
        case .model:
            let loaded = try session.model(joined)       // check it loads now, not at the next command
            session.currentModel = joined
            let c = loaded.model.config
            session.out("model \(TerminalText.line(joined)) (\(c.nLayers) layers × \(c.nHeads) heads, \(c.dVocab) tokens)")
        case .text:
            if let name = session.currentModel, let m = try? session.model(name).model {
                _ = try m.encodeOption(joined, option: "set text")
            }
            session.currentText = joined
            session.out("text \"" + TerminalText.line(joined) + "\"")
        }
        if !session.isREPL { session.err("note: outside the REPL this setting is forgotten when the command ends") }
    }
}
