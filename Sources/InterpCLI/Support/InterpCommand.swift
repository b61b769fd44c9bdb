import ArgumentParser

/// A command of the one command table. The REPL and one-shot runs both parse a line with
/// ArgumentParser into one of these and call `execute(in:)` with their session.
protocol InterpCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func execute(in session: Session) throws
}

extension InterpCommand {
    /// ArgumentParser's entry point: only reached when a command is run outside our dispatcher.
    mutating func run() throws {
        let session = Session(global: global.settings, isREPL: false, isInteractive: TerminalIsInteractive.value)
        try execute(in: session)
    }
}

enum TerminalIsInteractive {
    static var value: Bool { isatty(0) == 1 }
}

#if canImport(Glibc)
import Glibc
#endif
