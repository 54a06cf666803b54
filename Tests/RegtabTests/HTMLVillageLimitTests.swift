import Foundation
import Testing
@testable import Profile
@testable import Publishing
@testable import Reporting

/// report.html over more villages than `html_village_limit` (issue 19): the village tables at kecamatan level,
/// each saying where its village rows are; every other output keeps the villages.
@Suite struct HTMLVillageLimitTests {
    /// Each kecamatan's heading, villages and subtotal become one row: the kecamatan's name with the subtotal's
    /// cells. Totals stay; tables without villages and documents under the limit are untouched.
    @Test func villageTablesCollapseToTheirKecamatanSubtotals() throws {
        var doc = RendererTests.document()
        doc.sections[0].tables[0].villageStub = true
        let original = doc.sections[0].tables[0]
        #expect(ReportRun.htmlDocument(doc, villages: 5, limit: 5) == doc)

        let html = ReportRun.htmlDocument(doc, villages: 6, limit: 5)
        let table = html.sections[0].tables[0]
        var expected: [DisplayRow] = []
        var kecamatan: Bilingual? = nil
        for row in original.rows {
            if row.kind == .heading { kecamatan = row.label }
            if row.kind == .subtotal { expected.append(DisplayRow(label: kecamatan!, kind: .detail, level: 0, cells: row.cells)) }
            if row.kind == .total { expected.append(row) }
        }
        #expect(expected.contains { $0.kind == .detail } && expected.contains { $0.kind == .total })
        #expect(table.rows == expected)
        #expect(table.stubHeader == Bilingual(id: "Kecamatan", en: "Subdistrict"))
        #expect(table.notes.count == original.notes.count + 1)
        #expect(table.notes.last?.en.contains("covers 6 villages; the village figures are in report.xlsx, report.md, data/pop_sex.csv") == true)
        #expect(!table.villageStub)
        // The other tables, and everything else of the document, as they were.
        #expect(Array(html.sections[0].tables.dropFirst()) == Array(doc.sections[0].tables.dropFirst()))
        #expect(Array(html.sections.dropFirst()) == Array(doc.sections.dropFirst()))
        #expect(html.keyFigures == doc.keyFigures && html.notes == doc.notes)
    }

    @Test func theLimitIsReadFromReportYml() throws {
        let dir = Repo.temporaryDirectory() + "/profile"
        try FileManager.default.copyItem(atPath: Repo.profile, toPath: dir)
        let yml = try String(contentsOfFile: dir + "/report.yml", encoding: .utf8)
        func load(_ extra: String) throws -> ReportSpec {
            try (yml + extra).write(toFile: dir + "/report.yml", atomically: true, encoding: .utf8)
            return try Profile.load(directory: dir).report
        }
        #expect(try load("").htmlVillageLimit == 5_000)
        #expect(try load("\nhtml_village_limit: 0\n").htmlVillageLimit == 0)
        #expect(try load("\nhtml_village_limit: 200000\n").htmlVillageLimit == 200_000)
        for bad in ["-1", "2.5", "many"] {
            let error = #expect(throws: ProfileError.self) { try load("\nhtml_village_limit: \(bad)\n") }
            #expect(error?.message == "'html_village_limit' must be a whole number of villages (0 or more)", "\(bad)")
        }
    }

    /// A run over 465 villages with `html_village_limit: 100`: report.html shows the kecamatans (33 rows and three
    /// regency totals in the population table, no village row anywhere in a village table) while the twins and
    /// report.md are byte-identical to the run without the limit.
    @Test func aRunOverTheLimitKeepsVillagesEverywhereButTheHTMLTables() throws {
        let dir = Repo.temporaryDirectory()
        try NationalShapeFixture.write(families: 3_000, regencies: 3, shuffleMembers: false, to: dir + "/data")
        let limited = dir + "/profile"
        try FileManager.default.copyItem(atPath: Repo.profile, toPath: limited)
        let yml = try String(contentsOfFile: limited + "/report.yml", encoding: .utf8)
        try (yml + "\nhtml_village_limit: 100\n").write(toFile: limited + "/report.yml", atomically: true, encoding: .utf8)
        func run(_ profile: String, _ out: String) throws {
            var options = RunOptions(profileDirectory: profile, dataDirectory: dir + "/data", outputDirectory: out, templatesDirectory: Repo.templates)
            options.salt = nil
            _ = try ReportRun.run(options)
        }
        try run(Repo.profile, dir + "/all")
        try run(limited, dir + "/limited")
        let all = try NationalShapeFixture.published(dir + "/all", twinsOnly: false)
        let cut = try NationalShapeFixture.published(dir + "/limited", twinsOnly: false)
        // The twins byte for byte; report.md but for its provenance line (the definition's hash changed with report.yml).
        #expect(all.keys.sorted() == cut.keys.sorted())
        for name in all.keys.sorted() where name.hasPrefix("data/") { #expect(all[name] == cut[name], "\(name)") }
        func withoutProvenance(_ bytes: [UInt8]?) -> [Substring] {
            String(decoding: bytes ?? [], as: UTF8.self).split(separator: "\n").filter { !$0.contains(" · spec ") }
        }
        let sameMarkdown = withoutProvenance(all["report.md"]) == withoutProvenance(cut["report.md"])
        #expect(sameMarkdown)
        let full = String(decoding: all["report.html"]!, as: UTF8.self), html = String(decoding: cut["report.html"]!, as: UTF8.self)
        #expect(html.count * 2 < full.count)
        let population = try #require(PublicationTests.region(html, from: "<figure id=\"tbl-population_sex\"", tag: "figure"))
        #expect(population.components(separatedBy: "<tr class=\"detail\">").count - 1 == 33)
        #expect(population.components(separatedBy: "<tr class=\"total\">").count - 1 == 3)
        #expect(!population.contains("class=\"heading\"") && !population.contains("class=\"subtotal\""))
        #expect(population.contains("data/population_sex.csv"))
        let fullPopulation = try #require(PublicationTests.region(full, from: "<figure id=\"tbl-population_sex\"", tag: "figure"))
        #expect(fullPopulation.components(separatedBy: "<tr class=\"detail\">").count - 1 == 465)
    }
}
