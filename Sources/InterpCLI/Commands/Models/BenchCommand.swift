import ArgumentParser
import Foundation
import Interp
import TerminalUI

struct BenchCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed: forward, cache, patching sweeps, training step, sgemm.",
        discussion: """
            Each figure is the median of repeated runs after warm-up, on one BLAS thread. The \
            reference column is TransformerLens on PyTorch (one CPU thread) on the same shapes, \
            measured on the machines this project is developed on.
            """)

    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Seconds to spend measuring each figure.") var seconds: Double = 1.0
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        guard seconds > 0, seconds <= 60 else { throw CLIError.usage("--seconds must be in (0, 60]") }
        if !json { session.err("Measuring (about \(Int((seconds * 10).rounded())) s)…") }
        // The bundled ioi-3l when present (its shape is the reference shape), else a random
        // model of the same shape.
        let bundled = session.registry.list().contains("ioi-3l") ? try? session.model("ioi-3l").model : nil
        if !json { session.err("Model: " + (bundled != nil ? "ioi-3l (bundled)" : "random init, ioi-3l shape")) }
        let options = BenchmarkOptions(secondsPerFigure: seconds)
        var rows = try Benchmarks.run(model: bundled, options: options)
        rows.append(try Benchmarks.trainingStepRow(options))
        if json { try session.printJSON(rows); return }
        let nameWidth = min(44, rows.map { $0.name.count }.max() ?? 0)
        let pad = String(repeating: " ", count: nameWidth + 4)
        for r in rows {
            let value = (Self.format(r.value) + " " + r.unit).leftPadded(to: 14)
            var figures = session.style(value, .bold)
            if let ref = r.reference {
                figures += "   TL " + (Self.format(ref) + " " + r.unit).leftPadded(to: 10)
            }
            if let x = r.speedup {
                figures += "   " + session.style(String(format: "×%.1f", x), x >= 5 ? .green : .yellow)
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
