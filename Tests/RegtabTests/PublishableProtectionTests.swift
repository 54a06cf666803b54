import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Protection
@testable import Publishing
@testable import Reporting
@testable import Tabulation

/// Issue 14: protection per table (`protect`, `publish_levels`), `_Z` never primary, one status per shared
/// cell across protected and unprotected tables, and an intruder solving the linear programme of all
/// published tables who must not narrow any primary cell to an interval below the threshold.
@Suite struct PublishableProtectionTests {
    static let rule = ProtectionSpec(method: .suppression, threshold: 3)
    static let unprotected = TablePolicy(rule: ProtectionSpec(method: .none))
    static let protected = TablePolicy(rule: rule)

    static func confidentialCells(_ cube: ResultCube) -> [String] {
        var out: [String] = []
        for area in cube.areas.allAreas {
            for c in 0..<cube.cellsPerArea {
                for m in cube.measures.indices where cube[area, cube.codes(ofCell: c), m]?.status == .confidential {
                    let codes = cube.codes(ofCell: c).enumerated().map { cube.dimensions[$0.offset].codes[$0.element] }
                    out.append("\(cube.areas.code(area))/\(codes.joined(separator: ","))/\(cube.measures[m])")
                }
            }
        }
        return out.sorted()
    }

    /// The intruder's intervals for the primary cells of a protection outcome.
    static func attack(_ cubes: [ResultCube], _ descriptions: [CubeDescription], _ policies: [TablePolicy],
                       _ out: ProtectedCubes, relations: [IdentityRelation] = []) -> [IntervalAttacker.Finding] {
        let published = zip(cubes, policies).map { Protection.restrict($0, to: $1.publishLevels) }
        let model = CellModel(cubes: published, descriptions: descriptions, identityRelations: relations, policies: policies)
        return IntervalAttacker.intervals(model: model, protected: out)
    }

