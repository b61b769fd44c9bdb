// Reverse-mode autodiff: a Variable is a tensor value plus, when its gradient is tracked, its node
// on a Tape; the tape keeps one backward closure per tracked op and runs them in reverse.

/// A tensor value in a computation that may be differentiated.
///
/// A variable made with `Variable(tensor)` is a constant: ops on constants only compute values
/// (they run the same kernels as the plain `Tensor` ops and record nothing), so the one forward
/// pass of the model serves inference at the cost of a branch per op. A variable made with
/// `tape.variable(tensor)` is a tracked leaf: every op with a tracked input records how to turn its
/// output's gradient into its inputs' gradients, and `tape.backward(from:)` runs those records in
/// reverse. Each op lives in `Ops/` beside its kernel and its backward kernel.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.variable(weight), x = Variable(input)
/// let loss = x.linear(weight: w).crossEntropy(targets: ids)
/// tape.backward(from: loss)
/// let dW = tape.gradient(of: w)
/// ```
public struct Variable {
    /// The value computed in the forward pass.
    public let value: Tensor
    /// The tape that tracks this value's gradient; nil for a constant.
    public let tape: Tape?
    /// The node on the tape (-1 for a constant).
    let id: Int

    /// A constant: no gradient flows to it, and ops on constants record nothing.
    public init(_ value: Tensor) {
        self.value = value
        tape = nil
        id = -1
    }

    init(value: Tensor, tape: Tape, id: Int) {
        self.value = value
        self.tape = tape
        self.id = id
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// True when a gradient flows to this value.
    public var requiresGrad: Bool { tape != nil }

    /// The gradient after `tape.backward(from:)` (zeros for a constant, or when nothing reached it).
    public var gradient: Tensor { tape?.gradient(of: self) ?? Tensor.zeros(shape) }

    /// The same value as a constant: gradients stop here (PyTorch's `detach()`).
    public func detached() -> Variable { Variable(value) }

    // MARK: - Recording (for op implementations, here and in other modules)

    /// The output of an op on `inputs`. When any input is tracked, the output becomes a node of that
    /// tape and `backward(gradOut, needs)` must return one gradient per input (nil where `needs` is
    /// false); they are accumulated in input order.
    /// - Precondition: tracked inputs share one tape.
    public static func record(_ value: Tensor, _ inputs: [Variable],
                       backward: @escaping (_ gradOut: Tensor, _ needs: [Bool]) -> [Tensor?]) -> Variable {
        var tape: Tape? = nil
        for input in inputs {
            guard let t = input.tape else { continue }
            if let tape { precondition(tape === t, "autodiff: variables belong to different tapes") } else { tape = t }
        }
        guard let tape else { return Variable(value) }
        let ids = inputs.map(\.id)
        let needs = inputs.map { $0.tape != nil }
        let id = tape.append(shape: value.shape) { t, g in
            let grads = backward(g, needs)
            for (k, grad) in grads.enumerated() where needs[k] {
                if let grad { t.accumulate(ids[k], grad) }
            }
        }
        return Variable(value: value, tape: tape, id: id)
    }

    /// A one-input op: `backward(gradOut)` returns the input's gradient.
    public static func unary(_ value: Tensor, _ x: Variable, backward: @escaping (Tensor) -> Tensor) -> Variable {
        guard x.tape != nil else { return Variable(value) }
        return record(value, [x]) { g, _ in [backward(g)] }
    }
}

/// The record of a differentiable computation: one node per tracked value, one backward closure per
/// tracked op. Make a new tape per step (or per gradient question); not thread-safe.
///
/// Gradients of leaves (`variable(_:)`) and of values passed to `retainGradient(_:)` are kept, and
/// accumulate over `backward` calls; the gradients of other intermediate values are dropped as soon
/// as they have been passed on, so a backward pass holds little more than the forward did.
public final class Tape {
    private var shapes: [[Int]] = []
    private var retained: [Bool] = []
    private var backwards: [(id: Int, run: (Tape, Tensor) -> Void)] = []
    private var grads: [Tensor?] = []
    /// The gradients of the backward pass in progress.
    private var pass: [Tensor?] = []

    public init() {}

    /// A tracked leaf (a parameter, an input embedding, a hooked activation, …).
    public func variable(_ value: Tensor) -> Variable {
        let id = append(shape: value.shape, backward: nil)
        retained[id] = true
        return Variable(value: value, tape: self, id: id)
    }

    /// A constant (kept for symmetry with `variable(_:)`: the same as `Variable(value)`).
    public func constant(_ value: Tensor) -> Variable { Variable(value) }

    /// Keeps the gradient of an intermediate value after `backward` (PyTorch's `retain_grad()`).
    /// A constant is ignored.
    public func retainGradient(_ v: Variable) {
        guard let t = v.tape else { return }
        precondition(t === self, "retainGradient: the variable belongs to another tape")
        retained[v.id] = true
    }

    /// The number of tracked values.
    public var count: Int { shapes.count }

    /// Runs the recorded backward closures in reverse, starting from `output` with gradient `seed`
    /// (default 1, for a scalar). Gradients of leaves and retained values accumulate over calls;
    /// `clearGradients()` resets them.
    /// - Precondition: `output` is tracked on this tape; `seed` has its shape.
    public func backward(from output: Variable, seed: Tensor? = nil) {
        precondition(output.tape === self, "backward: the variable is not tracked on this tape")
        let g = seed ?? Tensor(shape: output.shape, repeating: 1)
        precondition(g.shape == output.shape, "backward: seed \(g.shape) does not match output \(output.shape)")
        pass = [Tensor?](repeating: nil, count: shapes.count)
        pass[output.id] = g
        for entry in backwards.reversed() where entry.id <= output.id {
            guard let grad = pass[entry.id] else { continue }
            if !retained[entry.id] { pass[entry.id] = nil }
            entry.run(self, grad)
        }
        for id in pass.indices where retained[id] {
            guard let g = pass[id] else { continue }
            if var existing = grads[id] {
                grads[id] = nil
                existing += g
                grads[id] = existing
            } else {
                grads[id] = g
            }
        }
        pass = []
    }

    /// The accumulated gradient of `v` (zeros when nothing reached it). Only leaves and retained
    /// values keep one.
    public func gradient(of v: Variable) -> Tensor {
        guard let t = v.tape else { return Tensor.zeros(v.shape) }
        precondition(t === self, "gradient: the variable belongs to another tape")
        return grads[v.id] ?? Tensor.zeros(shapes[v.id])
    }

    /// Forgets all gradients (keeps the recorded computation).
    public func clearGradients() {
        grads = [Tensor?](repeating: nil, count: shapes.count)
    }

    // MARK: - Recording

    func append(shape: [Int], backward: ((Tape, Tensor) -> Void)?) -> Int {
        let id = shapes.count
        shapes.append(shape)
        retained.append(false)
        grads.append(nil)
        if let backward { backwards.append((id, backward)) }
        return id
    }

    /// Adds `g` to the gradient of node `id` in the pass in progress (in place when not shared).
    func accumulate(_ id: Int, _ g: Tensor) {
        if var existing = pass[id] {
            pass[id] = nil          // drop the array's reference so the addition runs in place
            existing += g
            pass[id] = existing
        } else {
            pass[id] = g
        }
    }
}
