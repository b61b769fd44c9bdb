// Embedding lookup (gathering rows of a matrix): the kernel, its backward (adding rows back at
// their ids) and the differentiable form.

extension Tensor {
    /// Rows of a matrix picked by index: `self [rows, d]`, ids → `[ids.count, d]`.
    /// - Precondition: rank 2 and every id in range (validate ids from input before calling).
    public func gatherRows(_ ids: [Int]) -> Tensor {
        precondition(rank == 2, "gatherRows: needs a matrix, shape is \(shape)")
        let rows = shape[0], d = shape[1]
        return withUnsafeBufferPointer { src in
            Tensor.make(shape: [ids.count, d]) { out in
                guard d > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                for (r, id) in ids.enumerated() {
                    precondition(id >= 0 && id < rows, "gatherRows: id \(id) out of range 0..<\(rows)")
                    (o + r * d).update(from: s + id * d, count: d)
                }
            }
        }
    }

    /// Embedding lookup for a batch of equal-length id sequences: `self [vocab, d]` → `[batch, pos, d]`.
    /// - Precondition: rank 2, equal lengths, ids in range.
    public func embed(_ ids: [[Int]]) -> Tensor {
        let pos = ids.first?.count ?? 0
        precondition(ids.allSatisfy { $0.count == pos }, "embed: sequences have different lengths")
        let flat = gatherRows(ids.flatMap { $0 })
        return flat.reshapedUnchecked([ids.count, pos, shape.count == 2 ? shape[1] : 0])
    }

    // MARK: Backward

    /// Rows of this `[ids.count, d]` tensor added into a zero `[rows, d]` matrix at `ids` (the gradient
    /// of `gatherRows` / `embed`).
    /// - Precondition: ids in `0..<rows`, one per row of this tensor (after flattening leading axes).
    public func scatterAddRows(_ ids: [Int], rows: Int) -> Tensor {
        let d = rank == 0 ? 1 : shape[rank - 1]
        precondition(ids.count * d == count, "scatterAddRows: \(ids.count) ids for shape \(shape)")
        return withUnsafeBufferPointer { src in
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

// MARK: - Differentiable form

extension Variable {
    /// Embedding lookup: this `[vocab, d]` matrix's rows for `ids` → `[batch, pos, d]`.
    /// - Precondition: equal-length sequences, ids in range (validate input first).
    public func embed(_ ids: [[Int]]) -> Variable {
        let rows = shape[0]
        return Variable.unary(value.embed(ids), self) { $0.scatterAddRows(ids.flatMap { $0 }, rows: rows) }
    }

    /// Rows of this `[rows, d]` matrix picked by index → `[ids.count, d]` (see `Tensor.gatherRows`).
    public func gatherRows(_ ids: [Int]) -> Variable {
        let rows = shape[0]
        return Variable.unary(value.gatherRows(ids), self) { $0.scatterAddRows(ids, rows: rows) }
    }
}
