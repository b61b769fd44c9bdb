#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to the standard streams that never trap: a closed pipe (`interp … | head -1`)
/// makes a write fail with `false` instead of raising, so the caller can stop quietly.
public enum RawOutput {
    /// Writes `text` to stdout; false when the stream is closed or failing.
    @discardableResult
    public static func stdout(_ text: String) -> Bool {
        fflush(nil)
        return writeAll(STDOUT_FILENO, Array(text.utf8))
    }

    /// Writes `text` to stderr; false when the stream is closed or failing.
    @discardableResult
    public static func stderr(_ text: String) -> Bool {
        fflush(nil)
        return writeAll(STDERR_FILENO, Array(text.utf8))
    }
}

/// Writes all of `bytes` to `fd`, retrying after signals; stops at the first real error (false).
@discardableResult
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return true }
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, base + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
