// Gathers along the last axis (one value per row, e.g. each answer's logit) and one-hot rows: the
// kernel, its backward and the differentiable form.

extension Tensor {
    /// One value per row along the last axis: `self [..., n]`, `indices.count == count / n` → `[...]`.
    /// - Precondition: rank ≥ 1, one index per row, each in range.
    public func gatherLast(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatherLast: needs rank ≥ 1")
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        precondition(indices.count == rows, "gatherLast: \(indices.count) indices for \(rows) rows")
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: Array(shape.dropLast())) { out in
                for r in 0..<rows {
                    let i = indices[r]
                    precondition(i >= 0 && i < n, "gatherLast: index \(i) out of range 0..<\(n)")
                    out[r] = src[r * n + i]
                }
            }
        }
    }

    /// One-hot rows: `[ids.count, depth]` with a 1 at each id.
    /// - Precondition: ids in `0..<depth`.
    public static func oneHot(_ ids: [Int], depth: Int) -> Tensor {
        make(shape: [ids.count, depth]) { out in
            out.update(repeating: 0)
            for (r, id) in ids.enumerated() {
                precondition(id >= 0 && id < depth, "oneHot: id \(id) out of range 0..<\(depth)")
                out[r * depth + id] = 1
            }
        }
    }

    // MARK: Backward

    /// Zeros of `shape` with this tensor's values written back at one index per row of the last axis
    /// (the gradient of `gatherLast`).
    /// - Precondition: one value per row of `shape`, indices in range.
    public func scatteredLast(_ indices: [Int], into shape: [Int]) -> Tensor {
        let n = shape.last ?? 1
        return withUnsafeBufferPointer { pg in
            Tensor.make(shape: shape) { out in
                out.update(repeating: 0)
                for (r, i) in indices.enumerated() { out[r * n + i] = pg[r] }
            }
        }
    }
}

// MARK: - Differentiable form

extension Variable {
    /// One value per row along the last axis (see `Tensor.gatherLast`), e.g. the logit of each answer.
    public func gatherLast(_ indices: [Int]) -> Variable {
        let s = shape
        return Variable.unary(value.gatherLast(indices), self) { $0.scatteredLast(indices, into: s) }
    }
}
