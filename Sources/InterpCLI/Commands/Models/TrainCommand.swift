import ArgumentParser
import Foundation
import Interp
import Progress
import Tensor
import TerminalUI
import Transformer

/// `interp train induction-2l|ioi-3l`: trains a bundled model's recipe from a seed, with a progress
/// bar, periodic atomic checkpoints, Ctrl-C that stops after the current step, and loss curves.
struct TrainCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train induction-2l or ioi-3l from a seed (a few minutes on one core).",
        discussion: """
        The defaults are the recipes the bundled models were trained with: 'interp train induction-2l \
        --seed 0' and 'interp train ioi-3l --seed 0' reproduce the bundled files' weights bit for bit. \
        For induction-2l the run also tracks the in-context loss on repeated tokens and the best \
        previous-token and induction head scores, so the phase change shows as a picture at the end.
        """)

    @Argument(help: "The recipe: induction-2l or ioi-3l.") var recipe: String
    @Option(help: "Number of AdamW steps (default: the recipe's).") var steps: Int?
    @Option(help: "Seed of the initial weights and the data.") var seed: UInt64 = 0
    @Option(help: "Peak learning rate (default: the recipe's).") var lr: Float?
    @Option(help: "Batch size (default: the recipe's).") var batch: Int?
    @Option(help: "The model file to write (default: ./NAME.safetensors).") var out: String?
    @Option(name: .customLong("checkpoint-every"), help: "Write the model file every N steps.") var checkpointEvery = 500
    @Option(name: .customLong("eval-every"), help: "Measure the tracked metrics every N steps.") var evalEvery = 50
    @Flag(help: "Print a JSON summary at the end.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1 (got \(steps))") }
        if let batch, batch < 1 || batch > 4096 { throw ValidationError("--batch must be between 1 and 4096 (got \(batch))") }
        if let lr, !(lr > 0 && lr < 1) { throw ValidationError("--lr must be between 0 and 1 (got \(lr))") }
        if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
        if evalEvery < 1 { throw ValidationError("--eval-every must be at least 1") }
    }

    func execute(in session: Session) throws {
        var r: TrainingRecipe
        do { r = try TrainingRecipe.named(recipe) } catch { throw CLIError.usage(error.message) }
        if let steps { r.steps = steps }
        if let lr { r.lr = lr }
        if let batch { r.batch = batch }
        let url = URL(fileURLWithPath: out ?? "\(r.name).safetensors")
        let date = ISO8601Timestamp.string(from: try session.now())
        BLAS.useSingleThread()
        var trainer = try Trainer(recipe: r, seed: seed)
        var history = TrainingHistory()
        let bar = ProgressBar(total: r.steps, label: r.name, color: session.color)
        let start = ProgressBar.monotonicSeconds()

        func save(final: Bool) throws {
            let model = try trainer.model()
            let meta = TrainingMetadata(command: commandLine(r), recipe: r, seed: seed, steps: trainer.stepsTaken,
                                        finalLoss: history.recentLoss, data: r.dataDescription, date: date,
                                        complete: final && trainer.stepsTaken == r.steps, history: history.evaluations)
            let json = try meta.jsonString()
            do {
                try model.save(to: url, extraMetadata: [TrainingMetadata.metadataKey: json])
            } catch {
                throw CLIError.io(error.message)
            }
        }

        let interrupted: Bool = try Interrupt.withCooperativeHandler {
            // Ctrl-C during an evaluation (forward passes check for it) stops like Ctrl-C elsewhere.
            do { try history.evaluate(trainer: trainer, step: 0) } catch is CancellationError { return true }
            while trainer.stepsTaken < r.steps {
                let loss = try trainer.step()
                history.losses.append(loss)
                let s = trainer.stepsTaken
                if s % evalEvery == 0 || s == r.steps {
                    do { try history.evaluate(trainer: trainer, step: s) } catch is CancellationError { return true }
                }
                if s % checkpointEvery == 0 && s < r.steps { try save(final: false) }
                bar.update(s, fields: history.fields)
                if Interrupt.isRequested { return true }
            }
            return false
        }
        bar.finish(trainer.stepsTaken, fields: history.fields)
        try save(final: !interrupted)
        let seconds = ProgressBar.monotonicSeconds() - start
        if interrupted {
            session.err("interrupted after step \(trainer.stepsTaken) of \(r.steps); the last checkpoint is \(url.path)")
            throw CLIError("interrupted", status: .interrupted).silent
        }
        let summary = TrainingSummary(model: r.name, file: url.path, seed: seed, steps: trainer.stepsTaken,
                                      finalLoss: history.recentLoss, seconds: seconds,
                                      msPerStep: seconds * 1000 / Double(max(trainer.stepsTaken, 1)),
                                      final: history.evaluations.last)
        if json { try session.printJSON(summary); return }
        session.out(history.pictures(task: r.task, width: min(session.screenWidth, 100), color: session.color))
        session.out(summary.text)
    }

    private func commandLine(_ r: TrainingRecipe) -> String {
        var parts = ["interp", "train", r.name]
        if let steps { parts += ["--steps", "\(steps)"] }
        parts += ["--seed", "\(seed)"]
        if let lr { parts += ["--lr", "\(lr)"] }
        if let batch { parts += ["--batch", "\(batch)"] }
        return parts.joined(separator: " ")
    }
}

