import Foundation
import Tensor
import TerminalUI

/// Process-wide set-up that must happen once, before any command runs.
enum Startup {
    static func configure() {
        // Writing to a closed pipe (`interp lessons | head`) must end quietly, not crash.
        signal(SIGPIPE, SIG_IGN)
        // The two vCPUs share one core's floating-point units: one BLAS thread is as fast as two.
        BLAS.useSingleThread()
        // Ctrl-C during a command (the REPL's cooperative handler) stops the engine's long loops.
        Cancellation.probe = { Interrupt.isRequested }
    }
}
