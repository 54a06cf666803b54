import CXlsxWriter
import Profile

/// The sheet "Grafik-Charts": for each `ChartSpec` its data block (categories × series, the numbers the charts
/// draw) and one native horizontal bar chart per series (small multiples, as in the HTML report).
///
/// A point that is not drawn — confidential (`x`) or not applicable (`…`) — is an empty cell in the data block and
/// the chart shows blanks as gaps, so it is left out rather than drawn as zero (Excel plots text as zero, which is why
/// the symbol itself cannot stand in the data block); a note under the block says so.
extension ExcelRenderer {
    static func writeCharts(_ doc: ReportDocument, sheetName: String, sheet: XlsxSheet, book: XlsxWorkbook,
                            layout: ExcelLayout) throws {
        let language = doc.language
        let categoryWidth = Double(min(max((doc.charts.flatMap(\.categories).map { LabelText.line($0, language).count }.max() ?? 0) + 2, 14), 40))
        try sheet.columnWidth(0, 0, categoryWidth)
        let seriesCount = doc.charts.map(\.series.count).max() ?? 0
        if seriesCount > 0 { try sheet.columnWidth(1, seriesCount, 13) }

        var row = try writeStacked(ReportLabels.charts, language, sheet: sheet, row: 0, style: layout.apply(layout.title, to: XlsxStyle()))
        row += 1
        let head = layout.apply(layout.header, to: XlsxStyle(align: .center, verticalCenter: true, wrap: true, box: true))
        for chart in doc.charts {
            let title = LabelText.numberedTitle(number: chart.number, title: chart.title)
            let figureTitle = Bilingual(id: title.id.replacingOccurrences(of: "Tabel", with: "Gambar", options: .anchored),
                                        en: title.en.replacingOccurrences(of: "Table", with: "Figure", options: .anchored))
            row = try writeStacked(figureTitle, language, sheet: sheet, row: row, style: layout.apply(layout.tableTitle, to: XlsxStyle()))
            try sheet.string(row, 0, LabelText.line(ReportLabels.chartData, language, separator: "/") + " — "
                             + LabelText.line(chart.valueLabel, language), XlsxStyle(italic: true))
            row += 1

            // Data block.
            try sheet.string(row, 0, headerText(chart.categoryLabel, language), head)
            var lines = 1
            for (s, series) in chart.series.enumerated() {
                let text = headerText(series.label, language)
                try sheet.string(row, 1 + s, text, head)
                lines = max(lines, wrappedLineCount(text, width: 13))
            }
            if lines > 1 { try sheet.rowHeight(row, layout.headerLineHeight * Double(lines)) }
            row += 1
            let firstDataRow = row
            for (c, category) in chart.categories.enumerated() {
                try sheet.string(row, 0, LabelText.line(category, language), XlsxStyle(align: .left))
                for (s, series) in chart.series.enumerated() {
                    let point = c < series.points.count ? series.points[c] : DisplayCell(value: nil, status: .notApplicable)
                    if ChartSpec.isDrawn(point), let value = point.value {
                        try sheet.number(row, 1 + s, value, XlsxStyle(numberFormat: numberFormat(chart.style)))
                    }
                }
                row += 1
            }
            let lastDataRow = row - 1
            try sheet.string(row, 0, LabelText.line(ReportLabels.chartLeftOutExcel, language), XlsxStyle(italic: true))
            row += 1
            try sheet.string(row, 0, ReportLabels.sourceLine(chart.source, language))
            row += 2

            // Small multiples: one bar chart per series, `chartsPerRow` side by side.
            let height = max(layout.chartHeight, 70 + 22 * chart.categories.count)
            let rowsPerChart = (height + 19) / 20 + 1
            for (s, series) in chart.series.enumerated() {
                let pointer = try book.addChart(LXW_CHART_BAR)
                let added = chart_add_series(pointer, nil, nil)
                chart_series_set_categories(added, sheetName, lxw_row_t(firstDataRow), 0, lxw_row_t(lastDataRow), 0)
                chart_series_set_values(added, sheetName, lxw_row_t(firstDataRow), lxw_col_t(1 + s), lxw_row_t(lastDataRow), lxw_col_t(1 + s))
                let name = LabelText.line(series.label, language)
                chart_series_set_name(added, name)
                var fill = lxw_chart_fill()
                fill.color = series.id == "ANY" ? layout.chartHighlight : layout.chartBar
                chart_series_set_fill(added, &fill)
                chart_series_set_labels(added)
                chart_series_set_labels_num_format(added, chartNumberFormat(chart.style))
                chart_title_set_name(pointer, name)
                var titleFont = lxw_chart_font()
                titleFont.size = 11
                titleFont.bold = 1
                chart_title_set_name_font(pointer, &titleFont)
                chart_legend_set_position(pointer, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
                chart_show_blanks_as(pointer, UInt8(LXW_CHART_BLANKS_AS_GAP.rawValue))
                chart_set_series_gap(pointer, 60)
                // libxlsxwriter bar charts: x_axis is the value axis (horizontal), y_axis the category axis (vertical).
                // Categories top to bottom in table order, the value axis kept at the bottom.
                chart_axis_set_reverse(pointer.pointee.y_axis)
                chart_axis_set_crossing_max(pointer.pointee.y_axis)
                chart_axis_set_min(pointer.pointee.x_axis, 0)
                chart_axis_set_max(pointer.pointee.x_axis, chart.axisMaximum)
                chart_axis_set_major_unit(pointer.pointee.x_axis, chart.axisMaximum / 4)
                chart_axis_set_num_format(pointer.pointee.x_axis, chartNumberFormat(.integer))

                let place = (row: row + (s / layout.chartsPerRow) * rowsPerChart, x: (s % layout.chartsPerRow) * (layout.chartWidth + 16))
                try sheet.insertChart(place.row, 0, pointer, xOffset: place.x, width: layout.chartWidth, height: height,
                                      description: chartDescription(chart, series: s, language: language))
            }
            let chartRows = (chart.series.count + layout.chartsPerRow - 1) / layout.chartsPerRow
            row += chartRows * rowsPerChart + 1
        }
        try sheet.printSetup(repeatRows: nil)
    }

    /// Excel's number format for data labels and the value axis (the reader's locale shows the separators).
    static func chartNumberFormat(_ style: NumberStyle) -> String {
        switch style {
        case .integer: "#,##0"
        case .decimal(let n): n > 0 ? "0." + String(repeating: "0", count: n) : "0"
        }
    }

    /// Alternative text of one panel: title, then every category with its value or symbol.
    static func chartDescription(_ chart: ChartSpec, series s: Int, language: Language) -> String {
        let series = chart.series[s]
        let values = chart.categories.enumerated().map { c, category -> String in
            let point = c < series.points.count ? series.points[c] : DisplayCell(value: nil, status: .notApplicable)
            return LabelText.line(category, language) + " " + NumberFormatting.format(point, style: chart.style, language: language)
        }
        return LabelText.line(chart.title, language) + " — " + LabelText.line(series.label, language) + ", "
            + LabelText.line(chart.valueLabel, language) + ": " + values.joined(separator: "; ")
    }
}
