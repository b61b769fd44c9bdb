#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Thrown by `Interrupt.check()` when the user pressed Ctrl-C while a command was running.
public struct InterruptedError: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}

/// Cooperative Ctrl-C handling.
///
/// While the cooperative handler is installed, SIGINT only raises a flag; long-running code polls
/// it (`Interrupt.check()` or `Interrupt.isRequested`) and stops cleanly. The REPL runs each command
/// inside `withCooperativeHandler`, and `LineEditor` installs the handler while it waits for a line,
/// so Ctrl-C cancels the command (or the line being typed), not the REPL. One-shot commands keep the
/// default disposition (the shell sees status 130) unless they opt in with `withCooperativeHandler`
/// (training does, to stop after writing a checkpoint).
///
/// Escape hatch: if a command does not poll, the second Ctrl-C while a request is still pending
/// prints a hint and the third ends the process with status 130.
public enum Interrupt {
    /// Ctrl-C presses not yet consumed by `clear()`. Lock-free, so safe to touch from the handler.
    private static let pending = Atomic<Int>(0)

    /// True once Ctrl-C was pressed (or `request()` called) since the last `clear()`.
    public static var isRequested: Bool { pending.load(ordering: .acquiring) > 0 }

    /// Throws `InterruptedError` when an interrupt is pending. Call it in long loops.
    public static func check() throws {
        if isRequested { throw InterruptedError() }
    }

    /// Raises the flag as if Ctrl-C had been pressed.
    public static func request() {
        pending.add(1, ordering: .releasing)
    }

    /// Lowers the flag (the REPL calls this before each command).
    public static func clear() {
        pending.store(0, ordering: .releasing)
    }

    /// Installs the cooperative SIGINT handler and returns the disposition it replaced.
    @discardableResult
    public static func installCooperativeHandler() -> SignalDisposition {
        _ = pending.load(ordering: .relaxed)  // initialise the static before the handler can run
        return SignalDisposition.handle(SIGINT, onSIGINT)
    }

    /// Restores the default SIGINT disposition (the process exits with status 130 on Ctrl-C).
    public static func restoreDefaultHandler() {
        signal(SIGINT, SIG_DFL)
    }

    /// Runs `body` with the cooperative handler installed, then restores whatever was there before.
    /// The flag is cleared on entry; `body` polls `check()` and decides how to stop.
    public static func withCooperativeHandler<T>(_ body: () throws -> T) rethrows -> T {
        clear()
        let previous = installCooperativeHandler()
        defer { previous.restore(SIGINT) }
        return try body()
    }
}

/// A saved signal disposition, to put back later.
public struct SignalDisposition: @unchecked Sendable {
    private let action: sigaction
    init(saved action: sigaction) { self.action = action }
    /// Re-installs this disposition for `signal`.
    public func restore(_ signal: Int32) {
        var a = action
        sigaction(signal, &a, nil)
    }
    /// Saves the current disposition of `signal` and installs `handler` (without SA_RESTART, so a
    /// blocking read returns EINTR and the reader can react).
    static func handle(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) -> SignalDisposition {
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        var old = sigaction()
        sigaction(signal, &action, &old)
        return SignalDisposition(saved: old)
    }

    /// Saves the current disposition of `signal` and sets it to ignored (as `system()` does for SIGINT
    /// while a child runs in the foreground).
    static func ignore(_ signal: Int32) -> SignalDisposition {
        var ignore = sigaction()
        sigemptyset(&ignore.sa_mask)
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        var old = sigaction()
        sigaction(signal, &ignore, &old)
        return SignalDisposition(saved: old)
    }
}

/// The SIGINT handler: async-signal-safe (an atomic add, `write` and `_exit` only).
private func onSIGINT(_: Int32) {
    let count = Interrupt.pendingIncrement()
    if count == 2 {
        let message: StaticString = "\n(interrupt pending; press Ctrl-C again to quit)\n"
        _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
    } else if count >= 3 {
        _exit(130)
    }
}

extension Interrupt {
    /// Adds one press and returns the new count (for the signal handler).
    fileprivate static func pendingIncrement() -> Int {
        pending.add(1, ordering: .acquiringAndReleasing).newValue
    }
}
