// A Hugging Face GPT-2 checkpoint directory (config.json, model.safetensors, vocab.json, merges.txt),
// read as it is and mapped to TransformerLens's state dict in one place.
import Foundation
import Tensor

/// Reads Hugging Face GPT-2 checkpoints (`save_pretrained` directories and hub snapshots) into a
/// `HookedTransformer`: GPT-2's `Conv1D` weights are `[in, out]`, `c_attn` holds Q, K and V side by
/// side, `lm_head` is tied to `wte` unless the checkpoint has its own. The mapping is TransformerLens's
/// `convert_gpt2_weights`; the weights are then processed as `from_pretrained` does (`WeightProcessing`).
public enum HuggingFaceGPT2 {
    /// The files a checkpoint directory must hold.
    public static let requiredFiles = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]

    /// The fields of config.json this reader uses or refuses.
    struct Config: Decodable {
        var modelType: String?
        var architectures: [String]?
        var nLayer: Int?, nEmbd: Int?, nHead: Int?, nPositions: Int?, nCtx: Int?, nInner: Int?, vocabSize: Int?
        var activationFunction: String?
        var layerNormEpsilon: Double?
        var scaleAttnWeights: Bool?
        var scaleAttnByInverseLayerIdx: Bool?
        var addCrossAttention: Bool?
        var tieWordEmbeddings: Bool?
        var nameOrPath: String?
        enum CodingKeys: String, CodingKey {
            case modelType = "model_type", architectures, nLayer = "n_layer", nEmbd = "n_embd", nHead = "n_head"
            case nPositions = "n_positions", nCtx = "n_ctx", nInner = "n_inner", vocabSize = "vocab_size"
            case activationFunction = "activation_function", layerNormEpsilon = "layer_norm_epsilon"
            case scaleAttnWeights = "scale_attn_weights", scaleAttnByInverseLayerIdx = "scale_attn_by_inverse_layer_idx"
            case addCrossAttention = "add_cross_attention", tieWordEmbeddings = "tie_word_embeddings"
            case nameOrPath = "_name_or_path"
        }
    }

    /// Loads a checkpoint directory: validated config, tokenizer and tensors, then `processing`.
    /// `name` labels the model (default: config.json's `_name_or_path`, else the directory name).
    /// - Throws: `ModelError` naming the file at fault: a missing file (`isMissingInput`), an
    ///   unsupported architecture with the fields that say so, a tensor missing or of the wrong shape,
    ///   a malformed or truncated safetensors file.
    public static func load(directory: URL, processing: WeightProcessing = .transformerLens,
                            name: String? = nil) throws(ModelError) -> HookedTransformer {
        for file in requiredFiles {
            let path = directory.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw ModelError.missing("\(path): missing (a Hugging Face GPT-2 checkpoint holds \(requiredFiles.joined(separator: ", ")))")
            }
        }
        let (config, tied) = try readConfig(directory.appendingPathComponent("config.json"), name: name ?? directory.lastPathComponent)
        let bpe = try BytePairTokenizer.load(vocab: directory.appendingPathComponent("vocab.json"),
                                             merges: directory.appendingPathComponent("merges.txt"), size: config.dVocab)
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: weightsURL) } catch { throw ModelError(error.description) }
        let raw = try transformerLensTensors(file, config: config, tiedEmbeddings: tied, source: weightsURL.path)
        let unprocessed = try ModelWeights(config: config, tensors: raw, source: weightsURL.path)
        let weights = processing.apply(to: unprocessed)
        let metadata = ["source": "huggingface-gpt2", "checkpoint": directory.path, "processing": processing.jsonString()]
        do {
            return try HookedTransformer(weights: weights, tokenizer: Tokenizer(bpe), fileMetadata: metadata)
        } catch {
            throw ModelError("\(directory.path): \(error.message)")
        }
    }

    /// The TL config of a checkpoint's config.json, and whether `lm_head` is tied to `wte`.
    /// - Throws: `ModelError` naming the file: not JSON, a missing field, or the unsupported
    ///   settings listed by name (model_type, architectures, activation_function, attention scaling,
    ///   cross-attention).
    static func readConfig(_ url: URL, name: String) throws(ModelError) -> (ModelConfig, tied: Bool) {
        let source = url.path
        guard let data = FileManager.default.contents(atPath: source) else { throw ModelError.missing("\(source): missing or not readable") }
        let c: Config
        do { c = try JSONDecoder().decode(Config.self, from: data) } catch {
            throw ModelError("\(source): not a Hugging Face config (a JSON object with GPT-2's fields)")
        }
        var unsupported: [String] = []
        if let type = c.modelType, type != "gpt2" { unsupported.append("model_type '\(type)' (interp reads 'gpt2')") }
        if let archs = c.architectures, !archs.isEmpty, !archs.contains(where: { ["GPT2LMHeadModel", "GPT2Model"].contains($0) }) {
            unsupported.append("architectures [\(archs.joined(separator: ", "))] (GPT2LMHeadModel)")
        }
        let activation: ModelConfig.ActivationFunction?
        switch c.activationFunction ?? "gelu_new" {
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluNew
        case "gelu": activation = .gelu
        case "relu": activation = .relu
        case let other:
            activation = nil
            unsupported.append("activation_function '\(other)' (gelu_new, gelu, relu)")
        }
        if c.scaleAttnWeights == false { unsupported.append("scale_attn_weights false (attention scores are scaled by 1/√d_head)") }
        if c.scaleAttnByInverseLayerIdx == true { unsupported.append("scale_attn_by_inverse_layer_idx true") }
        if c.addCrossAttention == true { unsupported.append("add_cross_attention true") }
        guard unsupported.isEmpty else {
            throw ModelError("\(source): unsupported architecture: " + unsupported.joined(separator: "; "))
        }
        func required(_ value: Int?, _ field: String) throws(ModelError) -> Int {
            guard let value else { throw ModelError("\(source): missing field '\(field)'") }
            return value
        }
        let layers = try required(c.nLayer, "n_layer"), width = try required(c.nEmbd, "n_embd")
        let heads = try required(c.nHead, "n_head"), vocab = try required(c.vocabSize, "vocab_size")
        guard heads > 0, width % heads == 0 else {
            throw ModelError("\(source): n_embd \(width) is not a multiple of n_head \(heads)")
        }
        do {
            let config = try ModelConfig(
                nLayers: layers, dModel: width, nHeads: heads, dHead: width / heads,
                nCtx: c.nPositions ?? c.nCtx ?? 1024, dVocab: vocab, attnOnly: false, dMLP: c.nInner ?? 4 * width,
                actFn: activation, normalizationType: .ln, positionalEmbeddingType: .standard,
                eps: c.layerNormEpsilon ?? 1e-5, modelName: c.nameOrPath.flatMap { $0.isEmpty ? nil : $0 } ?? name)
            return (config, c.tieWordEmbeddings ?? true)
        } catch {
            throw ModelError("\(source): \(error.message)")
        }
    }

    /// The checkpoint's tensors under TL names and shapes (TL's `convert_gpt2_weights`), unprocessed.
    static func transformerLensTensors(_ file: SafeTensorsFile, config c: ModelConfig, tiedEmbeddings: Bool,
                                       source: String) throws(ModelError) -> [String: Tensor] {
        let prefix = file.tensors["transformer.wte.weight"] != nil ? "transformer." : ""
        guard file.tensors[prefix + "wte.weight"] != nil else {
            throw ModelError("\(source): no GPT-2 tensors (expected transformer.wte.weight or wte.weight)")
        }
        let d = c.dModel, m = c.dMLP ?? 4 * d
        var expected: [String: [Int]] = [prefix + "wte.weight": [c.dVocab, d], prefix + "wpe.weight": [c.nCtx, d],
                                         prefix + "ln_f.weight": [d], prefix + "ln_f.bias": [d]]
        for l in 0..<c.nLayers {
            let p = prefix + "h.\(l)."
            expected[p + "ln_1.weight"] = [d]; expected[p + "ln_1.bias"] = [d]
            expected[p + "ln_2.weight"] = [d]; expected[p + "ln_2.bias"] = [d]
            expected[p + "attn.c_attn.weight"] = [d, 3 * d]; expected[p + "attn.c_attn.bias"] = [3 * d]
            expected[p + "attn.c_proj.weight"] = [d, d]; expected[p + "attn.c_proj.bias"] = [d]
            expected[p + "mlp.c_fc.weight"] = [d, m]; expected[p + "mlp.c_fc.bias"] = [m]
            expected[p + "mlp.c_proj.weight"] = [m, d]; expected[p + "mlp.c_proj.bias"] = [d]
        }
        let hasHead = file.tensors["lm_head.weight"] != nil
        if hasHead || !tiedEmbeddings { expected["lm_head.weight"] = [c.dVocab, d] }
        let why = "config.json: n_layer \(c.nLayers), n_embd \(d), n_head \(c.nHeads), vocab_size \(c.dVocab), n_positions \(c.nCtx)"
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            guard let entry = file.tensors[name] else {
                throw ModelError("\(source): missing tensor '\(name)' (expected shape \(shape) from \(why))")
            }
            guard entry.shape == shape else {
                throw ModelError("\(source): tensor '\(name)' has shape \(entry.shape), expected \(shape) (from \(why))")
            }
            guard case .float32(let t) = entry else {
                throw ModelError("\(source): tensor '\(name)' is \(entry.dtype.rawValue), expected a float type")
            }
            if let bad = t.firstNonFinite() {
                throw ModelError("\(source): tensor '\(name)' holds \(bad.value) at element \(bad.offset) (weights must be finite)")
            }
        }
        let buffers = [".attn.bias", ".attn.masked_bias"]
        if let extra = file.tensors.keys.sorted().first(where: { name in
            expected[name] == nil && !buffers.contains(where: { name.hasSuffix($0) })
        }) {
            throw ModelError("\(source): unexpected tensor '\(extra)' (not part of GPT2LMHeadModel)")
        }

        func t(_ name: String) -> Tensor {
            if case .float32(let x)? = file.tensors[name] { return x }
            return Tensor.zeros([0])   // unreachable: every expected name was checked above
        }
        let h = c.nHeads, dh = c.dHead
        var out: [String: Tensor] = ["embed.W_E": t(prefix + "wte.weight"), "pos_embed.W_pos": t(prefix + "wpe.weight"),
                                     "ln_final.w": t(prefix + "ln_f.weight"), "ln_final.b": t(prefix + "ln_f.bias")]
        for l in 0..<c.nLayers {
            let p = prefix + "h.\(l).", q = "blocks.\(l)."
            out[q + "ln1.w"] = t(p + "ln_1.weight"); out[q + "ln1.b"] = t(p + "ln_1.bias")
            out[q + "ln2.w"] = t(p + "ln_2.weight"); out[q + "ln2.b"] = t(p + "ln_2.bias")
            let qkv = t(p + "attn.c_attn.weight"), bias = t(p + "attn.c_attn.bias")   // [d, 3d], [3d]
            for (k, x) in ["Q", "K", "V"].enumerated() {
                out[q + "attn.W_" + x] = qkv.headsFromColumns(offset: k * d, heads: h, dHead: dh)   // [h, d, dh]
                out[q + "attn.b_" + x] = bias.slice(k * d, d, shape: [h, dh])
            }
            out[q + "attn.W_O"] = t(p + "attn.c_proj.weight").reshapedUnchecked([h, dh, d])  // "(i h) m -> i h m"
            out[q + "attn.b_O"] = t(p + "attn.c_proj.bias")
            out[q + "mlp.W_in"] = t(p + "mlp.c_fc.weight"); out[q + "mlp.b_in"] = t(p + "mlp.c_fc.bias")
            out[q + "mlp.W_out"] = t(p + "mlp.c_proj.weight"); out[q + "mlp.b_out"] = t(p + "mlp.c_proj.bias")
        }
        out["unembed.W_U"] = t(hasHead ? "lm_head.weight" : prefix + "wte.weight").matrixTransposed()   // [d, vocab]
        out["unembed.b_U"] = Tensor.zeros([c.dVocab])
        return out
    }
}

