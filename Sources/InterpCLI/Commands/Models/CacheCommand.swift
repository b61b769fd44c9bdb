import ArgumentParser
import Foundation
import Tensor
import Transformer

struct CacheCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Run a model and save every activation under its TransformerLens hook name.",
        discussion: """
            Writes a .safetensors file with one tensor per hook point (TL names and shapes, batch \
            dimension first) plus `logits` and `tokens`. Open it in Python with \
            safetensors.numpy.load_file or safetensors.torch.load_file.
            """)

    @Argument(help: "Bundled model name or path (default: the one 'set model' chose).") var model: String?
    @OptionGroup var input: TokenInput
    @Option(help: "Output .safetensors file.") var out: String
    @Option(help: "Cache only hooks whose names end with these, comma-separated (e.g. pattern,resid_pre).")
    var hooks: String?
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
        let (logits, cache) = try m.runWithCache(tokens, names: filter)
        let file = cache.safetensors(logits: logits, tokens: tokens, metadata: ["model": loaded.name])
        do { try file.write(to: URL(fileURLWithPath: out)) } catch {
            throw CLIError.io("--out \(out): \(error)")
        }
        let mb = Double(cache.byteCount + logits.count * 4) / 1_048_576
        session.out("Cached \(Text.plural(cache.count, "hook point")) for \(tokens.count)×\(tokens[0].count) tokens "
                    + String(format: "(%.2f MB)", mb) + " to \(out)")
    }
}
