import Course
import Foundation

/// Proves a course's code exercises, on a copy of its workspace (the learner's files are never
/// touched): every stub fails every case on every seed, and so do trivial answers (zero, the input,
/// constants), so no case can be passed by accident; every reference solution passes.
///
/// The copy lives in `scratch` (default `Exercises/.build/proof` of the course) and keeps its
/// build between proofs, so a second proof is incremental.
public struct ExerciseProof: Sendable {
    /// The course as it is.
    public let course: Course
    /// The copy: `scratch/Exercises` and a link `scratch/Lessons`.
    public let scratch: String
    public var workspace: ExerciseWorkspace
    /// The trivial answerers every stub is run with (besides the stub itself).
    public static let trivialAnswerers = ["zero", "input", "constant:1", "constant:0.5", "constant:-1"]

    public init(course: Course, scratch: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                packagePath: String? = nil) {
        self.course = course
        let scratch = scratch ?? course.absolutePath("\(Exercise.directory)/.build/proof")
        self.scratch = scratch
        self.workspace = ExerciseWorkspace(directory: scratch + "/" + Exercise.directory, environment: environment, packagePath: packagePath)
    }

    /// The code exercises of the course.
    public var exercises: [Exercise] { course.exercises.filter { $0.kind == .code } }

    /// Makes the copy match the course's `Exercises/` (files that did not change keep their dates,
    /// so the build stays incremental), with every stub in its learner's file.
    public func prepare() throws {
        let fm = FileManager.default
        let source = course.absolutePath(Exercise.directory)
        try Self.sync(from: source, to: workspace.directory)
        let lessons = scratch + "/Lessons"
        if (try? fm.destinationOfSymbolicLink(atPath: lessons)) == nil {
            try? fm.removeItem(atPath: lessons)
            try fm.createSymbolicLink(atPath: lessons, withDestinationPath: course.absolutePath("Lessons"))
        }
        if let package = workspace.interpPackage, let resolved = fm.contents(atPath: package + "/Package.resolved") {
            try Self.write(resolved, to: workspace.directory + "/Package.resolved")
        }
        for e in exercises { try install(try Data(contentsOf: URL(fileURLWithPath: course.absolutePath(e.stubPath))), for: e) }
    }

    /// Builds every check program.
    public func buildChecks() throws -> ExerciseWorkspace.BuildResult {
        try workspace.build(products: exercises.compactMap(\.checkProduct))
    }

    /// Puts `source` in the copy's learner file of `exercise` and compiles it.
    public func learnerProgram(_ exercise: Exercise, source: Data) throws -> LearnerBuild {
        try install(source, for: exercise)
        return try workspace.buildLearner(exercise)
    }

    /// The problems of a stub: it must build, fail every case with a message that says what was
    /// expected, on `seeds` seeds, and so must every trivial answerer. Empty when proven.
    public func proveStub(_ exercise: Exercise, seeds: Int, modelPath: String?) throws -> [Diagnostic] {
        let problem = { (message: String) in Diagnostic(path: exercise.stubPath, line: 1, message: message) }
        let stub = try Data(contentsOf: URL(fileURLWithPath: course.absolutePath(exercise.stubPath)))
        guard case .built(let program) = try learnerProgram(exercise, source: stub) else { return [problem("the stub does not compile")] }
        var long = workspace   // many seeds in one run: the time limit grows with them
        long.runTimeLimit = max(workspace.runTimeLimit, 60 + 0.5 * Double(seeds))
        let outcome = try long.run(exercise, learnerProgram: program, seed: 0, seeds: seeds,
                                   answerers: ["learner"] + Self.trivialAnswerers, modelPath: modelPath)
        if case .interrupted = outcome { throw CancellationError() }
        guard case .ran(let report, _) = outcome else { return [problem("the stub did not run cleanly: \(outcome)")] }
        return Self.problems(ofStub: report, seeds: seeds).map(problem)
    }

