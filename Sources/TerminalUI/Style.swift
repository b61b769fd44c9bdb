#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether output may carry ANSI escape codes. Decided once per process from `--color`,
/// `NO_COLOR` and whether stdout is a terminal, then passed down as a plain value.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never

    /// Resolves `auto`: colour only on a TTY and never when `NO_COLOR` is set (to any value).
    public func enabled(isTTY: Bool = Terminal.stdoutIsTTY,
                        environment: [String: String] = Terminal.environment) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return isTTY && environment["NO_COLOR"] == nil
        }
    }
}

/// Facts about the terminal the process runs in.
public enum Terminal {
    public static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    public static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }
    public static var environment: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    /// Columns of the terminal on stdout, or nil when stdout is not a terminal.
    public static var columns: Int? {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        if let c = environment["COLUMNS"], let n = Int(c), n > 0 { return n }
        return nil
    }

    /// Rows of the terminal on stdout, or nil when stdout is not a terminal.
    public static var rows: Int? {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 { return Int(ws.ws_row) }
        return nil
    }
}

/// An SGR text style. `Style.plain` renders nothing; styles combine with `+`.
public struct Style: Sendable, Hashable {
    public var codes: [String]
    public init(_ codes: [String] = []) { self.codes = codes }

    public static let plain = Style()
    public static let bold = Style(["1"])
    public static let dim = Style(["2"])
    public static let italic = Style(["3"])
    public static let underline = Style(["4"])
    public static let inverse = Style(["7"])
    public static let strikethrough = Style(["9"])
    public static let red = Style(["31"]), green = Style(["32"]), yellow = Style(["33"])
    public static let blue = Style(["34"]), magenta = Style(["35"]), cyan = Style(["36"])
    public static let gray = Style(["90"])

    /// 24-bit foreground / background colours.
    public static func rgb(_ r: Int, _ g: Int, _ b: Int) -> Style { Style(["38;2;\(r);\(g);\(b)"]) }
    public static func background(_ r: Int, _ g: Int, _ b: Int) -> Style { Style(["48;2;\(r);\(g);\(b)"]) }
    /// 256-colour palette foreground / background.
    public static func palette(_ n: Int) -> Style { Style(["38;5;\(n)"]) }
    public static func paletteBackground(_ n: Int) -> Style { Style(["48;5;\(n)"]) }

    public static func + (a: Style, b: Style) -> Style { Style(a.codes + b.codes) }

    /// `text` wrapped in this style's escape codes when `enabled`, else `text` unchanged.
    public func apply(_ text: String, enabled: Bool) -> String {
        guard enabled, !codes.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + codes.joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}
