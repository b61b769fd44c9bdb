/// Footnote definitions, collected during the walk and printed at the end under a short rule,
/// each as `[N] text` with a hanging indent. cmark-gfm numbers references by first use and moves
/// the used definitions to the end of the document in that order, so definition k is note k.
extension MarkdownRenderContext {
    static let footnoteRuleWidth = 20

    func renderFootnotes(width: Int) -> [String] {
        guard !footnoteDefinitions.isEmpty else { return [] }
        var lines = [styled(String(repeating: MarkdownGlyphs.rule, count: min(width, Self.footnoteRuleWidth)), MarkdownTheme.rule)]
        let numberWidth = String(footnoteDefinitions.count).count
        var index = 0
        // Rendering a definition may collect more (nested ones); the loop picks them up too.
        while index < footnoteDefinitions.count {
            let definition = footnoteDefinitions[index]
            index += 1
            let number = String(index)
            let label = "[" + number + "]"
            let marker = String(repeating: " ", count: max(0, numberWidth - number.count)) + label
            let indent = displayWidth(marker) + 1
            let body = renderBlocks(definition, width: max(1, width - indent))
            let styledMarker = styled(marker, MarkdownTheme.footnoteReference)
            lines.append(body.first.map { $0.isEmpty ? styledMarker : styledMarker + " " + $0 } ?? styledMarker)
            let pad = String(repeating: " ", count: indent)
            lines += body.dropFirst().map { $0.isEmpty ? "" : pad + $0 }
        }
        return lines
    }
}
