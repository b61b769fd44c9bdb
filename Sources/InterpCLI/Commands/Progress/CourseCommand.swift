import ArgumentParser
import Course
import Foundation
import Grading
import TerminalUI

struct CourseCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Course authoring tools.",
        subcommands: [CourseCheckCommand.self])
    @OptionGroup var global: GlobalOptions
    func execute(in session: Session) throws {
        session.out(Interp.helpMessage(for: CourseCommand.self, columns: session.screenWidth))
    }
}

struct CourseCheckCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every lesson and quiz; print problems as path:line: message (exit 1 if any error).")

    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Also prove the code exercises on a copy of the workspace: every stub and trivial answer fails every case, every solution passes (minutes).")
    var prove = false
    @Option(help: "With --prove: a directory of reference solutions, one <exercise-id>.swift each.") var solutions: String?
    @Option(help: "With --prove: seeds each stub is run on.") var seeds = 1000
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !prove && solutions != nil { throw ValidationError("--solutions needs --prove") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1 (got \(seeds))") }
    }

    func execute(in session: Session) throws {
        let root = try session.courseRoot()
        var checker = CourseChecker(knownModels: KnownModels.names)
        checker.knownGraders = InvestigationGraders.ids
        var found = try checker.check(root: root)
        if prove { found += try ExerciseProofRun.run(root: root, solutions: solutions, seeds: seeds, quiet: json, in: session) }
        let diagnostics = Diagnostic.sorted(found)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if json {
            struct Out: Encodable { var root: String; var errors: Int; var warnings: Int; var diagnostics: [Diagnostic] }
            try session.printJSON(Out(root: root, errors: errors, warnings: warnings, diagnostics: diagnostics))
        } else {
            for d in diagnostics { session.out(TerminalText.line(d.description)) }
            let summary = errors == 0 && warnings == 0 ? "course check: no problems in \(root)"
                : "course check: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            session.err(summary)
        }
        if errors > 0 { throw CLIError(" \(errors) error(s) in the course", status: .checkFailed).silent }
    }
}

/// `course check --prove`: the proof of the code exercises (`ExerciseProof`), with Ctrl-C stopping it.
enum ExerciseProofRun {
    static func run(root: String, solutions: String?, seeds: Int, quiet: Bool, in session: Session) throws -> [Diagnostic] {
        if let solutions, !FileManager.default.fileExists(atPath: solutions) { throw CLIError.noInput("--solutions \(solutions): no such directory") }
        let course = try Course.load(root: root).0
        let proof = ExerciseProof(course: course, environment: session.environment, packagePath: SourceTree.root)
        if !quiet { session.err(session.style("Proving \(proof.exercises.count) code exercises in \(proof.scratch) (\(seeds) seeds each; the first build takes minutes)…", .dim)) }
        do {
            return try Interrupt.withCooperativeHandler {
                try proof.run(seeds: seeds, solutions: solutions, modelPath: { try? session.registry.resolve($0.model).path })
            }
        } catch is CancellationError {
            throw CLIError("course check --prove: interrupted", status: .interrupted)
        }
    }
}

/// Bundled model names lessons may name in `model:`.
enum KnownModels {
    /// The bundled models, and gpt2, which a lesson may use from the learner's own files (its blocks
    /// are skipped when it is absent).
    static let names: Set<String> = ["induction-2l", "ioi-3l", "gpt2"]
}
