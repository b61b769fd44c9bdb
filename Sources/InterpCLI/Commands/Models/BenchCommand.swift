import ArgumentParser
import Foundation
import Interp
import Transformer
import TerminalUI

struct BenchCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed: forward, cache, backward cache, patching sweeps, training step, sgemm.",
        discussion: """
            Each figure is the median of repeated runs after warm-up, on one BLAS thread. The TL \
            column is TransformerLens on PyTorch (one CPU thread) on the same workload, from \
            scripts/bench_reference.py's JSON: the one shipped with interp (measured on the \
            machine interp is developed on), or your own with --reference.

            With --model, times that model instead (a bundled name or a model file): loading it \
            (memory-mapped) and its peak memory, then forward, run_with_cache and the backward \
            cache on a random batch of --batch × --tokens. Run the script with the same --model, \
            --tokens and --batch for the TL figures of your model.
            """)

    @Option(help: "A bundled model name or a model file to time instead of the standard suite.") var model: String?
    @Option(help: "Tokens per sequence with --model (default: 16, or n_ctx if smaller).") var tokens: Int?
    @Option(help: "Sequences per batch with --model.") var batch: Int = 1
    @Option(help: "TransformerLens figures (JSON from scripts/bench_reference.py) to compare with.") var reference: String?
    @Flag(name: .customLong("no-training"), help: "Skip the training-step figure.") var noTraining = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Seconds to spend measuring each figure.") var seconds: Double = 1.0
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        guard seconds > 0, seconds <= 60 else { throw CLIError.usage("--seconds must be in (0, 60]") }
        if model == nil && (tokens != nil || batch != 1) { throw CLIError.usage("--tokens and --batch apply to --model") }
        var options = BenchmarkOptions(secondsPerFigure: seconds)
        if let path = reference {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.noInput("--reference \(path): cannot read the file") }
            do { options.reference = try BenchmarkReference(json: data, source: path) } catch {
                throw CLIError.data(error.message)
            }
        }
        let rows: [BenchmarkRow]
        if let name = model {
            let isFile = name.contains("/") || name.hasSuffix(".safetensors")
            if !json { session.err("Timing \(name) (about \(Int((seconds * 3).rounded())) s)…") }
            do {
                if isFile {
                    guard FileManager.default.fileExists(atPath: name) else { throw CLIError.noInput("--model \(name): no such file") }
                    let probe = try session.model(name).model          // validates the file and gives n_ctx
                    rows = try Benchmarks.runModel(file: URL(fileURLWithPath: name), tokens: tokens ?? min(16, probe.config.nCtx),
                                                   batch: batch, options: options)
                } else {
                    let m = try session.model(name).model
                    rows = try Benchmarks.runModel(file: nil, model: m, tokens: tokens ?? min(16, m.config.nCtx), batch: batch, options: options)
                }
            } catch let error as ModelError {
                throw CLIError.usage(error.message)
            }
        } else {
            if !json { session.err("Measuring (about \(Int((seconds * 12).rounded())) s)…") }
            // The bundled ioi-3l when present (its shape is the reference shape), else a random model of the same shape.
            let bundled = session.registry.list().contains("ioi-3l") ? try? session.model("ioi-3l").model : nil
            if !json { session.err("Model: " + (bundled != nil ? "ioi-3l (bundled)" : "random init, ioi-3l shape")) }
            rows = try Benchmarks.run(model: bundled, options: options, includeTraining: !noTraining)
        }
        if json { try session.printJSON(rows); return }
        if let source = options.reference?.source { session.out(session.style("TL: " + source, .dim)) }
        render(rows, in: session)
    }

    private func render(_ rows: [BenchmarkRow], in session: Session) {
        let nameWidth = min(44, rows.map { $0.name.count }.max() ?? 0)
        let pad = String(repeating: " ", count: nameWidth + 4)
        for r in rows {
            let value = (Self.format(r.value) + " " + r.unit).leftPadded(to: 14)
            var figures = session.style(value, .bold)
            if let ref = r.reference {
                figures += "   TL " + (Self.format(ref) + " " + r.unit).leftPadded(to: 10)
            }
            if let x = r.speedup {
                figures += "   " + session.style(String(format: "×%.1f", x), x >= 3 ? .green : .yellow)
            }
            // A long name gets a line of its own rather than being cut.
            if r.name.count > nameWidth {
                session.out("  " + r.name)
                session.out(pad + figures)
            } else {
                session.out("  " + CellText.padRight(r.name, to: nameWidth) + "  " + figures)
            }
            if let note = r.note { session.out(pad + session.style(note, .dim)) }
        }
    }

    static func format(_ v: Double) -> String {
        if v >= 100 { return String(format: "%.0f", v) }
        if v >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }
}

extension String {
    /// The string with spaces in front, to at least `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