extension Tensor {
    /// For a `[d_model, n]` matrix: columns `offset ..< offset + heads·dHead` as `[heads, d_model, dHead]`
    /// (einops "m (i h) -> i m h").
    func headsFromColumns(offset: Int, heads: Int, dHead: Int) -> Tensor {
        let rows = shape[0], cols = shape[1]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: [heads, rows, dHead]) { out in
                for i in 0..<heads {
                    for m in 0..<rows {
                        let from = m * cols + offset + i * dHead, to = (i * rows + m) * dHead
                        for k in 0..<dHead { out[to + k] = src[from + k] }
                    }
                }
            }
        }
    }

    /// A `[rows, cols]` matrix as `[cols, rows]`, copied in 32 × 32 tiles (a vocabulary-sized
    /// transpose element by element would spend its time in cache misses).
    func matrixTransposed() -> Tensor {
        let rows = shape[0], cols = shape[1], tile = 32
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: [cols, rows]) { out in
                var r0 = 0
                while r0 < rows {
                    let r1 = Swift.min(r0 + tile, rows)
                    var c0 = 0
                    while c0 < cols {
                        let c1 = Swift.min(c0 + tile, cols)
                        for r in r0..<r1 {
                            for c in c0..<c1 { out[c * rows + r] = src[r * cols + c] }
                        }
                        c0 = c1
                    }
                    r0 = r1
                }
            }
        }
    }

    /// Elements `start ..< start + count` of a flat tensor under `shape`.
    func slice(_ start: Int, _ count: Int, shape: [Int]) -> Tensor {
        withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in for k in 0..<count { out[k] = src[start + k] } }
        }
    }
}
