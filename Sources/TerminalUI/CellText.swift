/// Fitting text into terminal cells: width, truncation with an ellipsis, padding (labels are made
/// safe with `TerminalText.line`).
public enum CellText {
    /// Terminal columns `text` occupies (escape sequences count 0).
    public static func width(_ text: String) -> Int { displayWidth(text) }

    /// `text` cut to at most `width` columns, ending in `…` when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard self.width(text) > width else { return text }
        var out = "", used = 0
        for character in text {
            let w = self.width(String(character))
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// `text` truncated to `width` and padded with spaces on the right to exactly `width` columns.
    public static func padRight(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - self.width(cut)))
    }

    /// `text` truncated to `width` and padded with spaces on the left to exactly `width` columns.
    public static func padLeft(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return String(repeating: " ", count: max(0, width - self.width(cut))) + cut
    }

    /// `value` with two decimals ("nan", "inf" and "-inf" for the others; never "-0.00").
    public static func number(_ value: Double, decimals: Int = 2) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let text = String(format: "%.\(max(0, decimals))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }
}
