import ArgumentParser
import Foundation
import Tensor
import Transformer
import Interp

struct CacheCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Run a model and save every activation under its TransformerLens hook name.",
        discussion: """
            Writes a .safetensors file with one tensor per hook point (TL names and shapes, batch \
            dimension first) plus `logits` and `tokens`. Open it in Python with \
            safetensors.numpy.load_file or safetensors.torch.load_file.

            With --backward the file also holds d(metric)/d(activation) at every hook point as \
            `<hook name>_grad`, same shapes (TransformerLens's run_with_cache(incl_bwd=True)). \
            The metric is TL's next-token loss by default; logit-diff needs --answer and --wrong, \
            log-prob and prob need --answer (one word, or one per sequence, comma-separated).
            """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @OptionGroup var input: TokenInput
    @Option(help: "Output .safetensors file.") var out: String
    @Option(help: "Cache only hooks whose names end with these, comma-separated (e.g. pattern,resid_pre).")
    var hooks: String?
    @Flag(help: "Also save the gradient of the metric at every hook point (<hook>_grad).") var backward = false
    @Option(help: "Metric to differentiate with --backward: \(MetricKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metric: String = MetricKind.loss.rawValue
    @Option(help: "Answer word(s) for the logit-diff, log-prob and prob metrics.") var answer: String?
    @Option(help: "Wrong word(s) for the logit-diff metric.") var wrong: String?
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let tokens = try input.batch(for: m, in: session)
        var filter = HookFilter.all
        if let list = hooks {
            let wanted = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let names = m.hookPoints.map(\.name)
            for w in wanted where !names.contains(where: { $0.hasSuffix(w) }) {
                let suffixes = Set(names.map { n in
                    let last = n.split(separator: ".").last.map(String.init) ?? n
                    return last.hasPrefix("hook_") ? String(last.dropFirst(5)) : last
                })
                throw CLIError.usage("--hooks: no hook point ends with '\(w)'" + Suggest.phrase(for: w, in: suffixes.sorted()))
            }
            filter = .suffixes(wanted)
        }
        guard let kind = MetricKind(rawValue: metric) else {
            throw CLIError.usage("--metric: unknown metric '\(metric)'" + Suggest.phrase(for: metric, in: MetricKind.allCases.map(\.rawValue)))
        }
        if !backward && (answer != nil || wrong != nil || metric != MetricKind.loss.rawValue) {
            throw CLIError.usage("--metric, --answer and --wrong choose what --backward differentiates: add --backward")
        }
        let file: SafeTensorsFile
        let count: Int, bytes: Int
        if backward {
            let measure: any LogitMetric
            do {
                measure = try kind.metric(tokens: tokens, answers: try words(answer, "--answer", m), wrong: try words(wrong, "--wrong", m))
            } catch let error as AnalysisError {
                throw CLIError.usage("--metric \(metric): \(error.message)")
            }
            let result = try BackwardCache(model: m, tokens: tokens, metric: measure)
            file = result.safetensors(tokens: tokens, metadata: ["model": loaded.name])
            count = result.run.cache.count
            bytes = result.run.cache.byteCount + result.run.gradients.byteCount + result.run.logits.count * 4
            session.err("\(kind.rawValue) = \(String(format: "%.4f", result.metricValue)); gradients at \(Text.plural(result.run.gradients.count, "hook point"))")
        } else {
            let (logits, cache) = try m.runWithCache(tokens, names: filter)
            file = cache.safetensors(logits: logits, tokens: tokens, metadata: ["model": loaded.name])
            count = cache.count
            bytes = cache.byteCount + logits.count * 4
        }
        do { try file.write(to: URL(fileURLWithPath: out)) } catch {
            throw CLIError.io("--out \(out): \(error)")
        }
        let mb = Double(bytes) / 1_048_576
        session.out("Cached \(Text.plural(count, "hook point"))\(backward ? " and their gradients" : "") for \(tokens.count)×\(tokens[0].count) tokens "
                    + String(format: "(%.2f MB)", mb) + " to \(out)")
    }

    /// Ids of comma-separated words of the model's vocabulary (empty when not given).
    private func words(_ list: String?, _ flag: String, _ m: HookedTransformer) throws -> [Int] {
        guard let list else { return [] }
        return try list.split(separator: ",").map { word in
            if m.tokenizer.isBytePair {   // GPT-2: the token's text with its leading space, " Mary"
                do { return try m.tokenizer.answerID(String(word)) } catch { throw CLIError.usage("\(flag): \(error)") }
            }
            let w = word.trimmingCharacters(in: .whitespaces)
            guard let id = m.tokenizer.id(of: w) else {
                let near = Tokenizer.closest(to: w, in: m.tokenizer.vocab, limit: 3)
                throw CLIError.usage("\(flag): unknown word '\(w)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
            }
            return id
        }
    }
}
