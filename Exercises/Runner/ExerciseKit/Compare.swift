// Readable comparisons: shapes, the first differing element with its index, expected vs got.
import Foundation
import Tensor

public enum Compare {
    /// Absolute tolerance plus a relative one, for float32 results computed in a different order.
    public static func close(_ got: Float, _ expected: Float, atol: Float = 1e-4, rtol: Float = 1e-3) -> Bool {
        if got.isNaN || expected.isNaN { return got.isNaN && expected.isNaN }
        return abs(got - expected) <= atol + rtol * abs(expected)
    }

    /// Passes when `got` equals `expected` within tolerance; otherwise throws a failure naming the
    /// shapes or the first differing element.
    @discardableResult
    public static func tensors(_ got: Tensor, _ expected: Tensor, what: String, atol: Float = 1e-4, rtol: Float = 1e-3) throws -> String {
        guard got.shape == expected.shape else {
            throw CaseFailure("\(what): expected shape \(expected.shape), got \(got.shape)")
        }
        for i in 0..<expected.count where !close(got.scalars[i], expected.scalars[i], atol: atol, rtol: rtol) {
            let index = unflatten(i, shape: expected.shape)
            let wrong = zip(got.scalars, expected.scalars).filter { !close($0, $1, atol: atol, rtol: rtol) }.count
            throw CaseFailure("\(what): element \(index) expected \(format(expected.scalars[i])), got \(format(got.scalars[i])) (\(wrong) of \(expected.count) elements differ)")
        }
        return "\(what): all \(expected.count) elements match (shape \(expected.shape))"
    }

    /// Passes when two numbers agree within tolerance.
    @discardableResult
    public static func scalar(_ got: Float, _ expected: Float, what: String, atol: Float = 1e-4, rtol: Float = 1e-3) throws -> String {
        guard close(got, expected, atol: atol, rtol: rtol) else {
            throw CaseFailure("\(what): expected \(format(expected)), got \(format(got))")
        }
        return "\(what) = \(format(expected))"
    }

    public static func format(_ x: Float) -> String { String(format: "%.6g", Double(x)) }

    static func unflatten(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
