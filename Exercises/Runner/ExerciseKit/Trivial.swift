// What a case must not accept: answers a learner could give without doing the work.
import Foundation
import Tensor

/// The answers a case rejects its inputs for: a case is redrawn (`CheckContext.draw`) until its
/// expected answer is far from each of them, so no stub or constant passes by accident.
public enum Trivial {
    /// 0, 1, −1, and the numbers given to the function (`return patched`).
    public static func numbers(inputs: [Float] = []) -> [Float] { [0, 1, -1] + inputs }

    /// Whether `expected` is close to a trivial number: within ten times the tolerance the
    /// comparison allows (`Compare.close`).
    public static func isNear(_ expected: Float, _ candidates: [Float], atol: Float = 1e-4, rtol: Float = 1e-3) -> Bool {
        !expected.isFinite || candidates.contains { Compare.close($0, expected, atol: 10 * atol, rtol: 10 * rtol) }
    }

    /// Whether `expected` is far from 0, ±1 and `inputs`.
    public static func farFromTrivial(_ expected: Float, inputs: [Float] = [], atol: Float = 1e-4, rtol: Float = 1e-3) -> Bool {
        !isNear(expected, numbers(inputs: inputs), atol: atol, rtol: rtol)
    }

    /// Whether a tensor answer could be given without the work: every element near one number
    /// (zeros, a constant), or equal to one of the inputs of its shape.
    public static func isTrivial(_ expected: Tensor, inputs: [Tensor] = [], atol: Float = 1e-4, rtol: Float = 1e-3) -> Bool {
        guard let first = expected.scalars.first else { return true }
        if expected.scalars.contains(where: { !$0.isFinite }) { return true }
        if expected.scalars.allSatisfy({ Compare.close($0, first, atol: 10 * atol, rtol: 10 * rtol) }) { return true }
        return inputs.contains { input in
            input.shape == expected.shape && zip(input.scalars, expected.scalars).allSatisfy { Compare.close($0, $1, atol: atol, rtol: rtol) }
        }
    }
}
