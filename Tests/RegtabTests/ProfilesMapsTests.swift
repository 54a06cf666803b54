import Foundation
import Testing
import DemoData
@testable import Microdata
@testable import Profile
@testable import Publishing
@testable import Reporting

/// Village profiles and maps (issue 18), on a small generated registry (1,500 families, seed 5) with the demo's
/// illustrative boundaries: every number on every profile is a published twin cell or a stated formula over
/// twin cells; confidential figures show as x on the profiles and hatched on the maps; a shapefile and a GeoJSON
/// of the same boundaries draw the same SVG; unmatched villages and polygons are reported.
@Suite struct ProfilesMapsTests {
    fileprivate struct Fixture: Sendable {
        var out: String
        var boundaries: String
        var summary: RunSummary
    }

    fileprivate static let fixture: Result<Fixture, any Error> = Result {
        let root = Repo.temporaryDirectory("ProfilesMaps")
        let data = root + "/microdata"
        _ = try DemoRun.generate(families: 1500, seed: 5, directory: data)
        let boundaries = try DemoRun.writeBoundaries(directory: data)
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: data, outputDirectory: root + "/out",
                                 templatesDirectory: Repo.templates)
        options.boundaries = boundaries
        let summary = try ReportRun.run(options)
        return Fixture(out: root + "/out", boundaries: boundaries, summary: summary)
    }

    /// The twins' cells: (table, level, code, "dim=code;…" sorted, measure) → (value text, status).
    fileprivate static func twins(_ out: String) throws -> [String: (value: String, status: String)] {
        var cells: [String: (String, String)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out + "/data") where name.hasSuffix(".csv") {
            let lines = try String(contentsOfFile: out + "/data/" + name, encoding: .utf8).split(separator: "\n").map { splitCSV(String($0)) }
            let header = lines[0]
            let dims = Array(header[3..<(header.count - 3)])
            for f in lines.dropFirst() {
                let codes = zip(dims, f[3..<(f.count - 3)]).map { "\($0)=\($1)" }.sorted().joined(separator: ";")
                cells[[f[0], f[1], f[2], codes, f[f.count - 3]].joined(separator: "|")] = (f[f.count - 2], f[f.count - 1])
            }
        }
        return cells
    }

    static func key(_ r: TwinCellRef) -> String {
        [r.table, r.areaLevel.rawValue, r.areaCode, r.codes.map { "\($0)=\($1)" }.sorted().joined(separator: ";"), r.measure].joined(separator: "|")
    }

    static func splitCSV(_ line: String) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var it = Array(line).makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" { quoted = false } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(field); field = "" } else { field.append(c) }
        }
        out.append(field)
        return out
    }

    fileprivate static func sheets(_ out: String) throws -> [(code: String, sheet: FigureSheet, html: String)] {
        let dir = out + "/profiles"
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let code = String(name.dropLast(5))
            let sheet = try JSONDecoder().decode(FigureSheet.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            return (code, sheet, try String(contentsOfFile: dir + "/\(code).html", encoding: .utf8))
        }
    }

    /// Every `data-fig` occurrence of a page: (figure id, the text shown, whether it is an `<abbr>`).
    static func shownFigures(_ html: String) -> [(id: String, text: String, symbol: Bool)] {
        let pattern = try! NSRegularExpression(pattern: #"<(td class="num"|span|abbr) data-fig="(f\d+)"( title="[^"]*")?>(<abbr title="[^"]*">)?([^<]*)<"#)
        let ns = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { m in
            let tag = ns.substring(with: m.range(at: 1))
            return (ns.substring(with: m.range(at: 2)), ns.substring(with: m.range(at: 5)), tag == "abbr" || m.range(at: 4).location != NSNotFound)
        }
    }

    // MARK: Profiles

    @Test func everyProfileNumberIsAPublishedTwinCellOrAFormulaOverThem() throws {
        let f = try Self.fixture.get()
        let twins = try Self.twins(f.out)
        let pages = try Self.sheets(f.out)
        #expect(pages.count == 155)
        var confidentialShown = 0, checked = 0
        for (code, sheet, html) in pages {
            #expect(sheet.village == code)
            for e in sheet.figures {
                guard let formula = e.formula else { continue }
                let cells = (formula.numerator + formula.denominator).map { twins[Self.key($0)] }
                let expected: (value: Double?, status: String)
                if cells.contains(where: { $0 == nil }) { expected = (nil, "M") }  // not published at that level
                else if cells.contains(where: { $0!.status == "C" }) { expected = (nil, "C") }
                else if cells.contains(where: { $0!.status == "M" }) { expected = (nil, "M") }
                else {
                    let values = cells.map { Double($0!.value)! }
                    let num = values.prefix(formula.numerator.count).reduce(0, +), den = values.suffix(formula.denominator.count).reduce(0, +)
                    expected = formula.denominator.isEmpty ? (num * formula.scale, "") : den > 0 ? (num / den * formula.scale, "") : (nil, "M")
                }
                #expect(e.status == expected.status, "\(code) \(e.key): status \(e.status), twins give \(expected.status)")
                if let v = expected.value {
                    #expect(abs((e.value ?? .nan) - v) <= 1e-9 * max(1, abs(v)), "\(code) \(e.key): \(e.value ?? .nan) vs twins \(v)")
                    let style: NumberStyle = e.text.contains(",") ? .decimal(1) : .integer
                    #expect(e.text == NumberFormatting.format(v, style: style, language: .both), "\(code) \(e.key): text \(e.text)")
                } else {
                    #expect(e.text == (expected.status == "C" ? "x" : "…"), "\(code) \(e.key): \(e.text)")
                    if expected.status == "C" { confidentialShown += 1 }
                }
                checked += 1
            }
            // The page shows exactly the sheet's figures, each with the sheet's text; symbols are explained.
            let shown = Self.shownFigures(html)
            let byID = Dictionary(uniqueKeysWithValues: sheet.figures.map { ($0.id, $0) })
            for s in shown {
                #expect(byID[s.id]?.text == s.text, "\(code) \(s.id): page shows \(s.text), sheet says \(byID[s.id]?.text ?? "-")")
                if s.text == "x" { #expect(s.symbol, "\(code) \(s.id): x without its meaning") }
            }
            #expect(Set(shown.map(\.id)) == Set(sheet.figures.map(\.id)), "\(code): figures on the page and in the sheet differ")
            let numberCells = html.components(separatedBy: "<td class=\"num\"").count - 1
            let figureCells = html.components(separatedBy: "<td class=\"num\" data-fig=").count - 1
            let rankCells = html.components(separatedBy: "<td class=\"num\"><span data-fig=").count - 1
            let ranked = sheet.figures.filter { $0.rankOf != nil }.count
            #expect(rankCells == ranked, "\(code): ranks")
            #expect(numberCells == figureCells + 2, "\(code): a number cell without its figure id (besides the two rank cells)")
        }
        #expect(checked > 155 * 100)
        #expect(confidentialShown > 0, "a small registry has confidential village figures; they must show as x")

        // Ranks: recomputed from every village's ranked figure (descending, ties by code).
        for (_, sheet, _) in pages {
            for e in sheet.figures where e.rankOf != nil {
                let metric = pages.compactMap { p in p.sheet.figures.first { $0.key == e.rankOf! }?.value.map { (p.code, $0) } }
                let eligible = e.rankOf == "exclusion_pct.ANY.desa"
                    ? metric.filter { m in (pages.first { $0.code == m.0 }!.sheet.figures.first { $0.key == "eligible.ANY.desa" }?.value ?? 0) >= 30 }
                    : metric
                let order = eligible.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map(\.0)
                #expect(e.rankedAmong == order.count, "\(sheet.village) \(e.key)")
                #expect(order.firstIndex(of: sheet.village).map { $0 + 1 } == e.value.map(Int.init), "\(sheet.village) \(e.key): rank \(e.value ?? 0)")
            }
        }
    }

    @Test func confidentialVillagesAreHatchedOnTheMapsAndLegendLimitsAreVillageFigures() throws {
        let f = try Self.fixture.get()
        let pages = try Self.sheets(f.out)
        let report = try String(contentsOfFile: f.out + "/report.html", encoding: .utf8)
        // Map 1 (share of families in deciles 1–4): its village paths in village order.
        let map1 = report.components(separatedBy: "<figure class=\"map\" id=\"map1\">")[1].components(separatedBy: "</figure>")[0]
        let fills = try NSRegularExpression(pattern: #"<path d="[^"]*" fill="([^"]*)"><title>"#).matches(in: map1, range: NSRange(map1.startIndex..., in: map1))
            .map { (map1 as NSString).substring(with: $0.range(at: 1)) }
        #expect(fills.count == 155)
        var hatched = 0
        for (page, fill) in zip(pages, fills) {
            let share = page.sheet.figures.first { $0.key == "poor_share.desa" }!
            #expect((share.status == "C") == (fill == "url(#map1-hatch)"), "\(page.code): \(share.status) drawn \(fill)")
            if share.status == "C" { hatched += 1 }
            let values = Set(pages.compactMap { p in p.sheet.figures.first { $0.key == "poor_share.desa" }?.value })
            #expect(page.sheet.mapLimits.allSatisfy(values.contains), "\(page.code): a class limit that is no village's figure")
        }
        #expect(hatched > 0)
        // The demo's boundaries are labelled as illustrative on every map, in the report, the briefing and each profile.
        let label = "Batas wilayah ilustratif, bukan batas resmi"
        #expect(report.components(separatedBy: "class=\"choropleth\"").count - 1 == 3)
        #expect(report.components(separatedBy: "class=\"choropleth\"").count - 1 == report.components(separatedBy: label + " / Illustrative boundaries, not official ones</text>").count - 1)
        let briefing = try String(contentsOfFile: f.out + "/briefing.html", encoding: .utf8)
        #expect(briefing.contains("<svg") && briefing.contains(label))
        #expect(pages.allSatisfy { $0.html.contains(label + " / Illustrative boundaries, not official ones</text>") })
        #expect(pages.allSatisfy { $0.html.contains("stroke=\"#d7301f\"") }, "every profile outlines its village")
    }

    @Test func profilesAndMapsAreByteIdenticalOnRerun() throws {
        let f = try Self.fixture.get()
        let root = Repo.temporaryDirectory("ProfilesMapsRerun")
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: (f.boundaries as NSString).deletingLastPathComponent,
                                 outputDirectory: root, templatesDirectory: Repo.templates)
        options.boundaries = f.boundaries
        _ = try ReportRun.run(options)
        for name in ["report.html", "briefing.html", "profiles/index.html", "profiles/1505010030.html", "profiles/1505010030.json", "profiles/1505060016.html"] {
            #expect(FileManager.default.contentsEqual(atPath: f.out + "/" + name, andPath: root + "/" + name), "\(name) differs on rerun")
        }
    }

    // MARK: Boundaries

    static func demoAreas() -> AreaIndex {
        AreaIndex(villages: wilayahMuaroJambiCSV.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7 else { return nil }
            return (f[3], f[4], f[5], f[6], f[1], f[2])
        })
    }

    static func demoLayer(_ areas: AreaIndex) -> MapLayer {
        var values: [Int: FigureValue] = [:]
        for v in areas.villages.indices { values[v] = v % 11 == 0 ? .confidential : v % 13 == 0 ? .notAvailable : .value(Double(v % 17) * 1.5) }
        return MapLayer(id: "t", title: Bilingual(id: "Uji", en: "Test"), definition: Bilingual("d"), style: .decimal(1), values: values)
    }

    static func svg(_ file: BoundaryFile, _ areas: AreaIndex) throws -> String {
        let match = try BoundaryMatch.match(file, areas: areas)
        let topology = MapTopology(villages: match.rings, kecamatanOf: { areas.villages[$0].kecamatan })
        return Choropleth.svg(demoLayer(areas), topology: topology, areas: areas, language: .both, idPrefix: "m", highlight: 7,
                              illustrative: false, description: "d")
    }

    @Test func aShapefileAndAGeoJSONOfTheSameBoundariesDrawTheSameSVG() throws {
        let dir = Repo.temporaryDirectory("Shapefile")
        let geojson = dir + "/batas.geojson"
        try Data(DemoBoundaries.geoJSON().utf8).write(to: URL(fileURLWithPath: geojson))
        let fromJSON = try BoundaryFile.read(path: geojson)
        #expect(fromJSON.features.count == 155 && fromJSON.illustrative)
        // As a shapefile: outer rings clockwise (the shapefile rule, the reverse of GeoJSON's) and starting at
        // another vertex, the code as a dBASE field of another name.
        let features = fromJSON.features.map { f in
            BoundaryFeature(properties: ["IDDESA": f.properties["kode_desa"]!, "NAMA": f.properties["nama_desa"]!],
                            rings: f.rings.map { ring in
                                let open = Array(ring.dropLast().reversed())
                                let rotated = Array(open[2...] + open[..<2])
                                return rotated + [rotated[0]]
                            })
        }
        try ShapefileBoundaries.write(features, fields: ["IDDESA", "NAMA"], path: dir + "/batas.shp")
        let fromSHP = try BoundaryFile.read(path: dir + "/batas.shp")
        #expect(fromSHP.features.count == 155)
        #expect(fromSHP.fieldNames == ["IDDESA", "NAMA"])
        let areas = Self.demoAreas()
        let a = try Self.svg(fromJSON, areas), b = try Self.svg(fromSHP, areas)
        #expect(a == b)
        #expect(a.contains("url(#m-hatch)") && a.hasPrefix("<svg") && a.hasSuffix("</svg>"))
    }

    @Test func aBoundaryFileWithAMissingAndAnExtraVillageIsReported() throws {
        let areas = Self.demoAreas()
        let dir = Repo.temporaryDirectory("BoundaryReport")
        var file = try BoundaryFile.read(path: { let p = dir + "/b.geojson"; try Data(DemoBoundaries.geoJSON().utf8).write(to: URL(fileURLWithPath: p)); return p }())
        let dropped = file.features.remove(at: 10)
        var extra = file.features[0]
        extra.properties = ["kode_desa": "1505999999", "kode_desa_kemendagri": "15.05.99.9999", "nama_desa": "Tidak Ada"]
        file.features.append(extra)
        let match = try BoundaryMatch.match(file, areas: areas)
        let missing = areas.village(code: dropped.properties["kode_desa"]!)!
        #expect(match.field == "kode_desa" && match.codeKind == .bps)
        #expect(match.missingVillages == [missing])
        #expect(match.extraFeatures.map(\.code) == ["1505999999"] && match.extraFeatures[0].feature == 155)
        let lines = match.problems(areas: areas).map(\.en)
        #expect(lines == [
            "1 villages have no boundary in the boundary file (not drawn): \(areas.villages[missing].name) (\(areas.villages[missing].code)).",
            "1 polygons of the boundary file match no village of wilayah.csv (field kode_desa; not drawn): #155 1505999999.",
        ])
        // Kemendagri codes alone (dotted or not) match as well.
        for i in file.features.indices { file.features[i].properties["kode_desa"] = nil }
        let byKemendagri = try BoundaryMatch.match(file, areas: areas)
        #expect(byKemendagri.codeKind == .kemendagri && byKemendagri.missingVillages == [missing] && byKemendagri.rings.count == 154)
        // No code at all: a clear error naming the attributes.
        for i in file.features.indices { file.features[i].properties = ["nama": "x"] }
        #expect(throws: BoundaryError.noVillageCodes(path: file.path, fields: file.fieldNames)) { try BoundaryMatch.match(file, areas: areas) }
    }

    @Test func aBadBoundaryFileNamesTheFileAndTheFeature() throws {
        let dir = Repo.temporaryDirectory("BadBoundary")
        let p = dir + "/bad.geojson"
        try Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#.utf8).write(to: URL(fileURLWithPath: p))
        #expect(throws: BoundaryError.invalid(path: p, feature: 0, message: "geometry Point is not a Polygon or MultiPolygon")) { try BoundaryFile.read(path: p) }
        #expect((BoundaryError.invalid(path: p, feature: 0, message: "m")).description == "boundary file \(p), feature 1: m")
        #expect(throws: BoundaryError.unsupported(path: dir + "/b.kml")) { try BoundaryFile.read(path: dir + "/b.kml") }
    }

    // MARK: Topology and classes

    @Test func aSharedBorderIsOneArcSimplifiedOnceForBothNeighbours() throws {
        // Two squares sharing their border x = 2, which wiggles through (2.001, 1) in both; both drawn with the
        // border's points, in opposite directions.
        let a = [GeoPoint(x: 0, y: 0), GeoPoint(x: 2, y: 0), GeoPoint(x: 2.001, y: 1), GeoPoint(x: 2, y: 2), GeoPoint(x: 0, y: 2), GeoPoint(x: 0, y: 0)]
        let b = [GeoPoint(x: 2, y: 0), GeoPoint(x: 4, y: 0), GeoPoint(x: 4, y: 2), GeoPoint(x: 2, y: 2), GeoPoint(x: 2.001, y: 1), GeoPoint(x: 2, y: 0)]
        let t = MapTopology(villages: [0: [a], 1: [b]], kecamatanOf: { $0 }, width: 400, tolerance: 3)
        #expect(t.arcs.count == 3, "the shared border and each square's outer edge")
        let arcsA = Set(t.rings[0]![0].map(\.arc)), arcsB = Set(t.rings[1]![0].map(\.arc))
        let shared = arcsA.intersection(arcsB)
        #expect(shared.count == 1)
        #expect(t.arcs[shared.first!].count == 2, "the wiggle (under the tolerance) is gone, for both squares at once")
        #expect(Set(t.outlineArcs) == Set(0..<3), "different kecamatan: the shared border is an outline too")
        let same = MapTopology(villages: [0: [a], 1: [b]], kecamatanOf: { _ in 0 }, width: 400, tolerance: 3)
        #expect(same.outlineArcs.count == 2, "one kecamatan: its outline is the outer edge only")
    }

    @Test func quantileClassLimitsAreVillageValuesByNearestRank() {
        func layer(_ values: [Double]) -> MapLayer {
            MapLayer(id: "q", title: Bilingual("q"), definition: Bilingual("q"), style: .integer,
                     values: Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0, FigureValue.value($1)) }))
        }
        #expect(layer((1...10).map(Double.init)).classLimits() == [2, 4, 6, 8, 10])
        #expect(layer([0, 0, 0, 0, 0, 0, 1, 2]).classLimits() == [0, 1, 2])
        #expect(Choropleth.classIndex(5, [2, 4, 6, 8, 10]) == 2 && Choropleth.classIndex(2, [2, 4, 6, 8, 10]) == 0)
        #expect(Choropleth.colours(3) == ["#fde725", "#21918c", "#440154"])
    }

    @Test func demoBoundariesAreDeterministicContiguousAndCoverEveryVillage() throws {
        let text = DemoBoundaries.geoJSON()
        #expect(text == DemoBoundaries.geoJSON())
        let dir = Repo.temporaryDirectory("DemoBoundaries")
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/b.geojson"))
        let areas = Self.demoAreas()
        let match = try BoundaryMatch.match(BoundaryFile.read(path: dir + "/b.geojson"), areas: areas)
        #expect(match.missingVillages.isEmpty && match.extraFeatures.isEmpty && match.illustrative)
        // Neighbours share borders: every village shares at least one arc with another village, and the kecamatan
        // outline arcs are far fewer than all arcs.
        let t = MapTopology(villages: match.rings, kecamatanOf: { areas.villages[$0].kecamatan })
        var users: [Int: Set<Int>] = [:]
        for (v, rings) in t.rings { for ring in rings { for (arc, _) in ring { users[arc, default: []].insert(v) } } }
        for v in areas.villages.indices { #expect(users.values.contains { $0.contains(v) && $0.count == 2 }, "\(areas.villages[v].name) has no neighbour") }
        #expect(t.outlineArcs.count < t.arcs.count / 2)
    }
}
