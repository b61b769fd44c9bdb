import Course

/// Tab completion: command names at the start of a line; lesson ids after commands that take one;
/// subcommand names after a command group.
struct Completion {
    let session: Session

    func candidates(line: String, word: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let completingFirst = words.isEmpty || (words.count == 1 && !line.hasSuffix(" "))
        if completingFirst { return CommandCatalog.names.sorted() }
        let command = words[0]
        if ["read", "done", "quiz"].contains(command) || (command == "help" && words.count >= 1) {
            if command == "help" { return CommandCatalog.names.sorted() }
            return (try? session.course().lessons.map(\.id)) ?? []
        }
        if let type = CommandCatalog.command(named: command) {
            return type.configuration.subcommands.map(CommandCatalog.name(of:))
        }
        return []
    }
}
