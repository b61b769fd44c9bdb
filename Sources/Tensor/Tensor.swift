// The Tensor value type: a shape and contiguous row-major Float32 storage (TensorStorage.swift).

/// An N-dimensional Float32 tensor: a shape and contiguous row-major storage.
///
/// `Tensor` is a value type; copies share storage until one of them is written (copy-on-write).
/// Every op returns a new tensor and leaves its inputs untouched, so a forward pass is a plain
/// sequence of op calls (the autodiff `Variable` runs the same calls). A tensor loaded from a model
/// file views the file's memory mapping until it is written. Shape errors in ops are programmer
/// errors and stop with a precondition message; data that comes from outside (arrays with a
/// shape, reshapes, files) is validated and throws.
public struct Tensor: Sendable {
    /// The size of each axis, outermost first. A rank-0 tensor (a scalar) has shape `[]`.
    public internal(set) var shape: [Int]
    /// The elements (shared between copies until one is written).
    var storage: TensorStorage

    /// Wraps storage whose count is already known to match `shape` (internal fast path).
    init(uncheckedShape shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
    }

    /// Wraps an array whose count is already known to match `shape` (internal).
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        let storage = TensorStorage(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { storage.base.update(from: s, count: scalars.count) }
        }
        self.init(uncheckedShape: shape, storage: storage)
    }

    /// A tensor with the given shape and row-major elements.
    /// - Throws: `TensorError` when a dimension is negative or `scalars.count` does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws(TensorError) {
        let count = try Tensor.validatedCount(of: shape)
        guard count == scalars.count else {
            throw TensorError("shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        self.init(uncheckedShape: shape, scalars: scalars)
    }

    /// A rank-0 tensor holding one value.
    public init(_ value: Float) {
        self.init(uncheckedShape: [], scalars: [value])
    }

    /// A 1-D tensor of the given values.
    public init(_ values: [Float]) {
        self.init(uncheckedShape: [values.count], scalars: values)
    }

    /// A tensor of the given shape with every element equal to `value`.
    /// - Precondition: every dimension is non-negative.
    public init(shape: [Int], repeating value: Float) {
        self = Tensor.make(shape: shape) { $0.update(repeating: value) }
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Number of axes.
    @inlinable public var rank: Int { shape.count }

    /// Number of elements.
    public var count: Int { storage.count }

    /// The elements in row-major order, as a new array (a copy: for hot loops use
    /// `withUnsafeBufferPointer` or `element(at:)`).
    public var scalars: [Float] { Array(storage.buffer) }

    /// The element at a flat row-major offset.
    /// - Precondition: `0 <= offset < count`.
    public func element(at offset: Int) -> Float {
        precondition(offset >= 0 && offset < count, "element(at:): offset \(offset) outside 0..<\(count)")
        return storage.base[offset]
    }

    /// True when both tensors use the very same element buffer (neither has been written since one
    /// was copied from the other).
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }

    /// True when the elements view a memory-mapped file (nothing has written to them yet).
    public var isMapped: Bool { storage.isView }

    /// The single value of a one-element tensor.
    /// - Precondition: `count == 1`.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return storage.base[0]
    }

    /// The element at the given multi-index (one index per axis; negative indices count from the end).
    public subscript(indices: Int...) -> Float {
        get { storage.base[flatIndex(indices)] }
        set {
            let i = flatIndex(indices)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    /// The flat row-major offset of a multi-index.
    /// - Precondition: one in-range index per axis.
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count,
                     "index \(indices) has \(indices.count) components for a rank-\(shape.count) tensor")
        var offset = 0
        for axis in 0..<shape.count {
            var i = indices[axis]
            if i < 0 { i += shape[axis] }
            precondition(i >= 0 && i < shape[axis],
                         "index \(indices[axis]) out of range for axis \(axis) of size \(shape[axis])")
            offset = offset * shape[axis] + i
        }
        return offset
    }

    /// Calls `body` with the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(storage.buffer) }
    }

    /// Calls `body` with mutable access to the elements (copying first if the storage is shared or
    /// views a mapped file).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) || storage.isView { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }
}

