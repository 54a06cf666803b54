/// A plain workbook of record-level lists (restricted output for field verification): one sheet per list,
/// a bold header row, every value written as text — identifiers keep their leading digits and a name that
/// starts with `=` stays a name, never a formula.
public enum RecordListWorkbook {
    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[String]]
        public init(name: String, header: [String], rows: [[String]]) { self.name = name; self.header = header; self.rows = rows }
    }

    public static func write(_ sheets: [Sheet], to path: String) throws {
        let book = try XlsxWorkbook(path: path)
        try book.setProperties(title: "regtab restricted record lists", subject: "Restricted: contains personal data",
                               comments: "Not for publication", created: 1_665_792_000)
        var bold = XlsxStyle(); bold.bold = true
        for sheet in sheets {
            let ws = try book.addSheet(named: String(sheet.name.prefix(31)))
            for (c, h) in sheet.header.enumerated() { try ws.string(0, c, h, bold) }
            for (r, row) in sheet.rows.enumerated() {
                for (c, v) in row.enumerated() where !v.isEmpty { try ws.string(r + 1, c, v) }
            }
            ws.freeze(row: 1, column: 0)
            try ws.columnWidth(0, max(0, sheet.header.count - 1), 18)
        }
        try book.close()
    }
}
