// ForwardPass: the per-run state that decides, at each hook point, whether to run hooks, record the
// activation, or keep it for its gradient.
import Tensor

/// Thrown by a hook to end the forward pass early; the run then returns the cache recorded so far
/// and no logits.
public struct StopForward: Error, Sendable {
    public init() {}
}

/// Resolves hooks, the cache filter and the gradient filter against the model's hook points once
/// per run; `emit` is a single branch when the run has none of them, so a plain forward pays nothing
/// for the hook machinery.
struct ForwardPass {
    private let points: [HookPoint]
    private let hooks: [Hook]
    /// Hook indices per point (empty array when the run has no hooks).
    private let hooksAt: [[Int]]
    /// Record flag per point (empty array when nothing is cached).
    private let recordAt: [Bool]
    /// Gradient flag per point (empty array when no gradient at a hook is asked for).
    private let gradientAt: [Bool]
    private let active: Bool
    /// The tape that tracks gradients at hook points (nil when none are asked for).
    let tape: Tape?
    private(set) var cache = ActivationCache()
    /// The tracked value of every point whose gradient was asked for, by point index.
    private(set) var gradientNodes: [(point: HookPoint, value: Variable)] = []

    init(table: HookPointTable, hooks: [Hook], cache filter: HookFilter, gradients: HookFilter = .none,
         tape: Tape? = nil) throws(ModelError) {
        points = table.points
        self.hooks = hooks
        if hooks.isEmpty {
            hooksAt = []
        } else {
            var at = [[Int]](repeating: [], count: table.points.count)
            for (h, hook) in hooks.enumerated() {
                switch hook.target {
                case .name(let name): at[try table.index(named: name)].append(h)
                case .matching(let predicate):
                    for (i, p) in table.points.enumerated() where predicate(p.name) { at[i].append(h) }
                }
            }
            hooksAt = at
        }
        recordAt = try filter.flags(table)
        gradientAt = try gradients.flags(table)
        self.tape = gradientAt.isEmpty ? tape : (tape ?? Tape())
        active = !hooksAt.isEmpty || !recordAt.isEmpty || !gradientAt.isEmpty
    }

    /// True when a hook, the cache or a gradient request looks at point `i`.
    @inline(__always)
    func observes(_ i: Int) -> Bool {
        guard active, i >= 0 else { return false }
        return (!hooksAt.isEmpty && !hooksAt[i].isEmpty) || (!recordAt.isEmpty && recordAt[i])
            || (!gradientAt.isEmpty && gradientAt[i])
    }

    /// True when a hook or the cache looks at any of the points.
    func observesAny(_ indices: [Int]) -> Bool {
        active && indices.contains { observes($0) }
    }

    /// True when a hook may change the activation at point `i`, or its gradient is asked for: the
    /// forward must then carry that exact value on (not a cheaper equivalent).
    @inline(__always)
    func intervenes(_ i: Int) -> Bool {
        guard active, i >= 0 else { return false }
        return (!hooksAt.isEmpty && !hooksAt[i].isEmpty) || (!gradientAt.isEmpty && gradientAt[i])
    }

    /// True when a hook (not just the cache) runs at point `i`.
    @inline(__always)
    func hooks(_ i: Int) -> Bool {
        active && i >= 0 && !hooksAt.isEmpty && !hooksAt[i].isEmpty
    }

    /// Runs the hooks of point `i` on `value` (checking they keep its shape), keeps it for its
    /// gradient if asked, then records it if asked.
    @inline(__always)
    mutating func emit(_ i: Int, _ value: inout Variable) throws {
        guard active, i >= 0 else { return }
        try emitSlow(i, &value)
    }

    private mutating func emitSlow(_ i: Int, _ value: inout Variable) throws {
        if !hooksAt.isEmpty {
            for h in hooksAt[i] {
                let shape = value.shape
                switch hooks[h].kind {
                case .tensor(let body):
                    var t = value.value
                    try body(&t, points[i])
                    // A changed activation no longer depends on what came before it.
                    if !t.sharesStorage(with: value.value) { value = Variable(t) }
                case .variable(let body):
                    value = try body(value, points[i])
                }
                guard value.shape == shape else {
                    throw ModelError("hook on '\(points[i].name)' changed the shape from \(shape) to \(value.shape)")
                }
            }
        }
        if !gradientAt.isEmpty && gradientAt[i], let tape {
            if value.tape == nil { value = tape.variable(value.value) } else { tape.retainGradient(value) }
            gradientNodes.append((points[i], value))
        }
        if !recordAt.isEmpty && recordAt[i] { cache.record(points[i].name, value.value) }
    }
}
