// The element buffer behind a tensor: memory this process owns, or a read-only view into a mapping.

/// Contiguous Float32 elements shared by tensor values until one of them writes (copy-on-write).
///
/// A buffer is either owned (allocated here, freed with the last reference) or a view into memory
/// another object keeps alive — a memory-mapped model file (`MappedFile`). Views are never written:
/// the first write to a tensor that views a mapping copies its elements into an owned buffer.
final class TensorStorage: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    let count: Int
    /// What keeps a view's memory alive; nil for an owned buffer.
    let owner: AnyObject?

    /// An owned buffer of `count` uninitialised elements.
    init(uninitializedCount count: Int) {
        base = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
        self.count = count
        owner = nil
        TensorAllocations.record(elements: count)
    }

    /// A read-only view of `count` elements at `base`, valid while `owner` lives.
    init(viewing base: UnsafePointer<Float>, count: Int, owner: AnyObject) {
        self.base = UnsafeMutablePointer(mutating: base)
        self.count = count
        self.owner = owner
    }

    deinit {
        if owner == nil { base.deallocate() }
    }

    /// True when this buffer views memory it does not own (and so must not be written).
    var isView: Bool { owner != nil }

    /// An owned copy of the elements.
    func copy() -> TensorStorage {
        let storage = TensorStorage(uninitializedCount: count)
        storage.base.update(from: base, count: count)
        return storage
    }

    /// The elements as a buffer.
    var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }
}
