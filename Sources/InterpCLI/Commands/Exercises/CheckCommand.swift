import ArgumentParser
import Course
import Foundation
import Grading
import Progress
import TerminalUI

/// `check ID`: builds a code exercise and runs its hidden randomized cases, with a time and a
/// memory limit; a compile error, a crash or a hang is reported, never fatal to interp.
struct CheckCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a code exercise: build it and run its hidden tests against the reference.")
    @Argument(help: "The exercise id (default: the current exercise).") var id: String?
    @Option(help: "Seed of the random cases (default: a new one each run).") var seed: UInt64?
    @Option(help: "Time limit for your code, in seconds (it runs in a sandbox: no network, no files but its own).") var timeLimit: Double = 60
    @Flag(help: "Print the outcome as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws { try Self.validate(timeLimit: timeLimit) }

    /// A time limit is a finite number of seconds above 0, at most a day.
    static func validate(timeLimit: Double) throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds above 0 and at most 86400 (got \(timeLimit))")
        }
    }

    func execute(in session: Session) throws {
        let (course, exercise) = try session.exercise(id)
        session.currentExercise = exercise.id
        guard exercise.kind == .code else {
            throw CLIError.usage("'\(exercise.id)' is an investigation: explore, then 'answer \(exercise.id) VALUE' (\(exercise.answerFormat?.example ?? ""))")
        }
        // Ctrl-C stops the check (and kills the learner's sandbox) instead of interp: exit 130.
        let passed = try Interrupt.withCooperativeHandler {
            try CodeCheck.run(exercise, course: course, seed: seed, timeLimit: timeLimit, json: json, in: session)
        }
        if !passed { throw CLIError.failed("check failed").silent }
    }
}

/// One check of a code exercise, shared by `check` and `watch`: build, run, print, record.
enum CodeCheck {
    struct Outcome: Encodable {
        var exercise: String, status: String, passed: Bool, score: Int, seed: UInt64
        var summary: String, cases: [RunnerReport.Case], messages: [String], buildSeconds: Double
        /// "bubblewrap", or "none" when the learner's code ran unsandboxed.
        var sandbox: String
        var sandboxNote: String?
    }

    /// Whether this process already said that checks run unsandboxed.
    nonisolated(unsafe) private static var toldUnsandboxed = false

