import Course

/// Tab completion: command names at the start of a line, then what fits the command: lesson ids,
/// model names, exercise ids or question ids, and subcommand names of command groups.
struct Completion {
    let session: Session

    static let takesLesson: Set<String> = ["read", "done", "quiz"]
    static let takesModel: Set<String> = ["predict", "cache", "attn", "heads", "dla", "lens", "ablate", "patch", "path-patch", "train"]
    static let takesExercise: Set<String> = ["hint", "check", "answer", "watch"]

    func candidates(line: String, word: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let completingFirst = words.isEmpty || (words.count == 1 && !line.hasSuffix(" "))
        if completingFirst { return CommandCatalog.names.sorted() }
        let command = words[0]
        let argumentIndex = words.count - (line.hasSuffix(" ") ? 0 : 1)  // 1 = first argument
        if command == "help" { return CommandCatalog.names.sorted() }
        if Self.takesLesson.contains(command) { return lessonIDs() }
        if Self.takesModel.contains(command) { return argumentIndex == 1 ? modelNames() : [] }
        if Self.takesExercise.contains(command) { return argumentIndex == 1 ? exerciseIDs() : [] }
        if command == "sketches" { return (try? session.course().questions.filter { $0.type == .sketch }.map(\.id)) ?? [] }
        if command == "set", argumentIndex == 1 { return ["model", "text"] }
        if command == "set", words.count >= 2, words[1] == "model" { return modelNames() }
        if let type = CommandCatalog.command(named: command) {
            let subs = type.configuration.subcommands.map(CommandCatalog.name(of:))
            if argumentIndex == 1 { return subs + (command == "ex" ? exerciseIDs() : []) }
            if command == "model" || (command == "ex" && words.count >= 2 && ["show", "reset"].contains(words[1])) {
                return command == "model" ? modelNames() : exerciseIDs()
            }
        }
        return []
    }

    private func lessonIDs() -> [String] { (try? session.course().lessons.map(\.id)) ?? [] }
    private func modelNames() -> [String] { session.registry.list() }
    private func exerciseIDs() -> [String] { (try? session.course().exercises.map(\.id)) ?? [] }
}
