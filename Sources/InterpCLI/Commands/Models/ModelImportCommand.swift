import ArgumentParser
import Foundation
import TerminalUI
import Transformer

struct ModelImportCommand: InterpCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a Hugging Face GPT-2 checkpoint into one memory-mapped interp model file.",
        discussion: """
        Reads config.json, model.safetensors, vocab.json and merges.txt from DIR (or, for gpt2 and \
        gpt2-medium, from the local Hugging Face cache), maps the weights to TransformerLens's names, \
        applies TL's from_pretrained processing (fold_ln, center_writing_weights, center_unembed, \
        fold_value_biases; each --no-… flag turns one off) and writes one .safetensors file holding \
        the weights, the config and the tokenizer. Without --out, a name is imported into \
        $XDG_DATA_HOME/interp/models, where the name then finds it. Nothing is downloaded.
        Example: model import gpt2
        """)

    @Argument(help: "A checkpoint directory, or gpt2 / gpt2-medium (from the Hugging Face cache).") var source: String
    @Option(help: "The model file to write (default for a name: $XDG_DATA_HOME/interp/models/NAME.safetensors).") var out: String?
    @Flag(name: .customLong("no-fold-ln"), help: "Keep the LayerNorm weights (TL's fold_ln=False).") var noFoldLN = false
    @Flag(name: .customLong("no-center-writing-weights"), help: "Do not centre the weights that write to the residual stream.")
    var noCenterWriting = false
    @Flag(name: .customLong("no-center-unembed"), help: "Do not centre W_U over the vocabulary.") var noCenterUnembed = false
    @Flag(name: .customLong("no-fold-value-biases"), help: "Keep b_V (do not fold it into b_O).") var noFoldValueBiases = false
    @OptionGroup var global: GlobalOptions

    func execute(in session: Session) throws {
        let registry = session.registry
        let isName = !source.contains("/") && ModelRegistry.hubNames[source] != nil
        let directory: URL
        if isName {
            guard let snapshot = registry.hubSnapshot(source) else {
                do { _ = try registry.resolve(source) } catch { throw CLIError.noInput(error.message) }
                throw CLIError.noInput("\(source): not in the Hugging Face cache \(registry.hubCache.path)")
            }
            directory = snapshot
        } else {
            directory = URL(fileURLWithPath: source)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir) else {
                throw CLIError.noInput("\(source): no such directory")
            }
            guard isDir.boolValue else {
                throw CLIError.usage("\(source): not a directory; model import reads a Hugging Face checkpoint directory (\(HuggingFaceGPT2.requiredFiles.joined(separator: ", ")))")
            }
        }
        let target: URL
        if let out {
            target = URL(fileURLWithPath: out)
        } else if isName {
            target = registry.userModelsDirectory.appendingPathComponent(source + ".safetensors")
        } else {
            throw CLIError.usage("--out FILE is needed to import a directory (a name such as gpt2 has a default place)")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir), isDir.boolValue {
            throw CLIError.usage("--out \(target.path): is a directory")
        }
        let processing = WeightProcessing(foldLN: !noFoldLN, centerWritingWeights: !noCenterWriting,
                                          centerUnembed: !noCenterUnembed, foldValueBiases: !noFoldValueBiases)
        let start = Date()
        let model: HookedTransformer
        do { model = try HuggingFaceGPT2.load(directory: directory, processing: processing, name: isName ? source : nil) } catch {
            throw error.isMissingInput ? CLIError.noInput(error.message) : CLIError.data(error.message)
        }
        if out == nil {
            do { try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
                throw CLIError.io("\(target.deletingLastPathComponent().path): cannot create the directory")
            }
        } else if !FileManager.default.fileExists(atPath: target.deletingLastPathComponent().path) {
            throw CLIError.noInput("--out \(target.path): no such directory \(target.deletingLastPathComponent().path)")
        }
        let metadata = ["source": "huggingface-gpt2", "processing": processing.jsonString(),
                        "imported_from": directory.path]
        do { try model.save(to: target, extraMetadata: metadata) } catch { throw CLIError.io(error.message) }
        let seconds = Date().timeIntervalSince(start)
        session.paragraph("Imported \(model.config.modelName) (\(model.weights.parameterCount.formatted()) parameters, \(model.tokenizer.summary)) to \(target.path)")
        session.paragraph(session.style(String(format: "%.1f s", seconds) + "; processing " + processing.summary
                                        + (isName && out == nil ? "; '\(source)' now loads this file" : ""), .dim))
    }
}

extension WeightProcessing {
    /// "fold_ln, center_writing_weights, center_unembed, fold_value_biases" or "none".
    var summary: String {
        let on = [("fold_ln", foldLN), ("center_writing_weights", centerWritingWeights), ("center_unembed", centerUnembed),
                  ("fold_value_biases", foldValueBiases)].filter(\.1).map(\.0)
        return on.isEmpty ? "none" : on.joined(separator: ", ")
    }
}
