import Foundation

/// The one ISO-8601 reader and writer of the program: strict date-times with a time zone,
/// `2024-03-01T08:00:00Z`, `2024-03-01T09:00:00.250+01:00`, `…+0100`, `…+01`. Fractional seconds
/// are optional. Only instants in the supported range (the years 1970–9999, UTC) are accepted:
/// every time that enters the program (`--now`, `INTERP_NOW`, review logs) is read here, and every
/// time the progress store writes is checked with `isSupported`.
public enum ISO8601Timestamp {
    /// Why a text is not a supported instant.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not a complete ISO-8601 date-time with a zone.
        case malformed
        /// A well-formed date-time outside the years 1970–9999.
        case outOfRange

        /// Completes "'<text>' …" in a one-line message.
        public var description: String {
            switch self {
            case .malformed: "is not an ISO-8601 date-time with Z or an offset, such as 2026-01-31T09:00:00Z"
            case .outOfRange: "is outside the supported years \(ISO8601Timestamp.supportedYears)"
            }
        }
    }

    /// The supported years, as messages name them.
    public static let supportedYears = "1970–9999"
    /// 1970-01-01T00:00:00Z, the first supported instant.
    public static let earliest = Date(timeIntervalSince1970: 0)
    /// 10000-01-01T00:00:00Z, the first instant past the supported range.
    public static let end = Date(timeIntervalSince1970: 253_402_300_800)

    /// Whether `date` lies in the years 1970–9999 (UTC).
    public static func isSupported(_ date: Date) -> Bool {
        date >= earliest && date < end
    }

    /// The instant `text` names, or nil when it is malformed or outside the supported range.
    public static func parse(_ text: String) -> Date? {
        try? read(text)
    }

    /// The instant `text` names; throws whether it is malformed or out of range.
    public static func read(_ text: String) throws(Problem) -> Date {
        var scanner = DigitScanner(Array(text.utf8))
        // Years of more than four digits are read so that they can be refused as out of range.
        let yearDigits = scanner.digitRun()
        guard yearDigits.count >= 4, scanner.take("-"),
              let month = scanner.number(digits: 2), scanner.take("-"),
              let day = scanner.number(digits: 2),
              scanner.take("T") || scanner.take("t") || scanner.take(" "),
              let hour = scanner.number(digits: 2), scanner.take(":"),
              let minute = scanner.number(digits: 2), scanner.take(":"),
              let second = scanner.number(digits: 2)
        else { throw .malformed }
        let year = yearDigits.count > 9 ? Int.max / 2 : yearDigits.reduce(0) { $0 * 10 + $1 }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { throw .malformed }

        var fraction = 0.0
        if scanner.take(".") || scanner.take(",") {
            let digits = scanner.digitRun()
            guard !digits.isEmpty else { throw .malformed }
            var scale = 0.1
            for digit in digits.prefix(9) {
                fraction += Double(digit) * scale
                scale /= 10
            }
        }
        guard let offset = scanner.zoneOffsetSeconds(), scanner.atEnd else { throw .malformed }
        // Far years are refused before the day count, which they would overflow.
        guard (1969...10_000).contains(year) else { throw .outOfRange }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second) - Double(offset)
        let date = Date(timeIntervalSince1970: seconds + fraction)
        guard isSupported(date) else { throw .outOfRange }
        return date
    }

    /// `date` in UTC, as `2024-03-01T08:00:00Z`, with milliseconds when they are not zero.
    public static func string(from date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite, abs(millis) < 1e16 else { return "invalid-date" }  // ± about 300,000 years
        let total = Int64(millis)
        let (dayCount, dayMillis) = floorDivide(total, by: 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: dayCount)
        let hour = dayMillis / 3_600_000
        let minute = dayMillis / 60_000 % 60
        let second = dayMillis / 1000 % 60
        let milli = dayMillis % 1000
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if milli != 0 { text += "." + pad(milli, 3) }
        return text + "Z"
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian)

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given date, counting eras of 400 years (146,097 days) from
    /// 0000-03-01 so that the leap day falls at the end of each year.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)  // March = 0
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468  // 719,468 days from 0000-03-01 to 1970-01-01
    }

    /// The inverse of `daysSinceEpoch`.
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, by divisor: Int64) -> (Int64, Int64) {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads fixed-width digit groups and single characters from UTF-8 bytes.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else {
            return false
        }
        index += 1
        return true
    }

    mutating func number(digits count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += count
        return value
    }

    mutating func digitRun() -> [Int] {
        var digits: [Int] = []
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            digits.append(Int(bytes[index] - 0x30))
            index += 1
        }
        return digits
    }

    /// `Z`, `±HH:MM`, `±HHMM` or `±HH`, as seconds east of UTC.
    mutating func zoneOffsetSeconds() -> Int? {
        if take("Z") || take("z") { return 0 }
        let sign: Int
        if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), hours < 24 else { return nil }
        var minutes = 0
        if take(":") {
            guard let value = number(digits: 2) else { return nil }
            minutes = value
        } else if !atEnd {
            guard let value = number(digits: 2) else { return nil }
            minutes = value
        }
        guard minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
