import Foundation

/// Compiler errors picked out of `swift build` output, trimmed for the learner.
public struct CompilerMessage: Sendable, Equatable, CustomStringConvertible {
    /// The file as printed by the compiler (absolute).
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: String
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(severity): \(message)" }

    /// Every `file:line:col: error: message` line of `output`, duplicates removed, in order.
    public static func errors(in output: String) -> [CompilerMessage] {
        var seen = Set<String>()
        var result: [CompilerMessage] = []
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            guard let range = line.range(of: ": error: ") else { continue }
            let location = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let l = Int(location[location.count - 2]), let c = Int(location[location.count - 1]) else { continue }
            let file = location.dropLast(2).joined(separator: ":")
            let message = CompilerMessage(file: file, line: l, column: c, severity: "error",
                                          message: String(line[range.upperBound...]))
            if seen.insert(message.description).inserted { result.append(message) }
        }
        return result
    }
}
