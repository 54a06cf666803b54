import Foundation
import Testing
@testable import DemoData
@testable import Microdata
@testable import Profile
@testable import Protection
@testable import Reporting
@testable import Tabulation

/// `regtab compare` on the demo's two quarterly snapshots (`DemoChurn`): the change tables' stocks are the cells of
/// two separate runs, the flows add up, the outputs are byte-identical on rerun, and the protection of the change
/// tables leaves no single hidden cell in any relation and hides every cell a release hides.
@Suite(.serialized) struct CompareDemoTests {
    /// Two snapshots of a 2,000-family demo registry.
    static let pair: (root: String, q1: String, q2: String, churn: ChurnSummary) = {
        let root = Repo.temporaryDirectory("comparedemo")
        let q1 = root + "/2025-Q1", q2 = root + "/2025-Q2"
        _ = try! DemoRun.generate(families: 2_000, seed: 20_221_015, directory: q1)
        let churn = try! DemoRun.nextQuarter(from: q1, to: q2, seed: 20_221_015)
        return (root, q1, q2, churn)
    }()

    @Test func churnIsPlausibleAndReproducible() throws {
        let c = Self.pair.churn
        #expect(c.gone > 0 && c.moved > 0 && c.split > 0 && c.new > 0 && c.desilMoves > 0 && c.deaths > 0 && c.births > 0)
        let again = Self.pair.root + "/again"
        #expect(try DemoRun.nextQuarter(from: Self.pair.q1, to: again, seed: 20_221_015) == c)
        for f in ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"] {
            #expect(FileManager.default.contents(atPath: again + "/" + f) == FileManager.default.contents(atPath: Self.pair.q2 + "/" + f), "\(f)")
        }
    }

    /// Every stock of the change tables equals the cell of the separate run of its snapshot, in every area, and the
    /// net is their difference: families, desil 1–4 (the sum of `families_desil` codes 1–4), persons, and per family
    /// programme and `ANY` and per source the eligible, recipients and eligible non-recipients of `targeting`.
    @Test func stocksEqualTheTwoSeparateRunsCellByCell() throws {
        let profile = try Profile.load(directory: Repo.profile)
        let one = try Engine(profile: profile).run(dataDirectory: Self.pair.q1)
        let two = try Engine(profile: profile).run(dataDirectory: Self.pair.q2)
        var engine = Engine(profile: profile)
        engine.familySnapshot = true
        let change = try ChangeTables.compute(before: try engine.run(dataDirectory: Self.pair.q1).snapshot!,
                                              after: try engine.run(dataDirectory: Self.pair.q2).snapshot!)
        checkFlowIdentity(change)
        #expect(change.matching.byKK == Self.pair.churn.moved)   // every move is matched by its No. KK
        let areas = change.families.areas
        let personProgramme = one.targeting.personProgrammes.first!
        let familyProgrammes = profile.rules.programmes.filter { $0.unit == .family }.map(\.id) + ["ANY"]
        var checked = 0
        for area in areas.allAreas {
            let slot = areas.slot(area)
            func run(_ r: EngineResult, _ table: String, _ codes: [String], _ m: String) -> Double {
                let cube = table == "targeting" ? r.targeting.targeting : r.cubes.first { $0.table == table }!
                let a = AreaRef(area.level, cube.areas.allAreas.first { $0.level == area.level && cube.areas.code($0) == areas.code(area) }!.index)
                return cube.cell(a, codes, m)!.value!
            }
            func desil14(_ r: EngineResult) -> Double { ["1", "2", "3", "4"].reduce(0) { $0 + run(r, "families_desil", [$1], "families") } }
            func f(_ m: String) -> Double { change.families[slot: slot, cell: 0, measure: change.families.measureIndex(m)!]!.value! }
            let pairs: [(String, Double, Double)] = [
                ("families", run(one, "targeting", ["ANY", "registry"], "families"), run(two, "targeting", ["ANY", "registry"], "families")),
                ("desil1_4", desil14(one), desil14(two)),
                ("persons", run(one, "targeting", [personProgramme, "registry"], "persons"), run(two, "targeting", [personProgramme, "registry"], "persons")),
            ]
            for (stock, b, a) in pairs {
                #expect(f(stock + "_before") == b, "\(stock) before at \(areas.code(area))")
                #expect(f(stock + "_after") == a, "\(stock) after at \(areas.code(area))")
                #expect(f(stock + "_net") == a - b)
                checked += 3
            }
            for p in familyProgrammes {
                for source in ["registry", "roster"] {
                    for m in ["eligible", "recipients", "eligible_non_recipients"] {
                        let t = change.targeting
                        let cell = t.cellIndex([t.dimensions[0].index(of: p)!, t.dimensions[1].index(of: source)!])
                        func c(_ x: String) -> Double { t[slot: slot, cell: cell, measure: t.measureIndex(x)!]!.value! }
                        let b = run(one, "targeting", [p, source], m), a = run(two, "targeting", [p, source], m)
                        #expect(c(m + "_before") == b, "\(p) \(source) \(m) before at \(areas.code(area))")
                        #expect(c(m + "_after") == a, "\(p) \(source) \(m) after at \(areas.code(area))")
                        #expect(c(m + "_net") == a - b)
                        checked += 3
                    }
                }
            }
        }
        #expect(checked == areas.slotCount * (9 + 4 * 2 * 3 * 3))
    }

    /// The whole comparison twice: every output byte-identical; the change tables' protection audited.
    @Test func compareRunIsByteIdenticalAndProtected() throws {
        var outcomes: [ComparisonOutput] = []
        var dirs: [String] = []
        for i in 0..<2 {
            let out = Self.pair.root + "/out\(i)"
            var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: Self.pair.q2, outputDirectory: out,
                                     templatesDirectory: Repo.templates, restrictedDirectory: Self.pair.root + "/r\(i)/restricted")
            options.salt = nil
            let captured = OutcomeBox()
            let outcome = try CompareRun.run(options, before: Self.pair.q1, allowErrors: true, observe: { captured.value = $0 })
            #expect(outcome.after.summary != nil)
            outcomes.append(captured.value!)
            dirs.append(out)
        }
        let fm = FileManager.default
        let files = try fm.subpathsOfDirectory(atPath: dirs[0]).filter { !$0.hasSuffix("/") }.sorted()
        #expect(files.contains("data/change_families.csv") && files.contains("data/change_targeting.csv") && files.contains("data/change_desil.csv"))
        for f in files where !f.isEmpty {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dirs[0] + "/" + f, isDirectory: &isDir), !isDir.boolValue else { continue }
            #expect(fm.contents(atPath: dirs[0] + "/" + f) == fm.contents(atPath: dirs[1] + "/" + f), "\(f) differs between two runs")
        }
        #expect(fm.contents(atPath: Self.pair.root + "/r0/restricted/change_families.csv")
                == fm.contents(atPath: Self.pair.root + "/r1/restricted/change_families.csv"))
        let p = outcomes[0].protection
        #expect(p.singletonRelations == 0)
        #expect(p.fromRelease.reduce(0, +) > 0 && p.primary.reduce(0, +) > 0)
        // Every flow of 1 or 2 families is hidden; every published flow is 0 or at least 3.
        let t = outcomes[0].change.targeting
        for slot in 0..<t.areas.slotCount {
            for cell in 0..<t.cellsPerArea {
                for m in ["newly_eligible", "no_longer_eligible", "recipients_gained", "recipients_lost"] {
                    let c = t[slot: slot, cell: cell, measure: t.measureIndex(m)!]!
                    if c.status == .value { #expect(c.value! == 0 || c.value! >= 3) }
                }
            }
        }
        // The report has the section and the briefing its sentence.
        let html = try String(contentsOfFile: dirs[0] + "/report.html", encoding: .utf8)
        #expect(html.contains("Sejak Pembaruan Terakhir"))
        let briefing = try String(contentsOfFile: dirs[0] + "/briefing.html", encoding: .utf8)
        #expect(briefing.contains("Sejak pembaruan terakhir"))
        // Nothing record-level in the published change twins.
        let twin = try String(contentsOfFile: dirs[0] + "/data/change_families.csv", encoding: .utf8)
        let sixteenDigits = twin.split(whereSeparator: { $0 == "," || $0 == "\n" }).filter { $0.count == 16 && $0.allSatisfy(\.isNumber) }
        #expect(sixteenDigits.isEmpty)   // no No. KK or NIK: area codes have at most 10 digits
    }
}

