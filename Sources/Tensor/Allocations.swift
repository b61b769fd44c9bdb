// A process-wide count of bytes allocated for tensor storage, for benchmarks.
import Synchronization

@available(macOS 15.0, *)
private enum AllocationCounter {
    static let bytes = Atomic<Int>(0)
}

/// Counts the bytes of tensor storage created by tensor initialisers and ops, process-wide.
///
/// Every op allocates its output through `Tensor.make`, which records it here; a benchmark reads
/// the counter before and after a call. Views that share storage (reshape) are not counted, and
/// neither is a copy-on-write copy made when a shared tensor is mutated in place.
public enum TensorAllocations {
    /// Bytes recorded since the process started or since the last `reset()`.
    public static var bytes: Int {
        if #available(macOS 15.0, *) { return AllocationCounter.bytes.load(ordering: .relaxed) }
        return 0
    }

    /// Sets the counter back to zero.
    public static func reset() {
        if #available(macOS 15.0, *) { AllocationCounter.bytes.store(0, ordering: .relaxed) }
    }

    /// Records a new storage buffer of `elements` Float32 values.
    public static func record(elements: Int) {
        if #available(macOS 15.0, *) {
            AllocationCounter.bytes.add(elements &* MemoryLayout<Float>.stride, ordering: .relaxed)
        }
    }

    /// Runs `body` and returns its result with the tensor bytes it allocated (other threads'
    /// allocations during the call are counted too).
    public static func measure<R>(_ body: () throws -> R) rethrows -> (result: R, bytes: Int) {
        let before = bytes
        let result = try body()
        return (result, bytes - before)
    }
}
