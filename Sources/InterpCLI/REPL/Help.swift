import ArgumentParser
import TerminalUI

/// `help` and `help CMD`, in the REPL and as `interp help`.
enum Help {
    static func show(topic words: [String], in session: Session) -> ExitStatus {
        let topic = words.filter { $0 != "-h" && $0 != "--help" }  // `help --help`, `help quiz -h`
        guard let first = topic.first else {
            session.out(overview(in: session))
            return .ok
        }
        guard var command = CommandCatalog.command(named: first) else {
            session.err("interp: no command '\(first)'" + Suggest.phrase(for: first, in: CommandCatalog.names))
            return .usage
        }
        for word in topic.dropFirst() {
            guard let sub = command.configuration.subcommands.first(where: { CommandCatalog.name(of: $0) == word }) else {
                let names = command.configuration.subcommands.map(CommandCatalog.name(of:))
                session.err("interp: '\(first)' has no subcommand '\(word)'" + Suggest.phrase(for: word, in: names))
                return .usage
            }
            command = sub
        }
        session.out(Interp.helpMessage(for: command, columns: session.screenWidth))
        return .ok
    }

    static func overview(in session: Session) -> String {
        var lines: [String] = []
        if !session.isREPL {
            lines.append(Interp.configuration.abstract)
            lines.append("")
            lines.append("USAGE: interp [COMMAND] [ARGUMENTS] [OPTIONS]   (no command: the REPL)")
            lines.append("")
        }
        let nameWidth = 14
        func row(_ name: String, _ abstract: String) -> String {
            let pad = String(repeating: " ", count: max(1, nameWidth - name.count))
            let indent = String(repeating: " ", count: 2 + nameWidth)
            let lines = wrap(abstract, width: max(20, session.width - indent.count))
            return "  " + session.style(name, .bold) + pad + lines.joined(separator: "\n" + indent)
        }
        for group in CommandCatalog.groups {
            lines.append(session.style(group.title, .bold + .underline))
            for c in group.commands {
                lines.append(row(CommandCatalog.name(of: c), c.configuration.abstract))
            }
            lines.append("")
        }
        if session.isREPL {
            lines.append(session.style("REPL", .bold + .underline))
            for (name, abstract) in CommandCatalog.replOnly { lines.append(row(name, abstract)) }
            lines.append("")
        }
        lines.append("Type 'help CMD' for a command's options. Global options: --color, --width, --db, --course, --now.")
        return lines.joined(separator: "\n")
    }
}
