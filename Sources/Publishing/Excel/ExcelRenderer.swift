import Profile
import Tabulation

/// Writes a `ReportDocument` as an Excel workbook for BPS staff: a contents sheet, one sheet per table laid out like a
/// printed BPS table, and a notes sheet with the record accounting.
///
/// Body values are real numbers (so staff can re-use them in formulas) with a number format; Excel shows the digit
/// grouping of the reader's own locale, which is why no Indonesian formatting is applied here. Zero is kept as the
/// number 0 and displayed as the BPS dash through the format's zero section. Every text from the data or the spec is
/// written with `worksheet_write_string`, never as a formula.
public enum ExcelRenderer {
    /// Fixed creation time (2022-10-15T00:00:00Z, first day of Regsosek fieldwork) written into docProps/core.xml so two
    /// runs on the same input give byte-identical files.
    static let fixedCreationTime = 1_665_792_000

    /// Writes the workbook: the cover with contents, the briefing sheet (when the document has a briefing), one sheet
    /// per table, the chart sheet (when it has charts) and the notes sheet, styled by `layout`
    /// (`Templates/excel/layout.yml`; the default is the built-in look).
    public static func write(_ doc: ReportDocument, to path: String, layout: ExcelLayout = .standard) throws {
        let book = try XlsxWorkbook(path: path)
        book.fontName = layout.fontName
        book.fontSize = layout.fontSize
        let language = doc.language
        try book.setProperties(title: LabelText.line(doc.title, language), subject: LabelText.line(doc.subtitle, language),
                               comments: doc.provenance, created: fixedCreationTime)

        var naming = SheetNaming()
        let contentsName = naming.name(for: LabelText.line(ReportLabels.contents, language, separator: "-"))
        let notesName = naming.name(for: LabelText.line(ReportLabels.notes, language, separator: "-"))
        let briefingName = doc.briefing.map { _ in naming.name(for: LabelText.line(Briefing.Labels.sheet, language, separator: "-")) }
        let chartsName = doc.charts.isEmpty ? nil : naming.name(for: LabelText.line(ReportLabels.charts, language, separator: "-"))
        let tables = doc.allTables
        let tableNames = tables.map { naming.name(for: $0.number.isEmpty ? $0.id : "\($0.number) \($0.id)") }
        let sheets = SheetNames(contents: contentsName, briefing: briefingName, tables: tableNames, charts: chartsName, notes: notesName)

        try writeCover(doc, sheet: try book.addSheet(named: contentsName), names: sheets, layout: layout)
        if let briefing = doc.briefing, let briefingName {
            try writeBriefing(briefing, sheet: try book.addSheet(named: briefingName), layout: layout)
        }
        for (table, name) in zip(tables, tableNames) {
            try writeTable(table, language: language, sheet: try book.addSheet(named: name), layout: layout)
        }
        if let chartsName {
            try writeCharts(doc, sheetName: chartsName, sheet: try book.addSheet(named: chartsName), book: book, layout: layout)
        }
        try writeNotes(doc, sheet: try book.addSheet(named: notesName), layout: layout)
        try book.close()
    }

    /// The sheet names of one workbook, for the cover's contents and links.
    struct SheetNames {
        var contents: String
        var briefing: String?
        var tables: [String]
        var charts: String?
        var notes: String
    }

    // MARK: - Number formats

    /// `#,##0` or `#,##0.0…`, with a zero section showing the BPS dash while the cell keeps the number 0.
    static func numberFormat(_ style: NumberStyle) -> String {
        let body: String
        switch style {
        case .integer: body = "#,##0"
        case .decimal(let n): body = n > 0 ? "#,##0." + String(repeating: "0", count: n) : "#,##0"
        }
        return "\(body);-\(body);\"\(CellSymbols.zero)\""
    }

    // MARK: - Table sheet

