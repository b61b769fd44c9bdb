import ArgumentParser

/// The one command table: every subcommand here is also a REPL command.
struct Interp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp",
        abstract: "A terminal course in LLM interpretability, with tiny transformers to experiment on.",
        discussion: """
            Run without arguments to start the REPL. Every REPL command is also a subcommand: \
            `interp lessons` does what `lessons` does in the REPL.
            """,
        version: InterpVersion.string,
        subcommands: CommandCatalog.all,
        helpNames: [.short, .long]
    )
}

enum InterpVersion {
    static let string = "0.1.0"
}
