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
        for section in doc.sections {
            let anchor = ids.make("sec-" + section.id)
            let headingID = ids.make(anchor + "-h")
            let tables = section.tables.map { table -> [String: Any] in
                let tableAnchor = ids.make("tbl-" + table.id)
                return self.table(table, language: language, anchor: tableAnchor, captionID: ids.make(tableAnchor + "-cap"))
            }
            sections.append(["anchor": anchor, "headingId": headingID, "title": label(section.title), "tables": tables])
        }
        return [
            "lang": language == .en ? "en" : "id",
            "css": css,
            "documentTitle": LabelText.line(doc.title, language),
            "title": label(doc.title),
            "subtitle": label(doc.subtitle),
            "keyFiguresId": fixed[0], "contentsId": fixed[1], "accountingId": fixed[2], "generalNotesId": fixed[3],
            "hasKeyFigures": !doc.keyFigures.isEmpty,
            "keyFiguresHeading": caption(ReportLabels.keyFigures),
            "keyFigures": doc.keyFigures.map { figure -> [String: Any] in
                ["label": label(figure.label),
                 "value": NumberFormatting.format(figure.value, style: figure.style, language: language)]
            },
            "contentsHeading": caption(ReportLabels.contents),
            "sections": sections,
            "accountingHeading": caption(ReportLabels.accounting),
            "accountingColumns": [
                "file": caption(ReportLabels.accountingFile), "kind": caption(ReportLabels.accountingKind),
                "label": caption(ReportLabels.accountingLabel), "count": caption(ReportLabels.accountingCount),
            ],
            "accounting": doc.accounting.map { line -> [String: Any] in
                ["file": line.file, "kind": label(ReportLabels.kind(line.kind)), "label": label(line.label),
                 "count": NumberFormatting.format(Double(line.count), style: .integer, language: language)]
            },
            "hasGeneralNotes": !doc.notes.isEmpty,
            "generalNotesHeading": caption(ReportLabels.generalNotes),
            "generalNotes": doc.notes.map(label),
            "sourceCaption": caption(ReportLabels.source),
            "source": LabelText.line(doc.source, language),
            "provenance": doc.provenance,
        ]
    }

    static func label(_ text: Bilingual, _ language: Language) -> [String: Any] {
        let (primary, secondary) = LabelText.parts(text, language)
        return ["primary": primary, "hasSecondary": secondary != nil, "secondary": secondary ?? ""]
    }

    private static func table(_ table: DisplayTable, language: Language, anchor: String, captionID: String) -> [String: Any] {
        let layout = HeaderLayout(columns: table.columns)
        let columnCount = table.columns.count
        var headRows: [[String: Any]] = []
        for (index, cells) in layout.rows.enumerated() {
            headRows.append([
                "isFirst": index == 0,
                "cells": cells.map { cell -> [String: Any] in
                    [
                        "label": label(cell.label, language),
                        "scope": cell.isLeaf ? "col" : "colgroup",
                        "hasColspan": cell.columnSpan > 1, "colspan": String(cell.columnSpan),
                        "hasRowspan": cell.rowSpan > 1, "rowspan": String(cell.rowSpan),
                    ]
                },
            ])
        }
        let rows = table.rows.map { row -> [String: Any] in
            let cells: [[String: Any]] = row.kind == .heading ? [] : table.columns.indices.map { index in
                let cell = index < row.cells.count ? row.cells[index] : DisplayCell(value: nil, status: .notApplicable)
                let text = NumberFormatting.format(cell, style: table.columns[index].style, language: language)
                let meaning = CellSymbols.meaning(of: text)
                return ["text": text, "isSymbol": meaning != nil,
                        "symbolTitle": meaning.map { LabelText.line($0, language) } ?? ""]
            }
            return [
                "rowClass": row.kind.rawValue,
                "isHeading": row.kind == .heading,
                // A heading row spans the whole table instead of showing empty cells.
                "span": String(columnCount + 1),
                "levelClass": "lvl-\(min(max(row.level, 0), 5))",
                "label": label(row.label, language),
                "cells": cells,
            ]
        }
        let notes = table.notes.map { LabelText.line($0, language) }
        return [
            "anchor": anchor,
            "captionId": captionID,
            "caption": label(LabelText.numberedTitle(number: table.number, title: table.title), language),
            "hasUnit": table.unit != nil,
            "unit": table.unit.map { label($0, language) } ?? label(Bilingual(""), language),
            "stubHeader": label(table.stubHeader, language),
            "headerRowCount": String(layout.rowCount),
            "hasStubRowspan": layout.rowCount > 1,
            "headRows": headRows,
            "rows": rows,
            "hasNotes": !notes.isEmpty,
            "singleNote": notes.count == 1,
            "firstNote": notes.first ?? "",
            "noteCaption": LabelText.line(ReportLabels.note, language, separator: "/"),
            "notes": notes,
            "source": LabelText.line(table.source, language),
            "csv": CSVTwinLink.path(for: table.id),
            "csvCaption": LabelText.line(ReportLabels.tableData, language, separator: "/"),
        ]
    }
}
