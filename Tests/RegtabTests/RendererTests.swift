import Foundation
import Profile
import Publishing
import Testing
import Tabulation

/// The renderers against a small hand-built report: golden Markdown, HTML and Excel sheet XML, escaping of hostile
/// labels, numeric Excel cells, and byte-identical repeated output.
///
/// Golden files live in `Fixtures/golden/`; run with `REGTAB_UPDATE_GOLDEN=1` to rewrite them from the renderers,
/// then review the diff before committing.
@Suite struct RendererTests {
    // MARK: - Fixture document

    static let scriptLabel = "Desa <script>alert(1)</script>"
    static let formulaLabel = "=HYPERLINK(\"http://x\",\"y\")"

    /// Two tables: the first with two spanner levels, a column without spanners, heading/detail/subtotal/total rows,
    /// a confidential, a not-applicable and a zero cell, 1234567 and 12.5, and three hostile labels.
    static func document(language: Language = .both) -> ReportDocument {
        let population = Bilingual(id: "Penduduk", en: "Population")
        let male = Bilingual(id: "Laki-laki", en: "Male")
        let female = Bilingual(id: "Perempuan", en: "Female")
        let total = Bilingual(id: "Jumlah", en: "Total")
        let percent = Bilingual(id: "Persen", en: "Percent")
        let columns = [
            DisplayColumn(label: total, spanners: [population, male]),
            DisplayColumn(label: percent, spanners: [population, male], style: .decimal(1)),
            DisplayColumn(label: total, spanners: [population, female]),
            DisplayColumn(label: percent, spanners: [population, female], style: .decimal(1)),
            DisplayColumn(label: Bilingual(id: "Rumah Tangga", en: "Households")),
        ]
        func cells(_ values: [Double?]) -> [DisplayCell] { values.map { DisplayCell(value: $0, status: .value) } }
        let table1 = DisplayTable(
            id: "pop_sex", number: "3.1.1",
            title: Bilingual(id: "Penduduk Menurut Desa dan Jenis Kelamin", en: "Population by Village and Sex"),
            unit: Bilingual(id: "(jiwa)", en: "(persons)"),
            stubHeader: Bilingual(id: "Kecamatan/Desa", en: "Subdistrict/Village"),
            columns: columns,
            rows: [
                DisplayRow(label: Bilingual("Sekernan"), kind: .heading, cells: []),
                DisplayRow(label: Bilingual(scriptLabel), kind: .detail, level: 1,
                           cells: cells([1_234_567, 12.5, 0, 0, 310])),
                DisplayRow(label: Bilingual(formulaLabel), kind: .detail, level: 1,
                           cells: [DisplayCell(value: 3, status: .confidential), DisplayCell(value: nil, status: .notApplicable),
                                   DisplayCell(value: 7, status: .value), DisplayCell(value: 87.5, status: .value),
                                   DisplayCell(value: nil, status: .value)]),
                DisplayRow(label: Bilingual("a|b"), kind: .detail, level: 1, cells: cells([10, 50, 10, 50, 4])),
                DisplayRow(label: Bilingual(id: "Jumlah Sekernan", en: "Sekernan Total"), kind: .subtotal,
                           cells: cells([1_234_580, 50.2, 1_234_500, 49.8, 314])),
                DisplayRow(label: total, kind: .total, cells: cells([1_234_580, 50.2, 1_234_500, 49.8, 314])),
            ],
            notes: [Bilingual(id: "Angka sementara.", en: "Preliminary figures."),
                    Bilingual(id: "Sel x dirahasiakan.", en: "Cells x are confidential.")],
            source: Bilingual(id: "Regsosek 2022 (diolah)", en: "Regsosek 2022 (processed)"),
            section: Bilingual(id: "Kependudukan", en: "Population"))
        let table2 = DisplayTable(
            id: "households", number: "3.1.2",
            title: Bilingual(id: "Rumah Tangga Menurut Kecamatan", en: "Households by Subdistrict"),
            unit: Bilingual(id: "(rumah tangga)", en: "(households)"),
            stubHeader: Bilingual(id: "Kecamatan", en: "Subdistrict"),
            columns: [DisplayColumn(label: Bilingual(id: "Rumah Tangga", en: "Households")),
                      DisplayColumn(label: Bilingual(id: "Rata-rata ART", en: "Average size"), style: .decimal(2))],
            rows: [
                DisplayRow(label: Bilingual("Sekernan"), kind: .detail, cells: cells([2_500, 3.456])),
                DisplayRow(label: Bilingual("Sengeti"), kind: .detail, cells: cells([1_200, 3.9])),
                DisplayRow(label: Bilingual(id: "Jumlah", en: "Total"), kind: .total, cells: cells([3_700, 3.6])),
            ],
            notes: [Bilingual(id: "ART = anggota rumah tangga.", en: "Average household size in persons.")],
            source: Bilingual(id: "Regsosek 2022", en: "Regsosek 2022"),
            section: Bilingual(id: "Kependudukan", en: "Population"))
        return ReportDocument(
            title: Bilingual(id: "Profil Desa Kabupaten Muaro Jambi", en: "Village Profile of Muaro Jambi Regency"),
            subtitle: Bilingual(id: "Registrasi Sosial Ekonomi 2022", en: "Socio-Economic Registration 2022"),
            keyFigures: [KeyFigure(label: Bilingual(id: "Penduduk", en: "Population"), value: 2_469_080, style: .integer),
                         KeyFigure(label: Bilingual(id: "Rata-rata ART", en: "Average household size"), value: 3.6,
                                   style: .decimal(1))],
            sections: [ReportSection(id: "population", title: Bilingual(id: "Kependudukan", en: "Population"),
                                     tables: [table1, table2])],
            accounting: [
                AccountingLine(file: "anggota.csv", kind: .read, label: Bilingual(id: "Record dibaca", en: "Records read"),
                               count: 1_234_600),
                AccountingLine(file: "anggota.csv", kind: .excluded,
                               label: Bilingual(id: "Kode desa tidak dikenal", en: "Unknown village code"), count: 20),
                AccountingLine(file: "anggota.csv", kind: .tabulated, label: Bilingual(id: "Record ditabulasi", en: "Records tabulated"),
                               count: 1_234_580),
            ],
            notes: CellSymbols.legend,
            source: Bilingual(id: "BPS Kabupaten Muaro Jambi, Regsosek 2022", en: "BPS-Statistics of Muaro Jambi Regency, Regsosek 2022"),
            language: language,
            provenance: "regtab 0.1.0 · spec test · data test")
    }