    private static func writeTable(_ table: DisplayTable, language: Language, sheet: XlsxSheet, layout look: ExcelLayout) throws {
        let layout = HeaderLayout(columns: table.columns)
        let widths = columnWidths(table, language: language, layout: look)
        for (column, width) in widths.enumerated() { try sheet.columnWidth(column, column, width) }

        var row = try writeStacked(LabelText.numberedTitle(number: table.number, title: table.title), language,
                                   sheet: sheet, row: 0, style: look.apply(look.tableTitle, to: XlsxStyle()))
        if let unit = table.unit {
            try sheet.string(row, 0, LabelText.line(unit, language), XlsxStyle(italic: true))
            row += 1
        }

        // Header: stub header merged down over all header rows, spanners merged across, leaves at the bottom.
        let headerTop = row
        let header = look.apply(look.header, to: XlsxStyle(align: .center, verticalCenter: true, wrap: true, box: true))
        try sheet.merge(headerTop, 0, headerTop + layout.rowCount - 1, 0, headerText(table.stubHeader, language), header)
        var lineCounts = Array(repeating: 1, count: layout.rowCount)
        for cells in layout.rows {
            for cell in cells {
                let text = headerText(cell.label, language)
                try sheet.merge(headerTop + cell.row, 1 + cell.column, headerTop + cell.row + cell.rowSpan - 1,
                                cell.column + cell.columnSpan, text, header)
                if cell.rowSpan == 1 {
                    let width = widths[(1 + cell.column)...(cell.column + cell.columnSpan)].reduce(0, +)
                    lineCounts[cell.row] = max(lineCounts[cell.row], wrappedLineCount(text, width: width))
                }
            }
        }
        // libxlsxwriter cannot auto-fit rows, and Excel does not re-measure on open: size wrapped header rows here.
        for (offset, lines) in lineCounts.enumerated() where lines > 1 {
            try sheet.rowHeight(headerTop + offset, look.headerLineHeight * Double(lines))
        }
        let bodyTop = headerTop + layout.rowCount
        row = bodyTop

        for (rowIndex, displayRow) in table.rows.enumerated() {
            let isLast = rowIndex == table.rows.count - 1
            let isTotal = displayRow.kind == .total
            // Heading and subtotal rows take the layout's subtotal look, the regency total its total look.
            func styled(_ base: XlsxStyle) -> XlsxStyle {
                switch displayRow.kind {
                case .detail: base
                case .heading, .subtotal: look.apply(look.subtotal, to: base)
                case .total: look.apply(look.total, to: base)
                }
            }
            var stub = styled(XlsxStyle(indent: displayRow.level, topBorder: isTotal, bottomBorder: isLast))
            stub.align = .left
            try sheet.string(row, 0, LabelText.line(displayRow.label, language), stub)
            for (column, spec) in table.columns.enumerated() {
                let base = styled(XlsxStyle(topBorder: isTotal, bottomBorder: isLast))
                guard displayRow.kind != .heading, column < displayRow.cells.count else {
                    // Heading rows carry no cells; a blank only keeps the table's bottom rule continuous.
                    if isLast || isTotal { try sheet.blank(row, 1 + column, base) }
                    continue
                }
                try writeCell(displayRow.cells[column], style: spec.style, sheet: sheet, row: row, column: 1 + column, base: base)
            }
            row += 1
        }

        row += 1
        for line in ReportLabels.noteLines(table.notes, language) {
            try sheet.string(row, 0, line)
            row += 1
        }
        try sheet.string(row, 0, ReportLabels.sourceLine(table.source, language))

        sheet.freeze(row: bodyTop, column: 1)
        try sheet.printSetup(repeatRows: headerTop...(bodyTop - 1))
    }

    /// A body cell: a number with the column's format, or the status symbol as right-aligned text.
    static func writeCell(_ cell: DisplayCell, style: NumberStyle, sheet: XlsxSheet, row: Int, column: Int,
                                  base: XlsxStyle) throws {
        if cell.status == .value, let value = cell.value, value.isFinite {
            var numeric = base
            numeric.numberFormat = numberFormat(style)
            try sheet.number(row, column, value, numeric)
        } else {
            var symbol = base
            symbol.align = .right
            try sheet.string(row, column, CellSymbols.symbol(for: cell) ?? CellSymbols.notAvailable, symbol)
        }
    }

    /// Header labels stack the English under the Indonesian inside the cell, as BPS tables do.
    static func headerText(_ label: Bilingual, _ language: Language) -> String {
        let (primary, secondary) = LabelText.parts(label, language)
        return secondary.map { primary + "\n" + $0 } ?? primary
    }

    // MARK: - Notes sheet

