import Profile

/// The sheet "Ringkasan-Briefing": the Forkopimda briefing on one portrait A4 page, in the same order as
/// `briefing.html` — key numbers, main findings, coverage and exclusion per programme, duplicates, the two village lists.
extension ExcelRenderer {
    /// Columns of the sheet: A label or village, B value or kecamatan, C–F values.
    static let briefingWidths: [Double] = [34, 18, 14, 14, 14, 14]

    static func writeBriefing(_ b: Briefing, sheet: XlsxSheet, layout: ExcelLayout) throws {
        let language = b.language
        for (column, width) in briefingWidths.enumerated() { try sheet.columnWidth(column, column, width) }
        let lastColumn = briefingWidths.count - 1
        let totalWidth = briefingWidths.reduce(0, +)
        var row = 0
        row = try writeStacked(b.title, language, sheet: sheet, row: row, style: layout.apply(layout.title, to: XlsxStyle()))
        row = try writeStacked(b.subtitle, language, sheet: sheet, row: row, style: layout.apply(layout.subtitle, to: XlsxStyle()))
        row += 1
        let heading = layout.apply(layout.tableTitle, to: XlsxStyle())
        let head = layout.apply(layout.header, to: XlsxStyle(wrap: true, bottomBorder: true))
        var headRight = head
        headRight.align = .right
        func caption(_ text: Bilingual) -> String { LabelText.line(text, language, separator: "/") }

        /// A label in column A, wrapped, its row as tall as the wrapped text needs.
        func label(_ text: String, _ style: XlsxStyle = XlsxStyle()) throws {
            var wrapped = style
            wrapped.wrap = true
            wrapped.align = .left
            try sheet.string(row, 0, text, wrapped)
            let lines = wrappedLineCount(text, width: briefingWidths[0])
            if lines > 1 { try sheet.rowHeight(row, 15 * Double(lines)) }
        }

        /// A paragraph merged across the sheet's width, its row tall enough for the wrapped text.
        func paragraph(_ text: String, _ style: XlsxStyle = XlsxStyle()) throws {
            var wrapped = style
            wrapped.wrap = true
            try sheet.merge(row, 0, row, lastColumn, text, wrapped)
            let lines = wrappedLineCount(text, width: totalWidth * 0.95)
            if lines > 1 { try sheet.rowHeight(row, 15 * Double(lines)) }
            row += 1
        }

        // Key numbers: label | value.
        try sheet.string(row, 0, caption(Briefing.Labels.keyNumbers), heading)
        row += 1
        for figure in b.figures {
            try label(LabelText.line(figure.label, language))
            try writeCell(DisplayCell(value: figure.value, status: .value), style: figure.style, sheet: sheet, row: row,
                          column: 1, base: XlsxStyle(bold: true))
            row += 1
        }
        row += 1
        try sheet.string(row, 0, caption(Briefing.Labels.findings), heading)
        row += 1
        for finding in b.findings { try paragraph("• " + LabelText.line(finding, language)) }
        row += 1

        // Coverage and exclusion per programme.
        try sheet.string(row, 0, caption(Briefing.Labels.programmes), heading)
        row += 1
        let table = b.programmes
        try sheet.string(row, 0, headerText(table.stubHeader, language), head)
        var headerLines = 1
        for (c, column) in table.columns.enumerated() where c < lastColumn {
            let text = headerText(column.label, language)
            try sheet.string(row, 1 + c, text, headRight)
            headerLines = max(headerLines, wrappedLineCount(text, width: briefingWidths[1 + c]))
        }
        try sheet.rowHeight(row, 15 * Double(headerLines))
        row += 1
        for (r, displayRow) in table.rows.enumerated() {
            let emphasised = displayRow.kind != .detail
            let isLast = r == table.rows.count - 1
            try label(LabelText.line(displayRow.label, language), XlsxStyle(bold: emphasised, bottomBorder: isLast))
            for (c, cell) in displayRow.cells.enumerated() where c < lastColumn {
                try writeCell(cell, style: table.columns[c].style, sheet: sheet, row: row, column: 1 + c,
                              base: XlsxStyle(bold: emphasised, bottomBorder: isLast))
            }
            row += 1
        }
        for note in table.notes {
            try paragraph(LabelText.line(note, language), layout.apply(layout.muted, to: XlsxStyle()))
        }
        row += 1

        // Roster findings, one group per kind (never added up); none without a roster.
        if !b.duplicates.isEmpty {
            try sheet.string(row, 0, caption(Briefing.Labels.duplicates), heading)
            row += 1
            for group in b.duplicates {
                try sheet.string(row, 0, caption(group.title), head)
                row += 1
                for line in group.lines {
                    try label(LabelText.line(line.label, language))
                    try writeCell(line.cell, style: line.style, sheet: sheet, row: row, column: 1, base: XlsxStyle())
                    row += 1
                }
                try paragraph(LabelText.line(group.meaning, language), layout.apply(layout.muted, to: XlsxStyle()))
            }
            row += 1
        }

        // The village lists: "1. Village" | kecamatan | values.
        for list in [b.topExclusion] + (b.topDuplicates.map { [$0] } ?? []) {
            try sheet.string(row, 0, caption(list.title), heading)
            row += 1
            try sheet.string(row, 0, caption(Briefing.Labels.village), head)
            try sheet.string(row, 1, caption(Briefing.Labels.kecamatan), head)
            var lines = 1
            for (c, column) in list.columns.enumerated() where 2 + c <= lastColumn {
                let text = headerText(column.label, language)
                try sheet.string(row, 2 + c, text, headRight)
                lines = max(lines, wrappedLineCount(text, width: briefingWidths[2 + c]))
            }
            try sheet.rowHeight(row, 15 * Double(lines))
            row += 1
            if list.rows.isEmpty {
                try paragraph(LabelText.line(list.emptyText, language))
            }
            for (r, village) in list.rows.enumerated() {
                try sheet.string(row, 0, "\(r + 1). \(village.village)")
                try sheet.string(row, 1, village.kecamatan)
                for (c, cell) in village.cells.enumerated() where 2 + c <= lastColumn {
                    try writeCell(cell, style: list.columns[c].style, sheet: sheet, row: row, column: 2 + c, base: XlsxStyle())
                }
                row += 1
            }
            if let note = list.note { try paragraph(LabelText.line(note, language), layout.apply(layout.muted, to: XlsxStyle())) }
            row += 1
        }

        for note in b.notes { try paragraph(LabelText.line(note, language), layout.apply(layout.muted, to: XlsxStyle())) }
        try paragraph(ReportLabels.sourceLine(b.source, language))
        try paragraph(LabelText.line(ReportLabels.producedWith, language, separator: "/") + ": " + b.provenance,
                      layout.apply(layout.muted, to: XlsxStyle()))
        sheet.printOnePagePortrait()
    }
}