    /// Returns whether every case passed.
    static func run(_ exercise: Exercise, course: Course, seed: UInt64?, timeLimit: Double, json: Bool, in session: Session) throws -> Bool {
        let started = Date()
        var workspace = ExerciseWorkspace(course: course, environment: session.environment, packagePath: SourceTree.root)
        workspace.runTimeLimit = timeLimit
        let database = DatabaseLocation.resolve(explicitPath: session.dbOverride, environment: session.environment,
                                                homeDirectory: session.homeDirectory.path)
        workspace.secrets = [URL(fileURLWithPath: database).deletingLastPathComponent().path, session.homeDirectory.path]
        let seed = seed ?? UInt64.random(in: 0..<1_000_000)
        let modelPath = try? session.registry.resolve(exercise.model).path
        let sandbox = workspace.sandbox
        if sandbox.kind == .none, !toldUnsandboxed, !json {
            toldUnsandboxed = true
            let note = "Note: your code runs unsandboxed here (\(sandbox.reason ?? "no sandbox")); grades are marked unsandboxed."
            for line in wrap(note, width: max(20, session.width)) { session.err(session.style(line, .yellow)) }
        }
        if !json {
            let built = workspace.checkProgram(exercise).map { FileManager.default.fileExists(atPath: $0) } ?? false
            session.err("Building \(exercise.id)" + (built ? "…" : " (the first build compiles the libraries: a few minutes)…"))
        }
        let check: ExerciseWorkspace.CheckResult
        do { check = try workspace.check(exercise, seed: seed, modelPath: modelPath) }
        catch is CancellationError { throw CLIError("check \(exercise.id): interrupted", status: .interrupted) }
        catch { throw CLIError(String(describing: error), status: .software) }
        var result = Outcome(exercise: exercise.id, status: "", passed: false, score: 0, seed: seed, summary: "", cases: [],
                             messages: [], buildSeconds: (check.buildSeconds * 10).rounded() / 10, sandbox: sandbox.kind.rawValue,
                             sandboxNote: sandbox.kind == .none ? sandbox.summary : nil)
        let learner = exercise.learnerPath ?? ""
        switch check.outcome {
        case .compileError(let mine, let other, _):
            result.status = "compile-error"
            result.summary = mine.isEmpty ? "your file compiles, but the program that calls it does not (are the stub's functions still there, and public?)"
                : "\(learner) does not compile"
            result.messages = (mine.isEmpty ? other : mine).prefix(8).map { m in
                "\(mine.isEmpty ? URL(fileURLWithPath: m.file).lastPathComponent : learner):\(m.line):\(m.column): \(m.message)"
            }
        case .buildFailed(let tail):
            result.status = "build-failed"
            result.summary = "the exercise workspace did not build"
            result.messages = tail.split(separator: "\n").suffix(8).map(String.init)
        case .ran(let report, let output):
            result.status = report.passed ? "passed" : "failed"
            result.passed = report.passed
            result.cases = report.cases
            result.summary = report.summary + (report.model.hasPrefix("random-init") ? " (on a \(report.model): the bundled model is not installed)" : "")
            let printed = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if printed.contains(where: { !$0.isEmpty }) { result.messages = ["your code printed (the end):"] + printed.suffix(6).map { "  " + $0 } }
        case .crashed(let reason, let during, let report, let output):
            result.status = "crashed"
            result.cases = report?.cases ?? []
            result.summary = "your code crashed" + (during.map { " during case '\($0)'" } ?? "") + ": \(reason)"
            result.messages = output.split(separator: "\n").suffix(6).map(String.init)
        case .outOfMemory(let limit, let during, let report):
            result.status = "out-of-memory"
            result.cases = report?.cases ?? []
            result.summary = "your code used more than \(limit) MB of memory and was stopped" + (during.map { " (during case '\($0)')" } ?? "")
                + ": an array that grows without end, or a copy per step?"
        case .timedOut(let seconds, let during, let report):
            result.status = "timed-out"
            result.cases = report?.cases ?? []
            result.summary = "your code ran longer than \(Int(seconds)) s and was stopped" + (during.map { " (during case '\($0)')" } ?? "")
                + ": an endless loop, or far too much work?"
        case .interrupted:
            throw CLIError("check \(exercise.id): interrupted", status: .interrupted)
        case .checkerFailed(let message):
            throw CLIError("internal: \(message)", status: .software)
        }
        if sandbox.kind == .none { result.summary += " [unsandboxed]" }
        let response = result.status == "passed" || result.status == "failed" ? "\(result.status): \(result.summary)" : result.status
        result.score = try ExerciseRecorder.record(exercise, response: response, passed: result.passed, started: started,
                                                   sandbox: sandbox.kind.rawValue, in: session)
        if json { try session.printJSON(result); return result.passed }
        print(result, exercise: exercise, in: session)
        return result.passed
    }

    static func print(_ r: Outcome, exercise: Exercise, in session: Session) {
        for c in r.cases {
            let mark = c.passed ? session.style("✓", .green) : session.style("✗", .red)
            session.paragraph("\(mark) \(TerminalText.line(c.name))", indent: "  ", hang: "    ")
            if !c.passed { session.paragraph(TerminalText.line(c.message), indent: "      ", hang: "      ") }
        }
        for m in r.messages { session.paragraph(TerminalText.line(m), indent: "  ", hang: "    ") }
        let head = r.passed ? session.style("✓ \(exercise.id): ", .green + .bold) : session.style("✗ \(exercise.id): ", .red + .bold)
        let ranCases = ["passed", "failed", "crashed", "timed-out", "out-of-memory"].contains(r.status)
        session.paragraph(head + TerminalText.line(r.summary) + (ranCases ? " (seed \(r.seed))" : ""), hang: "  ")
        if r.passed { session.out("Score: \(r.score)/\(exercise.points) points" + (r.sandbox == "none" ? " (unsandboxed)." : ".")) }
        else if r.status == "failed" { session.paragraph(session.style("Fix the first failing case; 'hint \(exercise.id)' helps. The cases are new each run: --seed \(r.seed) repeats these.", .dim)) }
    }
}
