// Hooks and cache filters: which hook points a run reads, replaces or records.
import Tensor

/// A function run on an activation during the forward pass; it may read it or replace it.
///
/// A plain hook receives the activation `inout` and the hook point; replacing the activation with
/// one of another shape is an error (`ModelError`), raised when the hook returns. An activation a
/// plain hook changes is a constant from then on: gradients do not flow through it to what came
/// before (like assigning a new tensor in a PyTorch hook). A differentiable hook
/// (`Hook.differentiable`) maps the activation as a `Variable`, so its edit is differentiated
/// (steering along a direction, scaling for integrated gradients). Hooks on the same point run in
/// the order given.
public struct Hook {
    /// Which points the hook applies to.
    public enum Target {
        /// The point with exactly this TL name (an unknown name is an error when the run starts).
        case name(String)
        /// Every point whose name satisfies the predicate.
        case matching((String) -> Bool)
    }

    enum Kind {
        case tensor((inout Tensor, HookPoint) throws -> Void)
        case variable((Variable, HookPoint) throws -> Variable)
    }

    /// Which points the hook applies to.
    public let target: Target
    let kind: Kind

    /// The hook run on a plain tensor (a differentiable hook runs on it as a constant).
    public var body: (inout Tensor, HookPoint) throws -> Void {
        switch kind {
        case .tensor(let body): return body
        case .variable(let body): return { value, point in value = try body(Variable(value), point).value }
        }
    }

    /// A hook on the point with this TL name.
    public init(_ name: String, _ body: @escaping (inout Tensor, HookPoint) throws -> Void) {
        target = .name(name)
        kind = .tensor(body)
    }

    /// A hook on every point whose name satisfies `predicate`.
    public init(where predicate: @escaping (String) -> Bool, _ body: @escaping (inout Tensor, HookPoint) throws -> Void) {
        target = .matching(predicate)
        kind = .tensor(body)
    }

    /// A hook on the point of `kind` in `layer`.
    public init(_ kind: HookKind, layer: Int, _ body: @escaping (inout Tensor, HookPoint) throws -> Void) {
        self.init(HookPoint(kind, layer: layer).name, body)
    }

    private init(target: Target, kind: Kind) {
        self.target = target
        self.kind = kind
    }

    /// A hook that maps the activation at the point named `name` as a differentiable value.
    public static func differentiable(_ name: String, _ body: @escaping (Variable, HookPoint) throws -> Variable) -> Hook {
        Hook(target: .name(name), kind: .variable(body))
    }

    /// A differentiable hook on every point whose name satisfies `predicate`.
    public static func differentiable(where predicate: @escaping (String) -> Bool,
                                      _ body: @escaping (Variable, HookPoint) throws -> Variable) -> Hook {
        Hook(target: .matching(predicate), kind: .variable(body))
    }
}

/// Which hook points a run records in its activation cache (TL's `names_filter`).
public struct HookFilter {
    enum Rule {
        case all, none
        case names([String])
        case matching((String) -> Bool)
    }

    let rule: Rule

    /// Every hook point.
    public static var all: HookFilter { HookFilter(rule: .all) }
    /// No hook point.
    public static var none: HookFilter { HookFilter(rule: .none) }
    /// Exactly these TL names (an unknown name is an error when the run starts).
    public static func names(_ names: [String]) -> HookFilter { HookFilter(rule: .names(names)) }
    /// Every point whose name satisfies `predicate`.
    public static func matching(_ predicate: @escaping (String) -> Bool) -> HookFilter { HookFilter(rule: .matching(predicate)) }
    /// Every point whose name ends with one of `suffixes` (e.g. `["hook_pattern", "hook_resid_pre"]`).
    public static func suffixes(_ suffixes: [String]) -> HookFilter {
        .matching { name in suffixes.contains { name.hasSuffix($0) } }
    }

    var isNone: Bool {
        if case .none = rule { return true }
        return false
    }

    /// One flag per point of `table` (empty when nothing is selected).
    /// - Throws: `ModelError` for an unknown name, with the closest known ones.
    func flags(_ table: HookPointTable) throws(ModelError) -> [Bool] {
        switch rule {
        case .none: return []
        case .all: return [Bool](repeating: true, count: table.points.count)
        case .names(let names):
            var at = [Bool](repeating: false, count: table.points.count)
            for name in names { at[try table.index(named: name)] = true }
            return at
        case .matching(let predicate):
            let at = table.points.map { predicate($0.name) }
            return at.contains(true) ? at : []
        }
    }
}

