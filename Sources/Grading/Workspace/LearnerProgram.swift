import Course
import Foundation

/// How compiling a learner's file ended.
public enum LearnerBuild: Sendable {
    /// The program, ready to run.
    case built(program: String)
    /// Errors in the learner's file (`file` relative to the workspace) and in the harness.
    case compileError(learner: [CompilerMessage], other: [CompilerMessage], tail: String)
    case failed(String)
}

/// Compiles a learner's file into the program a check talks to, apart from everything else.
///
/// The exercise workspace's release build leaves every module of the project in one directory,
/// where any file could import any of them (SwiftPM does not stop that on Linux). So the learner's
/// file is compiled on its own, with `swiftc`, against `.build/learner/sdk/modules`, a directory that
/// holds only `Tensor.swiftmodule` and `Transformer.swiftmodule` (and the BLAS module map Tensor
/// needs), inside the sandbox, which mounts nothing of the workspace but that directory, the
/// learner's file and the harness sources. It becomes the module `<Target>`; the harness
/// (`Runner/Harness/Serve.swift`, `Runner/Harness/<Target>/main.swift`, `Runner/Wire/Wire.swift`)
/// imports it and is linked with the two libraries' object files into `.build/learner/<Target>/program`.
struct LearnerProgram {
    /// The `Exercises/` directory.
    let workspace: String
    /// Where the release build of the workspace put its modules and objects.
    let buildDirectory: String
    /// The interp source tree (for the BLAS module map).
    let packagePath: String
    /// The `swiftc` to use (absolute).
    let swiftc: String

    /// The modules a learner's file may import.
    static let allowedModules = ["Tensor", "Transformer"]

    var root: String { workspace + "/.build/learner" }
    var sdk: String { root + "/sdk" }
    var moduleCache: String { root + "/module-cache" }

