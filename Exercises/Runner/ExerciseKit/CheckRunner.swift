// The harness every exercise's check program uses: arguments, the model, cases, the JSON report.
import Foundation
import Tensor
import Transformer

/// A case failed: the message says what differed (shapes, the first differing element, expected vs got).
public struct CaseFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a case gets: the model, a random generator seeded from `--seed`, and the seed.
public struct CheckContext {
    public let model: HookedTransformer
    public let seed: UInt64
    public var rng: SeededRandom
}

/// Runs the cases of one exercise and writes the report that `interp check` reads:
/// `{"exercise", "seed", "model", "cases": [{"name", "passed", "message"}], "running"}`.
///
/// Arguments: `--seed N` (default: random), `--report FILE` (default: the report goes to stdout
/// at the end), `--model FILE` (default: a random-init model of the bundled model's shape).
public final class CheckRunner {
    struct Report: Encodable {
        struct Case: Encodable { var name: String, passed: Bool, message: String }
        var exercise: String, seed: UInt64, model: String
        var cases: [Case]
        var running: String?
    }

    private var report: Report
    private var context: CheckContext
    private let reportPath: String?

    /// Parses the command line and loads the model. `layers` is the shape of the random-init stand-in.
    public init(exercise: String, layers: Int) {
        var seed = UInt64.random(in: 0..<1_000_000)
        var reportPath: String?
        var modelPath: String?
        var args = CommandLine.arguments.dropFirst()
        while let arg = args.popFirst() {
            switch arg {
            case "--seed": if let v = args.popFirst().flatMap({ UInt64($0) }) { seed = v } else { Self.usage("--seed needs a whole number") }
            case "--report": reportPath = args.popFirst()
            case "--model": modelPath = args.popFirst()
            default: Self.usage("unknown argument '\(arg)'")
            }
        }
        let model: HookedTransformer
        let modelName: String
        do {
            if let modelPath {
                model = try HookedTransformer(contentsOf: URL(fileURLWithPath: modelPath))
                modelName = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
            } else {
                model = try Self.standIn(layers: layers)
                modelName = "random-init \(layers)-layer stand-in"
            }
        } catch {
            Self.usage("cannot load the model: \(error)")
        }
        self.reportPath = reportPath
        self.report = Report(exercise: exercise, seed: seed, model: modelName, cases: [], running: nil)
        self.context = CheckContext(model: model, seed: seed, rng: SeededRandom(seed: seed))
    }

    /// An attention-only, norm-free, shortformer model of the bundled models' widths.
    static func standIn(layers: Int) throws -> HookedTransformer {
        let vocab = Vocabulary.shared
        let config = try ModelConfig(nLayers: layers, dModel: 64, nHeads: 4, dHead: 16, nCtx: 32, dVocab: vocab.count,
                                     attnOnly: true, normalizationType: nil, positionalEmbeddingType: .shortformer,
                                     modelName: "stand-in-\(layers)l")
        return try HookedTransformer.random(config: config, seed: 7, vocab: vocab)
    }

    /// Runs one case. `body` returns a short description of what passed, or throws `CaseFailure`;
    /// any other error thrown (by the learner's code) fails the case with that error.
    public func run(_ name: String, _ body: (inout CheckContext) throws -> String) {
        report.running = name
        write()
        do {
            let message = try body(&context)
            report.cases.append(.init(name: name, passed: true, message: message))
        } catch let failure as CaseFailure {
            report.cases.append(.init(name: name, passed: false, message: failure.message))
        } catch {
            report.cases.append(.init(name: name, passed: false, message: "your code threw: \(error)"))
        }
        report.running = nil
        write()
    }

    /// Writes the final report and exits (status 0 when every case passed, 1 otherwise).
    public func finish() -> Never {
        report.running = nil
        write(final: true)
        exit(report.cases.allSatisfy(\.passed) ? 0 : 1)
    }

    private func write(final: Bool = false) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(report) else { return }
        if let reportPath {
            let url = URL(fileURLWithPath: reportPath)
            try? data.write(to: url, options: .atomic)
        } else if final {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    private static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("check: \(message)\n".utf8))
        exit(64)
    }
}
