// Reductions: sum, mean, max and argmax along an axis and over all elements, top-k; the
// differentiable sum and mean.

extension Tensor {
    /// Splits the shape around `axis` into (outer, axis size, inner) element counts.
    private func around(_ axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    private func reduce(_ axis: Int, keepDims: Bool, _ name: StaticString,
                        initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
        let a = axisIndex(axis, name)
        let (outer, size, inner) = around(a)
        var newShape = shape
        if keepDims { newShape[a] = 1 } else { newShape.remove(at: a) }
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: newShape) { out in
                for o in 0..<outer {
                    for i in 0..<inner { out[o * inner + i] = initial }
                    for s in 0..<size {
                        let base = (o * size + s) * inner
                        for i in 0..<inner { out[o * inner + i] = combine(out[o * inner + i], src[base + i]) }
                    }
                }
            }
        }
    }

    /// Sum along `axis` (the axis is removed unless `keepDims`).
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        reduce(axis, keepDims: keepDims, "sum", initial: 0) { $0 + $1 }
    }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = axisIndex(axis, "mean")
        let total = sum(axis: a, keepDims: keepDims)
        return shape[a] == 0 ? total.map { _ in .nan } : total * (1 / Float(shape[a]))
    }

    /// Maximum along `axis` (-∞ for an empty axis).
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        reduce(axis, keepDims: keepDims, "max", initial: -.infinity) { $1 > $0 || $1.isNaN ? $1 : $0 }
    }

    /// Index of the maximum along `axis` (first one on ties), in row-major order of the remaining axes.
    /// - Precondition: the axis is not empty.
    public func argmax(axis: Int) -> [Int] {
        let a = axisIndex(axis, "argmax")
        let (outer, size, inner) = around(a)
        precondition(size > 0, "argmax: axis \(axis) is empty")
        var result = [Int](repeating: 0, count: outer * inner)
        withUnsafeBufferPointer { src in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = src[o * size * inner + i], bestIndex = 0
                    for s in 1..<size {
                        let v = src[(o * size + s) * inner + i]
                        if v > best { best = v; bestIndex = s }
                    }
                    result[o * inner + i] = bestIndex
                }
            }
        }
        return result
    }

    /// Sum of all elements (accumulated in Double).
    public func sum() -> Float { Float(doubleSum()) }

    /// Sum of all elements in Double.
    private func doubleSum() -> Double { withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } } }

    /// Mean of all elements (NaN for an empty tensor).
    public func mean() -> Float { count == 0 ? .nan : Float(doubleSum() / Double(count)) }

    /// Largest element (-∞ for an empty tensor).
    public func max() -> Float { withUnsafeBufferPointer { $0.reduce(-Float.infinity) { $1 > $0 ? $1 : $0 } } }

    /// Smallest element (+∞ for an empty tensor).
    public func min() -> Float { withUnsafeBufferPointer { $0.reduce(Float.infinity) { $1 < $0 ? $1 : $0 } } }

    /// The first NaN or infinite element and its flat offset, or nil when every element is finite.
    public func firstNonFinite() -> (offset: Int, value: Float)? {
        withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return nil }
            // x − x is 0 for finite x and NaN for NaN and ±∞: scan 64 elements at a time, and look
            // closer only at a block that has one.
            let block = 64
            var start = 0
            while start + block <= p.count {
                var acc = SIMD8<Float>()
                for k in stride(from: 0, to: block, by: 8) {
                    let v = UnsafeRawPointer(base + start + k).loadUnaligned(as: SIMD8<Float>.self)
                    acc += v - v
                }
                if acc != SIMD8<Float>() { break }
                start += block
            }
            for i in start..<p.count where !p[i].isFinite { return (i, p[i]) }
            return nil
        }
    }

    /// The `k` largest elements of a 1-D tensor with their indices, largest first (ties: lower index
    /// first; NaN ranks last).
    /// - Precondition: rank 1.
    public func topK(_ k: Int) -> [(index: Int, value: Float)] {
        precondition(rank == 1, "topK: needs a 1-D tensor, shape is \(shape)")
        let values = scalars
        let keys = values.map { $0.isNaN ? -Float.infinity : $0 }
        let order = values.indices.sorted { a, b in
            keys[a] != keys[b] ? keys[a] > keys[b] : a < b
        }
        return order.prefix(Swift.max(k, 0)).map { ($0, values[$0]) }
    }
}

// MARK: - Differentiable forms

extension Variable {
    /// The sum of all elements (a scalar).
    public func sum() -> Variable {
        let s = shape
        return Variable.unary(Tensor(value.sum()), self) { Tensor(shape: s, repeating: $0.item) }
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
        return Variable.unary(value.sum(axis: axis, keepDims: keepDims), self) { g in
            g.reshapedUnchecked(kept).broadcast(to: s)
        }
    }

    /// Mean along `axis` (removed unless `keepDims`).
    public func mean(axis: Int, keepDims: Bool = false) -> Variable {
        let a = axis < 0 ? axis + shape.count : axis
        let n = a >= 0 && a < shape.count ? Swift.max(shape[a], 1) : 1
        return sum(axis: axis, keepDims: keepDims) * (1 / Float(n))
    }
}
