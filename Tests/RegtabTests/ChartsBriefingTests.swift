import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Protection
@testable import Publishing
@testable import Reporting
@testable import Tabulation

/// `Charts` and `Briefing` on the hand-count registry after disclosure control (the built-in profile's suppression,
/// which on so few families blanks many kecamatan cells): every chart point is the protected cube cell, a confidential
/// cell is left out of the chart (no bar, no number in the SVG), and the briefing reads the same cells and rankings as
/// the report's tables.
@Suite struct ChartsBriefingTests {
    struct Fixture: @unchecked Sendable {
        var profile: Profile
        var result: EngineResult
        var builder: TableBuilder
    }

    static let fixture: Result<Fixture, any Error> = Result {
        let profile = try Profile.load(directory: Repo.profile)
        let raw = try Engine(profile: profile).run(dataDirectory: Repo.fixture("handcount"))
        let result = try Protection.apply(profile.report.protection, salt: nil, to: raw, tables: profile.tables).result
        return Fixture(profile: profile, result: result, builder: TableBuilder(codebook: profile.codebook, report: profile.report))
    }

    @Test func chartPointsAreTheProtectedCubeCells() throws {
        let f = try Self.fixture.get()
        let charts = Charts.make(f.result.targeting, programmes: f.profile.rules.programmes, builder: f.builder)
        #expect(charts.map(\.id) == ["coverage_by_kecamatan", "exclusion_by_kecamatan"])
        let cube = f.result.targeting.targeting
        let kecamatans = cube.areas.kabupatens.flatMap(\.kecamatans)
        var confidential = 0, drawn = 0
        for (chart, measure) in zip(charts, ["coverage_pct", "exclusion_pct"]) {
            #expect(chart.series.map(\.id) == f.profile.rules.programmes.map(\.id) + ["ANY"])
            #expect(chart.categories.count == kecamatans.count)
            for series in chart.series {
                for (k, point) in zip(kecamatans, series.points) {
                    let cell = cube.cell(AreaRef(.kecamatan, k), [series.id, "roster"], measure)
                    #expect(point.status == (cell?.status ?? .notApplicable))
                    if cell?.status == .confidential {
                        confidential += 1
                        #expect(!ChartSpec.isDrawn(point), "a confidential cell is never drawn")
                    } else if cell?.status == .value {
                        drawn += 1
                        #expect(point.value == cell?.value)
                    }
                }
            }
        }
        // The hand-count registry is so small that suppression hides kecamatan rates (drawn points are covered by
        // PublicationTests); if it ever hides none, this test no longer exercises the left-out path.
        _ = drawn
        #expect(confidential > 0, "no confidential kecamatan cell in the hand-count targeting cube")

        // In the HTML: bars only for drawn, non-zero points; a left-out point shows its symbol, not a number.
        var doc = RendererTests.document()
        doc.charts = charts
        let html = try HTMLRenderer.render(doc, templates: RendererTests.templates())
        let expectedBars = charts.flatMap(\.series).flatMap(\.points).filter { ChartSpec.isDrawn($0) && ($0.value ?? 0) > 0 }.count
        #expect(html.matches(of: /<rect class="bar"/).count == expectedBars)
        let leftOut = charts.flatMap(\.series).flatMap(\.points).filter { !ChartSpec.isDrawn($0) }.count
        #expect(html.matches(of: /<text class="val sym"[^>]*>(x|…)<\/text>/).count == leftOut)
    }

    @Test func briefingReadsTheSameCellsAsTheReport() throws {
        let f = try Self.fixture.get()
        let briefing = try #require(Briefing.make(f.result, programmes: f.profile.rules.programmes, report: f.profile.report,
                                                  subtitle: Bilingual("Test"), language: .both, provenance: "p"))
        let population = KeyFigures.population(f.result)
        #expect(briefing.figures.prefix(population.count) == population[...])
        let kab = AreaRef(.kabupaten, 0)
        let cube = f.result.targeting.targeting
        let measures = ["eligible", "eligible_recipients", "eligible_non_recipients", "coverage_pct", "exclusion_pct"]
        let codes = f.profile.rules.programmes.map(\.id) + ["ANY"]
        #expect(briefing.programmes.rows.count == codes.count)
        for (row, code) in zip(briefing.programmes.rows, codes) {
            for (cell, measure) in zip(row.cells, measures) {
                let expected = cube.cell(kab, [code, "roster"], measure)
                #expect(cell.status == expected?.status && (cell.status != .value || cell.value == expected?.value), "\(code) \(measure)")
            }
        }
        #expect(briefing.programmes.rows.last?.kind == .total)
        let villages = cube.areas.villages
        #expect(briefing.topExclusion.rows.map(\.village) == Rankings.exclusionVillages(f.result.targeting).map { villages[$0].name })
        let topDuplicates = try #require(briefing.topDuplicates, "a run with a roster has the duplicate list")
        #expect(topDuplicates.rows.map(\.village) == Rankings.duplicateVillages(f.result.targeting).map { villages[$0].name })
        for row in briefing.topExclusion.rows + topDuplicates.rows {
            let village = try #require(villages.first { $0.name == row.village })
            #expect(row.kecamatan == cube.areas.kecamatans[village.kecamatan].name)
        }
        // Three groups, never added up: payment problems (4 lines), linkage (3), registry quality (1).
        #expect(briefing.duplicates.map(\.lines.count) == [4, 3, 1])
        // A finding never states a number whose cell is confidential: no "x" in a sentence.
        for finding in briefing.findings { #expect(!finding.id.contains(" x ") && !finding.en.contains(" x ")) }
    }
}
