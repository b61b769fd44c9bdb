// The Tensor value type: a shape and contiguous row-major Float32 storage.

/// An N-dimensional Float32 tensor: a shape and contiguous row-major storage.
///
/// `Tensor` is a value type; copies share storage until one of them is mutated (copy-on-write
/// through Swift arrays). Every op returns a new tensor and leaves its inputs untouched, so a
/// forward pass is a plain sequence of op calls (the autodiff tape records the same calls).
/// Shape errors in ops are programmer errors and stop with a precondition message; data that
/// comes from outside (arrays with a shape, reshapes, files) is validated and throws.
public struct Tensor: Sendable, Equatable {
    /// The size of each axis, outermost first. A rank-0 tensor (a scalar) has shape `[]`.
    public internal(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public internal(set) var scalars: [Float]

    /// Wraps storage whose count is already known to match `shape` (internal fast path).
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor with the given shape and row-major elements.
    /// - Throws: `TensorError` when a dimension is negative or `scalars.count` does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws(TensorError) {
        let count = try Tensor.validatedCount(of: shape)
        guard count == scalars.count else {
            throw TensorError("shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
        TensorAllocations.record(elements: count)
    }

    /// A rank-0 tensor holding one value.
    public init(_ value: Float) {
        self.init(uncheckedShape: [], scalars: [value])
        TensorAllocations.record(elements: 1)
    }

    /// A 1-D tensor of the given values.
    public init(_ values: [Float]) {
        self.init(uncheckedShape: [values.count], scalars: values)
        TensorAllocations.record(elements: values.count)
    }

    /// A tensor of the given shape with every element equal to `value`.
    /// - Precondition: every dimension is non-negative.
    public init(shape: [Int], repeating value: Float) {
        let count = Tensor.checkedCount(of: shape)
        self.init(uncheckedShape: shape, scalars: [Float](repeating: value, count: count))
        TensorAllocations.record(elements: count)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// Number of axes.
    @inlinable public var rank: Int { shape.count }

    /// Number of elements.
    @inlinable public var count: Int { scalars.count }

    /// The single value of a one-element tensor.
    /// - Precondition: `count == 1`.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return scalars[0]
    }

    /// The element at the given multi-index (one index per axis; negative indices count from the end).
    public subscript(indices: Int...) -> Float {
        get { scalars[flatIndex(indices)] }
        set { scalars[flatIndex(indices)] = newValue }
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
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the elements (copying first if the storage is shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
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
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(buffer)
            initialized = count
        }
        TensorAllocations.record(elements: count)
        return Tensor(uncheckedShape: shape, scalars: scalars)
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
        return Tensor(uncheckedShape: resolved, scalars: scalars)
    }

    /// Reshape for internal callers that already know the counts agree.
    public func reshapedUnchecked(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.checkedCount(of: newShape) == count,
                     "reshape: shape \(shape) cannot become \(newShape)")
        return Tensor(uncheckedShape: newShape, scalars: scalars)
    }
}

// MARK: - Comparison helpers

extension Tensor {
    /// The largest absolute elementwise difference; equal infinities count as 0, NaN as infinity.
    /// - Precondition: same shape.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        var worst: Float = 0
        for i in 0..<count {
            let a = scalars[i], b = other.scalars[i]
            if a == b { continue }
            let d = Swift.abs(a - b)
            if d.isNaN { return .infinity }
            worst = Swift.max(worst, d)
        }
        return worst
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
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)([\(shown)\(count > 8 ? ", … (\(count) elements)" : "")])"
    }
}
