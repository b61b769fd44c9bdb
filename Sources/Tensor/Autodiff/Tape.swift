// The reverse-mode tape: values recorded in forward order, backward closures run in reverse.

/// A reverse-mode autodiff tape.
///
/// Build a computation from `Variable`s (leaves from `variable(_:)` / `constant(_:)`, then ops on
/// them); call `backward(from:)` on a scalar (or with a seed of the output's shape); read gradients
/// with `gradient(of:)`. Every op runs the same forward kernel as the inference path and records a
/// closure that turns the output's gradient into its inputs' gradients. Ops whose inputs need no
/// gradient record nothing. A tape is used once: make a new one per step. Not thread-safe.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.variable(weight), x = tape.constant(input)
/// let loss = x.linear(weight: w).crossEntropy(targets: ids)
/// tape.backward(from: loss)
/// let dW = tape.gradient(of: w)
/// ```
public final class Tape {
    private(set) var values: [Tensor] = []
    private var needsGrad: [Bool] = []
    private var backwards: [(id: Int, run: (Tape, Tensor) -> Void)] = []
    private var grads: [Tensor?] = []

    public init() {}

    /// A leaf whose gradient is tracked (a parameter, an input embedding, …).
    public func variable(_ value: Tensor) -> Variable { append(value, needsGrad: true) }

    /// A leaf without gradient (data, masks).
    public func constant(_ value: Tensor) -> Variable { append(value, needsGrad: false) }

    /// The number of recorded values.
    public var count: Int { values.count }

    /// Runs the recorded backward closures in reverse, starting from `output` with gradient `seed`
    /// (default 1, for a scalar). Gradients accumulate over calls; `clearGradients()` resets them.
    /// - Precondition: `seed` has the output's shape.
    public func backward(from output: Variable, seed: Tensor? = nil) {
        precondition(output.tape === self, "backward: the variable belongs to another tape")
        let value = values[output.id]
        let g = seed ?? Tensor(shape: value.shape, repeating: 1)
        precondition(g.shape == value.shape, "backward: seed \(g.shape) does not match output \(value.shape)")
        accumulate(output.id, g)
        for entry in backwards.reversed() where entry.id <= output.id {
            guard let grad = grads[entry.id] else { continue }
            entry.run(self, grad)
        }
    }

    /// The gradient of the last backward pass with respect to `v` (zeros when nothing reached it).
    public func gradient(of v: Variable) -> Tensor {
        precondition(v.tape === self, "gradient: the variable belongs to another tape")
        return grads[v.id] ?? Tensor.zeros(values[v.id].shape)
    }

    /// Forgets all gradients (keeps the recorded computation).
    public func clearGradients() {
        grads = [Tensor?](repeating: nil, count: values.count)
    }

    // MARK: - Recording (for op implementations)

    func append(_ value: Tensor, needsGrad: Bool) -> Variable {
        values.append(value)
        self.needsGrad.append(needsGrad)
        grads.append(nil)
        return Variable(tape: self, id: values.count - 1)
    }

    /// Records an op output computed from `inputs`; `backward(tape, gradOut)` accumulates the inputs'
    /// gradients with `accumulate`. Nothing is recorded when no input needs a gradient.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping (Tape, Tensor) -> Void) -> Variable {
        let needs = inputs.contains { needsGrad[$0.id] }
        let v = append(value, needsGrad: needs)
        if needs { backwards.append((v.id, backward)) }
        return v
    }

    /// True when `v`'s gradient is tracked.
    func requiresGrad(_ v: Variable) -> Bool { needsGrad[v.id] }

    /// True when the variable with id `id` needs its gradient.
    func requiresGrad(id: Int) -> Bool { needsGrad[id] }

    /// Adds `g` to the gradient of value `id` (in place when the storage is not shared).
    func accumulate(_ id: Int, _ g: Tensor) {
        guard needsGrad[id] else { return }
        if var existing = grads[id] {
            grads[id] = nil          // drop the array's reference so the addition runs in place
            existing += g
            grads[id] = existing
        } else {
            grads[id] = g
        }
    }
}

/// A value recorded on a `Tape`.
///
/// A variable does not keep its tape alive (backward closures capture variables, so a strong
/// reference would make every tape a reference cycle): keep the `Tape` in scope while using it.
public struct Variable {
    /// The tape that holds the value.
    public unowned let tape: Tape
    /// The index of the value on the tape.
    public let id: Int

    /// The value computed in the forward pass.
    public var value: Tensor { tape.values[id] }

    /// The shape of the value.
    public var shape: [Int] { tape.values[id].shape }

    /// True when a gradient flows to this value.
    public var requiresGrad: Bool { tape.requiresGrad(self) }

    /// The gradient after `tape.backward(from:)`.
    public var gradient: Tensor { tape.gradient(of: self) }
}
