// Differentiable elementwise arithmetic and reductions.

extension Variable {
    private static func same(_ a: Variable, _ b: Variable, _ op: StaticString) {
        precondition(a.tape === b.tape, "\(op): variables belong to different tapes")
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Variable, b: Variable) -> Variable {
        same(a, b, "+")
        let (sa, sb) = (a.shape, b.shape)
        return a.tape.record(a.value + b.value, inputs: [a, b]) { t, g in
            if t.requiresGrad(id: a.id) { t.accumulate(a.id, g.summed(toShape: sa)) }
            if t.requiresGrad(id: b.id) { t.accumulate(b.id, g.summed(toShape: sb)) }
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Variable, b: Variable) -> Variable {
        same(a, b, "-")
        let (sa, sb) = (a.shape, b.shape)
        return a.tape.record(a.value - b.value, inputs: [a, b]) { t, g in
            if t.requiresGrad(id: a.id) { t.accumulate(a.id, g.summed(toShape: sa)) }
            if t.requiresGrad(id: b.id) { t.accumulate(b.id, (-g).summed(toShape: sb)) }
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Variable, b: Variable) -> Variable {
        same(a, b, "*")
        let (x, y) = (a.value, b.value)
        return a.tape.record(x * y, inputs: [a, b]) { t, g in
            if t.requiresGrad(id: a.id) { t.accumulate(a.id, (g * y).summed(toShape: x.shape)) }
            if t.requiresGrad(id: b.id) { t.accumulate(b.id, (g * x).summed(toShape: y.shape)) }
        }
    }

    /// Multiplies every element by a constant.
    public static func * (a: Variable, s: Float) -> Variable {
        a.tape.record(a.value * s, inputs: [a]) { t, g in t.accumulate(a.id, g * s) }
    }

    /// Multiplies every element by a constant.
    public static func * (s: Float, a: Variable) -> Variable { a * s }

    /// Adds a constant to every element.
    public static func + (a: Variable, s: Float) -> Variable {
        a.tape.record(a.value + s, inputs: [a]) { t, g in t.accumulate(a.id, g) }
    }

    /// Negates every element.
    public static prefix func - (a: Variable) -> Variable { a * -1 }

    /// e^x elementwise.
    public func exp() -> Variable {
        let y = value.exp()
        return tape.record(y, inputs: [self]) { [id] t, g in t.accumulate(id, g * y) }
    }

    /// Natural logarithm elementwise.
    public func log() -> Variable {
        let x = value
        return tape.record(x.log(), inputs: [self]) { [id] t, g in t.accumulate(id, g / x) }
    }

    /// The sum of all elements (a scalar).
    public func sum() -> Variable {
        let s = shape
        return tape.record(Tensor(value.sum()), inputs: [self]) { [id] t, g in
            t.accumulate(id, Tensor(shape: s, repeating: g.item))
        }
    }

    /// The mean of all elements (a scalar).
    public func mean() -> Variable {
        let n = Float(Swift.max(value.count, 1))
        return sum() * (1 / n)
    }

    /// Sum along `axis` (removed unless `keepDims`).
    public func sum(axis: Int, keepDims: Bool = false) -> Variable {
        let s = shape
        let a = axis < 0 ? axis + s.count : axis
        var kept = s
        if a >= 0 && a < s.count { kept[a] = 1 }
        return tape.record(value.sum(axis: axis, keepDims: keepDims), inputs: [self]) { [id] t, g in
            t.accumulate(id, g.reshapedUnchecked(kept).broadcast(to: s))
        }
    }

    /// Mean along `axis` (removed unless `keepDims`).
    public func mean(axis: Int, keepDims: Bool = false) -> Variable {
        let a = axis < 0 ? axis + shape.count : axis
        let n = a >= 0 && a < shape.count ? Swift.max(shape[a], 1) : 1
        return sum(axis: axis, keepDims: keepDims) * (1 / Float(n))
    }
}