    /// A table with `protect: false` keeps every value, even a 1 (the rule would have hidden it and a
    /// second cell of its row).
    @Test func unprotectedTableIsNeverSuppressed() throws {
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [[10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 2, 0]])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("by_sex", ["r405"]))],
                                         spec: Self.rule, policies: [Self.unprotected])
        #expect(Self.confidentialCells(out.cubes[0]).isEmpty)
        #expect(out.cubes[0].cell(HandAreas.village("A"), ["2"], "persons")?.value == 1)
        #expect(out.report.tables[0].method == .none && out.report.tables[0].confidential == 0)
        // The same table protected: A women (1) and E women (2) are primary.
        let p = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("by_sex", ["r405"]))],
                                       spec: Self.rule, policies: [Self.protected])
        #expect(p.mark("by_sex", HandAreas.village("A"), ["2"], "persons") == .primary)
        #expect(p.mark("by_sex", HandAreas.village("E"), ["2"], "persons") == .primary)
    }

    /// "Sex not stated: 1" is not a primary cell at any level (contract §3 rev. 2): with no other small
    /// count, nothing is hidden. Before issue 14 this table had 6 x (A and D _Z and a partner each, and K1,
    /// K2 and the kabupaten _Z of 1, 1 and 2).
    @Test func notStatedIsNeverPrimary() throws {
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [[10, 11, 1], [12, 8, 0], [20, 15, 0], [5, 5, 1], [7, 9, 0]])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("by_sex", ["r405"]))], spec: Self.rule)
        #expect(out.mark("by_sex", HandAreas.village("A"), ["_Z"], "persons") == .published)
        #expect(out.mark("by_sex", HandAreas.kab, ["_Z"], "persons") == .published)
        #expect(Self.confidentialCells(out.cubes[0]).isEmpty)
        #expect(out.report.primaryStatistics == 0)
    }

    /// Interval protection, by hand. Village A: d = a 10, b 1, c 1 (b and c primary). Hiding b and c alone
    /// passes the singleton rule (two x in the row) but publishes b + c = 12 − 10 = 2: both are 1 or 2 or 0,
    /// an interval of width 2 < 3. The hidden cells of a relation with a primary cell must add up to the
    /// threshold: a is hidden too (the only interior cell left; never the total).
    @Test func hiddenCellsOfARelationReachTheThreshold() throws {
        let cube = HandAreas.cube("t", [("d", ["a", "b", "c"])], [[10, 1, 1], [12, 8, 5], [20, 15, 4], [5, 5, 6], [7, 9, 8]])
        let desc = [HandAreas.describe(cube, HandAreas.spec("t", ["d"]))]
        for cost in ProtectionSpec.SecondaryCost.allCases {
            var rule = Self.rule
            rule.secondaryCost = cost
            let out = try Protection.protect(cubes: [cube], descriptions: desc, spec: rule)
            let a = HandAreas.village("A")
            #expect(out.mark("t", a, ["b"], "persons") == .primary)
            #expect(out.mark("t", a, ["c"], "persons") == .primary)
            #expect(out.mark("t", a, ["a"], "persons") == .secondary, "\(cost)")
            #expect(out.mark("t", a, ["_T"], "persons") == .published, "\(cost)")
            for f in Self.attack([cube], desc, [TablePolicy(rule: rule)], out) {
                #expect(f.high - f.low >= 3 - 1e-9, "\(cost): \(f)")
            }
        }
    }

    /// A cell shared by an unprotected and a protected table has one status — published in both, because
    /// the unprotected table publishes it — and the protected table's pattern works around it: the
    /// published women of village A (6) are the total of A's women by age in the protected table, so the
    /// young woman (1, primary) gets her partner among A's old women (5) and never the published total.
    /// The intruder reading both tables narrows no primary cell below the threshold.
    @Test func sharedCellsHaveOneStatusAcrossProtectedAndUnprotectedTables() throws {
        let bySex = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [[10, 6, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0]])
        let ageSex = HandAreas.cube("by_age_sex", [("age_group", ["y", "o"]), ("r405", ["1", "2", "_Z"])], [
            [4, 1, 0, 6, 5, 0], [6, 4, 0, 6, 4, 0], [10, 8, 0, 10, 7, 0], [3, 3, 0, 2, 2, 0], [4, 5, 0, 3, 4, 0],
        ])
        let cubes = [bySex, ageSex]
        let descs = zip(cubes, [HandAreas.spec("by_sex", ["r405"]), HandAreas.spec("by_age_sex", ["age_group", "r405"])]).map { HandAreas.describe($0, $1) }
        let policies = [Self.unprotected, Self.protected]
        let out = try Protection.protect(cubes: cubes, descriptions: descs, spec: Self.rule, policies: policies)
        let a = HandAreas.village("A")
        #expect(Self.confidentialCells(out.cubes[0]).isEmpty)
        #expect(out.mark("by_age_sex", a, ["y", "2"], "persons") == .primary)
        #expect(out.mark("by_age_sex", a, ["o", "2"], "persons") == .secondary)
        for area in HandAreas.areas.allAreas {
            for s in ["1", "2", "_Z", "_T"] {
                #expect(out.cubes[0].cell(area, [s], "persons")?.status == out.cubes[1].cell(area, ["_T", s], "persons")?.status)
                #expect(out.cubes[1].cell(area, ["_T", s], "persons")?.status == .value)
            }
        }
        try SuppressionAudit.check(original: cubes, protected: out.cubes, descriptions: descs)
        let findings = Self.attack(cubes, descs, policies, out)
        #expect(!findings.isEmpty)
        for f in findings { #expect(f.high - f.low >= 3 - 1e-9, "\(f)") }
        // Two protected tables share the cell: one status, whichever table's rule hid it.
        let both = try Protection.protect(cubes: cubes, descriptions: descs, spec: Self.rule)
        for area in HandAreas.areas.allAreas {
            for s in ["1", "2", "_Z", "_T"] {
                #expect(both.cubes[0].cell(area, [s], "persons")?.status == both.cubes[1].cell(area, ["_T", s], "persons")?.status)
            }
        }
    }

    /// A table published per kecamatan: its cube, and so its twin and every display, has no village rows;
    /// a village's 1 is not published and hides nothing (the kecamatan counts are all at least 3).
    @Test func perKecamatanTableHasNoVillageRows() throws {
        let cube = HandAreas.cube("tenure", [("r301a", ["1", "2", "_Z"])], [[10, 1, 0], [12, 8, 0], [20, 15, 2], [5, 5, 0], [7, 9, 1]])
        let policy = TablePolicy(rule: Self.rule, publishLevels: [.kecamatan, .kabupaten])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("tenure", ["r301a"]))],
                                         spec: Self.rule, policies: [policy])
        #expect(Self.confidentialCells(out.cubes[0]).isEmpty)
        let twin = TwinWriter.csv(out.cubes[0])
        #expect(!twin.contains(",desa,"))
        #expect(twin.contains(",kecamatan,1505010,") && twin.contains(",kabupaten,1505,"))
        #expect(out.report.tables[0].villageCells == 0 && out.report.tables[0].cells == 3 * 4)
    }
}

