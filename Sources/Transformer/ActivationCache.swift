// ActivationCache: the activations a run recorded, by TL hook name, in forward order.
import Tensor

/// Activations recorded by `runWithCache`, keyed by TL hook name, in the order the forward pass
/// produced them. The tensors are the ones the forward pass computed (no copies).
public struct ActivationCache: Sendable {
    /// Recorded names in forward order.
    public private(set) var names: [String] = []
    private var storage: [String: Tensor] = [:]

    public init() {}

    mutating func record(_ name: String, _ value: Tensor) {
        if storage.updateValue(value, forKey: name) == nil { names.append(name) }
    }

    /// The activation recorded under a TL name.
    public subscript(name: String) -> Tensor? { storage[name] }

    /// The activation of `kind` in `layer` (layer ignored for non-block kinds).
    public subscript(kind: HookKind, layer: Int) -> Tensor? { storage[HookPoint(kind, layer: layer).name] }

    /// The activation of a non-block kind (`.embed`, `.posEmbed`, `.lnFinalScale`, `.lnFinalNormalized`).
    public subscript(kind: HookKind) -> Tensor? { storage[HookPoint(kind).name] }

    /// Number of recorded activations.
    public var count: Int { names.count }

    /// True when nothing was recorded.
    public var isEmpty: Bool { names.isEmpty }

    /// Bytes of Float32 data held.
    public var byteCount: Int { storage.values.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride } }

    /// The cache as a safetensors file: one F32 tensor per hook, plus `logits` and `tokens` (I64),
    /// and the given metadata.
    public func safetensors(logits: Tensor?, tokens: [[Int]], metadata: [String: String] = [:]) -> SafeTensorsFile {
        var tensors: [String: SafeTensor] = [:]
        for (name, t) in storage { tensors[name] = .float32(t) }
        if let logits { tensors["logits"] = .float32(logits) }
        tensors["tokens"] = .int64(tokens.flatMap { $0.map(Int64.init) }, shape: [tokens.count, tokens.first?.count ?? 0])
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }
}