extension Tensor: Equatable {
    /// Same shape and elementwise equal (NaN equals nothing, as for arrays of Float).
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        if a.storage === b.storage { return !a.withUnsafeBufferPointer { $0.contains { $0.isNaN } } }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count where pa[i] != pb[i] { return false }
                return true
            }
        }
    }
}

// MARK: - Allocation of new storage

extension Tensor {
    /// A tensor whose storage is filled by `initialize`, which must write every element.
    /// This is how every op allocates its output: no zero-filling, and one allocation counted.
    public static func make(
        shape: [Int], _ initialize: (UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        let count = checkedCount(of: shape)
        _ = allocatorTuned
        let storage = TensorStorage(uninitializedCount: count)
        initialize(UnsafeMutableBufferPointer(start: storage.base, count: count))
        return Tensor(uncheckedShape: shape, storage: storage)
    }

    /// The element count of a shape, stopping on a negative dimension (programmer error).
    static func checkedCount(of shape: [Int]) -> Int {
        var count = 1
        for d in shape {
            precondition(d >= 0, "negative dimension in shape \(shape)")
            count *= d
        }
        return count
    }

    /// The element count of a shape that comes from data; throws instead of stopping.
    static func validatedCount(of shape: [Int]) throws(TensorError) -> Int {
        var count = 1
        for d in shape {
            guard d >= 0 else { throw TensorError("negative dimension in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw TensorError("shape \(shape) has too many elements") }
            count = product
        }
        return count
    }
}

// MARK: - Reshape

extension Tensor {
    /// The same elements under a new shape; one dimension may be -1 and is then inferred.
    /// - Throws: `TensorError` when the element counts differ or the shape is invalid.
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else { throw TensorError("reshape: more than one -1 in \(newShape)") }
        if let axis = inferred.first {
            var known = 1
            for (i, d) in newShape.enumerated() where i != axis {
                guard d >= 0 else { throw TensorError("reshape: negative dimension in \(newShape)") }
                known *= d
            }
            guard known > 0, count % known == 0 else {
                throw TensorError("reshape: cannot infer -1 in \(newShape) for \(count) elements")
            }
            resolved[axis] = count / known
        }
        let newCount = try Tensor.validatedCount(of: resolved)
        guard newCount == count else {
            throw TensorError("reshape: shape \(shape) (\(count) elements) cannot become \(newShape)")
        }
        return Tensor(uncheckedShape: resolved, storage: storage)
    }

    /// Reshape for internal callers that already know the counts agree.
    public func reshapedUnchecked(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.checkedCount(of: newShape) == count,
                     "reshape: shape \(shape) cannot become \(newShape)")
        return Tensor(uncheckedShape: newShape, storage: storage)
    }
}

// MARK: - Comparison helpers

extension Tensor {
    /// The largest absolute elementwise difference; equal infinities count as 0, NaN as infinity.
    /// - Precondition: same shape.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { pa in
            other.withUnsafeBufferPointer { pb in
                var worst: Float = 0
                for i in 0..<pa.count {
                    let a = pa[i], b = pb[i]
                    if a == b { continue }
                    let d = Swift.abs(a - b)
                    if d.isNaN { return .infinity }
                    worst = Swift.max(worst, d)
                }
                return worst
            }
        }
    }

    /// True when shapes match and every element is within `tolerance` (equal infinities match).
    public func isClose(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
        shape == other.shape && maxAbsDifference(other) <= tolerance
    }
}

// MARK: - Printing

extension Tensor: CustomStringConvertible {
    /// `Tensor[2, 3]([1.0, 2.0, …])`, showing at most the first eight elements.
    public var description: String {
        let shown = withUnsafeBufferPointer { $0.prefix(8).map { "\($0)" } }.joined(separator: ", ")
        return "Tensor\(shape)([\(shown)\(count > 8 ? ", … (\(count) elements)" : "")])"
    }
}
