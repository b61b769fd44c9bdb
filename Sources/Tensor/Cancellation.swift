/// Cooperative cancellation of long computations (patching sweeps, ablation maps, training): every
/// forward pass calls `Cancellation.check()`, which throws Swift's `CancellationError` once the
/// program's probe says the user asked to stop (the CLI wires the probe to Ctrl-C).
public enum Cancellation {
    /// Set once at start-up, before any computation runs, and only read afterwards.
    nonisolated(unsafe) public static var probe: (@Sendable () -> Bool)?

    /// Whether a stop was requested.
    public static var isRequested: Bool { probe?() ?? false }

    /// Throws `CancellationError` when a stop was requested.
    public static func check() throws {
        if isRequested { throw CancellationError() }
    }
}
