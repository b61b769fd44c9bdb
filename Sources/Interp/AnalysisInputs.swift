// Inputs shared by the analyses: errors, layer/head checks, head lists ("1.2,0.3").
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

/// A head of the model: `layer.head`, as in "1.2".
public struct HeadIndex: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var layer: Int
    public var head: Int
    public init(_ layer: Int, _ head: Int) {
        self.layer = layer
        self.head = head
    }
    public var description: String { "\(layer).\(head)" }
    public static func < (a: HeadIndex, b: HeadIndex) -> Bool { (a.layer, a.head) < (b.layer, b.head) }

    /// Parses `"1.2,0.3"` into heads, checked against the model.
    /// - Throws: `AnalysisError` for a malformed item or a layer/head outside the model, naming the valid range.
    public static func parseList(_ text: String, config: ModelConfig) throws(AnalysisError) -> [HeadIndex] {
        var heads: [HeadIndex] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = String(item).trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let l = Int(parts[0]), let h = Int(parts[1]) else {
                throw AnalysisError("head '\(item)' is not LAYER.HEAD (e.g. 1.2); layers 0...\(config.nLayers - 1), heads 0...\(config.nHeads - 1)")
            }
            guard l >= 0 && l < config.nLayers && h >= 0 && h < config.nHeads else {
                throw AnalysisError("head \(l).\(h) is outside the model: layers 0...\(config.nLayers - 1), heads 0...\(config.nHeads - 1)")
            }
            heads.append(HeadIndex(l, h))
        }
        guard !heads.isEmpty else { throw AnalysisError("no heads given: write LAYER.HEAD[,LAYER.HEAD…], e.g. 1.2,0.3") }
        return heads
    }
}
