import Profile

/// The plain dictionary `html/briefing.mustache` renders (conventions as in `HTMLViewModel`: raw texts that Mustache
/// escapes, labels as `{primary, hasSecondary, secondary}` rendered with the `label` partial, numbers formatted and
/// symbols resolved here, every key always present so Mustache never falls back to an outer value).
enum BriefingViewModel {
    static func make(_ b: Briefing, css: String) -> [String: Any] {
        let language = b.language
        func label(_ text: Bilingual) -> [String: Any] { HTMLViewModel.label(text, language) }
        func caption(_ text: Bilingual) -> String { LabelText.line(text, language, separator: "/") }
        func cell(_ c: DisplayCell, _ style: NumberStyle) -> [String: Any] {
            let text = NumberFormatting.format(c, style: style, language: language)
            let meaning = CellSymbols.meaning(of: text)
            return ["text": text, "isSymbol": meaning != nil, "symbolTitle": meaning.map { LabelText.line($0, language) } ?? ""]
        }
        let table = b.programmes
        let lists = ([b.topExclusion] + (b.topDuplicates.map { [$0] } ?? [])).map { list -> [String: Any] in
            [
                "listId": "b-" + list.id,
                "listTitle": label(list.title),
                "rankHeader": caption(Briefing.Labels.rank),
                "villageHeader": label(Briefing.Labels.village),
                "kecamatanHeader": label(Briefing.Labels.kecamatan),
                "listColumns": list.columns.map { label($0.label) },
                "listRows": list.rows.enumerated().map { index, row -> [String: Any] in
                    ["rank": String(index + 1), "village": row.village, "kecamatan": row.kecamatan,
                     "cells": row.cells.enumerated().map { c, value in cell(value, c < list.columns.count ? list.columns[c].style : .integer) }]
                },
                "isEmpty": list.rows.isEmpty,
                "emptyText": label(list.emptyText),
                "emptySpan": String(3 + list.columns.count),
                "hasListNote": list.note != nil,
                "listNote": label(list.note ?? Bilingual("")),
            ]
        }
        return [
            "lang": language == .en ? "en" : "id",
            "css": css,
            "documentTitle": LabelText.line(b.title, language) + " — " + LabelText.line(b.subtitle, language),
            "title": label(b.title),
            "subtitle": label(b.subtitle),
            "figuresHeading": caption(Briefing.Labels.keyNumbers),
            "figures": b.figures.map { ["label": label($0.label), "value": NumberFormatting.format($0.value, style: $0.style, language: language)] },
            "findingsHeading": caption(Briefing.Labels.findings),
            "hasFindings": !b.findings.isEmpty,
            "findings": b.findings.map(label),
            "programmesHeading": label(table.title),
            "stubHeader": label(table.stubHeader),
            "programmeColumns": table.columns.map { label($0.label) },
            "programmeRows": table.rows.map { row -> [String: Any] in
                ["label": label(row.label), "isTotal": row.kind == .total,
                 "cells": row.cells.enumerated().map { c, value in cell(value, c < table.columns.count ? table.columns[c].style : .integer) }]
            },
            "programmeNotes": table.notes.map(label),
            "hasDuplicates": !b.duplicates.isEmpty,
            "duplicatesHeading": label(Briefing.Labels.duplicates),
            "duplicateGroups": b.duplicates.map { group -> [String: Any] in
                ["groupTitle": label(group.title), "groupMeaning": label(group.meaning),
                 "lines": group.lines.map { line -> [String: Any] in ["label": label(line.label), "value": cell(line.cell, line.style)] }]
            },
            "lists": lists,
            "notes": b.notes.map(label),
            "sourceCaption": caption(ReportLabels.source),
            "source": LabelText.line(b.source, language),
            "producedWith": caption(ReportLabels.producedWith),
            "provenance": b.provenance,
            "fullReport": caption(Briefing.Labels.fullReport),
        ]
    }
}
