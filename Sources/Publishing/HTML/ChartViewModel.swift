import Profile

/// A `ChartSpec` as the dictionary the `chart` partial of `html/report.mustache` renders: inline SVG geometry
/// (already computed here, so the template only places numbers) and the texts, raw for Mustache to escape.
///
/// Each series becomes one SVG panel (small multiples) with `role="img"`, a `<title>` and a `<desc>` that lists every
/// category with its value, so a screen reader gets the whole chart as text; the data table sits just above the figure.
/// A point that is not drawn (confidential `x`, not applicable `…`) gets no bar, only its symbol.
enum ChartViewModel {
    /// Geometry of one panel in SVG user units (the SVG scales to its box; 1 unit ≈ 1 CSS pixel at 360 px wide).
    static let width = 360.0
    static let rowHeight = 22.0
    static let barHeight = 14.0
    static let top = 8.0
    static let axisRoom = 22.0
    static let valueRoom = 46.0

    static func make(_ chart: ChartSpec, language: Language, anchor: String, tableAnchor: String?, tableNumber: String?,
                     ids: inout ElementIDs) -> [String: Any] {
        func line(_ b: Bilingual) -> String { LabelText.line(b, language) }
        let captionID = ids.make(anchor + "-cap")
        let categoryTexts = chart.categories.map { shortened(line($0)) }
        let longest = categoryTexts.map(\.count).max() ?? 0
        let labelWidth = min(max(Double(longest) * 6.6 + 8, 60), 170)
        let plotLeft = labelWidth + 4
        let plotWidth = width - plotLeft - valueRoom
        let axisMaximum = chart.axisMaximum
        let height = top + Double(chart.categories.count) * rowHeight + axisRoom
        let plotBottom = top + Double(chart.categories.count) * rowHeight
        func x(_ v: Double) -> Double { plotLeft + plotWidth * min(max(v, 0), axisMaximum) / max(axisMaximum, 1e-9) }

        var anyLeftOut = false
        let panels = chart.series.enumerated().map { index, series -> [String: Any] in
            let panelID = ids.make("\(anchor)-p\(index + 1)")
            let bars = chart.categories.indices.map { c -> [String: Any] in
                let point = c < series.points.count ? series.points[c] : DisplayCell(value: nil, status: .notApplicable)
                let rowTop = top + Double(c) * rowHeight
                let drawn = ChartSpec.isDrawn(point)
                if !drawn { anyLeftOut = true }
                let value = drawn ? (point.value ?? 0) : 0
                let end = drawn ? x(value) : plotLeft
                return [
                    "labelX": fmt(labelWidth), "textY": fmt(rowTop + rowHeight / 2 + 4),
                    "label": categoryTexts[c],
                    "fullLabel": line(chart.categories[c]),
                    "isShortened": categoryTexts[c] != line(chart.categories[c]),
                    "hasBar": drawn && value > 0,
                    "barX": fmt(plotLeft), "barY": fmt(rowTop + (rowHeight - barHeight) / 2),
                    "barWidth": fmt(max(end - plotLeft, 0)), "barHeight": fmt(barHeight),
                    "valueX": fmt(end + 4),
                    "value": NumberFormatting.format(point, style: chart.style, language: language),
                    "isSymbol": !drawn,
                ]
            }
            let description = chart.categories.indices.map { c -> String in
                let point = c < series.points.count ? series.points[c] : DisplayCell(value: nil, status: .notApplicable)
                // A true zero reads "0" in prose rather than the BPS dash.
                let text = ChartSpec.isDrawn(point) && point.value == 0 ? "0"
                    : NumberFormatting.format(point, style: chart.style, language: language)
                let meaning = ChartSpec.isDrawn(point) ? nil : CellSymbols.meaning(of: text).map(line)
                return line(chart.categories[c]) + " " + text + (meaning.map { " (\($0))" } ?? "")
            }.joined(separator: "; ")
            return [
                "panelId": panelID, "titleId": panelID + "-t", "descId": panelID + "-d",
                "panelTitle": line(series.label),
                "svgTitle": line(series.label) + " — " + line(chart.valueLabel),
                "svgDesc": line(chart.categoryLabel) + ": " + description + ".",
                "isHighlight": series.id == "ANY",
                "viewBox": "0 0 \(fmt(width)) \(fmt(height))",
                "svgWidth": fmt(width), "svgHeight": fmt(height),
                "bars": bars,
                "gridlines": chart.ticks.map { tick -> [String: Any] in
                    ["x": fmt(x(tick)), "y1": fmt(top - 4), "y2": fmt(plotBottom),
                     "labelY": fmt(plotBottom + 15),
                     "label": NumberFormatting.format(tick, style: .integer, language: language).replacingOccurrences(of: CellSymbols.zero, with: "0")]
                },
            ]
        }
        let title = LabelText.numberedTitle(number: chart.number, title: chart.title)
        let figureTitle = Bilingual(id: title.id.replacingOccurrences(of: "Tabel", with: "Gambar", options: .anchored),
                                    en: title.en.replacingOccurrences(of: "Table", with: "Figure", options: .anchored))
        return [
            "chartAnchor": anchor,
            "chartCaptionId": captionID,
            "chartCaption": HTMLViewModel.label(figureTitle, language),
            "chartValueLabel": HTMLViewModel.label(chart.valueLabel, language),
            "panels": panels,
            "hasTableLink": tableAnchor != nil,
            "tableLink": "#" + (tableAnchor ?? ""),
            "tableLinkText": LabelText.line(ReportLabels.dataTable, language, separator: "/") + " " + (tableNumber ?? ""),
            "chartCsv": CSVTwinLink.path(for: chart.twin),
            "chartCsvCaption": LabelText.line(ReportLabels.tableData, language, separator: "/"),
            "hasLeftOut": anyLeftOut,
            "leftOutNote": line(ReportLabels.chartLeftOut),
            "chartNotes": chart.notes.map(line),
            "chartSource": LabelText.line(chart.source, language),
        ]
    }

    /// Category names longer than 26 characters are cut with "…" in the SVG (the full name is in the `<desc>` and
    /// the data table), so a long village name cannot push the bars off a phone screen.
    static func shortened(_ text: String) -> String {
        text.count <= 26 ? text : String(text.prefix(25)) + "…"
    }

    /// SVG numbers with at most one decimal and a point, independent of the report language.
    static func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