/// The same properties on a small synthetic registry with the Regsosek report definition as shipped.
@Suite(.serialized) struct PublishableRegistryTests {
    /// 2,000 synthetic families, of which those of one kecamatan (1505012, 10 villages, about 130 families)
    /// are tabulated: `wilayah.csv` keeps only its villages, and the engine leaves the other families out as
    /// in unknown villages. Small enough for the dense simplex of the intruder, large enough for every
    /// table and relation (villages, kecamatan, kabupaten).
    static let registry: (profile: Profile, engine: EngineResult) = {
        let dir = Repo.temporaryDirectory("publishable-registry")
        _ = try! DemoRun.generate(families: 2000, seed: 7, directory: dir)
        let path = dir + "/wilayah.csv"
        let lines = try! String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let kept = [lines[0]] + lines.dropFirst().filter { $0.hasPrefix("1505012,") }
        try! (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let profile = try! Profile.load(directory: Repo.profile)
        return (profile, try! Engine(profile: profile).run(dataDirectory: dir))
    }()

    /// Every primary cell of every published table, attacked with the linear programme over all published
    /// tables together (protected and unprotected): the interval must be at least the threshold wide.
    /// Run for the default cost, `structure`. Under `persons` (kept for comparison, not the default) the
    /// intruder narrows a few cells of this registry: hidden zeros, cheap in persons, let non-negativity
    /// bound their neighbours (README, Disclosure control).
    @Test(arguments: [ProtectionSpec.SecondaryCost.structure])
    func linearProgrammeAttackerRecoversNoPrimaryCell(_ cost: ProtectionSpec.SecondaryCost) throws {
        let (profile, engine) = Self.registry
        var spec = profile.report.protection
        spec.secondaryCost = cost
        let (cubes, descriptions, relations) = try Protection.describe(engine, tables: profile.tables)
        let policies = Protection.policies(spec, cubes: cubes, tables: profile.tables)
        let out = try Protection.protect(cubes: cubes, descriptions: descriptions, relations: relations,
                                         spec: spec, policies: policies)
        #expect(out.report.primaryStatistics > 20)
        let findings = PublishableProtectionTests.attack(cubes, descriptions, policies, out, relations: relations)
        #expect(findings.count == out.report.primaryStatistics)
        let narrow = findings.filter { $0.high - $0.low < Double(profile.report.protection.threshold) - 1e-6 }
        #expect(narrow.isEmpty, "\(narrow.prefix(5))")
    }

    /// Writes the intruder's linear programme of a full-size run for `Tests/Attack/lp_attack.py`:
    /// `REGTAB_LP_DATA=<registry folder> REGTAB_LP_EXPORT=<file.json> swift test --filter exportLinearProgramme`
    /// (`REGTAB_LP_COST=structure` for the other secondary cost).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["REGTAB_LP_EXPORT"] != nil))
    func exportLinearProgramme() throws {
        let env = ProcessInfo.processInfo.environment
        let profile = try Profile.load(directory: Repo.profile)
        let engine = try Engine(profile: profile).run(dataDirectory: env["REGTAB_LP_DATA"]!)
        var spec = profile.report.protection
        if let c = env["REGTAB_LP_COST"].flatMap(ProtectionSpec.SecondaryCost.init(rawValue:)) { spec.secondaryCost = c }
        let (cubes, descriptions, relations) = try Protection.describe(engine, tables: profile.tables)
        let policies = Protection.policies(spec, cubes: cubes, tables: profile.tables)
        let out = try Protection.protect(cubes: cubes, descriptions: descriptions, relations: relations, spec: spec, policies: policies)
        let published = zip(cubes, policies).map { Protection.restrict($0, to: $1.publishLevels) }
        let model = CellModel(cubes: published, descriptions: descriptions, identityRelations: relations, policies: policies)
        try IntervalAttacker.json(model: model, protected: out, threshold: spec.threshold).write(to: URL(fileURLWithPath: env["REGTAB_LP_EXPORT"]!))
    }

    /// The shipped definition: population tables unprotected (no C), tables shown per kecamatan without
    /// village rows, everything else protected at every level.
    @Test func shippedDefinitionPublishesWhatBPSPublishes() throws {
        let (profile, engine) = Self.registry
        let out = try Protection.apply(profile.report.protection, salt: nil, to: engine, tables: profile.tables)
        for cube in out.result.cubes {
            let twin = TwinWriter.csv(cube)
            let spec = profile.tables.first { $0.id == cube.table }!
            switch cube.table {
            case "population_sex", "population_age_sex":
                #expect(!twin.contains(",C\n"), "\(cube.table)")
                #expect(twin.contains(",desa,"))
            case _ where spec.stub != .desa:
                #expect(!twin.contains(",desa,"), "\(cube.table)")
            default:
                #expect(twin.contains(",desa,"), "\(cube.table)")
            }
        }
        let policy = { (id: String) in out.report.tables.first { $0.table == id }!.method }
        #expect(policy("families_desil") == .suppression && policy("disability_sex") == .suppression)
        for id in ProtectionSpec.engineTables { #expect(policy(id) == .suppression, "\(id)") }
        // One status for the families of a village: published (population_sex is unprotected) everywhere.
        let sex = out.result.cubes.first { $0.table == "population_sex" }!, desil = out.result.cubes.first { $0.table == "families_desil" }!
        for v in 0..<sex.areas.villages.count {
            #expect(desil.cell(AreaRef(.desa, v), ["_T"], "families")?.status == .value)
            #expect(desil.cell(AreaRef(.desa, v), ["_T"], "families")?.value == sex.cell(AreaRef(.desa, v), ["_T"], "families")?.value)
        }
    }
}
