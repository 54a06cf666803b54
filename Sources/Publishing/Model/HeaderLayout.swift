import Profile

/// The column header of a table as a grid of merged cells, computed once in Swift so the Excel and HTML outputs merge
/// exactly the same spanners and the templates need no logic.
///
/// Row 0 holds the outermost spanners. A spanner is merged across neighbouring columns whose spanners are equal at its
/// depth *and at every depth above it*, so a "Jumlah/Total" under "Laki-laki" never merges with one under "Perempuan".
/// A leaf column with fewer spanners than the deepest column reaches down to the last header row.
/// The stub header is not part of the grid: it spans all `rowCount` rows to the left.
struct HeaderLayout: Sendable, Hashable {
    struct Cell: Sendable, Hashable {
        var label: Bilingual
        /// Header row (0-based) and leaf column (0-based, stub excluded) of the top-left corner.
        var row: Int
        var column: Int
        var rowSpan: Int
        var columnSpan: Int
        /// Leaf labels head a single column (`scope="col"`); spanners head a group (`scope="colgroup"`).
        var isLeaf: Bool
    }

    /// Number of header rows (deepest spanner chain + the leaf row); at least 1.
    let rowCount: Int
    /// Cells of each header row, left to right.
    let rows: [[Cell]]

    init(columns: [DisplayColumn]) {
        let depth = columns.map(\.spanners.count).max() ?? 0
        var rows: [[Cell]] = Array(repeating: [], count: depth + 1)
        for d in 0..<depth {
            var start = 0
            while start < columns.count {
                let column = columns[start]
                guard column.spanners.count > d else { start += 1; continue }
                let prefix = column.spanners[0...d]
                var end = start + 1
                while end < columns.count, columns[end].spanners.count > d, columns[end].spanners[0...d] == prefix {
                    end += 1
                }
                rows[d].append(Cell(label: column.spanners[d], row: d, column: start, rowSpan: 1,
                                    columnSpan: end - start, isLeaf: false))
                start = end
            }
        }
        for (index, column) in columns.enumerated() {
            let row = column.spanners.count
            rows[row].append(Cell(label: column.label, row: row, column: index, rowSpan: depth - row + 1,
                                  columnSpan: 1, isLeaf: true))
        }
        self.rowCount = depth + 1
        self.rows = rows.map { $0.sorted { $0.column < $1.column } }
    }

    /// The one-row header a pipe table needs: each leaf label prefixed by its spanners, "Perempuan: Jumlah".
    static func flattenedLabel(_ column: DisplayColumn, _ language: Language) -> String {
        (column.spanners + [column.label]).map { LabelText.line($0, language) }.joined(separator: ": ")
    }
}