final class OutcomeBox: @unchecked Sendable { var value: ComparisonOutput? }

/// Protection across releases on the demo pair: every stock that is a release cell has that cell's status in its
/// release (hidden there ⇔ hidden here), a net is hidden when either of its stocks is, and no relation of the
/// change tables is left with a single hidden cell.
@Suite struct ChangeProtectionTests {
    @Test func changeTablesFollowBothReleases() throws {
        let profile = try Profile.load(directory: Repo.profile)
        var engine = Engine(profile: profile)
        engine.familySnapshot = true
        let one = try engine.run(dataDirectory: CompareDemoTests.pair.q1), two = try engine.run(dataDirectory: CompareDemoTests.pair.q2)
        let spec = profile.report.protection
        let before = try Protection.apply(spec, salt: nil, to: one, tables: profile.tables).result
        let after = try Protection.apply(spec, salt: nil, to: two, tables: profile.tables).result
        let change = try ChangeTables.compute(before: one.snapshot!, after: two.snapshot!)
        let p = ChangeProtection.apply(change, spec: spec, before: before, after: after, desilVariable: "desil")
        #expect(p.singletonRelations == 0)
        let t = p.change.targeting, f = p.change.families
        var hiddenInRelease = 0
        for area in t.areas.allAreas {
            let slot = t.areas.slot(area)
            func status(_ r: EngineResult, _ codes: [String], _ m: String) -> CellStatus { r.targeting.targeting.cell(area, codes, m)!.status }
            #expect(f[slot: slot, cell: 0, measure: f.measureIndex("families_before")!]!.status == status(before, ["ANY", "registry"], "families"))
            #expect(f[slot: slot, cell: 0, measure: f.measureIndex("families_after")!]!.status == status(after, ["ANY", "registry"], "families"))
            for prog in ["PKH", "BPNT", "BLT_DESA", "ANY"] {
                for source in ["registry", "roster"] {
                    let cell = t.cellIndex([t.dimensions[0].index(of: prog)!, t.dimensions[1].index(of: source)!])
                    for m in ["eligible", "recipients", "eligible_non_recipients"] {
                        let b = t[slot: slot, cell: cell, measure: t.measureIndex(m + "_before")!]!.status
                        let a = t[slot: slot, cell: cell, measure: t.measureIndex(m + "_after")!]!.status
                        let net = t[slot: slot, cell: cell, measure: t.measureIndex(m + "_net")!]!.status
                        #expect(b == status(before, [prog, source], m), "\(prog) \(source) \(m) before")
                        #expect(a == status(after, [prog, source], m), "\(prog) \(source) \(m) after")
                        if b == .confidential || a == .confidential { #expect(net == .confidential); hiddenInRelease += 1 }
                    }
                }
            }
        }
        #expect(hiddenInRelease > 0)
    }
}
