import ArgumentParser
import Foundation
import Tensor
import TerminalUI
import Transformer

struct ModelCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "The bundled models: list, info, card, export; import a Hugging Face GPT-2 checkpoint.",
        subcommands: [ModelListCommand.self, ModelInfoCommand.self, ModelCardCommand.self, ModelExportCommand.self,
                      ModelImportCommand.self])
    @OptionGroup var global: GlobalOptions
    func execute(in session: Session) throws {
        try ModelListCommand.list(json: false, in: session)
    }
}

/// The facts about a model that `model list` and `model info` print.
struct ModelSummary: Encodable {
    var name: String
    var file: String
    var config: ModelConfig
    var parameters: Int
    var vocabSize: Int

    init(_ loaded: LoadedModel) {
        name = loaded.name
        file = loaded.url.path
        config = loaded.model.config
        parameters = loaded.model.weights.parameterCount
        vocabSize = loaded.model.tokenizer.vocab.count
    }

    /// "2 layers · attention-only · d_model 64 · 4 heads × 16 · shortformer · no norm"
    var shape: String {
        let c = config
        var parts = ["\(c.nLayers) layer\(c.nLayers == 1 ? "" : "s")"]
        parts.append(c.attnOnly ? "attention-only" : "MLP \(c.dMLP ?? 0) (\(c.actFn?.rawValue ?? "-"))")
        parts.append("d_model \(c.dModel)")
        parts.append("\(c.nHeads) heads × \(c.dHead)")
        parts.append(c.positionalEmbeddingType.rawValue)
        parts.append(c.normalizationType.map(\.rawValue) ?? "no norm")
        return parts.joined(separator: " · ")
    }
}

struct ModelListCommand: InterpCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bundled models.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws { try Self.list(json: json, in: session) }

    static func list(json: Bool, in session: Session) throws {
        let models = try session.registry.list().map { ModelSummary(try session.model($0)) }
        if json { try session.printJSON(models); return }
        guard !models.isEmpty else {
            session.out("No bundled models found. Train one with 'train induction-2l'.")
            return
        }
        for m in models {
            session.out(session.style(m.name, .bold + .cyan) + "  " + session.style("\(m.parameters.formatted()) parameters", .dim))
            session.out("  " + m.shape)
        }
        session.out(session.style("model info NAME and model card NAME tell more.", .dim))
    }
}

struct ModelInfoCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "A model's configuration, parameters and vocabulary.")
    @Argument(help: "Bundled model name or path to a .safetensors model file.") var model: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let m = loaded.model
        let summary = ModelSummary(loaded)
        let tensors = m.weights.names.map { name in (name, m.weights[name]?.shape ?? []) }
        if json {
            struct Out: Encodable {
                var summary: ModelSummary
                var vocab: [String]
                var tensors: [String: [Int]]
                enum CodingKeys: String, CodingKey { case name, file, config, parameters, vocab, tensors }
                func encode(to encoder: Encoder) throws {
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encode(summary.name, forKey: .name)
                    try c.encode(summary.file, forKey: .file)
                    try c.encode(summary.config, forKey: .config)
                    try c.encode(summary.parameters, forKey: .parameters)
                    try c.encode(vocab, forKey: .vocab)
                    try c.encode(tensors, forKey: .tensors)
                }
            }
            try session.printJSON(Out(summary: summary, vocab: m.tokenizer.vocab,
                                      tensors: Dictionary(uniqueKeysWithValues: tensors)))
            return
        }
        var lines = [session.style(TerminalText.line(loaded.name), .bold + .cyan) + "  " + session.style(TerminalText.line(loaded.url.path), .dim),
                     TerminalText.line(summary.shape), ""]
        let c = m.config
        let config: [(String, String)] = [
            ("n_layers", "\(c.nLayers)"), ("d_model", "\(c.dModel)"), ("n_heads", "\(c.nHeads)"), ("d_head", "\(c.dHead)"),
            ("n_ctx", "\(c.nCtx)"), ("d_vocab", "\(c.dVocab)"), ("attn_only", "\(c.attnOnly)"),
            ("d_mlp", c.dMLP.map(String.init) ?? "null"), ("act_fn", c.actFn?.rawValue ?? "null"),
            ("normalization_type", c.normalizationType?.rawValue ?? "null"),
            ("positional_embedding_type", c.positionalEmbeddingType.rawValue), ("eps", "\(c.eps)"),
        ]
        lines.append(session.style("config", .bold))
        lines += config.map { "  " + $0.0.padding(toLength: 26, withPad: " ", startingAt: 0) + $0.1 }
        lines.append("")
        lines.append(session.style("parameters", .bold) + "  \(summary.parameters.formatted())")
        for (name, shape) in tensors {
            lines.append("  " + name.padding(toLength: 26, withPad: " ", startingAt: 0) + "[" + shape.map(String.init).joined(separator: ", ") + "]")
        }
        lines.append("")
        lines.append(session.style("vocabulary", .bold) + "  \(m.tokenizer.summary)")
        if m.tokenizer.isBytePair {
            let shown = m.tokenizer.decode(Array(0..<min(64, summary.vocabSize))).map { TokenDisplay.token($0, bytePair: true) }
            lines += wrap(shown.joined(separator: " ") + " …", width: session.width - 2).map { "  " + $0 }
        } else {
            lines += wrap(m.tokenizer.vocab.map(TerminalText.line).joined(separator: " "), width: session.width - 2).map { "  " + $0 }
        }
        session.out(lines.joined(separator: "\n"))
    }
}

struct ModelExportCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model to a .safetensors file (TransformerLens state-dict names; see README).")
    @Argument(help: "Bundled model name or path.") var model: String?
    @Option(help: "Output file.") var out: String
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let loaded = try session.model(model)
        let data: Data
        do { data = try Data(contentsOf: loaded.url) } catch { throw CLIError.io("\(loaded.url.path): \(error.localizedDescription)") }
        try FileOutput.writeAtomically(data, to: out)
        session.out("Wrote \(loaded.name) (\(loaded.model.weights.parameterCount.formatted()) parameters) to \(out)")
    }
}

/// Atomic file writes for command outputs: a temp file beside the target, then rename.
enum FileOutput {
    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            throw CLIError.usage("--out \(path): is a directory")
        }
        let dir = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw CLIError.noInput("--out \(path): no such directory \(dir.path)")
        }
        do { try data.write(to: url, options: .atomic) } catch {
            throw CLIError.io("--out \(path): \(error.localizedDescription)")
        }
    }
}