/// Options of a forward run beyond hooks and caching (TL's `start_at_layer` / `stop_at_layer`).
public struct ForwardOptions {
    /// Which positions the unembedding computes.
    public enum LogitPositions: Sendable {
        /// Logits `[batch, pos, d_vocab]`.
        case all
        /// Only the last position: logits `[batch, 1, d_vocab]` (what a last-token metric needs).
        case last
    }

    /// Start at this block with `residual` as its `hook_resid_pre` input `[batch, pos, d_model]`;
    /// the embedding hooks do not run. The tokens still give batch and length (and positions for
    /// shortformer models).
    public var start: (layer: Int, residual: Tensor)?
    /// Run blocks `..<stopAtLayer` only and return the residual stream instead of logits.
    public var stopAtLayer: Int?
    /// Which positions get logits.
    public var logitPositions: LogitPositions
    /// Keys and values of earlier positions (TL's `past_kv_cache`): the tokens are then the positions
    /// after the prefix, and attend to the prefix as well as to each other.
    public var prefix: KeyValuePrefix?

    /// Options; the defaults give a plain full forward pass.
    public init(start: (layer: Int, residual: Tensor)? = nil, stopAtLayer: Int? = nil,
                logitPositions: LogitPositions = .all, prefix: KeyValuePrefix? = nil) {
        self.start = start
        self.stopAtLayer = stopAtLayer
        self.logitPositions = logitPositions
        self.prefix = prefix
    }
}

/// What a forward run returns.
public struct ForwardResult {
    /// `[batch, pos, d_vocab_out]` (or `[batch, 1, d_vocab_out]` with `.last`); nil when stopped early.
    public var logits: Tensor?
    /// The residual stream where the run stopped (`stopAtLayer`), else nil.
    public var residual: Tensor?
    /// The recorded activations.
    public var cache: ActivationCache
}

/// Keys and values of the first `length` positions for every layer (TL's `past_kv_cache`), so that a
/// run can process only later positions. Hooks then see the new positions only, as in TL:
/// `hook_k`/`hook_v` the new keys and values, `hook_attn_scores`/`hook_pattern` `[batch, head, new, length + new]`.
public struct KeyValuePrefix: Sendable {
    /// Per layer `[batch, ≥ length, head, d_head]`; only the first `length` positions are used.
    public let keys: [Tensor]
    /// Per layer, same shapes as `keys`.
    public let values: [Tensor]
    /// Number of prefix positions.
    public let length: Int

    /// A prefix from per-layer keys and values (each `[batch, ≥ length, head, d_head]`).
    /// - Throws: `ModelError` when the lists or shapes disagree.
    public init(keys: [Tensor], values: [Tensor], length: Int) throws(ModelError) {
        guard keys.count == values.count else { throw ModelError("prefix: \(keys.count) key tensors but \(values.count) value tensors") }
        guard length >= 0 else { throw ModelError("prefix: negative length \(length)") }
        for (l, (k, v)) in zip(keys, values).enumerated() {
            guard k.rank == 4, k.shape == v.shape, k.shape[1] >= length else {
                throw ModelError("prefix: layer \(l) keys \(k.shape) / values \(v.shape) do not hold \(length) positions of [batch, pos, head, d_head]")
            }
        }
        self.keys = keys
        self.values = values
        self.length = length
    }

    /// The first `length` positions of the `hook_k` / `hook_v` activations of every layer in a cache.
    /// - Throws: `ModelError` when the cache lacks a layer's keys or values.
    public init(cache: ActivationCache, layers: Int, length: Int) throws(ModelError) {
        var keys: [Tensor] = [], values: [Tensor] = []
        for l in 0..<layers {
            guard let k = cache[.k, l], let v = cache[.v, l] else {
                throw ModelError("prefix: the cache has no \(HookPoint.name(.k, layer: l)) / hook_v")
            }
            keys.append(k)
            values.append(v)
        }
        try self.init(keys: keys, values: values, length: length)
    }
}
