// AnalysisResult: the one JSON shape every analysis prints with --json (DESIGN.md).
import Foundation
import Tensor

/// A JSON value for the extra fields of an analysis (baselines, top tokens, notes).
public enum AnalysisField: Sendable, Equatable, Encodable {
    case number(Double)
    case string(String)
    case array([AnalysisField])
    case object([String: AnalysisField])

    /// An array of numbers.
    public static func numbers<T: BinaryFloatingPoint>(_ values: [T]) -> AnalysisField { .array(values.map { .number(Double($0)) }) }
    /// An array of integers.
    public static func integers(_ values: [Int]) -> AnalysisField { .array(values.map { .number(Double($0)) }) }
    /// An array of strings.
    public static func strings(_ values: [String]) -> AnalysisField { .array(values.map { .string($0) }) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x.isFinite ? x : 0)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// The result of an analysis: values over named axes, with labels per axis, ready to draw or to
/// print as `{"kind", "model", "shape", "axes", "labels": {axis: [..]}, "values", ...extra}` where
/// `values` is nested arrays matching `shape`.
public struct AnalysisResult: Sendable, Equatable, Encodable {
    /// What was computed, e.g. `"attention"`, `"dla"`, `"patching.resid_pre"`.
    public var kind: String
    /// The model's name.
    public var model: String
    /// Axis names in order, e.g. `["layer", "head"]`.
    public var axes: [String]
    /// Values, row-major over `axes`.
    public var values: Tensor
    /// One label per index of each axis.
    public var labels: [String: [String]]
    /// Extra top-level fields (metric baselines, top tokens, …).
    public var extra: [String: AnalysisField]

    /// A result; `labels` default to "0", "1", … for any axis not given.
    public init(kind: String, model: String, axes: [String], values: Tensor,
                labels: [String: [String]] = [:], extra: [String: AnalysisField] = [:]) {
        self.kind = kind
        self.model = model
        self.axes = axes
        self.values = values
        var all = labels
        for (i, axis) in axes.enumerated() where all[axis] == nil && i < values.rank {
            all[axis] = (0..<values.shape[i]).map(String.init)
        }
        self.labels = all
        self.extra = extra
    }

    /// The shape of `values`.
    public var shape: [Int] { values.shape }

    /// The values as a matrix `[rows][columns]` when the result has two axes (else one row).
    public var matrix: [[Float]] { LabelledMatrix.rows(of: values) }

    /// Labels of an axis (empty when the axis is unknown).
    public func labels(_ axis: String) -> [String] { labels[axis] ?? [] }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in extra where !["kind", "model", "shape", "axes", "labels", "values"].contains(k) {
            try c.encode(v, forKey: Key(k))
        }
        try c.encode(kind, forKey: Key("kind"))
        try c.encode(model, forKey: Key("model"))
        try c.encode(shape, forKey: Key("shape"))
        try c.encode(axes, forKey: Key("axes"))
        try c.encode(labels, forKey: Key("labels"))
        try c.encode(AnalysisResult.nested(values.scalars, shape: values.shape), forKey: Key("values"))
    }

    /// Row-major scalars as nested arrays matching `shape` (NaN and infinities become 0: JSON has none).
    static func nested(_ scalars: [Float], shape: [Int]) -> AnalysisField {
        guard let first = shape.first else { return .number(Double(scalars.first ?? 0)) }
        if shape.count == 1 { return .numbers(scalars) }
        let stride = shape.dropFirst().reduce(1, *)
        return .array((0..<first).map { i in
            nested(Array(scalars[(i * stride)..<((i + 1) * stride)]), shape: Array(shape.dropFirst()))
        })
    }
}

/// A typed analysis result whose public JSON form is an `AnalysisResult`: encoding one encodes that.
public protocol AnalysisOutput: Encodable, Sendable {
    /// The result in the public form `{kind, model, shape, labels, values, …}`.
    var publicForm: AnalysisResult { get }
}

extension AnalysisOutput {
    public func encode(to encoder: Encoder) throws { try publicForm.encode(to: encoder) }
}

/// A matrix with a label per row and per column: what a heatmap of a result draws.
public struct LabelledMatrix: Sendable, Equatable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `[row][column]`.
    public var rows: [[Float]]

    public init(rows: [[Float]], rowLabels: [String], columnLabels: [String]) {
        self.rows = rows
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
    }

    /// A rank-2 tensor with its labels.
    public init(_ values: Tensor, rowLabels: [String], columnLabels: [String]) {
        self.init(rows: Self.rows(of: values), rowLabels: rowLabels, columnLabels: columnLabels)
    }

    /// A `[layer, head]` tensor, rows labelled `L0`, `L1`, … and columns `H0`, `H1`, ….
    public static func heads(_ values: Tensor) -> LabelledMatrix {
        let (layers, heads) = values.rank == 2 ? (values.shape[0], values.shape[1]) : (1, values.count)
        return LabelledMatrix(values, rowLabels: layerLabels(layers), columnLabels: headLabels(heads))
    }

    /// `L0`, `L1`, …: one label per layer.
    public static func layerLabels(_ count: Int) -> [String] { (0..<count).map { "L\($0)" } }

    /// `H0`, `H1`, …: one label per head of a layer.
    public static func headLabels(_ count: Int) -> [String] { (0..<count).map { "H\($0)" } }

    /// The rows of a rank-2 tensor (a tensor of another rank is one row).
    static func rows(of values: Tensor) -> [[Float]] {
        values.withUnsafeBufferPointer { p in
            guard values.rank == 2 else { return [Array(p)] }
            let cols = values.shape[1]
            return (0..<values.shape[0]).map { Array(p[($0 * cols)..<(($0 + 1) * cols)]) }
        }
    }
}

/// Position labels `"i:token"` for a token sequence.
public func positionLabels(_ tokens: [String]) -> [String] {
    tokens.enumerated().map { "\($0.offset):\($0.element)" }
}
