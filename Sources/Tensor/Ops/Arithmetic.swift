// Elementwise arithmetic with broadcasting, scalar arithmetic and unary maps: kernels, the
// broadcast backward (summing stretched axes away), and the differentiable forms.
import Foundation

extension Tensor {
    /// The broadcast shape of two shapes (numpy rules: align right; a dimension of 1 stretches).
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Strides of `shape` viewed inside the broadcast shape `target` (0 where it stretches).
    static func broadcastStrides(_ shape: [Int], into target: [Int]) -> [Int] {
        let own = strides(of: shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : own[i - pad]
        }
    }

    /// The shared kernel of the binary ops: same-shape loop, or a strided walk over the broadcast shape.
    @inline(__always)
    static func broadcasting(_ a: Tensor, _ b: Tensor, _ op: StaticString,
                             _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    make(shape: a.shape) { out in
                        for i in 0..<out.count { out[i] = f(pa[i], pb[i]) }
                    }
                }
            }
        }
        // b repeats over a's leading axes (a [..., p, d] with b [p, d]): one flat loop per block.
        if b.rank < a.rank && b.count > 0 && Array(a.shape.suffix(b.rank)) == b.shape {
            let block = b.count
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    make(shape: a.shape) { out in
                        for start in stride(from: 0, to: out.count, by: block) {
                            for j in 0..<block { out[start + j] = f(pa[start + j], pb[j]) }
                        }
                    }
                }
            }
        }
        guard let shape = broadcastShape(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let sa = broadcastStrides(a.shape, into: shape)
        let sb = broadcastStrides(b.shape, into: shape)
        let rank = shape.count
        let inner = rank == 0 ? 1 : shape[rank - 1]
        let ia = rank == 0 ? 0 : sa[rank - 1], ib = rank == 0 ? 0 : sb[rank - 1]
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(shape: shape) { out in
                    guard out.count > 0 else { return }
                    var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
                    var o = 0
                    while o < out.count {
                        var oa = 0, ob = 0
                        for axis in 0..<(rank - 1) { oa += index[axis] * sa[axis]; ob += index[axis] * sb[axis] }
                        if ia == 1 && ib == 1 {
                            for j in 0..<inner { out[o + j] = f(pa[oa + j], pb[ob + j]) }
                        } else if ia == 1 {
                            let y = pb[ob]
                            for j in 0..<inner { out[o + j] = f(pa[oa + j], y) }
                        } else if ib == 1 {
                            let x = pa[oa]
                            for j in 0..<inner { out[o + j] = f(x, pb[ob + j]) }
                        } else {
                            let v = f(pa[oa], pb[ob])
                            for j in 0..<inner { out[o + j] = v }
                        }
                        o += inner
                        var axis = rank - 2
                        while axis >= 0 {
                            index[axis] += 1
                            if index[axis] < shape[axis] { break }
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    func mapScalars(_ f: (Float) -> Float) -> Tensor {
        withUnsafeBufferPointer { p in
            Tensor.make(shape: shape) { out in
                for i in 0..<out.count { out[i] = f(p[i]) }
            }
        }
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, "+") { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, "-") { $0 - $1 } }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, "*") { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, "/") { $0 / $1 } }

    /// Adds a scalar to every element.
    public static func + (a: Tensor, s: Float) -> Tensor { a.mapScalars { $0 + s } }
    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, s: Float) -> Tensor { a.mapScalars { $0 - s } }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, s: Float) -> Tensor { a.mapScalars { $0 * s } }
    /// Multiplies every element by a scalar.
    public static func * (s: Float, a: Tensor) -> Tensor { a.mapScalars { s * $0 } }
    /// Divides every element by a scalar.
    public static func / (a: Tensor, s: Float) -> Tensor { a.mapScalars { $0 / s } }
    /// Negates every element.
    public static prefix func - (a: Tensor) -> Tensor { a.mapScalars { -$0 } }

    /// Adds `b` (broadcast to this shape) in place, without allocating when the storage is unique.
    /// - Precondition: `b` broadcasts to `a.shape`.
    public static func += (a: inout Tensor, b: Tensor) {
        if a.shape == b.shape {
            b.withUnsafeBufferPointer { pb in
                a.withUnsafeMutableBufferPointer { pa in
                    for i in 0..<pa.count { pa[i] += pb[i] }
                }
            }
        } else {
            precondition(broadcastShape(a.shape, b.shape) == a.shape,
                         "+=: shape \(b.shape) does not broadcast to \(a.shape)")
            a = a + b
        }
    }

    /// Multiplies in place by a scalar.
    public static func *= (a: inout Tensor, s: Float) {
        a.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= s }
        }
    }

    /// This tensor repeated to a larger shape (numpy broadcasting; a materialised copy).
    /// - Precondition: the shape broadcasts to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        precondition(Tensor.broadcastShape(shape, target) == target, "broadcast: \(shape) does not broadcast to \(target)")
        if shape == target { return self }
        let strides = Tensor.broadcastStrides(shape, into: target)
        let rank = target.count
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: target) { out in
                guard out.count > 0 else { return }
                let inner = target[rank - 1], innerStride = strides[rank - 1]
                var index = [Int](repeating: 0, count: rank - 1)
                var o = 0
                while o < out.count {
                    var s = 0
                    for axis in 0..<(rank - 1) { s += index[axis] * strides[axis] }
                    for j in 0..<inner { out[o + j] = src[s + j * innerStride] }
                    o += inner
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        if index[axis] < target[axis] { break }
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }

    /// Applies `f` to every element.
    public func map(_ f: (Float) -> Float) -> Tensor { mapScalars(f) }

    /// e^x elementwise.
    public func exp() -> Tensor { mapScalars { Foundation.exp($0) } }
    /// Natural logarithm elementwise.
    public func log() -> Tensor { mapScalars { Foundation.log($0) } }
    /// Square root elementwise.
    public func sqrt() -> Tensor { mapScalars { $0.squareRoot() } }
    /// x² elementwise.
    public func squared() -> Tensor { mapScalars { $0 * $0 } }
    /// |x| elementwise.
    public func abs() -> Tensor { mapScalars { Swift.abs($0) } }

    // MARK: Backward

    /// This tensor summed down to `target`, a shape that broadcasts to this one (the gradient of a
    /// broadcast: summed over the axes that were stretched or added).
    /// - Precondition: `target` broadcasts to this shape.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Tensor.broadcastShape(target, shape) == shape, "summed(toShape:): \(target) does not broadcast to \(shape)")
        let block = target.reduce(1, *)
        // target is a trailing block of this shape (a bias [p, d] over [b, p, d]): add the blocks.
        if target.count <= rank && Array(shape.suffix(target.count)) == target {
            return withUnsafeBufferPointer { src in
                Tensor.make(shape: target) { out in
                    out.update(repeating: 0)
                    guard block > 0 else { return }
                    for start in stride(from: 0, to: src.count, by: block) {
                        for j in 0..<block { out[j] += src[start + j] }
                    }
                }
            }
        }
        let strides = Tensor.broadcastStrides(target, into: shape)
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: target) { out in
                out.update(repeating: 0)
                guard src.count > 0 else { return }
                var index = [Int](repeating: 0, count: rank)
                for i in 0..<src.count {
                    var o = 0
                    for a in 0..<rank { o += index[a] * strides[a] }
                    out[o] += src[i]
                    var a = rank - 1
                    while a >= 0 {
                        index[a] += 1
                        if index[a] < shape[a] { break }
                        index[a] = 0
                        a -= 1
                    }
                }
            }
        }
    }
}

