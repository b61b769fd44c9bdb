import Course
import Foundation

/// What a crashed check program printed, boiled down for the learner: the Swift runtime's fatal
/// error ("Index out of range", or a failed precondition's message), the first backtrace frame in the learner's file, and whether the
/// program ran out of memory.
public struct CrashOutput: Sendable, Equatable {
    /// The runtime's message without its source prefix, e.g. "Index out of range".
    public var fatalError: String?
    /// The first frame in the learner's file, relative to the course root, e.g.
    /// "Exercises/Sources/LogitDiff/LogitDiff.swift:5:13 in logitDiff(logits:answers:wrong:)".
    public var location: String?
    /// The runtime could not allocate memory (the memory limit was reached).
    public var outOfMemory: Bool

    /// Reads the program's output; `learnerFile` is the learner's file relative to the workspace
    /// (`Sources/LogitDiff/LogitDiff.swift`), matched against the paths of the backtrace.
    public static func parse(_ output: String, learnerFile: String?) -> CrashOutput {
        var result = CrashOutput(fatalError: nil, location: nil, outOfMemory: false)
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            // fatalError prints "Fatal error: …", precondition "Precondition failed: …", assert "Assertion failed: …".
            if result.fatalError == nil,
               let range = ["Fatal error: ", "Precondition failed: ", "Assertion failed: "].lazy.compactMap({ line.range(of: $0) }).first {
                result.fatalError = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
            let lower = line.lowercased()
            if lower.contains("failed to allocate") || lower.contains("could not allocate memory") || lower.contains("out of memory") {
                result.outOfMemory = true
            }
            if result.location == nil, let file = learnerFile, let at = line.range(of: " at /"), line[at.upperBound...].contains(file) {
                let path = line[at.upperBound...]
                let name = path.range(of: file).map { Exercise.directory + "/" + path[$0.lowerBound...] } ?? String(path)
                // "  3 [ra] 0x… logitDiff(logits:answers:wrong:) + 103 in LogitDiffCheck at /…/LogitDiff.swift:5:13"
                let symbol = line[..<at.lowerBound].components(separatedBy: " + ").first?
                    .split(separator: " ").drop { !$0.hasPrefix("0x") }.dropFirst().joined(separator: " ")
                result.location = name + (symbol.map { $0.isEmpty ? "" : " in \($0)" } ?? "")
            }
        }
        return result
    }
}
