import Profile

/// The plain dictionary `html/report.mustache` renders. Texts are raw (Mustache's `{{ }}` escapes them); everything
/// that needs a decision — language, number format, symbols, header spans, row classes, element ids — is settled here
/// so the template only places values.
///
/// A label is `{primary, hasSecondary, secondary}`: in `both`, `secondary` is the English shown beneath the
/// Indonesian in a `<span lang="en">` (see the `label` partial). All keys are always present so Mustache never picks
/// up a value of the same name from an outer context.
enum HTMLViewModel {
    static func make(_ doc: ReportDocument, css: String) -> [String: Any] {
        let language = doc.language
        func label(_ b: Bilingual) -> [String: Any] { Self.label(b, language) }
        func caption(_ b: Bilingual) -> String { LabelText.line(b, language, separator: "/") }
        var ids = ElementIDs()
        // Fixed ids of the page's own blocks are claimed first so no table or section id can take them.
        let fixed = ["key-figures", "contents", "accounting", "general-notes"].map { ids.make($0) }

        var sections: [[String: Any]] = []
        var tableIndex = 0
        // Charts follow the table that holds their numbers; a chart whose table is not in the report goes to the end.
        let tableIDs = Set(doc.allTables.map(\.id))
        func charts(after table: DisplayTable?, anchor: String?) -> [[String: Any]] {
            doc.charts.filter { chart in table.map { chart.tableID == $0.id } ?? !tableIDs.contains(chart.tableID) }.map { chart in
                ChartViewModel.make(chart, language: language, anchor: ids.make("fig-" + chart.id), tableAnchor: anchor,
                                    tableNumber: table?.number, ids: &ids)
            }
        }
        for section in doc.sections {
            let anchor = ids.make("sec-" + section.id)
            let headingID = ids.make(anchor + "-h")
            let tables = section.tables.map { table -> [String: Any] in
                let tableAnchor = ids.make("tbl-" + table.id)
                tableIndex += 1
                var model = self.table(table, language: language, anchor: tableAnchor, captionID: ids.make(tableAnchor + "-cap"),
                                       prefix: "t\(tableIndex)", ids: &ids)
                model["charts"] = charts(after: table, anchor: tableAnchor)
                return model
            }
            sections.append(["anchor": anchor, "headingId": headingID, "title": label(section.title), "tables": tables])
        }
        let orphanCharts = charts(after: nil, anchor: nil)
        return [
            "lang": language == .en ? "en" : "id",
            "css": css,
            "documentTitle": LabelText.line(doc.title, language),
            "title": label(doc.title),
            "subtitle": label(doc.subtitle),
            "keyFiguresId": fixed[0], "contentsId": fixed[1], "accountingId": fixed[2], "generalNotesId": fixed[3],
            "hasKeyFigures": !doc.keyFigures.isEmpty,
            "keyFiguresHeading": label(ReportLabels.keyFigures),
            "keyFigures": doc.keyFigures.map { figure -> [String: Any] in
                ["label": label(figure.label),
                 "value": NumberFormatting.format(figure.value, style: figure.style, language: language)]
            },
            "contentsHeading": label(ReportLabels.contents),
            "sections": sections,
            "accountingHeading": label(ReportLabels.accounting),
            "accountingColumns": [
                "file": caption(ReportLabels.accountingFile), "kind": caption(ReportLabels.accountingKind),
                "label": caption(ReportLabels.accountingLabel), "count": caption(ReportLabels.accountingCount),
            ],
            "accounting": doc.accounting.map { line -> [String: Any] in
                ["file": line.file, "kind": label(ReportLabels.kind(line.kind)), "label": label(line.label),
                 "count": NumberFormatting.format(Double(line.count), style: .integer, language: language)]
            },
            "hasGeneralNotes": !doc.notes.isEmpty,
            "generalNotesHeading": label(ReportLabels.generalNotes),
            "generalNotes": doc.notes.map(label),
            "sourceCaption": caption(ReportLabels.source),
            "source": LabelText.line(doc.source, language),
            "provenance": doc.provenance,
            "hasOrphanCharts": !orphanCharts.isEmpty,
            "orphanCharts": orphanCharts,
            "producedWith": caption(ReportLabels.producedWith),
            "manifestCaption": caption(ReportLabels.manifest),
            "hasBriefing": doc.briefing != nil,
            "hasMaps": !doc.mapsHTML.isEmpty, "maps": doc.mapsHTML, "mapsId": ids.make("maps"),
            "mapsHeading": label(Bilingual(id: "Peta", en: "Maps")),
            "briefingCaption": caption(ReportLabels.briefingLink),
        ]
    }

    static func breakable(_ text: String) -> String { text.replacingOccurrences(of: "/", with: "/\u{200B}") }