    private static func writeNotes(_ doc: ReportDocument, sheet: XlsxSheet, layout: ExcelLayout) throws {
        let language = doc.language
        var row = 0
        try sheet.string(row, 0, LabelText.line(ReportLabels.notes, language, separator: "/"), layout.apply(layout.title, to: XlsxStyle()))
        row += 2
        try sheet.string(row, 0, LabelText.line(ReportLabels.accounting, language, separator: "/"), XlsxStyle(bold: true))
        row += 1
        let head = layout.apply(layout.header, to: XlsxStyle(wrap: true, box: true))
        let heads = [ReportLabels.accountingFile, ReportLabels.accountingKind, ReportLabels.accountingLabel,
                     ReportLabels.accountingCount]
        for (column, label) in heads.enumerated() {
            var style = head
            if column == 3 { style.align = .right }  // over the counts
            try sheet.string(row, column, LabelText.line(label, language, separator: "/"), style)
        }
        row += 1
        for line in doc.accounting {
            try sheet.string(row, 0, line.file)
            try sheet.string(row, 1, LabelText.line(ReportLabels.kind(line.kind), language))
            try sheet.string(row, 2, LabelText.line(line.label, language))
            try sheet.number(row, 3, Double(line.count), XlsxStyle(numberFormat: numberFormat(.integer)))
            row += 1
        }
        if !doc.notes.isEmpty {
            row += 1
            try sheet.string(row, 0, LabelText.line(ReportLabels.generalNotes, language, separator: "/"), XlsxStyle(bold: true))
            row += 1
            for note in doc.notes {
                try sheet.string(row, 0, LabelText.line(note, language))
                row += 1
            }
        }
        row += 1
        try sheet.string(row, 0, ReportLabels.sourceLine(doc.source, language))
        row += 1
        try sheet.string(row, 0, doc.provenance, layout.apply(layout.muted, to: XlsxStyle()))
        // Widths from the longest entry of each accounting column; long notes and source lines overflow to the right.
        let texts: [[String]] = heads.map { [LabelText.line($0, language, separator: "/")] } + [
            doc.accounting.map(\.file),
            doc.accounting.map { LabelText.line(ReportLabels.kind($0.kind), language) },
            doc.accounting.map { LabelText.line($0.label, language) },
            doc.accounting.map { NumberFormatting.format(Double($0.count), style: .integer, language: language) },
        ]
        for column in 0..<4 {
            let longest = (texts[column] + texts[4 + column]).map(\.count).max() ?? 0
            try sheet.columnWidth(column, column, fitted(longest, bold: true, minimum: 10, maximum: column == 2 ? 70 : 40))
        }
        try sheet.printSetup(repeatRows: nil)
    }

    // MARK: - Layout helpers

    /// Writes the primary line, and in `both` the English line beneath it in italics; returns the next free row.
    static func writeStacked(_ text: Bilingual, _ language: Language, sheet: XlsxSheet, row: Int,
                                     style: XlsxStyle) throws -> Int {
        let (primary, secondary) = LabelText.parts(text, language)
        try sheet.string(row, 0, primary, style)
        guard let secondary else { return row + 1 }
        var english = style
        english.italic = true
        try sheet.string(row + 1, 0, secondary, english)
        return row + 2
    }

    /// Column widths in Excel character units: the stub fits its longest label (indentation included), a value column
    /// fits its formatted numbers and the longest line of its leaf label, within limits that keep a sheet printable.
    static func columnWidths(_ table: DisplayTable, language: Language, layout: ExcelLayout = .standard) -> [Double] {
        let stubTexts = table.rows.map { (LabelText.line($0.label, language), $0.level) }
        let stubLongest = stubTexts.map { $0.0.count + 2 * $0.1 }.max() ?? 0
        let stubHeaderLongest = headerText(table.stubHeader, language).split(separator: "\n").map(\.count).max() ?? 0
        let stub = min(max(Double(max(stubLongest, stubHeaderLongest)), layout.stubWidth.min), layout.stubWidth.max) + 2
        let values = table.columns.enumerated().map { index, column -> Double in
            let leaf = headerText(column.label, language).split(separator: "\n").map(\.count).max() ?? 0
            let numbers = table.rows.compactMap { row -> Int? in
                guard index < row.cells.count else { return nil }
                return NumberFormatting.format(row.cells[index], style: column.style, language: language).count
            }.max() ?? 0
            return min(max(Double(max(leaf, numbers + 2)), layout.valueWidth.min), layout.valueWidth.max) + 2
        }
        return [stub] + values
    }

    /// A column width for text of `characters` characters: Excel's unit is the width of a "0" in the default font,
    /// and bold text needs roughly a tenth more.
    static func fitted(_ characters: Int, bold: Bool, minimum: Int, maximum: Int) -> Double {
        let width = Double(characters) * (bold ? 1.1 : 1.0) + 2
        return min(max(width, Double(minimum)), Double(maximum)).rounded(.up)
    }

    /// Lines a wrapped header text needs in a cell `width` characters wide.
    static func wrappedLineCount(_ text: String, width: Double) -> Int {
        let usable = max(1, Int(width) - 1)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { max(1, ($0.count + usable - 1) / usable) }.reduce(0, +)
    }
}
