import ArgumentParser
import Foundation
import Interp
import TerminalUI

struct HeadsCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Head detectors: previous-token, duplicate-token, induction and first-token scores per head.",
        discussion: """
        Runs repeated random tokens [bos, r, r] (as ARENA does) and scores each head by its mean \
        attention to the previous token, to the earlier copy of its token (duplicate), to the token \
        after that copy (induction), and to <bos> (first-token). Scores near 1 mark a head of that kind.
        Example: heads induction-2l
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(name: .customLong("seq-len"), help: "Length of r (default: as long as the context allows, at most 15).") var seqLen: Int?
    @Option(help: "Number of sequences.") var batch: Int = 16
    @Option(help: "Seed of the random tokens.") var seed: UInt64 = 0
    @Option(help: "Only heads scoring at least this much are listed in the table.") var threshold: Double = 0.4
    @Flag(help: "Print JSON: values [score, layer, head].") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let c = m.config
        let n = seqLen ?? min(15, (c.nCtx - 1) / 2)
        guard n >= 2 && 1 + 2 * n <= c.nCtx else {
            throw CLIError.usage("--seq-len must be between 2 and \((c.nCtx - 1) / 2) for \(loaded.name) (n_ctx \(c.nCtx))")
        }
        guard batch >= 1 && batch <= 512 else { throw CLIError.usage("--batch must be between 1 and 512 (got \(batch))") }
        let scores = try HeadScores.compute(model: m, seqLen: n, batch: batch, seed: seed)
        if json { return try session.printAnalysisJSON(scores, model: loaded.name) }

        // Short titles: the panels are narrow.
        let panels = scores.all.map { (title: $0.shortName, matrix: LabelledMatrix.heads($0.scores)) }
        session.drawPanels(panels, title: "\(loaded.name): head scores on [bos, r, r], r of \(n) random tokens, \(batch) sequences",
                           range: 0...1)
        let rows = scores.heads(scoringAtLeast: threshold).map { [$0.detector, $0.head.description, String(format: "%.2f", $0.score)] }
        session.out("")
        if rows.isEmpty {
            session.note("no head scores ≥ \(threshold)")
        } else {
            session.out(TextTable(headers: ["kind", "head", "score"], rows: rows, alignments: [.left, .left, .right], boxed: false)
                .render(maxWidth: session.width, color: session.color))
        }
    }
}
