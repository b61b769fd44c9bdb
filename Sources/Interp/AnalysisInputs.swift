// Inputs shared by the analyses: errors and layer/head checks (head names: HeadIndex.swift).
import Foundation
import Transformer

/// An analysis input error: a bad layer, head, token or option. One line naming what is wrong.
public struct AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    /// An error with a one-line message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks `layer` against the model. - Throws: `AnalysisError` naming the valid range.
func checkLayer(_ layer: Int, _ config: ModelConfig, _ what: String = "layer") throws(AnalysisError) {
    guard layer >= 0 && layer < config.nLayers else {
        throw AnalysisError("\(what) \(layer) is outside 0...\(config.nLayers - 1)")
    }
}

/// Checks `head` against the model. - Throws: `AnalysisError` naming the valid range.
func checkHead(_ head: Int, _ config: ModelConfig, _ what: String = "head") throws(AnalysisError) {
    guard head >= 0 && head < config.nHeads else {
        throw AnalysisError("\(what) \(head) is outside 0...\(config.nHeads - 1)")
    }
}
