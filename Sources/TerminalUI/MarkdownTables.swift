@preconcurrency import CCmark

/// GFM tables, laid out by `TextTable` with box drawing inside the width budget.
extension MarkdownRenderContext {
    func renderTable(_ node: MarkdownNode, width: Int) -> [String] {
        var headers: [String] = []
        var rows: [[String]] = []
        for (r, row) in node.children.enumerated() {
            let cells = row.children.map { inlineText($0) }
            if r == 0, row.isTableHeaderRow { headers = cells } else { rows.append(cells) }
        }
        let table = TextTable(headers: headers, rows: rows, alignments: node.tableAlignments, boxed: true)
        return table.renderLines(maxWidth: width, color: color)
    }
}
