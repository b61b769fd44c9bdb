// Layout ops: permute/transpose (materialised), slicing and selecting along an axis, concatenation;
// the slice backward (padding into zeros) and the differentiable reshape, permute, slice and concatenate.

extension Tensor {
    /// Normalises a possibly negative axis; stops on an out-of-range axis (programmer error).
    func axisIndex(_ axis: Int, _ op: StaticString) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// Row-major strides of `shape`.
    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// The axes reordered: output axis `i` is input axis `axes[i]` (a copy in the new order).
    /// - Precondition: `axes` is a permutation of `0..<rank`.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank && Set(axes) == Set(0..<rank),
                     "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
        let newShape = axes.map { shape[$0] }
        if axes == Array(0..<rank) { return self }
        let inStrides = Tensor.strides(of: shape)
        let srcStrides = axes.map { inStrides[$0] }
        // Copy in blocks: the innermost output axes that stay contiguous in the input form one run.
        var run = 1
        var blockAxes = rank
        while blockAxes > 0 && srcStrides[blockAxes - 1] == run {
            run *= newShape[blockAxes - 1]
            blockAxes -= 1
        }
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: newShape) { out in
                guard out.count > 0, let srcBase = src.baseAddress, let outBase = out.baseAddress else { return }
                var index = [Int](repeating: 0, count: blockAxes)
                var o = 0
                while o < out.count {
                    var s = 0
                    for a in 0..<blockAxes { s += index[a] * srcStrides[a] }
                    (outBase + o).update(from: srcBase + s, count: run)
                    o += run
                    var a = blockAxes - 1
                    while a >= 0 {
                        index[a] += 1
                        if index[a] < newShape[a] { break }
                        index[a] = 0
                        a -= 1
                    }
                }
            }
        }
    }

    /// The last two axes swapped (a matrix transpose for rank 2).
    /// - Precondition: rank ≥ 2.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs rank ≥ 2, shape is \(shape)")
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return permuted(axes)
    }

    /// The elements whose index along `axis` lies in `range` (a copy; the axis keeps its place).
    /// - Precondition: `range` lies within the axis.
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = axisIndex(axis, "sliced")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "sliced: range \(range) out of bounds for axis \(axis) of size \(shape[a])")
        var newShape = shape
        newShape[a] = range.count
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        let axisSize = shape[a]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: newShape) { out in
                guard out.count > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                let chunk = range.count * inner
                for i in 0..<outer {
                    (o + i * chunk).update(from: s + (i * axisSize + range.lowerBound) * inner, count: chunk)
                }
            }
        }
    }

    /// The sub-tensor at `index` along `axis`, with that axis removed.
    public func select(axis: Int, _ index: Int) -> Tensor {
        let a = axisIndex(axis, "select")
        let i = index < 0 ? index + shape[a] : index
        precondition(i >= 0 && i < shape[a], "select: index \(index) out of range for axis \(axis) of size \(shape[a])")
        var newShape = shape
        newShape.remove(at: a)
        return sliced(axis: a, i..<(i + 1)).reshapedUnchecked(newShape)
    }

    /// Tensors joined along an existing axis.
    /// - Precondition: at least one tensor; all shapes agree except along `axis`.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let a = tensors[0].axisIndex(axis, "concatenate")
        return concatenate(tensors.map { (tensor: $0, range: 0..<($0.rank > a ? $0.shape[a] : 0)) }, axis: a)
    }

    /// Ranges of several tensors joined along `axis` in one copy: `[(t, r)]` takes `t`'s entries with
    /// index in `r` along the axis (e.g. the first `n` cached key positions followed by new keys).
    /// - Precondition: at least one part; shapes agree outside `axis`; ranges lie within their tensors.
    public static func concatenate(_ parts: [(tensor: Tensor, range: Range<Int>)], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concatenate: no tensors")
        let first = parts[0].tensor
        let a = first.axisIndex(axis, "concatenate")
        for (t, r) in parts {
            precondition(t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "concatenate: shape \(t.shape) does not match \(first.shape) outside axis \(axis)")
            precondition(r.lowerBound >= 0 && r.upperBound <= t.shape[a], "concatenate: range \(r) out of bounds for \(t.shape)")
        }
        var newShape = first.shape
        newShape[a] = parts.reduce(0) { $0 + $1.range.count }
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        return make(shape: newShape) { out in
            guard let o = out.baseAddress else { return }
            var offset = 0
            for i in 0..<outer {
                for (t, r) in parts {
                    let chunk = r.count * inner
                    t.withUnsafeBufferPointer { src in
                        if chunk > 0, let s = src.baseAddress {
                            (o + offset).update(from: s + (i * t.shape[a] + r.lowerBound) * inner, count: chunk)
                        }
                    }
                    offset += chunk
                }
            }
        }
    }

    /// Tensors of equal shape stacked along a new axis.
    /// - Precondition: at least one tensor, all of the same shape.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        let shape = tensors[0].shape
        precondition(tensors.allSatisfy { $0.shape == shape }, "stack: tensors have different shapes")
        let a = axis < 0 ? axis + shape.count + 1 : axis
        precondition(a >= 0 && a <= shape.count, "stack: axis \(axis) out of range")
        var expanded = shape
        expanded.insert(1, at: a)
        return concatenate(tensors.map { $0.reshapedUnchecked(expanded) }, axis: a)
    }

    // MARK: Backward

    /// A zero tensor of `shape` with this tensor written at `range` along `axis` (the gradient of `sliced`).
    /// - Precondition: this tensor has `shape` except `range.count` along `axis`.
    public func padded(into shape: [Int], axis: Int, at range: Range<Int>) -> Tensor {
        let a = axisIndex(axis, "padded")
        var expected = shape
        expected[a] = range.count
        precondition(self.shape == expected && range.upperBound <= shape[a], "padded: \(self.shape) does not fit \(shape) at \(range)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), axisSize = shape[a]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: shape) { out in
                out.update(repeating: 0)
                guard let s = src.baseAddress, let o = out.baseAddress else { return }
                let chunk = range.count * inner
                guard chunk > 0 else { return }
                for i in 0..<outer {
                    (o + (i * axisSize + range.lowerBound) * inner).update(from: s + i * chunk, count: chunk)
                }
            }
        }
    }
}

