import ArgumentParser
import Interp
import TerminalUI

extension PathReceiver.HeadInput: ExpressibleByArgument {}

struct PathPatchCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "path-patch",
        abstract: "Path patching (IOI paper): a sender head's effect through one path only.",
        discussion: """
        For every sender head: its output is taken from the corrupted run, every other head is \
        frozen to the clean run, and the effect may reach only the final residual stream (default) \
        or the --receivers' query/key/value inputs (--input q|k|v). Metric: (LD_patched − LD_clean) \
        / (LD_clean − LD_corrupt): 0 = no effect, −1 = this path carries the whole corruption.
        Examples: path-patch ioi-3l        path-patch ioi-3l --receivers 2.0,2.1 --input q
        """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Receiver heads, e.g. 2.0,2.1 or L2H0 (default: the logits).") var receivers: String?
    @Option(help: "Which input of the receivers: q, k or v.") var input: PathReceiver.HeadInput = .q
    @OptionGroup var pairs: PairOptions
    @Flag(help: "Print JSON: values [layer, head] over senders.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let receiver = try receivers.map { PathReceiver.heads(try m.headList($0, option: "--receivers"), input: input) } ?? .logits
        let result = try PathPatching.sweep(model: m, pairs: try pairs.load(m), receiver: receiver)
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }
        let to: String
        switch result.receiver {
        case .logits: to = "the logits"
        case .heads(let rs, let i): to = rs.map(\.description).joined(separator: ",") + " (\(i.rawValue))"
        }
        session.drawMatrix(result.matrix, title: "\(loaded.name): path patching, sender → \(to)", palette: .diverging, range: -1...1)
        session.note("LD clean \(CellText.number(Double(result.cleanLogitDiff))), corrupted \(CellText.number(Double(result.corruptedLogitDiff))); −1 = the path carries the whole effect")
    }
}
