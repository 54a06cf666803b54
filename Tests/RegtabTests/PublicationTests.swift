import Foundation
import Profile
import Publishing
import Testing
import Tabulation
@testable import Publishing

/// Issue 4's publication layer on a hand-built document (the renderer fixture plus charts and a briefing): the cover
/// sheet, briefing sheet and native charts of the workbook, the layout file, inline SVG charts that leave confidential
/// points out, `headers` on every body cell, the briefing page, goldens and byte-identical repeats.
///
/// Goldens in `Fixtures/golden/` (`REGTAB_UPDATE_GOLDEN=1` rewrites them): `sheet1.xml` (cover), `table-region.html`
/// (one HTML table), `chart-region.html` (one HTML chart), `briefing.html`.
@Suite struct PublicationTests {
    static let hostileVillage = "<b>Desa</b> & \"Co\""

    /// One chart: three kecamatan × two programmes, with a confidential and a not-applicable point.
    static func chart() -> ChartSpec {
        ChartSpec(
            id: "coverage_by_kecamatan", number: "6.1",
            title: Bilingual(id: "Cakupan Program Menurut Kecamatan", en: "Programme Coverage by Subdistrict"),
            valueLabel: Bilingual(id: "Cakupan (%)", en: "Coverage (%)"),
            categoryLabel: Bilingual(id: "Kecamatan", en: "Subdistrict"),
            categories: [Bilingual("Sekernan"), Bilingual("Jambi Luar Kota"), Bilingual("Kecamatan Dengan Nama Yang Sangat Panjang")],
            series: [
                .init(id: "PKH", label: Bilingual(id: "Program Keluarga Harapan (PKH)", en: "Family Hope Programme (PKH)"),
                      points: [DisplayCell(value: 68.2, status: .value), DisplayCell(value: 3, status: .confidential),
                               DisplayCell(value: 0, status: .value)]),
                .init(id: "ANY", label: Bilingual(id: "Program apa pun", en: "Any programme"),
                      points: [DisplayCell(value: 86, status: .value), DisplayCell(value: 100, status: .value),
                               DisplayCell(value: nil, status: .notApplicable)]),
            ],
            style: .decimal(1), maximum: 100, tableID: "households", twin: "targeting",
            notes: [Bilingual(id: "Cakupan = layak menerima ÷ layak × 100.", en: "Coverage = eligible recipients ÷ eligible × 100.")],
            source: Bilingual(id: "Regsosek 2022", en: "Regsosek 2022"))
    }