    // MARK: - Paths

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let goldenDirectory = testsDirectory.appendingPathComponent("Fixtures/golden")
    static let templatesDirectory = testsDirectory.appendingPathComponent("../../Templates").standardizedFileURL

    static func templates() throws -> TemplateSet { try TemplateSet(directory: templatesDirectory.path) }

    /// Compares `actual` with the golden file, or rewrites the golden file when `REGTAB_UPDATE_GOLDEN=1`.
    static func expectGolden(_ actual: String, _ name: String) throws {
        let url = goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["REGTAB_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from the golden file; rerun with REGTAB_UPDATE_GOLDEN=1 and review the diff")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("regtab-renderer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One member of a zip archive, through the system `unzip` (the xlsx is a zip of XML parts).
    static func unzip(_ archive: URL, _ member: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        // unzip reads member names as patterns: "[Content_Types].xml" needs its brackets escaped.
        let pattern = member.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
        process.arguments = ["-p", archive.path, pattern]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "unzip -p \(member) failed")
        return String(decoding: data, as: UTF8.self)
    }

    static func members(_ archive: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-Z1", archive.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    // MARK: - Number formatting

    @Test(arguments: [
        (1_234_567.0, NumberStyle.integer, Language.id, "1.234.567"),
        (1_234_567.0, .integer, .en, "1,234,567"),
        (1_234_567.0, .integer, .both, "1.234.567"),
        (12.5, .decimal(1), .id, "12,5"),
        (12.5, .decimal(1), .en, "12.5"),
        (12.5, .integer, .id, "13"),
        (0.0, .integer, .id, "-"),
        (0.0, .decimal(1), .en, "-"),
        (-1234.5, .decimal(2), .id, "-1.234,50"),
        (1.005, .decimal(2), .en, "1.01"),
        (0.04, .decimal(1), .id, "0,0"),
        (-0.04, .decimal(1), .id, "0,0"),
        (0.05, .decimal(1), .id, "0,1"),
        (999.96, .decimal(1), .en, "1,000.0"),
        (1e-7, .decimal(2), .en, "0.00"),
        (1.5e16, .integer, .en, "15,000,000,000,000,000"),
        (Double.nan, .integer, .id, "…"),
    ])
    func numberFormatting(value: Double, style: NumberStyle, language: Language, expected: String) {
        #expect(NumberFormatting.format(value, style: style, language: language) == expected)
    }

    @Test func cellSymbols() {
        #expect(NumberFormatting.format(DisplayCell(value: 5, status: .confidential), style: .integer, language: .id) == "x")
        #expect(NumberFormatting.format(DisplayCell(value: nil, status: .notApplicable), style: .integer, language: .id) == "…")
        #expect(NumberFormatting.format(DisplayCell(value: nil, status: .value), style: .integer, language: .id) == "…")
        #expect(NumberFormatting.format(DisplayCell(value: 0, status: .value), style: .integer, language: .en) == "-")
        #expect(CellSymbols.legend.count == 3)
    }

    @Test func labelText() {
        let sex = Bilingual(id: "Laki-laki", en: "Male")
        #expect(LabelText.line(sex, .id) == "Laki-laki")
        #expect(LabelText.line(sex, .en) == "Male")
        #expect(LabelText.line(sex, .both) == "Laki-laki / Male")
        #expect(LabelText.line(Bilingual("Sengeti"), .both) == "Sengeti")
        #expect(LabelText.parts(sex, .both).secondary == "Male")
        #expect(LabelText.parts(sex, .en).secondary == nil)
    }

    // MARK: - Markdown

    @Test func markdownGolden() throws {
        let markdown = try MarkdownRenderer.render(Self.document(), templates: Self.templates())
        try Self.expectGolden(markdown, "report.md")
    }

    @Test func markdownEscapesDataText() throws {
        let markdown = try MarkdownRenderer.render(Self.document(), templates: Self.templates())
        #expect(markdown.contains("a\\|b"))
        #expect(!markdown.contains("| a|b"))
        #expect(markdown.contains("Desa \\<script\\>alert(1)\\</script\\>"))
        #expect(markdown.range(of: #"(^|[^\\])<script"#, options: .regularExpression) == nil)
        #expect(markdown.contains("Perempuan / Female: Jumlah / Total"))
        #expect(markdown.contains("**Jumlah / Total**"))
    }

    // MARK: - HTML

    @Test func htmlGolden() throws {
        let html = try HTMLRenderer.render(Self.document(), templates: Self.templates())
        try Self.expectGolden(html, "report.html")
    }

    @Test func htmlEscapesDataTextAndIsSelfContained() throws {
        let html = try HTMLRenderer.render(Self.document(), templates: Self.templates())
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(html.contains("<html lang=\"id\">"))
        #expect(html.contains("<th id=\"t1-h0-0\" scope=\"colgroup\" colspan=\"4\">Penduduk <span lang=\"en\" class=\"en\">Population</span></th>"))
        #expect(html.contains("<th id=\"t1-h0-4\" scope=\"col\" rowspan=\"3\">Rumah Tangga"))
        #expect(html.contains("href=\"data/pop_sex.csv\""))
        #expect(html.contains("\">1.234.567</td>"))
        #expect(html.contains("\">12,5</td>"))
    }

    @Test func englishReportUsesEnglishFormat() throws {
        let html = try HTMLRenderer.render(Self.document(language: .en), templates: Self.templates())
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("\">1,234,567</td>"))
        #expect(!html.contains("lang=\"en\" class=\"en\""))
    }

    @Test func missingTemplateDirectoryThrows() {
        #expect(throws: PublishingError.self) { try TemplateSet(directory: "/nonexistent/regtab-templates") }
    }

    // MARK: - Excel

    @Test func excelWorkbook() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.xlsx")
        let second = directory.appendingPathComponent("b.xlsx")
        try ExcelRenderer.write(Self.document(), to: first.path)
        try ExcelRenderer.write(Self.document(), to: second.path)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second), "two writes must be byte-identical")

        let sheet = try Self.unzip(first, "xl/worksheets/sheet2.xml")
        let strings = try Self.unzip(first, "xl/sharedStrings.xml")
        // Numbers are numeric cells (no t="s"/t="str"), with the raw value.
        #expect(sheet.range(of: #"<c r="B8" s="\d+"><v>1234567</v></c>"#, options: .regularExpression) != nil)
        #expect(sheet.range(of: #"<c r="C8" s="\d+"><v>12.5</v></c>"#, options: .regularExpression) != nil)
        #expect(sheet.range(of: #"<c r="D8" s="\d+"><v>0</v></c>"#, options: .regularExpression) != nil)
        // Hostile labels are shared strings, never formulas.
        #expect(sheet.range(of: #"<c r="A9" s="\d+" t="s">"#, options: .regularExpression) != nil)
        #expect(strings.contains("=HYPERLINK("))
        #expect(strings.contains("&lt;script&gt;"))
        for member in try Self.members(first) where member.hasSuffix(".xml") {
            #expect(!(try Self.unzip(first, member)).contains("<f>"), "formula element in \(member)")
        }
        // Symbols are text cells.
        #expect(sheet.range(of: #"<c r="B9" s="\d+" t="s">"#, options: .regularExpression) != nil)
        #expect(sheet.range(of: #"<c r="C9" s="\d+" t="s">"#, options: .regularExpression) != nil)
        #expect(strings.contains("<t>x</t>"))
        #expect(strings.contains("<t>…</t>"))
        // Header merges: stub over three header rows, spanners at two depths, spanner-less leaf down to the bottom.
        for range in ["A4:A6", "B4:E4", "B5:C5", "D5:E5", "F4:F6"] {
            #expect(sheet.contains("<mergeCell ref=\"\(range)\"/>"), "merged range \(range)")
        }
        #expect(sheet.contains("state=\"frozen\""))
        #expect(sheet.contains("topLeftCell=\"B7\""))
        #expect(sheet.contains("orientation=\"landscape\""))
        let workbook = try Self.unzip(first, "xl/workbook.xml")
        #expect(workbook.contains("<sheet name=\"Isi-Contents\""))
        #expect(workbook.contains("<sheet name=\"3.1.1 pop_sex\""))
        #expect(workbook.contains("<sheet name=\"Catatan-Notes\""))
        #expect(workbook.contains("_xlnm.Print_Titles"))
        try Self.expectGolden(sheet, "sheet2.xml")
    }

    @Test func excelReportsUnwritablePath() {
        #expect(throws: PublishingError.self) {
            try ExcelRenderer.write(Self.document(), to: "/nonexistent-dir/regtab/report.xlsx")
        }
    }
}
