import Foundation

/// Whole days from `start` to `end`, rounded down (towards the past), computed on microseconds
/// as Python's `timedelta.days` does, so a difference of exactly N days never becomes N − 1
/// through floating-point error. Far-out-of-range dates saturate instead of trapping.
func wholeDays(from start: Date, to end: Date) -> Int {
    let microseconds = (end.timeIntervalSince(start) * 1_000_000).rounded()
    let limit = 9.0e18
    guard microseconds.isFinite, abs(microseconds) < limit else {
        return microseconds > 0 ? Int.max / 2 : Int.min / 2
    }
    let micros = Int64(microseconds)
    let perDay: Int64 = 86_400_000_000
    let (quotient, remainder) = micros.quotientAndRemainder(dividingBy: perDay)
    return Int(remainder < 0 ? quotient - 1 : quotient)
}

/// Seconds in a day.
let secondsPerDay: TimeInterval = 86_400
