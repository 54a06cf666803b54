import Profile

/// The plain dictionary `markdown/report.mustache` renders: every text is final (language chosen, numbers formatted,
/// Markdown-escaped, emphasis applied), so the template only places strings.
///
/// Keys (all always present, so Mustache never falls back to an outer context's value of the same name):
/// `title`, `subtitle`, `hasKeyFigures`, `keyFiguresHeading`, `keyFigures[label, value]`, `contentsHeading`,
/// `contents[title, anchor, tables[caption, anchor]]`, `sections[title, tables[…]]`, `accountingHeading`,
/// `accountingColumns[file, kind, label, count]`, `accounting[file, kind, label, count]`, `hasGeneralNotes`,
/// `generalNotesHeading`, `generalNotes[]`, `sourceCaption`, `source`, `provenance`.
/// A table has `caption`, `anchor`, `hasUnit`, `unit`, `stubHeader`, `columns[]`, `rows[stub, cells[]]`, `hasNotes`,
/// `singleNote`, `firstNote`, `noteCaption`, `notes[number, text]`, `source`, `csv`, `csvCaption`.
enum MarkdownViewModel {
    static func make(_ doc: ReportDocument) -> [String: Any] {
        let language = doc.language
        func text(_ b: Bilingual) -> String { MarkdownText.escape(LabelText.line(b, language)) }
        func caption(_ b: Bilingual) -> String { MarkdownText.escape(LabelText.line(b, language, separator: "/")) }

        // Anchors are generated for every heading the template writes, in the template's order (see report.mustache).
        var anchors = MarkdownText.Anchors()
        _ = anchors.anchor(for: LabelText.line(doc.title, language))
        if !doc.keyFigures.isEmpty { _ = anchors.anchor(for: LabelText.line(ReportLabels.keyFigures, language, separator: "/")) }
        _ = anchors.anchor(for: LabelText.line(ReportLabels.contents, language, separator: "/"))
        var sections: [[String: Any]] = []
        for section in doc.sections {
            let sectionAnchor = anchors.anchor(for: LabelText.line(section.title, language))
            let tables = section.tables.map { table -> [String: Any] in
                let heading = LabelText.line(LabelText.numberedTitle(number: table.number, title: table.title), language)
                return self.table(table, language: language, caption: MarkdownText.escape(heading),
                                  anchor: anchors.anchor(for: heading))
            }
            sections.append(["title": text(section.title), "anchor": sectionAnchor, "tables": tables])
        }
        _ = anchors.anchor(for: LabelText.line(ReportLabels.accounting, language, separator: "/"))

        return [
            "title": text(doc.title),
            "subtitle": text(doc.subtitle),
            "hasKeyFigures": !doc.keyFigures.isEmpty,
            "keyFiguresHeading": caption(ReportLabels.keyFigures),
            "keyFigures": doc.keyFigures.map { figure -> [String: Any] in
                ["label": text(figure.label),
                 // Formatted numbers hold only digits, separators and BPS symbols: nothing to escape.
                 "value": NumberFormatting.format(figure.value, style: figure.style, language: language)]
            },
            "contentsHeading": caption(ReportLabels.contents),
            "contents": sections.map { section -> [String: Any] in
                ["title": section["title"] ?? "", "anchor": section["anchor"] ?? "",
                 "tables": (section["tables"] as? [[String: Any]] ?? []).map { ["caption": $0["caption"] ?? "", "anchor": $0["anchor"] ?? ""] }]
            },
            "sections": sections,
            "accountingHeading": caption(ReportLabels.accounting),
            "accountingColumns": [
                "file": caption(ReportLabels.accountingFile), "kind": caption(ReportLabels.accountingKind),
                "label": caption(ReportLabels.accountingLabel), "count": caption(ReportLabels.accountingCount),
            ],
            "accounting": doc.accounting.map { line -> [String: Any] in
                ["file": MarkdownText.escape(line.file), "kind": text(ReportLabels.kind(line.kind)), "label": text(line.label),
                 "count": NumberFormatting.format(Double(line.count), style: .integer, language: language)]
            },
            "hasGeneralNotes": !doc.notes.isEmpty,
            "generalNotesHeading": caption(ReportLabels.generalNotes),
            "generalNotes": doc.notes.map(text),
            "sourceCaption": caption(ReportLabels.source),
            "source": text(doc.source),
            "provenance": MarkdownText.escape(doc.provenance),
        ]
    }

    private static func table(_ table: DisplayTable, language: Language, caption: String, anchor: String) -> [String: Any] {
        func text(_ b: Bilingual) -> String { MarkdownText.escape(LabelText.line(b, language)) }
        func strong(_ s: String) -> String { s.isEmpty ? s : "**\(s)**" }
        let rows = table.rows.map { row -> [String: Any] in
            let emphasised = row.kind != .detail
            // GFM trims leading spaces in cells, so indentation is made of non-breaking spaces.
            let indent = String(repeating: "&nbsp;&nbsp;", count: max(0, row.level))
            let cells: [String] = table.columns.indices.map { index in
                guard row.kind != .heading, index < row.cells.count else { return "" }
                let value = NumberFormatting.format(row.cells[index], style: table.columns[index].style, language: language)
                return emphasised ? strong(value) : value
            }
            return ["stub": indent + (emphasised ? strong(text(row.label)) : text(row.label)), "cells": cells]
        }
        let notes = table.notes.enumerated().map { ["number": String($0.offset + 1), "text": text($0.element)] }
        return [
            "caption": caption,
            "anchor": anchor,
            "hasUnit": table.unit != nil,
            "unit": table.unit.map(text) ?? "",
            "stubHeader": text(table.stubHeader),
            "columns": table.columns.map { MarkdownText.escape(HeaderLayout.flattenedLabel($0, language)) },
            "rows": rows,
            "hasNotes": !notes.isEmpty,
            "singleNote": notes.count == 1,
            "firstNote": notes.first?["text"] ?? "",
            "noteCaption": MarkdownText.escape(LabelText.line(ReportLabels.note, language, separator: "/")),
            "notes": notes,
            "source": text(table.source),
            "csv": CSVTwinLink.path(for: table.twinID),
            "csvCaption": MarkdownText.escape(LabelText.line(ReportLabels.tableData, language, separator: "/")),
        ]
    }
}