    static func briefing(language: Language = .both) -> Briefing {
        let programmes = DisplayTable(
            id: "briefing_programmes", number: "", title: Briefing.Labels.programmes,
            stubHeader: Bilingual(id: "Program", en: "Programme"),
            columns: [DisplayColumn(label: Bilingual(id: "Keluarga layak", en: "Eligible families")),
                      DisplayColumn(label: Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), style: .decimal(1))],
            rows: [DisplayRow(label: Bilingual(id: "PKH", en: "PKH"), kind: .detail,
                              cells: [DisplayCell(value: 5413, status: .value), DisplayCell(value: 69.1, status: .value)]),
                   DisplayRow(label: Bilingual(id: "Program apa pun", en: "Any programme"), kind: .total,
                              cells: [DisplayCell(value: 10234, status: .value), DisplayCell(value: nil, status: .confidential)])],
            notes: [Bilingual(id: "Cakupan = layak menerima ÷ layak.", en: "Coverage = eligible receiving ÷ eligible.")],
            source: Bilingual("Regsosek 2022"), section: Briefing.Labels.programmes, twin: "targeting")
        return Briefing(
            title: Briefing.Labels.title,
            subtitle: Bilingual(id: "Kabupaten Muaro Jambi — Regsosek 2022", en: "Muaro Jambi Regency — Regsosek 2022"),
            figures: [KeyFigure(label: Bilingual(id: "Penduduk (jiwa)", en: "Population (persons)"), value: 57_586, style: .integer),
                      KeyFigure(label: Bilingual(id: "Keluarga desil 1–4 (%)", en: "Families in deciles 1–4 (%)"), value: 41.1, style: .decimal(1))],
            findings: [Bilingual(id: "Dari 10.234 keluarga layak, 1.513 tidak menerima.", en: "Of 10.234 eligible families, 1.513 receive nothing.")],
            programmes: programmes,
            duplicates: [Briefing.LineGroup(
                title: Bilingual(id: "Masalah pembayaran", en: "Payment problems"),
                meaning: Bilingual(id: "Bantuan yang mungkin dibayar dua kali.", en: "Assistance that may be paid twice."),
                lines: [Briefing.Line(label: Bilingual(id: "Baris NIK ganda", en: "Duplicate-NIK rows"), cell: DisplayCell(value: 506, status: .value)),
                        Briefing.Line(label: Bilingual(id: "Keluarga tercatat ganda", en: "Families listed twice"), cell: DisplayCell(value: nil, status: .confidential))])],
            topExclusion: Briefing.VillageList(
                id: "top-exclusion", title: Bilingual(id: "10 desa dengan keluarga layak tidak menerima terbanyak", en: "10 villages with the most eligible non-recipients"),
                columns: [DisplayColumn(label: Bilingual(id: "Layak, tidak menerima", en: "Eligible, not receiving"))],
                rows: [.init(village: hostileVillage, kecamatan: "Sekernan", cells: [DisplayCell(value: 43, status: .value)]),
                       .init(village: "Sengeti", kecamatan: "Sekernan", cells: [DisplayCell(value: 37, status: .value)])],
                emptyText: Bilingual(id: "Tidak ada.", en: "None."), note: Bilingual(id: "Desa x tidak diperingkat.", en: "Villages x are not ranked.")),
            topDuplicates: Briefing.VillageList(
                id: "top-duplicates", title: Bilingual(id: "10 desa dengan temuan penerima ganda terbanyak", en: "10 villages with the most duplicate findings"),
                columns: [DisplayColumn(label: Bilingual(id: "Jumlah temuan", en: "Findings"))], rows: [],
                emptyText: Bilingual(id: "Tidak ada temuan penerima ganda.", en: "No duplicate recipients were found.")),
            notes: [Bilingual(id: "x = dirahasiakan.", en: "x = confidential.")],
            source: Bilingual(id: "BPS Kabupaten Muaro Jambi, Regsosek 2022", en: "BPS-Statistics of Muaro Jambi Regency, Regsosek 2022"),
            language: language, provenance: "regtab 0.1.0 · spec test · data test")
    }

    static func document(language: Language = .both) -> ReportDocument {
        var doc = RendererTests.document(language: language)
        doc.charts = [chart()]
        doc.briefing = briefing(language: language)
        return doc
    }

    static func templates() throws -> TemplateSet { try RendererTests.templates() }

    /// The text of the first element that starts with `open` (e.g. `<figure id="x"`) through its matching `</tag>`.
    static func region(_ html: String, from open: String, tag: String) -> String? {
        guard let start = html.range(of: open) else { return nil }
        var depth = 0
        var index = start.lowerBound
        while index < html.endIndex {
            if html[index...].hasPrefix("<\(tag)") { depth += 1 }
            if html[index...].hasPrefix("</\(tag)>") {
                depth -= 1
                if depth == 0 { return String(html[start.lowerBound..<html.index(index, offsetBy: tag.count + 3)]) }
            }
            index = html.index(after: index)
        }
        return nil
    }

    // MARK: - Layout file

    @Test func layoutFileEqualsBuiltInLook() throws {
        let layout = try Self.templates().excelLayout
        #expect(layout == .standard, "Templates/excel/layout.yml must describe today's look")
    }

    @Test func layoutParsesAndRejectsTypos() throws {
        let layout = try ExcelLayout.parse("""
            font: {name: Arial, size: 10}
            header: {fill: "#DDEBF7", color: 1F4E79}
            total_row: {fill: none}
            column_widths: {stub: {max: 40}}
            charts: {bar: "000000", per_row: 3}
            """, file: "layout.yml")
        #expect(layout.fontName == "Arial" && layout.fontSize == 10)
        #expect(layout.header.fill == 0xDDEBF7 && layout.header.color == 0x1F4E79 && layout.header.bold == true)
        #expect(layout.total.fill == nil)
        #expect(layout.stubWidth.max == 40 && layout.stubWidth.min == 12)
        #expect(layout.chartBar == 0 && layout.chartsPerRow == 3)
        #expect(throws: PublishingError.self) { try ExcelLayout.parse("header: {colour: red}", file: "layout.yml") }
        #expect(throws: PublishingError.self) { try ExcelLayout.parse("header: {fill: blue}", file: "layout.yml") }
        #expect(throws: PublishingError.self) { try ExcelLayout.parse("headers: {}", file: "layout.yml") }
        #expect(try ExcelLayout.parse("", file: "layout.yml") == .standard)
    }

    @Test func layoutRestylesTheWorkbook() throws {
        let directory = try RendererTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let standard = directory.appendingPathComponent("standard.xlsx"), loaded = directory.appendingPathComponent("loaded.xlsx")
        let styled = directory.appendingPathComponent("styled.xlsx")
        try ExcelRenderer.write(RendererTests.document(), to: standard.path)
        try ExcelRenderer.write(RendererTests.document(), to: loaded.path, layout: Self.templates().excelLayout)
        #expect(try Data(contentsOf: standard) == Data(contentsOf: loaded), "the shipped layout file changes nothing")
        let layout = try ExcelLayout.parse("font: {name: Arial}\nheader: {fill: DDEBF7}\ncolumn_widths: {value: {min: 15}}", file: "t.yml")
        try ExcelRenderer.write(RendererTests.document(), to: styled.path, layout: layout)
        let styles = try RendererTests.unzip(styled, "xl/styles.xml")
        #expect(styles.contains("<name val=\"Arial\"/>"))
        #expect(styles.contains("FFDDEBF7"))
        let sheet = try RendererTests.unzip(styled, "xl/worksheets/sheet2.xml")
        #expect(sheet.contains("width=\"17.7109375\""), "value columns at least 15 + 2 characters wide")
    }

    // MARK: - Workbook: cover, briefing sheet, charts

    @Test func workbookCoverBriefingAndCharts() throws {
        let directory = try RendererTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.xlsx"), second = directory.appendingPathComponent("b.xlsx")
        try ExcelRenderer.write(Self.document(), to: first.path)
        try ExcelRenderer.write(Self.document(), to: second.path)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second), "two writes must be byte-identical")

        let workbook = try RendererTests.unzip(first, "xl/workbook.xml")
        let names = workbook.matches(of: /<sheet name="([^"]*)"/).map { String($0.1) }
        #expect(names == ["Isi-Contents", "Ringkasan-Briefing", "3.1.1 pop_sex", "3.1.2 households", "Grafik-Charts", "Catatan-Notes"])

        // Cover: title, subtitle, source, a link to every other sheet, provenance.
        let cover = try RendererTests.unzip(first, "xl/worksheets/sheet1.xml")
        let strings = try RendererTests.unzip(first, "xl/sharedStrings.xml")
        for name in names.dropFirst() {
            #expect(cover.contains("location=\"'\(name)'!A1\""), "cover links to \(name)")
        }
        #expect(strings.contains("Profil Desa Kabupaten Muaro Jambi"))
        #expect(strings.contains("Sumber/Source: BPS Kabupaten Muaro Jambi, Regsosek 2022"))
        #expect(strings.contains("regtab 0.1.0 · spec test · data test"))
        try RendererTests.expectGolden(cover, "sheet1.xml")

        // Briefing sheet: one portrait page, the confidential duplicate line as x.
        let briefing = try RendererTests.unzip(first, "xl/worksheets/sheet2.xml")
        #expect(briefing.contains("<pageSetup paperSize=\"9\" orientation=\"portrait\"/>"), "A4 portrait, one page wide and tall (the defaults)")
        #expect(briefing.contains("<pageSetUpPr fitToPage=\"1\"/>"))
        #expect(strings.contains("Ringkasan untuk Forum Koordinasi Pimpinan Daerah (Forkopimda)"))
        #expect(strings.contains("1. &lt;b&gt;Desa&lt;/b&gt; &amp; \"Co\""))

        // Charts: one native bar chart per series on the chart sheet, blanks as gaps, alt text.
        let members = try RendererTests.members(first)
        #expect(members.filter { $0.hasPrefix("xl/charts/chart") }.count == 2)
        let chart = try RendererTests.unzip(first, "xl/charts/chart1.xml")
        #expect(chart.contains("<c:barDir val=\"bar\"/>"))
        // Blanks as gaps: libxlsxwriter writes no dispBlanksAs element for Excel's default, gap — never "zero".
        #expect(!chart.contains("<c:dispBlanksAs val=\"zero\"/>"))
        #expect(chart.contains("'Grafik-Charts'!$B$"), "series read the chart sheet's data block")
        let drawing = try RendererTests.unzip(first, "xl/drawings/drawing1.xml")
        #expect(drawing.contains("descr=\"Cakupan Program Menurut Kecamatan / Programme Coverage by Subdistrict"))
        #expect(drawing.contains("Jambi Luar Kota x"), "alt text gives the symbol of a point left out")
        // The confidential point (PKH × Jambi Luar Kota) is an empty cell in the data block, never a number or 0.
        let chartSheet = try RendererTests.unzip(first, "xl/worksheets/sheet5.xml")
        let rows = chartSheet.matches(of: /<row r="(\d+)"[^>]*>(.*?)<\/row>/).map { (String($0.1), String($0.2)) }
        let jambi = try #require(rows.first { row in
            guard let s = row.1.firstMatch(of: /<c r="A\d+"[^>]*t="s"><v>(\d+)<\/v>/) else { return false }
            return Self.sharedString(strings, Int(s.1)!) == "Jambi Luar Kota"
        })
        #expect(!jambi.1.contains("<c r=\"B\(jambi.0)\""), "confidential point left out: \(jambi.1)")
        #expect(jambi.1.contains("<c r=\"C\(jambi.0)\""), "published point present: \(jambi.1)")
        for member in members where member.hasSuffix(".xml") {
            #expect(!(try RendererTests.unzip(first, member)).contains("<f>"), "formula element in \(member)")
        }
    }

    static func sharedString(_ xml: String, _ index: Int) -> String? {
        let items = xml.matches(of: /<si>(.*?)<\/si>/.dotMatchesNewlines()).map { String($0.1) }
        guard index < items.count else { return nil }
        return items[index].replacing(/<[^>]+>/, with: "")
    }

    // MARK: - HTML: charts, headers, footer

    @Test func htmlChartsAreAccessibleAndLeaveOutConfidentialPoints() throws {
        let html = try HTMLRenderer.render(Self.document(), templates: Self.templates())
        let figure = try #require(Self.region(html, from: "<figure id=\"fig-coverage_by_kecamatan\"", tag: "figure"))
        // Placed right after the table holding its numbers.
        let tableEnd = try #require(html.range(of: "<figure id=\"tbl-households\""))
        let chartStart = try #require(html.range(of: "<figure id=\"fig-coverage_by_kecamatan\""))
        #expect(tableEnd.lowerBound < chartStart.lowerBound)
        #expect(figure.contains("<figcaption"))
        #expect(figure.matches(of: /<svg [^>]*role="img" aria-labelledby="([^" ]+) ([^"]+)"/).count == 2)
        #expect(figure.contains("<title id="))
        #expect(figure.contains("<desc id="))
        #expect(figure.contains("Jambi Luar Kota x (dirahasiakan / confidential); Kecamatan Dengan Nama Yang Sangat Panjang 0."), "the description names the point left out")
        // Drawn bars: PKH 68,2 (the 0 has no bar, x has none), ANY 86 and 100 (… has none) = 3.
        #expect(figure.matches(of: /<rect class="bar"/).count == 3)
        #expect(figure.contains("<text class=\"val sym\""))
        #expect(figure.contains(">Kecamatan Dengan Nama Yan…</text>"), "long names are shortened in the SVG")
        #expect(figure.contains("href=\"#tbl-households\""), "links to its data table")
        #expect(figure.contains("href=\"data/targeting.csv\""))
        #expect(!html.contains("<script"))
        try RendererTests.expectGolden(figure + "\n", "chart-region.html")
    }

    @Test func htmlBodyCellsNameTheirHeaders() throws {
        let html = try HTMLRenderer.render(Self.document(), templates: Self.templates())
        let table = try #require(Self.region(html, from: "<figure id=\"tbl-pop_sex\"", tag: "figure"))
        let ids = Set(html.matches(of: #/ id="([^"]+)"/#).map { String($0.1) })
        var cells = 0
        for match in table.matches(of: /<td class="num" headers="([^"]+)">/) {
            cells += 1
            for id in match.1.split(separator: " ") { #expect(ids.contains(String(id)), "headers names a missing id \(id)") }
        }
        #expect(cells == 5 * 5)
        #expect(table.matches(of: #/<td /#).count == cells, "every body cell has headers")
        // A village under its kecamatan heading: spanners, leaf, heading and row.
        #expect(table.contains("<td class=\"num\" headers=\"t1-h0-0 t1-h1-0 t1-h2-0 t1-r1 t1-r2\">1.234.567</td>"))
        #expect(table.contains("<th scope=\"rowgroup\" id=\"t1-r1\""))
        #expect(table.matches(of: /<tbody>/).count == 2, "a kecamatan group and the total")
        try RendererTests.expectGolden(table + "\n", "table-region.html")
        // Footer: provenance, manifest and briefing links.
        #expect(html.contains("<footer class=\"report-footer\">\n<p>Dibuat dengan/Produced with: regtab 0.1.0 · spec test · data test · <a href=\"manifest.json\""))
        #expect(html.contains("<a href=\"briefing.html\">"))
    }

    // MARK: - Briefing page

    @Test func briefingPage() throws {
        let templates = try Self.templates()
        let page = try #require(try HTMLRenderer.renderBriefing(Self.document(), templates: templates))
        #expect(try HTMLRenderer.renderBriefing(RendererTests.document(), templates: templates) == nil)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<html lang=\"id\">"))
        #expect(page.contains("@page { size: A4 portrait"), "print CSS for one A4 page")
        #expect(page.contains("&lt;b&gt;Desa&lt;/b&gt; &amp; &quot;Co&quot;"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("<link") && !page.contains("src="))
        #expect(page.contains("<abbr title=\"dirahasiakan / confidential\">x</abbr>"))
        #expect(page.contains("Tidak ada temuan penerima ganda."))
        #expect(page.contains("<a href=\"report.html\">"))
        let english = try #require(try HTMLRenderer.renderBriefing(Self.document(language: .en), templates: templates))
        #expect(english.contains("<html lang=\"en\">") && english.contains("57,586") && !english.contains("Ringkasan untuk"))
        try RendererTests.expectGolden(page, "briefing.html")
    }

    @Test func rendersAreByteIdentical() throws {
        let templates = try Self.templates()
        let doc = Self.document()
        #expect(try HTMLRenderer.render(doc, templates: templates) == HTMLRenderer.render(doc, templates: templates))
        #expect(try HTMLRenderer.renderBriefing(doc, templates: templates) == HTMLRenderer.renderBriefing(doc, templates: templates))
        #expect(try MarkdownRenderer.render(doc, templates: templates) == MarkdownRenderer.render(doc, templates: templates))
    }

    @Test func niceAxisMaximum() {
        #expect(ChartSpec.niceCeiling(0) == 1)
        #expect(ChartSpec.niceCeiling(7) == 10)
        #expect(ChartSpec.niceCeiling(23) == 25)
        #expect(ChartSpec.niceCeiling(420) == 500)
        #expect(ChartSpec.niceCeiling(1000) == 1000)
        #expect(Self.chart().ticks == [0, 25, 50, 75, 100])
    }
}
