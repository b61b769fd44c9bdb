// The error type of the Transformer module.

/// A one-line error about a model, its file, its config or its inputs.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message, one line; names the file or the argument at fault.
    public let message: String
    /// Creates an error with a one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