    /// What is wrong with a stub's report: a case that passes (for the stub or a trivial answer),
    /// a failure that does not say what was expected, results missing.
    static func problems(ofStub report: RunnerReport, seeds: Int) -> [String] {
        var problems: [String] = []
        for c in report.cases where c.passed {
            let who = c.answerer == "learner" ? "the stub" : "the answer '\(c.answerer ?? "?")'"
            problems.append("case '\(c.name)' passes for \(who) with seed \(c.seed ?? 0)")
        }
        if let vague = report.cases.first(where: { !$0.passed && !$0.message.contains("expected") }) {
            problems.append("case '\(vague.name)' fails without saying what was expected: \(vague.message)")
        }
        let expected = seeds * (1 + trivialAnswerers.count)
        if report.cases.isEmpty || report.cases.count % expected != 0 {
            problems.append("\(report.cases.count) case results, expected a multiple of \(expected)")
        }
        return problems
    }

    /// The problems of a reference solution (`path` names it in the diagnostics): it must build and
    /// pass every case on every seed.
    public func proveSolution(_ exercise: Exercise, source: Data, path: String, seeds: [UInt64], modelPath: String?) throws -> [Diagnostic] {
        let problem = { (line: Int, message: String) in Diagnostic(path: path, line: line, message: message) }
        switch try learnerProgram(exercise, source: source) {
        case .compileError(let mine, let other, _):
            if mine.isEmpty { return other.prefix(3).map { problem(1, "does not fit the harness: \($0)") } }
            return mine.prefix(3).map { problem($0.line, $0.message) }
        case .failed(let message): return [problem(1, "does not build: \(message)")]
        case .built(let program):
            var problems: [Diagnostic] = []
            for seed in seeds {
                let outcome = try workspace.run(exercise, learnerProgram: program, seed: seed, modelPath: modelPath)
                if case .interrupted = outcome { throw CancellationError() }
                guard case .ran(let report, _) = outcome else { problems.append(problem(1, "seed \(seed): did not run cleanly: \(outcome)")); continue }
                for c in report.cases where !c.passed { problems.append(problem(1, "seed \(seed): case '\(c.name)' fails: \(c.message)")) }
            }
            return problems
        }
    }

    /// The whole proof: prepare, build, every stub on `seeds` seeds, and every solution found as
    /// `solutions/<id>.swift` (when given) on three seeds, on the models `modelPath` resolves.
    public func run(seeds: Int, solutions: String?, modelPath: (Exercise) -> String?) throws -> [Diagnostic] {
        try prepare()
        let build = try buildChecks()
        guard build.succeeded else {
            return [Diagnostic(path: "\(Exercise.directory)/Package.swift", line: 1,
                               message: "the check programs do not build: " + (build.errors.first?.description ?? build.outputTail.split(separator: "\n").last.map(String.init) ?? ""))]
        }
        var problems: [Diagnostic] = []
        for e in exercises {
            problems += try proveStub(e, seeds: seeds, modelPath: modelPath(e))
            guard let solutions else { continue }
            let path = solutions + "/\(e.id).swift"
            guard let source = FileManager.default.contents(atPath: path) else {
                problems.append(Diagnostic(path: path, line: 1, message: "no reference solution for \(e.id)"))
                continue
            }
            problems += try proveSolution(e, source: source, path: path, seeds: [1, 2, 3], modelPath: modelPath(e))
        }
        try prepare()   // the stubs back in place
        return problems
    }

    func install(_ source: Data, for exercise: Exercise) throws {
        guard let file = exercise.file else { throw GraderError("\(exercise.id) is not a code exercise") }
        try Self.write(source, to: workspace.directory + "/" + file)
    }

    /// Writes `data` unless the file already holds it.
    static func write(_ data: Data, to path: String) throws {
        if FileManager.default.contents(atPath: path) == data { return }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Makes `target` hold the files of `source` (hidden entries such as `.build` are left alone).
    static func sync(from source: String, to target: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        let names = try fm.contentsOfDirectory(atPath: source).filter { !$0.hasPrefix(".") }
        for stale in try fm.contentsOfDirectory(atPath: target) where !stale.hasPrefix(".") && !names.contains(stale) {
            try fm.removeItem(atPath: target + "/" + stale)
        }
        for name in names {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: source + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try sync(from: source + "/" + name, to: target + "/" + name)
            } else if let data = fm.contents(atPath: source + "/" + name) {
                try write(data, to: target + "/" + name)
            }
        }
    }
}
