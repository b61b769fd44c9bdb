// The harness every exercise's check program uses: arguments, the model, cases, the report.
import ExerciseWire
import Foundation
import Tensor
import Transformer

/// A case failed: the message says what differed (shapes, the first differing element, expected vs got).
public struct CaseFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a case gets: the model, a random generator seeded from the seed, and the seed.
public struct CheckContext {
    public let model: HookedTransformer
    public let seed: UInt64
    public var rng: SeededRandom

    /// Draws with `make` until `accept` holds: the way a case rejects inputs on which a trivial
    /// answer would pass. Gives up after `tries` draws (an error in the check, not the learner's).
    public mutating func draw<T>(tries: Int = 200, _ make: (inout CheckContext) throws -> T, until accept: (T) throws -> Bool) throws -> T {
        for _ in 0..<tries {
            let candidate = try make(&self)
            if try accept(candidate) { return candidate }
        }
        throw CaseFailure("internal: no acceptable case in \(tries) draws (seed \(seed))")
    }
}

/// A case's question to the learner: asks, compares with the expected answer computed beforehand,
/// and returns a short description of what passed (or throws `CaseFailure`).
public typealias Question = (Learner) throws -> String

/// Runs the cases of one exercise against the learner's program and writes the report.
///
/// A case draws its inputs and computes the expected answers here, in the check program, then
/// returns the question it puts to the learner. The learner's program runs apart (in the sandbox
/// `interp check` makes) and answers over fds 3 and 4 (`Runner/Wire/Wire.swift`); only this
/// program writes the report: JSON lines on stdout, read by `interp check`:
///   {"event":"start","exercise":…,"seed":…,"model":…}
///   {"event":"running","name":…}
///   {"event":"case","name":…,"passed":…,"message":…,"seed":…,"answerer":…}
///   {"event":"end"}
/// A case that is "running" without an "end" is the one during which the learner's program stopped.
///
/// Arguments: `--model FILE` (required), `--seed N` (default: random), `--seeds COUNT` (run every
/// case for seeds N, N+1, …), `--answerers LIST` (comma-separated: `learner` — the program on
/// fds 3/4, the default —, `zero`, `input`, `constant:X`; the trivial answerers let the proof show
/// that no case passes without the work).
public final class CheckRunner {
    struct Event: Encodable {
        var event: String
        var exercise: String? = nil, seed: UInt64? = nil, model: String? = nil
        var name: String? = nil, passed: Bool? = nil, message: String? = nil, answerer: String? = nil
    }

    private let exercise: String
    private let model: HookedTransformer
    private let modelName: String
    private let firstSeed: UInt64
    private let seedCount: Int
    private let learners: [Learner]
    private var cases: [(name: String, generate: (inout CheckContext) throws -> Question)] = []
    private var allPassed = true

    /// Parses the command line and loads the model.
    public init(exercise: String) {
        signal(SIGPIPE, SIG_IGN)   // a learner's program that exits early closes the pipe: an error, not a signal
        var seed = UInt64.random(in: 0..<1_000_000)
        var seeds = 1
        var modelPath: String?
        var answerers: [Answerer] = [.learner]
        var args = CommandLine.arguments.dropFirst()
        while let arg = args.popFirst() {
            switch arg {
            case "--seed": if let v = args.popFirst().flatMap({ UInt64($0) }) { seed = v } else { Self.usage("--seed needs a whole number") }
            case "--seeds": if let v = args.popFirst().flatMap({ Int($0) }), v >= 1 { seeds = v } else { Self.usage("--seeds needs a count of at least 1") }
            case "--model": modelPath = args.popFirst()
            case "--answerers":
                let list = (args.popFirst() ?? "").split(separator: ",").map { Answerer(String($0)) }
                guard !list.isEmpty, !list.contains(where: { $0 == nil }) else { Self.usage("--answerers takes learner, zero, input, constant:X") }
                answerers = list.compactMap { $0 }
            default: Self.usage("unknown argument '\(arg)'")
            }
        }
        guard let modelPath else { Self.usage("--model FILE is required") }
        do {
            model = try HookedTransformer(contentsOf: URL(fileURLWithPath: modelPath))
        } catch {
            Self.usage("cannot load the model \(modelPath): \(error)")
        }
        self.exercise = exercise
        self.modelName = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
        self.firstSeed = seed
        self.seedCount = seeds
        self.learners = answerers.map { Learner(answerer: $0, channel: $0 == .learner ? .standard : nil) }
    }

    /// Adds a case: `generate` draws the inputs and computes the expected answers, and returns the
    /// question for the learner.
    public func add(_ name: String, _ generate: @escaping (inout CheckContext) throws -> Question) {
        cases.append((name, generate))
    }

    /// Runs every case for every seed and answerer, writes the report and exits (0 when every
    /// case passed, 1 otherwise, 3 when the learner's program stopped answering).
    public func finish() -> Never {
        emit(Event(event: "start", exercise: exercise, seed: firstSeed, model: modelName))
        for k in 0..<seedCount {
            let seed = firstSeed &+ UInt64(k)
            var context = CheckContext(model: model, seed: seed, rng: SeededRandom(seed: seed))
            for c in cases {
                emit(Event(event: "running", name: c.name))
                let question: Question
                do { question = try c.generate(&context) } catch {
                    record(c.name, seed: seed, answerer: nil, passed: false, message: "\(error)")
                    continue
                }
                for learner in learners {
                    do {
                        record(c.name, seed: seed, answerer: learner.answerer, passed: true, message: try question(learner))
                    } catch let stopped as LearnerStopped {
                        FileHandle.standardError.write(Data("check: \(stopped.message)\n".utf8))
                        exit(3)
                    } catch {
                        record(c.name, seed: seed, answerer: learner.answerer, passed: false, message: "\(error)")
                    }
                }
            }
        }
        emit(Event(event: "end"))
        exit(allPassed ? 0 : 1)
    }

    private func record(_ name: String, seed: UInt64, answerer: Answerer?, passed: Bool, message: String) {
        if !passed { allPassed = false }
        emit(Event(event: "case", seed: seed, name: name, passed: passed, message: message, answerer: answerer?.description))
    }

    private func emit(_ event: Event) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(event) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("check: \(message)\n".utf8))
        exit(64)
    }
}
