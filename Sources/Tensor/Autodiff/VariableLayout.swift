// Differentiable layout ops: reshape, permute, slice, concatenate, embedding lookup, gathers.

extension Variable {
    /// The same elements under a new shape (see `Tensor.reshaped`; here a mismatch is a programmer error).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let old = shape
        var resolved = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            resolved[i] = known == 0 ? 0 : value.count / known
        }
        return tape.record(value.reshapedUnchecked(resolved), inputs: [self]) { [id] t, g in
            t.accumulate(id, g.reshapedUnchecked(old))
        }
    }

    /// The axes reordered (see `Tensor.permuted`).
    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() where a >= 0 && a < axes.count { inverse[a] = i }
        return tape.record(value.permuted(axes), inputs: [self]) { [id] t, g in
            t.accumulate(id, g.permuted(inverse))
        }
    }

    /// The elements with index in `range` along `axis` (see `Tensor.sliced`).
    public func sliced(axis: Int, _ range: Range<Int>) -> Variable {
        let s = shape
        return tape.record(value.sliced(axis: axis, range), inputs: [self]) { [id] t, g in
            t.accumulate(id, g.padded(into: s, axis: axis, at: range))
        }
    }

    /// Variables joined along an existing axis (see `Tensor.concatenate`).
    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        precondition(!parts.isEmpty, "concatenate: no variables")
        let tape = parts[0].tape
        precondition(parts.allSatisfy { $0.tape === tape }, "concatenate: variables belong to different tapes")
        let out = Tensor.concatenate(parts.map(\.value), axis: axis)
        let a = axis < 0 ? axis + out.rank : axis
        let sizes = parts.map { $0.shape[a] }
        return tape.record(out, inputs: parts) { t, g in
            var start = 0
            for (p, size) in zip(parts, sizes) {
                if t.requiresGrad(id: p.id) { t.accumulate(p.id, g.sliced(axis: a, start..<(start + size))) }
                start += size
            }
        }
    }

    /// Embedding lookup: this `[vocab, d]` matrix's rows for `ids` → `[batch, pos, d]`.
    /// - Precondition: equal-length sequences, ids in range (validate input first).
    public func embed(_ ids: [[Int]]) -> Variable {
        let rows = shape[0]
        return tape.record(value.embed(ids), inputs: [self]) { [id] t, g in
            t.accumulate(id, g.scatterAddRows(ids.flatMap { $0 }, rows: rows))
        }
    }

    /// One value per row along the last axis (see `Tensor.gatherLast`), e.g. the logit of each answer.
    public func gatherLast(_ indices: [Int]) -> Variable {
        let s = shape
        return tape.record(value.gatherLast(indices), inputs: [self]) { [id] t, g in
            let n = s.last ?? 1
            let dx = Tensor.make(shape: s) { out in
                out.update(repeating: 0)
                g.withUnsafeBufferPointer { pg in
                    for (r, i) in indices.enumerated() { out[r * n + i] = pg[r] }
                }
            }
            t.accumulate(id, dx)
        }
    }
}
