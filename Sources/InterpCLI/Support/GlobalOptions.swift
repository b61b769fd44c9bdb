import ArgumentParser
import TerminalUI

extension ColorMode: ExpressibleByArgument {}

/// Options every command accepts, in one group (swift-argument-parser's `@OptionGroup`).
/// Given before the command name (`interp --color never lessons`) they are moved after it.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Colour output: auto (on a TTY without NO_COLOR), always, never.", valueName: "when"))
    var color: ColorMode?

    @Option(name: .long, help: ArgumentHelp("Wrap text to N columns (default: the terminal width, at most 100).", valueName: "N"))
    var width: Int?

    @Option(name: .long, help: ArgumentHelp("Progress database (default: $INTERP_DB, else $XDG_DATA_HOME/interp/progress.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Course directory holding Lessons/ (default: $INTERP_COURSE, else the nearest ancestor with Lessons/, else the bundled course).", valueName: "dir"))
    var course: String?

    @Option(name: .long, help: ArgumentHelp("Pretend the time is this ISO-8601 instant (also $INTERP_NOW); for testing and replays.", valueName: "time"))
    var now: String?

    init() {}

    /// The values given, as a plain value the session can keep and layer.
    var settings: GlobalSettings { GlobalSettings(color: color, width: width, db: db, course: course, now: now) }

    func validate() throws {
        if let w = width, w < 20 || w > 1000 {
            throw ValidationError("--width must be between 20 and 1000 (got \(w))")
        }
    }

    /// The names (with their leading dashes) of options that take a value, for moving them.
    static let valueOptionNames: Set<String> = ["--color", "--width", "--db", "--course", "--now"]
}

/// Global option values without ArgumentParser's property wrappers (safe to create and copy).
struct GlobalSettings {
    var color: ColorMode?
    var width: Int?
    var db: String?
    var course: String?
    var now: String?
}
