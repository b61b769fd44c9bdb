import ArgumentParser
import Interp
import Tensor
import TerminalUI
import Transformer

extension AblationMode: ExpressibleByArgument {}

struct AblateCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Knock out heads (zero or mean) and measure the change in loss or logit difference.",
        discussion: """
        --task induction: repeated random tokens [bos, r, r]; the metric is the loss on the repeated \
        half (ARENA: the last seq-len − 1 predictions). --task ioi: generated IOI prompts; the \
        metric is logit[IO] − logit[S] at the end. --text: the mean next-token loss of the text. \
        Without --heads every head is ablated on its own ([layer × head] map); with --heads each \
        listed head alone and then all together (a head listed twice is ablated once). Mean \
        ablation replaces a head's z by its mean over the dataset at each position (needs --task).
        Example: ablate induction-2l --task induction
        """)

    enum Task: String, ExpressibleByArgument, CaseIterable { case induction, ioi }

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @Option(help: "Prompt text (default: the one 'set text' chose, when no --task).") var text: String?
    @Option(help: "A dataset instead of a text: induction or ioi.") var task: Task?
    @Option(help: "Heads to ablate, e.g. 1.2,0.3 or L1H2 (default: every head, one at a time).") var heads: String?
    @Option(help: "zero or mean.") var mode: AblationMode = .zero
    @Option(help: "Dataset size for --task.") var batch: Int = 32
    @Option(name: .customLong("seq-len"), help: "Length of the repeated segment for --task induction.") var seqLen: Int = 10
    @Option(help: "Seed of the dataset.") var seed: UInt64 = 0
    @Flag(help: "Print JSON: values [layer, head] (or per listed head), the baseline metric.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        guard batch >= 1 && batch <= 512 else { throw CLIError.usage("--batch must be between 1 and 512 (got \(batch))") }
        let tokens: [[Int]], metric: AblationMetric, what: String
        switch task {
        case .induction:
            guard seqLen >= 2 && 2 * seqLen + 1 <= m.config.nCtx else {
                throw CLIError.usage("--seq-len must be between 2 and \((m.config.nCtx - 1) / 2) for this model (got \(seqLen))")
            }
            var rng = SeededRandom(seed: seed)
            tokens = InductionData.repeated(batch: batch, seqLen: seqLen, vocabSize: m.config.dVocab, rng: &rng)
            metric = .loss(lastPredictions: seqLen - 1)
            what = "loss on the repeated half (nats)"
        case .ioi:
            let p = try m.promptPairs(IOIData.pairs(n: batch, seed: seed, corruption: .abc), source: "IOI prompts")
            tokens = p.clean
            metric = .logitDifference(answers: p.answers, wrong: p.wrong)
            what = "logit[IO] − logit[S]"
        case nil:
            guard mode == .zero else {
                throw CLIError.usage("--mode mean needs a dataset: add --task induction or --task ioi (one text has no mean to ablate to)")
            }
            tokens = [try m.encodeOption(try session.text(text), option: "--text")]
            metric = .loss(lastPredictions: nil)
            what = "next-token loss (nats)"
        }
        let list = try heads.map { try m.headList($0, option: "--heads") }
        let result = try withFlags(["mode": "--mode \(mode.rawValue)"]) {
            try list.map { try Ablation.heads($0, model: m, tokens: tokens, metric: metric, mode: mode) }
                ?? Ablation.everyHead(model: m, tokens: tokens, metric: metric, mode: mode)
        }
        if json { return try session.printAnalysisJSON(result, model: loaded.name) }

        let title = "\(loaded.name): change in \(what) when a head is \(mode.rawValue)-ablated"
        if result.ablated == .eachHead {
            session.drawMatrix(.heads(result.values), title: title, palette: .diverging)
        } else {
            let bars = zip(result.labels, result.values.scalars).map {
                BarChart.Bar($0, Double($1), valueText: CellText.number(Double($1), decimals: 3))
            }
            session.out(BarChart(bars: bars, title: title).render(width: min(session.screenWidth, 100), color: session.color),
                        terminator: "")
        }
        session.note("baseline \(what): \(CellText.number(Double(result.baseline), decimals: 3)); \(tokens.count) sequence(s)")
    }
}
