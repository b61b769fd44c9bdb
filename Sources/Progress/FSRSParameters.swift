/// The 21 FSRS-6 model weights w0…w20 and the bounds the reference implementation accepts.
public enum FSRSParameters {
    /// The default weights of py-fsrs 6.x and fsrs-rs.
    public static let defaults: [Double] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]

    /// The smallest stability a card can have, in days.
    static let minimumStability = 0.001

    /// Inclusive lower bounds of w0…w20.
    static let lowerBounds: [Double] = [
        minimumStability, minimumStability, minimumStability, minimumStability, 1.0, 0.001,
        0.001, 0.001, 0.0, 0.0, 0.001, 0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
    ]

    /// Inclusive upper bounds of w0…w20.
    static let upperBounds: [Double] = [
        100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0,
        1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
    ]

    /// Checks the count and the bounds of `weights`; returns the first problem found.
    static func validate(_ weights: [Double]) -> FSRSConfigurationError? {
        guard weights.count == defaults.count else {
            return .parameterCount(weights.count)
        }
        for (index, weight) in weights.enumerated()
        where !(weight.isFinite && lowerBounds[index] <= weight && weight <= upperBounds[index]) {
            return .parameterOutOfBounds(index: index, value: weight,
                                         lower: lowerBounds[index], upper: upperBounds[index])
        }
        return nil
    }
}

/// A scheduler configuration that FSRS cannot work with.
public enum FSRSConfigurationError: Error, Equatable, CustomStringConvertible {
    case parameterCount(Int)
    case parameterOutOfBounds(index: Int, value: Double, lower: Double, upper: Double)
    case desiredRetention(Double)
    case maximumInterval(Int)
    case step(kind: String, value: Double)

    public var description: String {
        switch self {
        case .parameterCount(let count):
            "FSRS parameters: expected 21 weights, got \(count)"
        case .parameterOutOfBounds(let index, let value, let lower, let upper):
            "FSRS parameters: w\(index) = \(value) is outside [\(lower), \(upper)]"
        case .desiredRetention(let value):
            "desired retention must be strictly between 0 and 1, got \(value)"
        case .maximumInterval(let value):
            "maximum interval must be at least 1 day, got \(value)"
        case .step(let kind, let value):
            "\(kind) steps must be positive numbers of seconds, got \(value)"
        }
    }
}