struct TrainingSummary: Encodable {
    var model: String
    var file: String
    var seed: UInt64
    var steps: Int
    var finalLoss: Float
    var seconds: Double
    var msPerStep: Double
    var final: TrainingEvaluation?

    var text: String {
        var lines = ["\(model): \(steps) steps in \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", msPerStep)) ms/step), final loss \(String(format: "%.3f", finalLoss))"]
        if let f = final {
            if let icl = f.inContextLoss, let p = f.bestPreviousToken, let i = f.bestInduction {
                lines.append(String(format: "in-context loss %.3f · best previous-token head %.2f · best induction head %.2f", icl, p, i))
            }
            if let a = f.accuracy, let d = f.meanLogitDiff {
                lines.append(String(format: "held-out accuracy %.1f%% · mean logit difference %.2f", a * 100, d))
            }
        }
        lines.append("wrote \(file)")
        return lines.joined(separator: "\n")
    }
}

/// Losses and evaluations gathered during a run, and the pictures drawn from them.
struct TrainingHistory {
    var losses: [Float] = []
    var evaluations: [TrainingEvaluation] = []
    private var lastEvaluated = 0

    /// Mean of the last (up to) 50 step losses.
    var recentLoss: Float {
        let tail = losses.suffix(50)
        return tail.isEmpty ? .nan : tail.reduce(0, +) / Float(tail.count)
    }

    var fields: [ProgressBar.Field] {
        var f: [ProgressBar.Field] = [("loss", String(format: "%.3f", recentLoss))]
        if let e = evaluations.last {
            if let i = e.bestInduction { f.append(("induction", String(format: "%.2f", i))) }
            if let a = e.accuracy { f.append(("acc", String(format: "%.0f%%", a * 100))) }
        }
        return f
    }

    mutating func evaluate(trainer: Trainer, step: Int) throws {
        let recent = losses.suffix(max(step - lastEvaluated, 0))
        lastEvaluated = step
        evaluations.append(try TaskMetrics.trainingEvaluation(model: try trainer.model(), task: trainer.recipe.task, step: step,
                                                              loss: recent.isEmpty ? nil : recent.reduce(0, +) / Float(recent.count)))
    }

    func pictures(task: TrainingTask, width: Int, color: Bool) -> String {
        let steps = evaluations.map { Double($0.step) }
        let trained = evaluations.filter { $0.loss != nil }
        var charts = [LineChart(series: [ChartSeries(name: "training loss", values: trained.compactMap(\.loss), xs: trained.map { Double($0.step) })],
                                title: "loss", height: 8, xLabel: "step")]
        switch task {
        case .induction:
            charts[0].series.append(ChartSeries(name: "in-context loss", values: evaluations.compactMap(\.inContextLoss), xs: steps))
            charts.append(LineChart(series: [
                ChartSeries(name: "best induction head", values: evaluations.compactMap(\.bestInduction), xs: steps),
                ChartSeries(name: "best previous-token head", values: evaluations.compactMap(\.bestPreviousToken), xs: steps),
            ], title: "head scores (the phase change)", height: 8, xLabel: "step"))
        case .ioi:
            charts.append(LineChart(series: [ChartSeries(name: "held-out accuracy", values: evaluations.compactMap(\.accuracy), xs: steps)],
                                    title: "IOI accuracy", height: 6, xLabel: "step"))
        }
        return charts.map { $0.render(width: width, color: color) }.joined(separator: "\n")
    }
}