    /// The toolchain the compiler belongs to (`…/usr`): mounted read-only for builds; its runtime
    /// libraries and backtracer for runs.
    var toolchain: String {
        URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The parts of the toolchain a built program needs at run time.
    var runtimePaths: [String] {
        ["lib/swift/linux", "libexec/swift/linux"].map { toolchain + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Copies what the learner may build against into `sdk` (when the workspace build changed it).
    /// Returns a signature of its contents, part of every program's cache key.
    func prepareSDK() throws -> String {
        let fm = FileManager.default
        var files: [(source: String, target: String)] = []
        for module in Self.allowedModules {
            let source = "\(buildDirectory)/Modules/\(module).swiftmodule"
            guard fm.fileExists(atPath: source) else { throw GraderError("\(source) is missing: the exercise workspace did not build \(module)") }
            files.append((source, "\(sdk)/modules/\(module).swiftmodule"))
            let objects = "\(buildDirectory)/\(module).build"
            for name in (try? fm.contentsOfDirectory(atPath: objects))?.sorted() ?? [] where name.hasSuffix(".o") {
                files.append(("\(objects)/\(name)", "\(sdk)/objects/\(module)-\(name)"))
            }
        }
        for name in ["module.modulemap", "shim.h"] {
            files.append(("\(packagePath)/Sources/CBLAS/\(name)", "\(sdk)/cblas/\(name)"))
        }
        var signature = ""
        for (source, _) in files {
            let attributes = try fm.attributesOfItem(atPath: source)
            signature += "\(source) \(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)\n"
        }
        let stamp = sdk + "/.signature"
        if (try? String(contentsOfFile: stamp, encoding: .utf8)) == signature { return Self.hash(Data(signature.utf8)) }
        try? fm.removeItem(atPath: sdk)
        for dir in ["modules", "objects", "cblas"] { try fm.createDirectory(atPath: "\(sdk)/\(dir)", withIntermediateDirectories: true) }
        for (source, target) in files { try fm.copyItem(atPath: source, toPath: target) }
        try signature.write(toFile: stamp, atomically: true, encoding: .utf8)
        return Self.hash(Data(signature.utf8))
    }

    /// The harness sources of a target.
    func harnessSources(target: String) -> [String] {
        ["\(workspace)/Runner/Harness/\(target)/main.swift", "\(workspace)/Runner/Harness/Serve.swift", "\(workspace)/Runner/Wire/Wire.swift"]
    }

    /// Builds (or reuses) the learner's program for `exercise`.
    func build(_ exercise: Exercise, sdkSignature: String, sandbox: Sandbox, hidden: [String], timeLimit: Double) throws -> LearnerBuild {
        guard let target = exercise.target, let file = exercise.file else { throw GraderError("\(exercise.id) is not a code exercise") }
        let fm = FileManager.default
        let learnerFile = workspace + "/" + file
        let sources = harnessSources(target: target)
        for path in [learnerFile] + sources where !fm.fileExists(atPath: path) {
            return .failed("\(path) is missing")
        }
        var keyData = Data((sdkSignature + swiftc).utf8)
        for path in [learnerFile] + sources { keyData += (fm.contents(atPath: path) ?? Data()) + Data([0]) }
        let key = Self.hash(keyData)
        let out = "\(root)/\(target)"
        let program = out + "/program"
        if (try? String(contentsOfFile: out + "/key", encoding: .utf8)) == key, fm.isExecutableFile(atPath: program) {
            return .built(program: program)
        }
        let scratch = "\(out)/build-\(UUID().uuidString)"
        try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: moduleCache, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: scratch) }

        let common = ["-I", "\(sdk)/modules", "-Xcc", "-fmodule-map-file=\(sdk)/cblas/module.modulemap", "-module-cache-path", moduleCache,
                      "-gline-tables-only", "-Onone", "-swift-version", "6"]
        let module = [swiftc, "-parse-as-library", "-emit-module", "-emit-module-path", "\(scratch)/\(target).swiftmodule",
                      "-module-name", target, "-c", learnerFile, "-o", "\(scratch)/\(target).o"] + common
        let objects = ((try? fm.contentsOfDirectory(atPath: "\(sdk)/objects")) ?? []).sorted().map { "\(sdk)/objects/\($0)" }
        let link = [swiftc, "-module-name", "LearnerProgram"] + sources + ["\(scratch)/\(target).o", "-I", scratch] + common
            + objects + ["-o", "\(scratch)/program"]
        for (step, argv) in [(0, module), (1, link)] {
            let job = SandboxJob(argv: argv, readOnly: [toolchain, sdk, learnerFile] + sources, writable: [scratch, moduleCache],
                                 environment: Self.environment(path: toolchain + "/bin"), workingDirectory: scratch,
                                 limits: ResourceLimits(cpuSeconds: Int(timeLimit) + 1, addressSpaceMB: 8192, processes: 256, fileSizeMB: 1024),
                                 hidden: hidden)
            let run = try LimitedProcess(commandLine: sandbox.commandLine(for: job), environment: job.environment,
                                         workingDirectory: scratch, timeLimit: timeLimit).run()
            guard run.ending == .exited(0) else {
                if run.ending == .timedOut { return .failed("compiling \(file) took longer than \(Int(timeLimit)) s and was stopped") }
                let output = run.stdout + "\n" + run.stderr
                let errors = CompilerMessage.errors(in: output).map { Self.explained($0) }
                let mine = errors.filter { $0.file == learnerFile }.map { m -> CompilerMessage in var m = m; m.file = file; return m }
                let other = errors.filter { $0.file != learnerFile }
                let tail = output.split(separator: "\n").suffix(15).joined(separator: "\n")
                if mine.isEmpty && other.isEmpty {
                    return .failed(step == 0 ? "the compiler stopped on \(file): \(tail)" : "linking your program failed: \(tail)")
                }
                return .compileError(learner: mine, other: other, tail: tail)
            }
        }
        try? fm.removeItem(atPath: program)
        try fm.moveItem(atPath: "\(scratch)/program", toPath: program)
        try key.write(toFile: out + "/key", atomically: true, encoding: .utf8)
        return .built(program: program)
    }

    /// A compiler message with the import rule spelled out when the learner imported a module
    /// that is not there for them.
    static func explained(_ message: CompilerMessage) -> CompilerMessage {
        var m = message
        let prefix = "no such module '"
        if m.message.hasPrefix(prefix), let end = m.message.dropFirst(prefix.count).firstIndex(of: "'") {
            let name = m.message[m.message.index(m.message.startIndex, offsetBy: prefix.count)..<end]
            m.message = "cannot import \(name): an exercise may import only \(allowedModules.joined(separator: " and ")) (and the system's own modules, such as Foundation)"
        }
        return m
    }

    /// The whole environment of a compiler or a learner's program.
    static func environment(path: String? = nil) -> [String: String] {
        ["PATH": (path.map { [$0] } ?? []).joined(separator: ":") + (path == nil ? "" : ":") + "/usr/bin:/bin",
         "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
         "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,sanitize=no"]
    }

    /// FNV-1a, 64 bits, as hex: a cache key, not a security measure.
    static func hash(_ data: Data) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }
}
