// The model file: one safetensors file with TL-named F32 tensors and `config` / `vocab` metadata.
//
// Loading one into TransformerLens (Python):
//
//     import json
//     from safetensors import safe_open
//     from safetensors.torch import load_file
//     from transformer_lens import HookedTransformer, HookedTransformerConfig
//     with safe_open("ioi-3l.safetensors", "pt") as f:
//         meta = f.metadata()
//     model = HookedTransformer(HookedTransformerConfig(**json.loads(meta["config"])))
//     missing, unexpected = model.load_state_dict(load_file("ioi-3l.safetensors"), strict=False)
//     assert not unexpected and all(k.endswith((".mask", ".IGNORE")) for k in missing)
//     vocab = json.loads(meta["vocab"])   # token id -> word
import Foundation
import Tensor

extension HookedTransformer {
    /// Loads a model file: tensors under TL names, metadata `config` (HookedTransformerConfig JSON),
    /// `vocab` (JSON array of token strings) and, for a BPE tokenizer, `tokenizer`.
    /// - Throws: `ModelError` naming the file and the problem (format, config, vocab, any missing or
    ///   misshapen tensor).
    ///
    /// A directory is read as a Hugging Face GPT-2 checkpoint (`HuggingFaceGPT2.load`, with
    /// TransformerLens's weight processing).
    public init(contentsOf url: URL) throws(ModelError) {
        let source = url.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
            self = try HuggingFaceGPT2.load(directory: url)
            return
        }
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            throw ModelError(error.description)
        }
        try self.init(file: file, source: source)
    }

    /// A model from a parsed safetensors file; `source` names it in errors.
    public init(file: SafeTensorsFile, source: String) throws(ModelError) {
        guard let configJSON = file.metadata["config"] else {
            throw ModelError("\(source): missing metadata 'config' (a model file needs config and vocab)")
        }
        let config = try ModelConfig.decode(json: configJSON, source: source)
        guard let vocabJSON = file.metadata["vocab"] else { throw ModelError("\(source): missing metadata 'vocab'") }
        guard let vocab = try? JSONDecoder().decode([String].self, from: Data(vocabJSON.utf8)) else {
            throw ModelError("\(source): metadata 'vocab' is not a JSON array of strings")
        }
        var tensors: [String: Tensor] = [:]
        for (name, entry) in file.tensors {
            switch entry {
            case .float32(let t):
                if let bad = t.firstNonFinite() {
                    throw ModelError("\(source): tensor '\(name)' holds \(bad.value) at element \(bad.offset) (weights must be finite)")
                }
                tensors[name] = t
            case .int32, .int64:
                if ModelWeights.isIgnoredBuffer(name) { continue }
                throw ModelError("\(source): tensor '\(name)' is \(entry.dtype.rawValue), expected F32")
            }
        }
        let weights = try ModelWeights(config: config, tensors: tensors, source: source)
        do {
            try self.init(weights: weights, vocab: vocab, fileMetadata: file.metadata)
        } catch {
            throw ModelError("\(source): \(error.message)")
        }
    }

    /// The model as a safetensors file (F32 tensors; metadata `config`, `vocab`, `tokenizer` for a BPE
    /// tokenizer, plus `extraMetadata`).
    public func safetensors(extraMetadata: [String: String] = [:]) -> SafeTensorsFile {
        var metadata = extraMetadata
        metadata["config"] = config.jsonString()
        let vocabData = (try? JSONEncoder().encode(tokenizer.vocab)) ?? Data("[]".utf8)
        metadata["vocab"] = String(decoding: vocabData, as: UTF8.self)
        metadata[Tokenizer.metadataKey] = nil
        metadata.merge(tokenizer.metadata) { _, new in new }
        var tensors: [String: SafeTensor] = [:]
        for (name, t) in weights.tensors { tensors[name] = .float32(t) }
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }

    /// Writes the model file atomically (temporary file + rename).
    /// - Throws: `ModelError` naming the file when it cannot be written.
    public func save(to url: URL, extraMetadata: [String: String] = [:]) throws(ModelError) {
        do {
            try safetensors(extraMetadata: extraMetadata).write(to: url)
        } catch {
            throw ModelError(error.description)
        }
    }
}
