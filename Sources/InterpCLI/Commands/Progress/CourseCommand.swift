import ArgumentParser
import Course
import Grading

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
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let root = try session.courseRoot()
        var checker = CourseChecker(knownModels: KnownModels.names)
        checker.knownGraders = InvestigationGraders.ids
        let diagnostics = Diagnostic.sorted(try checker.check(root: root))
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if json {
            struct Out: Encodable { var root: String; var errors: Int; var warnings: Int; var diagnostics: [Diagnostic] }
            try session.printJSON(Out(root: root, errors: errors, warnings: warnings, diagnostics: diagnostics))
        } else {
            for d in diagnostics { session.out(d.description) }
            let summary = errors == 0 && warnings == 0 ? "course check: no problems in \(root)"
                : "course check: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            session.err(summary)
        }
        if errors > 0 { throw CLIError(" \(errors) error(s) in the course", status: .checkFailed).silent }
    }
}

/// Bundled model names lessons may name in `model:`.
enum KnownModels {
    /// The bundled models, and gpt2, which a lesson may use from the learner's own files (its blocks
    /// are skipped when it is absent).
    static let names: Set<String> = ["induction-2l", "ioi-3l", "gpt2"]
}
