import Profile

/// The workbook's first sheet as BPS staff expect a publication's cover: title, area and period, source, the
/// contents with a link to every sheet (briefing, each table, charts, notes), the symbols and the provenance line.
extension ExcelRenderer {
    static func writeCover(_ doc: ReportDocument, sheet: XlsxSheet, names: SheetNames, layout: ExcelLayout) throws {
        let language = doc.language
        var row = 0
        row = try writeStacked(doc.title, language, sheet: sheet, row: row, style: layout.apply(layout.title, to: XlsxStyle()))
        row = try writeStacked(doc.subtitle, language, sheet: sheet, row: row, style: layout.apply(layout.subtitle, to: XlsxStyle()))
        row += 1
        try sheet.string(row, 0, ReportLabels.sourceLine(doc.source, language))
        row += 2

        try sheet.string(row, 0, LabelText.line(ReportLabels.contents, language, separator: "/"), layout.apply(layout.tableTitle, to: XlsxStyle()))
        row += 1
        let head = layout.apply(layout.header, to: XlsxStyle(bottomBorder: true))
        try sheet.string(row, 0, LabelText.line(ReportLabels.tableNumber, language, separator: "/"), head)
        try sheet.string(row, 1, LabelText.line(ReportLabels.title, language, separator: "/"), head)
        row += 1
        // Titles wrap inside the title column (a long bilingual title would otherwise run across the printed page).
        var linkStyle = XlsxStyle(wrap: true, color: 0x0563C1, underline: true)
        linkStyle.verticalTop = true
        func link(_ name: String, _ text: String) throws {
            try sheet.link(row, 1, url: SheetNaming.internalLink(to: name), text: text, style: linkStyle)
            let lines = wrappedLineCount(text, width: layout.contentsTitleWidth)
            if lines > 1 { try sheet.rowHeight(row, 15 * Double(lines)) }
        }
        /// A contents line without a table number: the briefing, charts and notes sheets.
        func sheetLine(_ label: Bilingual, _ name: String) throws {
            try link(name, LabelText.line(label, language))
            row += 1
        }
        if let briefing = doc.briefing, let name = names.briefing { try sheetLine(briefing.title, name) }
        var index = 0
        for section in doc.sections {
            try sheet.string(row, 0, LabelText.line(section.title, language), layout.apply(layout.subtotal, to: XlsxStyle()))
            row += 1
            for table in section.tables {
                var number = XlsxStyle(align: .left)
                number.verticalTop = true
                try sheet.string(row, 0, table.number, number)
                try link(names.tables[index], LabelText.line(table.title, language))
                row += 1
                index += 1
            }
        }
        if let name = names.charts { try sheetLine(ReportLabels.charts, name) }
        try sheetLine(Bilingual(id: "Catatan dan rekapitulasi record", en: "Notes and record accounting"), names.notes)
        row += 1
        for line in CellSymbols.legend {
            try sheet.string(row, 0, LabelText.line(line, language))
            row += 1
        }
        row += 1
        try sheet.string(row, 0, LabelText.line(ReportLabels.producedWith, language, separator: "/") + ": " + doc.provenance,
                         layout.apply(layout.muted, to: XlsxStyle()))
        let numberWidth = ([LabelText.line(ReportLabels.tableNumber, language, separator: "/")]
            + doc.allTables.map(\.number)).map(\.count).max() ?? 0
        try sheet.columnWidth(0, 0, fitted(numberWidth, bold: true, minimum: 8, maximum: 30))
        try sheet.columnWidth(1, 1, layout.contentsTitleWidth)
        try sheet.printSetup(repeatRows: nil)
    }
}
