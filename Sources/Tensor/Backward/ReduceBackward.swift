// Backward kernels that undo broadcasting, slicing and row gathers: sums and scatters.

extension Tensor {
    /// This tensor summed down to `target`, a shape that broadcasts to this one (the gradient of a
    /// broadcast: summed over the axes that were stretched or added).
    /// - Precondition: `target` broadcasts to this shape.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Tensor.broadcastShape(target, shape) == shape, "summed(toShape:): \(target) does not broadcast to \(shape)")
        let block = target.reduce(1, *)
        // target is a trailing block of this shape (a bias [p, d] over [b, p, d]): add the blocks.
        if target.count <= rank && Array(shape.suffix(target.count)) == target {
            return scalars.withUnsafeBufferPointer { src in
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
        return scalars.withUnsafeBufferPointer { src in
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

    /// A zero tensor of `shape` with this tensor written at `range` along `axis` (the gradient of `sliced`).
    /// - Precondition: this tensor has `shape` except `range.count` along `axis`.
    public func padded(into shape: [Int], axis: Int, at range: Range<Int>) -> Tensor {
        let a = axisIndex(axis, "padded")
        var expected = shape
        expected[a] = range.count
        precondition(self.shape == expected && range.upperBound <= shape[a], "padded: \(self.shape) does not fit \(shape) at \(range)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), axisSize = shape[a]
        return scalars.withUnsafeBufferPointer { src in
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

    /// Rows of this `[ids.count, d]` tensor added into a zero `[rows, d]` matrix at `ids` (the gradient
    /// of `gatherRows` / `embed`).
    /// - Precondition: ids in `0..<rows`, one per row of this tensor (after flattening leading axes).
    public func scatterAddRows(_ ids: [Int], rows: Int) -> Tensor {
        let d = rank == 0 ? 1 : shape[rank - 1]
        precondition(ids.count * d == count, "scatterAddRows: \(ids.count) ids for shape \(shape)")
        return scalars.withUnsafeBufferPointer { src in
            Tensor.make(shape: [rows, d]) { out in
                out.update(repeating: 0)
                for (r, id) in ids.enumerated() {
                    precondition(id >= 0 && id < rows, "scatterAddRows: id \(id) out of range 0..<\(rows)")
                    for j in 0..<d { out[id * d + j] += src[r * d + j] }
                }
            }
        }
    }
}
