import ArgumentParser
import Foundation
import TerminalUI

/// Turns a list of words into a command run: shared by one-shot runs and every REPL line.
enum Dispatcher {
    /// One-shot entry: `interp ARGS…`. No command starts the REPL.
    static func run(arguments: [String]) -> ExitStatus {
        let args = hoistGlobalOptions(arguments)
        if args.first.map({ !$0.hasPrefix("-") }) != true, !args.contains(where: { ["-h", "--help", "--version"].contains($0) }) {
            // No command: the REPL, with whatever global options were given.
            do {
                let global = try GlobalOptions.parse(args)
                let interactive = Terminal.stdinIsTTY
                let session = Session(global: global.settings, isREPL: true, isInteractive: interactive)
                return REPL(session: session).run()
            } catch {
                return report(error, session: nil)
            }
        }
        let session = Session(global: GlobalSettings(), isREPL: false, isInteractive: Terminal.stdinIsTTY)
        return execute(words: args, in: session)
    }

    /// Parses `words` (a command and its arguments) and runs it in `session`.
    static func execute(words: [String], in session: Session) -> ExitStatus {
        let words = hoistGlobalOptions(words)
        guard let first = words.first else { return .ok }
        if first == "-h" || first == "--help" { return Help.show(topic: [], in: session) }
        if !first.hasPrefix("-"), CommandCatalog.command(named: first) == nil, first != "help" {
            session.err("interp: unknown command '\(first)'" + Suggest.phrase(for: first, in: CommandCatalog.names)
                        + (session.isREPL ? " (type 'help' for the list)" : " (see 'interp --help')"))
            return .usage
        }
        if first == "help" { return Help.show(topic: Array(words.dropFirst()), in: session) }
        // `CMD --help`, `CMD SUB -h`: that command's help (ArgumentParser would show the help of `help`).
        if let topic = helpTopic(words) { return Help.show(topic: topic, in: session) }
        do {
            let parsed = try Interp.parseAsRoot(words)
            guard let command = parsed as? InterpCommand else {
                // A command group given without a subcommand: show its help.
                session.out(Interp.helpMessage(for: type(of: parsed), columns: session.screenWidth))
                return .ok
            }
            session.reportedProblems = []
            try session.with(command.global.settings) {
                _ = try session.now()  // a malformed --now or INTERP_NOW is an error for every command
                try command.execute(in: session)
            }
            return .ok
        } catch {
            return report(error, session: session)
        }
    }

    /// The command path whose help `words` ask for with `-h` or `--help` (before any `--`): the
    /// command and the subcommands named after it. Nil when no help is asked for.
    static func helpTopic(_ words: [String]) -> [String]? {
        let options = words.prefix { $0 != "--" }
        guard options.contains(where: { $0 == "-h" || $0 == "--help" }), let first = words.first,
              var command = CommandCatalog.command(named: first) else { return nil }
        var topic = [CommandCatalog.name(of: command)]
        for word in words.dropFirst() {
            guard let sub = command.configuration.subcommands.first(where: { CommandCatalog.name(of: $0) == word }) else { break }
            topic.append(word)
            command = sub
        }
        return topic
    }

    /// Prints `error` as one line on stderr (help and version go to stdout) and returns its status.
    static func report(_ error: Error, session: Session?) -> ExitStatus {
        // An error message is one line and quotes what it complains about: made safe as one line.
        let write: (String) -> Void = { line in RawOutput.stderr(TerminalText.line(line) + "\n") }
        switch error {
        case let e as CLIError:
            if !e.isSilent { write("interp: \(e.message)") }
            return e.status
        case let e as ExitStatusProviding:
            write("interp: \(e)")
            return e.exitStatus
        case is InterruptedError, is CancellationError:
            write("interp: interrupted")
            return .interrupted
        default:
            break
        }
        let code = Interp.exitCode(for: error)
        if code == .success {
            // --help, --version
            let text = Interp.fullMessage(for: error)
            if !text.isEmpty { RawOutput.stdout(text + "\n") }
            return .ok
        }
        if code == .validationFailure || error is ValidationError {
            var msg = Interp.message(for: error)
            if msg.isEmpty { msg = "\(error)" }
            write("interp: \(msg)")
            return .usage
        }
        let msg = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        write("interp: \(msg)")
        return code.rawValue == 0 ? .software : .software
    }

    /// Moves global options given before the command name (`interp --color never lessons`) to
    /// after it, where every command's `@OptionGroup` accepts them.
    static func hoistGlobalOptions(_ words: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < words.count {
            let w = words[i]
            let name = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            guard GlobalOptions.valueOptionNames.contains(name) else { break }
            leading.append(w)
            if !w.contains("="), i + 1 < words.count { leading.append(words[i + 1]); i += 1 }
            i += 1
        }
        return Array(words[i...]) + leading
    }
}