// MARK: - Differentiable forms

extension Variable {
    /// Elementwise sum with broadcasting.
    public static func + (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return record(a.value + b.value, [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: sa) : nil, needs[1] ? g.summed(toShape: sb) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return record(a.value - b.value, [a, b]) { g, needs in
            [needs[0] ? g.summed(toShape: sa) : nil, needs[1] ? (-g).summed(toShape: sb) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record(x * y, [a, b]) { g, needs in
            [needs[0] ? (g * y).summed(toShape: x.shape) : nil, needs[1] ? (g * x).summed(toShape: y.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record(x / y, [a, b]) { g, needs in
            [needs[0] ? (g / y).summed(toShape: x.shape) : nil,
             needs[1] ? (-(g * x) / (y * y)).summed(toShape: y.shape) : nil]
        }
    }

    /// Multiplies every element by a constant.
    public static func * (a: Variable, s: Float) -> Variable { unary(a.value * s, a) { $0 * s } }

    /// Multiplies every element by a constant.
    public static func * (s: Float, a: Variable) -> Variable { a * s }

    /// Adds a constant to every element.
    public static func + (a: Variable, s: Float) -> Variable { unary(a.value + s, a) { $0 } }

    /// Negates every element.
    public static prefix func - (a: Variable) -> Variable { a * -1 }

    /// e^x elementwise.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable.unary(y, self) { $0 * y }
    }

    /// Natural logarithm elementwise.
    public func log() -> Variable {
        let x = value
        return Variable.unary(x.log(), self) { $0 / x }
    }

    /// This value repeated to a larger shape (numpy broadcasting).
    public func broadcast(to target: [Int]) -> Variable {
        let s = shape
        return Variable.unary(value.broadcast(to: target), self) { $0.summed(toShape: s) }
    }
}
