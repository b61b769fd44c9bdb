// A head of the model, and the one parser of head names: `1.2` and TransformerLens's `L1H2`.
import Foundation
import Tensor
import Transformer

/// A head of the model: `layer.head`, as in "1.2".
public struct HeadIndex: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var layer: Int
    public var head: Int

    public init(_ layer: Int, _ head: Int) {
        self.layer = layer
        self.head = head
    }

    /// "1.2", as the commands and the lessons write heads.
    public var description: String { "\(layer).\(head)" }

    /// "L1H2", as TransformerLens labels a head's component of the residual stream.
    public var label: String { "L\(layer)H\(head)" }

    public static func < (a: HeadIndex, b: HeadIndex) -> Bool { (a.layer, a.head) < (b.layer, b.head) }

    /// One head written `LAYER.HEAD` (`1.2`) or `L<layer>H<head>` (`L1H2`, any case), surrounding
    /// white space ignored; nil when the text is neither.
    public init?(_ text: some StringProtocol) {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts: [Substring]
        if s.hasPrefix("L"), let h = s.firstIndex(of: "H") {
            parts = [s[s.index(after: s.startIndex)..<h], s[s.index(after: h)...]]
        } else {
            parts = s.split(separator: ".", omittingEmptySubsequences: false)
        }
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let layer = Int(parts[0]), let head = Int(parts[1]) else { return nil }
        self.init(layer, head)
    }

    /// Checks that the model has this head.
    /// - Throws: `AnalysisError` naming the valid layers and heads.
    public func check(in config: ModelConfig) throws(AnalysisError) {
        guard layer >= 0 && layer < config.nLayers && head >= 0 && head < config.nHeads else {
            throw AnalysisError("head \(self) is outside the model: \(Self.range(config))")
        }
    }

    /// Parses a list of heads separated by commas or white space (`"1.2,0.3"`, `"L1H2 L0H3"`), checked
    /// against the model. A head listed twice counts once (its first place is kept).
    /// - Throws: `AnalysisError` for a malformed item, a head outside the model (naming the valid
    ///   range) or an empty list.
    public static func parseList(_ text: String, config: ModelConfig) throws(AnalysisError) -> [HeadIndex] {
        var heads: [HeadIndex] = []
        for item in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            guard let head = HeadIndex(item) else {
                throw AnalysisError("head '\(item)' is not LAYER.HEAD (e.g. 1.2 or L1H2); \(range(config))")
            }
            try head.check(in: config)
            heads.append(head)
        }
        guard !heads.isEmpty else { throw AnalysisError("no heads given: write LAYER.HEAD[,LAYER.HEAD…], e.g. 1.2,0.3") }
        return unique(heads)
    }

    /// `heads` without repeats, in the order of their first appearance.
    public static func unique(_ heads: [HeadIndex]) -> [HeadIndex] {
        var seen = Set<HeadIndex>()
        return heads.filter { seen.insert($0).inserted }
    }

    /// Every head of the model, layer by layer.
    public static func all(_ config: ModelConfig) -> [HeadIndex] {
        (0..<config.nLayers).flatMap { l in (0..<config.nHeads).map { HeadIndex(l, $0) } }
    }

    /// The heads of a `[layer, head]` tensor with their values, highest first (ties: lower head first).
    public static func ranked(_ values: Tensor) -> [(head: HeadIndex, value: Float)] {
        let heads = values.rank == 2 ? values.shape[1] : 1
        let scalars = values.scalars
        return scalars.indices
            .sorted { scalars[$0] != scalars[$1] ? scalars[$0] > scalars[$1] : $0 < $1 }
            .map { (HeadIndex($0 / heads, $0 % heads), scalars[$0]) }
    }

    /// "layers 0...2, heads 0...3".
    static func range(_ config: ModelConfig) -> String {
        "layers 0...\(config.nLayers - 1), heads 0...\(config.nHeads - 1)"
    }
}
