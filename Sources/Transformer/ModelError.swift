// The error type of the Transformer module.

/// A one-line error about a model, its file, its config or its inputs.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The message, one line; names the file or the argument at fault.
    public let message: String
    /// True when something is missing (a file, a model), not malformed: exit 66 rather than 65.
    public var isMissingInput = false
    /// Creates an error with a one-line message.
    public init(_ message: String) { self.message = message }
    /// An error about a missing file or model.
    public static func missing(_ message: String) -> ModelError {
        var e = ModelError(message)
        e.isMissingInput = true
        return e
    }
    public var description: String { message }
}
