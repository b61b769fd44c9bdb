// A deterministic seeded RNG (xoshiro256** seeded through SplitMix64) and random tensors.
import Foundation

/// A seeded pseudo-random generator that gives the same numbers on every platform.
///
/// The state is xoshiro256** (Blackman & Vigna), seeded by expanding the 64-bit seed with
/// SplitMix64. Uniform floats use the top 24 bits; normals use Box–Muller in Double precision,
/// rounded to Float. Conforms to `RandomNumberGenerator`, but prefer the methods here over the
/// standard library's `random(in:using:)`, whose mapping from bits to values may change.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double?

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Float in [0, 1), a multiple of 2⁻²⁴.
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Float in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// A uniform Double in [0, 1), a multiple of 2⁻⁵³.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal sample (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func normal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return Float(spare)
        }
        // 1 - u lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - uniformDouble()
        let u2 = uniformDouble()
        let radius = (-2.0 * Foundation.log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * Foundation.sin(angle)
        return Float(radius * Foundation.cos(angle))
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Float, std: Float) -> Float { mean + std * normal() }

    /// A uniform integer in `range` (unbiased: rejection sampling on 64-bit draws).
    /// - Precondition: the range is not empty.
    public mutating func randint(_ range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "randint: empty range \(range)")
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        // Reject the top partial block so every residue is equally likely.
        let limit = UInt64.max - (UInt64.max % width + 1) % width
        var draw = next()
        while draw > limit { draw = next() }
        return range.lowerBound &+ Int(truncatingIfNeeded: draw % width)
    }

    /// A uniform integer in the closed range.
    public mutating func randint(_ range: ClosedRange<Int>) -> Int {
        randint(range.lowerBound..<(range.upperBound + 1))
    }

    /// Shuffles `array` in place (Fisher–Yates with `randint`).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = randint(0..<(i + 1))
            if i != j { array.swapAt(i, j) }
        }
    }

    /// A random element, or nil for an empty collection.
    public mutating func element<T>(of array: [T]) -> T? {
        array.isEmpty ? nil : array[randint(0..<array.count)]
    }
}

extension Tensor {
    /// Normal samples with the given mean and standard deviation.
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout SeededRandom
    ) -> Tensor {
        make(shape: shape) { out in
            for i in out.indices { out[i] = mean + std * rng.normal() }
        }
    }

    /// Uniform samples in [low, high).
    public static func randomUniform(
        _ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout SeededRandom
    ) -> Tensor {
        make(shape: shape) { out in
            for i in out.indices { out[i] = rng.uniform(low, high) }
        }
    }
}
