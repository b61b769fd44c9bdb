// The error type of the Tensor module's data-facing entry points.

/// A one-line description of bad data given to a tensor API (shape mismatch, invalid reshape, …).
public struct TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message, one line.
    public let message: String
    /// Creates an error with a one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
