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
        let rows = try Benchmarks.run(options: BenchmarkOptions(secondsPerFigure: seconds))
        if json { try session.printJSON(rows); return }
        let table = TextTable(
            headers: ["figure", "value", "reference", "speed-up", "note"],
            rows: rows.map { r in
                [r.name, Self.format(r.value) + " " + r.unit, r.reference.map { Self.format($0) + " " + r.unit } ?? "",
                 r.speedup.map { String(format: "×%.1f", $0) } ?? "", r.note ?? ""]
            },
            alignments: [.left, .right, .right, .right, .left], boxed: false)
        session.out(table.render(maxWidth: session.screenWidth, color: session.color))
    }

    static func format(_ v: Double) -> String {
        if v >= 100 { return String(format: "%.0f", v) }
        if v >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }
}
