import Foundation
import Progress
import TerminalUI
import Transformer

/// Everything a command needs from its surroundings, resolved once: colour, width, clock, paths,
/// and (in the REPL) what the learner set earlier. One-shot runs make one; the REPL keeps one.
final class Session {
    let environment: [String: String]
    /// True inside the REPL (interactive or scripted).
    let isREPL: Bool
    /// True when a person is at the keyboard (stdin is a TTY): prompts and confirmations allowed.
    let isInteractive: Bool
    private(set) var base: GlobalSettings
    private var overrides = GlobalSettings()

    // REPL state that later commands may rely on.
    var currentLessonID: String?
    var currentSection: Int?
    var nextRunBlock = 1
    var currentModel: String?
    var currentText: String?
    var currentExercise: String?
    /// Course problems already printed by the command running now (see `course()`).
    var reportedProblems: Set<String> = []

    init(global: GlobalSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
         isREPL: Bool, isInteractive: Bool) {
        self.base = global
        self.environment = environment
        self.isREPL = isREPL
        self.isInteractive = isInteractive
    }

    /// Runs `body` with one command's global options layered over the session's.
    func with<T>(_ options: GlobalSettings, _ body: () throws -> T) rethrows -> T {
        let saved = overrides
        overrides = options
        defer { overrides = saved }
        return try body()
    }

    private func option<T>(_ key: KeyPath<GlobalSettings, T?>) -> T? {
        overrides[keyPath: key] ?? base[keyPath: key]
    }

    // MARK: - Presentation

    var colorMode: ColorMode { option(\.color) ?? .auto }
    /// Whether stdout gets ANSI styling.
    var color: Bool { colorMode.enabled(isTTY: Terminal.stdoutIsTTY, environment: environment) }
    /// Whether stdout is a terminal a person reads (hyperlinks, paging, progress redraws).
    var stdoutIsTTY: Bool { Terminal.stdoutIsTTY }
    /// Text width: `--width`, else the terminal's columns capped at 100, else 80.
    var width: Int {
        if let w = option(\.width) { return w }
        if let c = Terminal.columns { return min(c, 100) }
        return 80
    }
    /// The full terminal width, for pictures that may use more than the reading width.
    var screenWidth: Int { option(\.width) ?? Terminal.columns ?? 80 }

    func style(_ text: String, _ style: Style) -> String { style.apply(text, enabled: color) }

    /// Writes data to stdout.
    func out(_ text: String = "", terminator: String = "\n") {
        // A reader that went away (`interp heads … | head -1`) ends the run quietly.
        if !RawOutput.stdout(text + terminator), errno == EPIPE { exit(0) }
    }

    /// Writes prose to stdout wrapped to the reading width, each line after the first indented by
    /// `hang` (styles inside `text` are kept across the breaks).
    func paragraph(_ text: String, indent: String = "", hang: String? = nil) {
        let rest = hang ?? indent
        let lines = wrap(text, width: max(20, width - max(indent.count, rest.count)))
        for (i, line) in lines.enumerated() { out((i == 0 ? indent : rest) + line) }
        if lines.isEmpty { out(indent) }
    }

    /// Writes a diagnostic to stderr. Diagnostics are never styled and quote what they complain
    /// about (file names, arguments, course text), so every one passes the sanitizer.
    func err(_ text: String) {
        RawOutput.stderr(TerminalText.block(text) + "\n")
    }

    /// Pretty, key-sorted JSON on stdout.
    func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .iso8601
        let data = try enc.encode(value)
        out(String(decoding: data, as: UTF8.self))
    }

    // MARK: - Time

    /// The current instant: `--now`, else `$INTERP_NOW`, else the clock. A time that is not
    /// ISO-8601, or outside the years 1970–9999, is a usage error naming where it came from.
    func now() throws -> Date {
        if let s = option(\.now) { return try Self.instant(s, source: "--now") }
        if let s = environment["INTERP_NOW"] { return try Self.instant(s, source: "INTERP_NOW") }
        return Date()
    }

    private static func instant(_ text: String, source: String) throws -> Date {
        do { return try ISO8601Timestamp.read(text) } catch {
            throw CLIError.usage("\(source): '\(text)' \(error)")
        }
    }

    // MARK: - Paths

    var dbOverride: String? { option(\.db) }
    var courseOverride: String? { option(\.course) }

    /// `$XDG_STATE_HOME/interp`, else `~/.local/state/interp`.
    var stateDirectory: URL {
        if let s = environment["XDG_STATE_HOME"], !s.isEmpty { return URL(fileURLWithPath: s).appendingPathComponent("interp") }
        return homeDirectory.appendingPathComponent(".local/state/interp")
    }

    var homeDirectory: URL {
        if let h = environment["HOME"], !h.isEmpty { return URL(fileURLWithPath: h) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// Where lines typed by the learner come from: REPL commands and answers to prompts alike,
    /// so a scripted session can feed both through one pipe.
    lazy var input: LineSource = StdinLineSource()

    // MARK: - Resources opened on first use (see Session+Resources.swift)
    var openDatabase: (path: String, db: AppDatabase)?
    var loadedModels: [String: (stamp: Date?, model: LoadedModel)] = [:]
    /// The bundled models' directories, looked up once per session.
    lazy var registry = ModelRegistry()
}
