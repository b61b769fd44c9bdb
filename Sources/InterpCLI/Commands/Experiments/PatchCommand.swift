import ArgumentParser
import Interp
import TerminalUI

extension PatchTarget: ExpressibleByArgument {}

struct PatchCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch",
        abstract: "Activation patching: copy clean activations into the corrupted run, one slice at a time.",
        discussion: """
        Metric (ARENA): (LD_patched − LD_corrupt) / (LD_clean − LD_corrupt), LD = mean over pairs of \
        logit[answer] − logit[wrong] at the last position: 1 = the patch restores clean behaviour, \
        0 = no effect. Shapes as TransformerLens: [layer, pos] for resid_pre and attn_out; \
        [layer, head] for head_out, z, q, k, v, pattern (all positions); [layer, pos, head] with \
        --by-pos. Pairs come from --pairs F.jsonl, from --clean/--corrupt/--answer/--wrong, or are \
        generated (IOI, --n 50 --seed 1 --corruption abc).
        Example: patch ioi-3l --target resid_pre
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "resid_pre, attn_out, head_out, z, q, k, v or pattern.") var target: PatchTarget = .residPre
    @Flag(name: .customLong("by-pos"), help: "Head targets: patch each position separately ([layer, pos, head]).") var byPos = false
    @OptionGroup var pairs: PairOptions
    @Flag(help: "Print JSON in TransformerLens's shapes, with both logit differences.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        guard !byPos || target.isPerHead else {
            throw CLIError.usage("--by-pos applies to the head targets (head_out, z, q, k, v, pattern); \(target.rawValue) is already by position")
        }
        let p = try pairs.load(m)
        let sweep = try activationPatching(model: m, pairs: p, target: target, byPosition: byPos)
        if json { return try session.printAnalysisJSON(sweep, model: loaded.name) }

        let title = "\(loaded.name): \(target.rawValue) patching, share of the logit difference restored (\(p.count) pair(s))"
        if byPos {
            session.drawPanels(sweep.panels.map { (title: "layer \($0.layer)", matrix: $0.matrix) }, title: title,
                               palette: .diverging, range: -1...1)
        } else {
            session.drawMatrix(sweep.matrix, title: title, palette: .diverging, range: -1...1)
        }
        session.note("LD clean \(CellText.number(Double(sweep.cleanLogitDiff))), corrupted \(CellText.number(Double(sweep.corruptedLogitDiff))); 1 = fully restored")
    }
}
