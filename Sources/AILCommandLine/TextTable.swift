/// A plain-text table whose columns are as wide as their widest cell, so no value is ever cut:
/// a p-value of 2.8e-176 printed in a fixed 11-character column reads as 2.8e-17, which is a
/// different claim. Text columns are left-aligned, number columns right-aligned, two spaces apart.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    /// A table with these headers; `numeric` names the columns to right-align (default: every
    /// column but the first).
    init(_ headers: [String], numeric: Set<Int>? = nil) {
        self.headers = headers
        let right = numeric ?? Set(headers.indices.dropFirst())
        alignments = headers.indices.map { right.contains($0) ? .right : .left }
    }

    /// Adds a row; a short row is filled with empty cells, a long one keeps only the table's columns.
    mutating func append(_ cells: [String]) {
        rows.append(headers.indices.map { $0 < cells.count ? cells[$0] : "" })
    }

    /// The header line and one line per row, without trailing spaces.
    var lines: [String] {
        let widths = headers.indices.map { c in ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let text = cells.indices.map { c -> String in
                let fill = String(repeating: " ", count: widths[c] - cells[c].count)
                return alignments[c] == .right ? fill + cells[c] : cells[c] + fill
            }.joined(separator: "  ")
            var end = text.endIndex
            while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
            return String(text[..<end])
        }
        return [line(headers)] + rows.map(line)
    }

    var text: String { lines.joined(separator: "\n") }
}
