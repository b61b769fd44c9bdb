import ArgumentParser

/// The commands, grouped as `help` shows them. Adding a command means adding it here once.
enum CommandCatalog {
    struct Group {
        var title: String
        var commands: [ParsableCommand.Type]
    }

    static let groups: [Group] = [
        Group(title: "Reading", commands: [LessonsCommand.self, ReadCommand.self, NextCommand.self, PrevCommand.self, SectionCommand.self, DoneCommand.self, RunCommand.self]),
        Group(title: "Quizzes and review", commands: [QuizCommand.self, SketchesCommand.self, SRSCommand.self, StatsCommand.self]),
        Group(title: "Models", commands: [ModelCommand.self, PredictCommand.self, TokensCommand.self, GenerateCommand.self, CacheCommand.self, BenchCommand.self, TrainCommand.self]),
        Group(title: "Experiments", commands: [SetCommand.self, AttnCommand.self, HeadsCommand.self, DLACommand.self, LensCommand.self, AblateCommand.self, PatchCommand.self, PathPatchCommand.self, DataCommand.self]),
        Group(title: "Exercises", commands: [ExCommand.self, HintCommand.self, AnswerCommand.self, CheckCommand.self, WatchCommand.self]),
        Group(title: "Progress", commands: [ProgressCommand.self]),
        Group(title: "Authoring", commands: [CourseCommand.self]),
    ]

    static var all: [ParsableCommand.Type] { groups.flatMap(\.commands) }

    /// Commands that exist only inside the REPL.
    static let replOnly: [(name: String, abstract: String)] = [
        ("help [CMD]", "List commands, or show one command's options."),
        ("quit", "Leave the REPL (Ctrl-D does the same)."),
    ]

    static func name(of command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    static var names: [String] { all.map(name(of:)) + ["help", "quit", "exit"] }

    static func command(named name: String) -> ParsableCommand.Type? {
        all.first { self.name(of: $0) == name || $0.configuration.aliases.contains(name) }
    }
}
