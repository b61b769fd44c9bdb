// Indexing ops: gather rows (embedding lookup), gather along the last axis, one-hot.

extension Tensor {
    /// Rows of a matrix picked by index: `self [rows, d]`, ids → `[ids.count, d]`.
    /// - Precondition: rank 2 and every id in range (validate ids from input before calling).
    public func gatherRows(_ ids: [Int]) -> Tensor {
        precondition(rank == 2, "gatherRows: needs a matrix, shape is \(shape)")
        let rows = shape[0], d = shape[1]
        return scalars.withUnsafeBufferPointer { src in
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

    /// One value per row along the last axis: `self [..., n]`, `indices.count == count / n` → `[...]`.
    /// - Precondition: rank ≥ 1, one index per row, each in range.
    public func gatherLast(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatherLast: needs rank ≥ 1")
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        precondition(indices.count == rows, "gatherLast: \(indices.count) indices for \(rows) rows")
        return scalars.withUnsafeBufferPointer { src in
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
}
