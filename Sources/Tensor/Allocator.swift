// glibc allocator tuning: keeps the large short-lived buffers of a forward pass in the heap.
#if canImport(Glibc)
import Glibc

/// Raises glibc's mmap and trim thresholds once per process (on the first tensor allocation).
///
/// By default glibc serves blocks above 128 KB with fresh `mmap`s and trims the heap top eagerly,
/// so each op output of a batch-64 forward is mapped, page-faulted and zeroed by the kernel again:
/// that doubled the forward time. With 32 MB / 256 MB thresholds freed buffers are reused. Found
/// through `dlsym` because the Glibc module does not export `mallopt`.
let allocatorTuned: Bool = {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1   // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
    let ok1 = mallopt(mmapThreshold, 32 << 20)
    let ok2 = mallopt(trimThreshold, 256 << 20)
    return ok1 == 1 && ok2 == 1
}()
#else
let allocatorTuned = true
#endif