    static func label(_ text: Bilingual, _ language: Language) -> [String: Any] {
        let (primary, secondary) = LabelText.parts(text, language)
        return ["primary": primary, "hasSecondary": secondary != nil, "secondary": secondary ?? ""]
    }

    /// One table. Every header cell gets an id (`prefix` keeps them short) and every body cell a `headers` list —
    /// its spanners, leaf column, kecamatan heading and row — because spanner headers (`scope="colgroup"` without
    /// `<colgroup>` elements) and villages under a kecamatan are not associated by `scope` alone. Each kecamatan
    /// heading starts its own `<tbody>` and heads it with `scope="rowgroup"`.
    private static func table(_ table: DisplayTable, language: Language, anchor: String, captionID: String,
                              prefix: String, ids: inout ElementIDs) -> [String: Any] {
        let layout = HeaderLayout(columns: table.columns)
        let columnCount = table.columns.count
        let stubID = ids.make(prefix + "-s")
        var headRows: [[String: Any]] = []
        // Header ids covering each leaf column, outermost first.
        var columnHeaders = Array(repeating: [String](), count: columnCount)
        for (index, cells) in layout.rows.enumerated() {
            headRows.append([
                "isFirst": index == 0,
                "cells": cells.map { cell -> [String: Any] in
                    let id = ids.make("\(prefix)-h\(cell.row)-\(cell.column)")
                    for column in cell.column..<min(cell.column + cell.columnSpan, columnCount) { columnHeaders[column].append(id) }
                    return [
                        "id": id,
                        "label": label(cell.label, language),
                        "scope": cell.isLeaf ? "col" : "colgroup",
                        "hasColspan": cell.columnSpan > 1, "colspan": String(cell.columnSpan),
                        "hasRowspan": cell.rowSpan > 1, "rowspan": String(cell.rowSpan),
                    ]
                },
            ])
        }
        var bodies: [[String: Any]] = []
        var current: [[String: Any]] = []
        var groupID: String? = nil
        for (rowIndex, row) in table.rows.enumerated() {
            let rowID = ids.make("\(prefix)-r\(rowIndex + 1)")
            if row.kind == .heading {
                if !current.isEmpty { bodies.append(["rows": current]) }
                current = []
                groupID = rowID
            }
            // A subtotal closes its kecamatan: it is headed by the kecamatan heading too.
            let rowHeaders = (row.kind == .heading ? [] : [groupID].compactMap { $0 }) + [rowID]
            let cells: [[String: Any]] = row.kind == .heading ? [] : table.columns.indices.map { index in
                let cell = index < row.cells.count ? row.cells[index] : DisplayCell(value: nil, status: .notApplicable)
                let text = NumberFormatting.format(cell, style: table.columns[index].style, language: language)
                let meaning = CellSymbols.meaning(of: text)
                return ["text": text, "isSymbol": meaning != nil,
                        "symbolTitle": meaning.map { LabelText.line($0, language) } ?? "",
                        "headers": (columnHeaders[index] + rowHeaders).joined(separator: " ")]
            }
            current.append([
                "rowId": rowID,
                "rowClass": row.kind.rawValue,
                "isHeading": row.kind == .heading,
                // A heading row spans the whole table instead of showing empty cells.
                "span": String(columnCount + 1),
                "levelClass": "lvl-\(min(max(row.level, 0), 5))",
                "label": label(row.label, language),
                "cells": cells,
            ])
            // A subtotal closes its kecamatan's row group: the regency total after it is not part of that group.
            if row.kind == .subtotal && groupID != nil {
                bodies.append(["rows": current])
                current = []
                groupID = nil
            }
        }
        if !current.isEmpty { bodies.append(["rows": current]) }
        let notes = table.notes.map { LabelText.line($0, language) }
        return [
            "anchor": anchor,
            "captionId": captionID,
            "caption": label(LabelText.numberedTitle(number: table.number, title: table.title), language),
            "hasUnit": table.unit != nil,
            "unit": table.unit.map { label($0, language) } ?? label(Bilingual(""), language),
            // A zero-width space after each "/" lets "Kecamatan/Desa/Kelurahan" wrap at the slashes on a phone.
            "stubHeader": label(Bilingual(id: breakable(table.stubHeader.id), en: breakable(table.stubHeader.en)), language),
            "headerRowCount": String(layout.rowCount),
            "hasStubRowspan": layout.rowCount > 1,
            "stubId": stubID,
            "headRows": headRows,
            "bodies": bodies,
            "hasNotes": !notes.isEmpty,
            "singleNote": notes.count == 1,
            "firstNote": notes.first ?? "",
            "noteCaption": LabelText.line(ReportLabels.note, language, separator: "/"),
            "notes": notes,
            "source": LabelText.line(table.source, language),
            "csv": CSVTwinLink.path(for: table.twinID),
            "csvCaption": LabelText.line(ReportLabels.tableData, language, separator: "/"),
        ]
    }
}