// MARK: - Differentiable forms

extension Variable {
    /// The same elements under a new shape (see `Tensor.reshaped`; here a mismatch is a programmer error).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let old = shape
        var resolved = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            resolved[i] = known == 0 ? 0 : value.count / known
        }
        return Variable.unary(value.reshapedUnchecked(resolved), self) { $0.reshapedUnchecked(old) }
    }

    /// The axes reordered (see `Tensor.permuted`).
    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() where a >= 0 && a < axes.count { inverse[a] = i }
        return Variable.unary(value.permuted(axes), self) { $0.permuted(inverse) }
    }

    /// The elements with index in `range` along `axis` (see `Tensor.sliced`).
    public func sliced(axis: Int, _ range: Range<Int>) -> Variable {
        let s = shape
        return Variable.unary(value.sliced(axis: axis, range), self) { $0.padded(into: s, axis: axis, at: range) }
    }

    /// Variables joined along an existing axis (see `Tensor.concatenate`).
    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        precondition(!parts.isEmpty, "concatenate: no variables")
        let out = Tensor.concatenate(parts.map(\.value), axis: axis)
        let a = axis < 0 ? axis + out.rank : axis
        let sizes = parts.map { $0.shape[a] }
        return record(out, parts) { g, needs in
            var start = 0
            return zip(sizes, needs).map { size, need in
                defer { start += size }
                return need ? g.sliced(axis: a, start..<(start + size)) : nil
            }
        }
    }
}
