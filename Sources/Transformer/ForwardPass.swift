// ForwardPass: the per-run state that decides, at each hook point, whether to run hooks or record.
import Tensor

/// Thrown by a hook to end the forward pass early; the run then returns the cache recorded so far
/// and no logits.
public struct StopForward: Error, Sendable {
    public init() {}
}

/// Resolves hooks and the cache filter against the model's hook points once per run; `emit` is a
/// single branch when the run has neither, so a plain forward pays nothing for the hook machinery.
struct ForwardPass {
    private let points: [HookPoint]
    private let hooks: [Hook]
    /// Hook indices per point (empty array when the run has no hooks).
    private let hooksAt: [[Int]]
    /// Record flag per point (empty array when nothing is cached).
    private let recordAt: [Bool]
    private let active: Bool
    private(set) var cache = ActivationCache()

    init(table: HookPointTable, hooks: [Hook], filter: HookFilter) throws(ModelError) {
        points = table.points
        self.hooks = hooks
        func unknown(_ name: String) -> ModelError {
            let near = Tokenizer.closest(to: name, in: table.points.map(\.name), limit: 3)
            return ModelError("no hook point named '\(name)'" + (near.isEmpty ? "" : "; closest: " + near.joined(separator: ", ")))
        }
        if hooks.isEmpty {
            hooksAt = []
        } else {
            var at = [[Int]](repeating: [], count: table.points.count)
            for (h, hook) in hooks.enumerated() {
                switch hook.target {
                case .name(let name):
                    guard let i = table.indexByName[name] else { throw unknown(name) }
                    at[i].append(h)
                case .matching(let predicate):
                    for (i, p) in table.points.enumerated() where predicate(p.name) { at[i].append(h) }
                }
            }
            hooksAt = at
        }
        switch filter.rule {
        case .none: recordAt = []
        case .all: recordAt = [Bool](repeating: true, count: table.points.count)
        case .names(let names):
            var at = [Bool](repeating: false, count: table.points.count)
            for name in names {
                guard let i = table.indexByName[name] else { throw unknown(name) }
                at[i] = true
            }
            recordAt = at
        case .matching(let predicate):
            recordAt = table.points.map { predicate($0.name) }
        }
        active = !hooksAt.isEmpty || !recordAt.isEmpty
    }

    /// True when a hook or the cache looks at point `i`.
    @inline(__always)
    func observes(_ i: Int) -> Bool {
        guard active, i >= 0 else { return false }
        return (!hooksAt.isEmpty && !hooksAt[i].isEmpty) || (!recordAt.isEmpty && recordAt[i])
    }

    /// True when a hook or the cache looks at any of the points.
    func observesAny(_ indices: [Int]) -> Bool {
        active && indices.contains { observes($0) }
    }

    /// True when a hook (not just the cache) runs at point `i`.
    @inline(__always)
    func hooks(_ i: Int) -> Bool {
        active && i >= 0 && !hooksAt.isEmpty && !hooksAt[i].isEmpty
    }

    /// Runs the hooks of point `i` on `value` (checking they keep its shape), then records it if asked.
    @inline(__always)
    mutating func emit(_ i: Int, _ value: inout Tensor) throws {
        guard active, i >= 0 else { return }
        try emitSlow(i, &value)
    }

    private mutating func emitSlow(_ i: Int, _ value: inout Tensor) throws {
        if !hooksAt.isEmpty {
            for h in hooksAt[i] {
                let shape = value.shape
                try hooks[h].body(&value, points[i])
                guard value.shape == shape else {
                    throw ModelError("hook on '\(points[i].name)' changed the shape from \(shape) to \(value.shape)")
                }
            }
        }
        if !recordAt.isEmpty && recordAt[i] { cache.record(points[i].name, value) }
    }
}
