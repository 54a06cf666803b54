import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Protection
@testable import Reporting
@testable import Tabulation

// MARK: - Hand-made cubes with known answers

/// One kabupaten (1505), two kecamatan: 1505010 with villages A, B, C and 1505020 with villages D, E.
enum HandAreas {
    static let areas = AreaIndex(villages: [
        ("1505010001", "A", "15.05.01.2001", "desa", "K1", "15.05.01"),
        ("1505010002", "B", "15.05.01.2002", "desa", "K1", "15.05.01"),
        ("1505010003", "C", "15.05.01.2003", "desa", "K1", "15.05.01"),
        ("1505020001", "D", "15.05.02.2001", "desa", "K2", "15.05.02"),
        ("1505020002", "E", "15.05.02.2002", "desa", "K2", "15.05.02"),
    ])
    static func village(_ name: String) -> AreaRef { AreaRef(.desa, areas.villages.firstIndex { $0.name == name }!) }
    static let k1 = AreaRef(.kecamatan, 0), k2 = AreaRef(.kecamatan, 1), kab = AreaRef(.kabupaten, 0)

    /// A person-count cube from village base counts (row-major over the dimensions' codes without `_T`);
    /// `_T` margins and the kecamatan and kabupaten levels are sums, as the engine makes them.
    static func cube(_ table: String, _ dims: [(String, [String])], _ base: [[Double]], percentOver: String? = nil) -> ResultCube {
        let dimensions = dims.map { CubeDimension(id: $0.0, codes: $0.1 + ["_T"]) }
        var cube = ResultCube(table: table, dimensions: dimensions, measures: percentOver == nil ? ["persons"] : ["persons", "pct"], areas: areas)
        var values = [Double](repeating: 0, count: areas.slotCount * cube.cellsPerArea)
        let sizes = dims.map(\.1.count)
        for (v, row) in base.enumerated() {
            let (kec, kab) = areas.ancestorSlots(ofVillage: v)
            for (b, n) in row.enumerated() {
                var codes = [Int](repeating: 0, count: sizes.count), rest = b
                for d in sizes.indices.reversed() { codes[d] = rest % sizes[d]; rest /= sizes[d] }
                for mask in 0..<(1 << sizes.count) {
                    var c = codes
                    for d in sizes.indices where mask & (1 << d) != 0 { c[d] = sizes[d] }
                    for s in [v, kec, kab] { values[s * cube.cellsPerArea + cube.cellIndex(c)] += n }
                }
            }
        }
        for s in 0..<areas.slotCount {
            for c in 0..<cube.cellsPerArea {
                cube[slot: s, cell: c, measure: 0] = .number(values[s * cube.cellsPerArea + c])
                if let over = percentOver {
                    let k = dims.firstIndex { $0.0 == over }!
                    var codes = cube.codes(ofCell: c)
                    codes[k] = sizes[k]
                    let den = values[s * cube.cellsPerArea + cube.cellIndex(codes)]
                    cube[slot: s, cell: c, measure: 1] = den == 0 ? .notApplicable : .number(values[s * cube.cellsPerArea + c] / den * 100)
                }
            }
        }
        return cube
    }

    static func spec(_ id: String, _ dims: [String], percentOver: String? = nil) -> TableSpec {
        var measures = [MeasureSpec(id: "persons", kind: .count, label: Bilingual("persons"))]
        if let p = percentOver { measures.append(MeasureSpec(id: "pct", kind: .percentOver(p), label: Bilingual("pct"))) }
        return TableSpec(id: id, number: "1", section: "s", title: Bilingual(id), unit: .person, dimensions: dims,
                         measures: measures, stub: .desa, columns: [])
    }

    static func describe(_ cube: ResultCube, _ spec: TableSpec) -> CubeDescription {
        try! ProfileDescriptions.describe(spec, cube: cube)
    }
}

/// Independent check of the property the issue asks for, written without the model: in every row/column
/// of every table (codes of a dimension and their `_T`) and every hierarchy group (villages and their
/// kecamatan, kecamatan and the kabupaten), the number of confidential count cells is 0 or ≥ 2. Only
/// relations that hold in `original` are checked (roster-row measures need not add over villages).
func singletonRelations(original: ResultCube, protected: ResultCube, countMeasures: [Int], additiveDimensions: [Int]) -> [String] {
    var problems: [String] = []
    let areas = original.areas
    func check(_ members: [(slot: Int, cell: Int)], _ m: Int, _ what: String) {
        let before = members.map { original[slot: $0.slot, cell: $0.cell, measure: m] }
        guard before.allSatisfy({ $0?.status == .value }) else { return }
        let total = before[0]!.value!, sum = before.dropFirst().reduce(0) { $0 + $1!.value! }
        guard abs(total - sum) < 1e-9 else { return }
        // Cells of an unpublished area level (removed by publish_levels) are in no published relation.
        guard members.allSatisfy({ protected[slot: $0.slot, cell: $0.cell, measure: m] != nil }) else { return }
        let conf = members.filter { protected[slot: $0.slot, cell: $0.cell, measure: m]?.status == .confidential }.count
        if conf == 1 { problems.append("\(original.table) \(what) slot \(members[0].slot) cell \(members[0].cell) measure \(original.measures[m])") }
    }
    for m in countMeasures {
        for d in additiveDimensions {
            guard let t = original.dimensions[d].index(of: "_T") else { continue }
            for slot in 0..<areas.slotCount {
                for c in 0..<original.cellsPerArea where original.codes(ofCell: c)[d] == t {
                    var codes = original.codes(ofCell: c)
                    var members = [(slot, c)]
                    for k in original.dimensions[d].codes.indices where k != t {
                        codes[d] = k
                        members.append((slot, original.cellIndex(codes)))
                    }
                    check(members, m, "dimension \(original.dimensions[d].id)")
                }
            }
        }
        for c in 0..<original.cellsPerArea {
            for (k, kec) in areas.kecamatans.enumerated() {
                check([(areas.slot(AreaRef(.kecamatan, k)), c)] + kec.villages.map { ($0, c) }, m, "villages of kecamatan")
            }
            for (b, kab) in areas.kabupatens.enumerated() {
                check([(areas.slot(AreaRef(.kabupaten, b)), c)] + kab.kecamatans.map { (areas.slot(AreaRef(.kecamatan, $0)), c) }, m, "kecamatan of kabupaten")
            }
        }
    }
    return problems
}

@Suite struct ProtectionHandMadeTests {
    static let suppression = ProtectionSpec(method: .suppression, threshold: 3)

    /// Persons by sex; village A has 1 woman (primary). Expected pattern (worked by hand through the
    /// heuristic): row A needs a second cell → A male (the only non-zero interior cell); the female
    /// column of kecamatan K1 needs a second village → B female (smaller than C); the male column of K1
    /// then has only A male → B male, which also closes row B (a rectangle: A/B × male/female).
    @Test func primaryAndSecondaryWithinTableAndHierarchy() throws {
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [
            [10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0],
        ])
        let spec = HandAreas.spec("by_sex", ["r405"])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, spec)], spec: Self.suppression)
        let a = HandAreas.village("A"), b = HandAreas.village("B")
        #expect(out.mark("by_sex", a, ["2"], "persons") == .primary)
        #expect(out.mark("by_sex", a, ["1"], "persons") == .secondary)
        #expect(out.mark("by_sex", b, ["2"], "persons") == .secondary)
        #expect(out.mark("by_sex", b, ["1"], "persons") == .secondary)
        // Nothing else: no total, no other village, no kecamatan or kabupaten cell.
        var confidential: [String] = []
        for area in HandAreas.areas.allAreas {
            for code in ["1", "2", "_Z", "_T"] where out.cubes[0].cell(area, [code], "persons")?.status == .confidential {
                confidential.append("\(HandAreas.areas.code(area))/\(code)")
            }
        }
        #expect(confidential.sorted() == ["1505010001/1", "1505010001/2", "1505010002/1", "1505010002/2"])
        // Confidential cells carry no value, so nothing downstream can read it.
        #expect(out.cubes[0].cell(a, ["2"], "persons")?.value == nil)
        #expect(singletonRelations(original: cube, protected: out.cubes[0], countMeasures: [0], additiveDimensions: [0]).isEmpty)
        let t = out.report.tables[0]
        #expect(t.primary == 1 && t.secondary == 3 && t.secondarySum == 10 + 12 + 8)
        #expect(t.villageCells == 20 && t.villageConfidential == 4)
    }

    /// A kecamatan with a primary cell at kecamatan level: the kecamatan-of-kabupaten relation needs a
    /// second kecamatan, and each suppressed kecamatan cell needs a second suppressed cell among its villages.
    @Test func hierarchyUpToTheKabupaten() throws {
        // A third category (3): 1 in A (primary), 1 in D (primary) → K1 3 = 1 and K2 3 = 1, both primary.
        // (Not `_Z`: a not-stated cell is never primary, contract §3 rev. 2.)
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "3"])], [
            [10, 11, 1], [12, 8, 0], [20, 15, 0], [5, 5, 1], [7, 9, 0],
        ])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("by_sex", ["r405"]))],
                                         spec: Self.suppression)
        #expect(out.mark("by_sex", HandAreas.k1, ["3"], "persons") == .primary)
        #expect(out.mark("by_sex", HandAreas.k2, ["3"], "persons") == .primary)
        #expect(out.mark("by_sex", HandAreas.kab, ["3"], "persons") == .primary)   // 1 + 1 = 2 < 3
        #expect(singletonRelations(original: cube, protected: out.cubes[0], countMeasures: [0], additiveDimensions: [0]).isEmpty)
        // A kecamatan row with its 3 suppressed needs a second suppressed cell in the row: an interior
        // code (male or female), never the kecamatan total when an interior cell will do.
        #expect(out.mark("by_sex", HandAreas.k1, ["_T"], "persons") == .published)
        #expect(out.mark("by_sex", HandAreas.k2, ["_T"], "persons") == .published)
    }

    /// Linked tables: persons by sex and persons by age and sex share the cells (age `_T`, sex). A primary
    /// in one is confidential in both, and a secondary chosen for one table is confidential in the other.
    @Test func linkedTables() throws {
        // by_age_sex: ages y, o × sex 1, 2, _Z; village A has 1 young and 1 old woman (both primary) → A
        // women = 2, primary in both tables.
        let ageSex = HandAreas.cube("by_age_sex", [("age_group", ["y", "o"]), ("r405", ["1", "2", "_Z"])], [
            [4, 1, 0, 6, 1, 0], [6, 4, 0, 6, 4, 0], [10, 8, 0, 10, 7, 0], [3, 3, 0, 2, 2, 0], [4, 5, 0, 3, 4, 0],
        ])
        let bySex = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [
            [10, 2, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0],
        ])
        let specs = [HandAreas.spec("by_sex", ["r405"]), HandAreas.spec("by_age_sex", ["age_group", "r405"])]
        let cubes = [bySex, ageSex]
        let out = try Protection.protect(cubes: cubes, descriptions: zip(cubes, specs).map { HandAreas.describe($0, $1) },
                                         spec: Self.suppression)
        let a = HandAreas.village("A")
        #expect(out.mark("by_sex", a, ["2"], "persons") == .primary)
        #expect(out.mark("by_age_sex", a, ["_T", "2"], "persons") == .primary)
        #expect(out.mark("by_age_sex", a, ["y", "2"], "persons") == .primary)
        #expect(out.mark("by_age_sex", a, ["o", "2"], "persons") == .primary)
        // Every statistic has one status in both tables.
        for area in HandAreas.areas.allAreas {
            for s in ["1", "2", "_Z", "_T"] {
                #expect(out.cubes[0].cell(area, [s], "persons")?.status == out.cubes[1].cell(area, ["_T", s], "persons")?.status,
                        "\(HandAreas.areas.code(area)) r405=\(s)")
            }
        }
        // Row A of by_sex needs a partner for the women: A men (interior there, a margin in by_age_sex),
        // which is then confidential in by_age_sex too, as a secondary.
        #expect(out.mark("by_sex", a, ["1"], "persons") == .secondary)
        #expect(out.mark("by_age_sex", a, ["_T", "1"], "persons") == .secondary)
        for (i, cube) in cubes.enumerated() {
            #expect(singletonRelations(original: cube, protected: out.cubes[i], countMeasures: [0],
                                       additiveDimensions: Array(cube.dimensions.indices)).isEmpty)
        }
        try SuppressionAudit.check(original: cubes, protected: out.cubes, descriptions: zip(cubes, specs).map { HandAreas.describe($0, $1) })
    }

    /// Percentages inherit the protection of their numerator and denominator.
    @Test func derivedCellsInherit() throws {
        let cube = HandAreas.cube("pct", [("r405", ["1", "2", "_Z"])], [
            [10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0],
        ], percentOver: "r405")
        let spec = HandAreas.spec("pct", ["r405"], percentOver: "r405")
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, spec)], spec: Self.suppression)
        let a = HandAreas.village("A"), c = HandAreas.village("C")
        #expect(out.mark("pct", a, ["2"], "pct") == .derived)
        #expect(out.mark("pct", a, ["1"], "pct") == .derived)
        #expect(out.cubes[0].cell(a, ["_T"], "pct")?.status == .value)   // 100 %, from the published total
        #expect(out.cubes[0].cell(c, ["2"], "pct")?.value == 15.0 / 35.0 * 100)
    }

    /// The audit fails the run on a deliberately broken pattern: one confidential cell alone in its row.
    @Test func auditCatchesBrokenPatterns() throws {
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [
            [10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0],
        ])
        let spec = HandAreas.spec("by_sex", ["r405"])
        let desc = [HandAreas.describe(cube, spec)]
        let a = HandAreas.village("A")
        // Only the primary cell suppressed: row A and the female column of K1 each have one x.
        var broken = cube
        broken[a, [1], 0] = Cell(value: nil, status: .confidential)
        #expect(throws: ProtectionError.self) { try SuppressionAudit.check(original: [cube], protected: [broken], descriptions: desc) }
        do {
            try SuppressionAudit.check(original: [cube], protected: [broken], descriptions: desc)
        } catch let e as ProtectionError {
            let text = e.description
            #expect(text.contains("by_sex") && text.contains("1505010001") && text.contains("r405=2"), "\(text)")
            #expect(text.contains("relation"), "\(text)")
        }
        // A correct pattern with one cell put back: B male published again leaves B female alone in row B.
        let good = try Protection.protect(cubes: [cube], descriptions: desc, spec: Self.suppression).cubes[0]
        var undone = good
        undone[HandAreas.village("B"), [0], 0] = cube[HandAreas.village("B"), [0], 0]
        #expect(throws: ProtectionError.self) { try SuppressionAudit.check(original: [cube], protected: [undone], descriptions: desc) }
        try SuppressionAudit.check(original: [cube], protected: [good], descriptions: desc)
        // A hierarchy-only break: two villages' cells suppressed in the same row (row fine), but the
        // column of K2 has one x: D male and D female suppressed, E published.
        var column = cube
        column[HandAreas.village("D"), [0], 0] = Cell(value: nil, status: .confidential)
        column[HandAreas.village("D"), [1], 0] = Cell(value: nil, status: .confidential)
        do {
            try SuppressionAudit.check(original: [cube], protected: [column], descriptions: desc)
            Issue.record("the audit accepted a village cell alone in its kecamatan column")
        } catch let e as ProtectionError {
            #expect(e.description.contains("villages add up to their kecamatan"), "\(e)")
        }
    }

    /// A pattern that passes the singleton rule (every relation has 0 or ≥ 2 confidential cells) but where
    /// a combination of relations pins cells down: with t1 = a + b, t2 = a + c and t3 = b + c published and
    /// a, b, c confidential, a = (t1 + t2 − t3) / 2. (Tables and the hierarchy only make even cycles;
    /// relations between measures and tables, like the targeting agreement ones, can make odd ones.)
    @Test func auditCatchesRecoveryByCombinedRelations() throws {
        let areas = AreaIndex(villages: [("1505010001", "A", "15.05.01.2001", "desa", "K1", "15.05.01")])
        let measures = ["a", "b", "c", "t1", "t2", "t3"], values: [Double] = [1, 2, 3, 3, 4, 5]
        var cube = ResultCube(table: "m", dimensions: [], measures: measures, areas: areas)
        for slot in 0..<areas.slotCount { for (m, v) in values.enumerated() { cube[slot: slot, cell: 0, measure: m] = .number(v) } }
        let desc = [CubeDescription(table: "m", roles: measures.map { _ in .count(keyed: false) }, additiveDimensions: []) { _, m in measures[m] }]
        let relations = [IdentityRelation(total: "t1", parts: ["a", "b"], table: "m", label: "t1 = a + b"),
                         IdentityRelation(total: "t2", parts: ["a", "c"], table: "m", label: "t2 = a + c"),
                         IdentityRelation(total: "t3", parts: ["b", "c"], table: "m", label: "t3 = b + c")]
        var broken = cube
        for slot in 0..<areas.slotCount { for m in 0..<3 { broken[slot: slot, cell: 0, measure: m] = Cell(value: nil, status: .confidential) } }
        do {
            try SuppressionAudit.check(original: [cube], protected: [broken], descriptions: desc, relations: relations)
            Issue.record("the audit accepted cells recoverable by combining relations")
        } catch let e as ProtectionError {
            #expect(e.description.contains("combination of published relations"), "\(e)")
        }
        let model = CellModel(cubes: [cube], descriptions: desc, identityRelations: relations)
        var confidential = [Bool](repeating: false, count: model.count)
        for v in 0..<model.count where ["a", "b", "c"].contains(model.identities[Int(model.identityOf[v])]) { confidential[v] = true }
        #expect(LinearRecovery.determined(model, confidential: confidential).count == 9)   // a, b, c in 3 areas
        // Protection itself never leaves such a pattern (a = 1 is primary): it suppresses until nothing is determined.
        let out = try Protection.protect(cubes: [cube], descriptions: desc, relations: relations, spec: Self.suppression)
        try SuppressionAudit.check(original: [cube], protected: out.cubes, descriptions: desc, relations: relations)
        #expect(out.cubes[0][slot: 0, cell: 0, measure: 0]?.status == .confidential)
    }

    /// The audit catches a statistic published in one table and confidential in the other, and a
    /// percentage published over a confidential count.
    @Test func auditCatchesLinkAndDerivedLeaks() throws {
        let bySex = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [[10, 2, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0]])
        let ageSex = HandAreas.cube("by_age_sex", [("age_group", ["y", "o"]), ("r405", ["1", "2", "_Z"])], [
            [4, 1, 0, 6, 1, 0], [6, 4, 0, 6, 4, 0], [10, 8, 0, 10, 7, 0], [3, 3, 0, 2, 2, 0], [4, 5, 0, 3, 4, 0],
        ])
        let specs = [HandAreas.spec("by_sex", ["r405"]), HandAreas.spec("by_age_sex", ["age_group", "r405"])]
        let descs = zip([bySex, ageSex], specs).map { HandAreas.describe($0, $1) }
        var out = try Protection.protect(cubes: [bySex, ageSex], descriptions: descs, spec: Self.suppression).cubes
        out[0][HandAreas.village("A"), [1], 0] = bySex[HandAreas.village("A"), [1], 0]   // publish A women in by_sex only
        do {
            try SuppressionAudit.check(original: [bySex, ageSex], protected: out, descriptions: descs)
            Issue.record("the audit accepted a linked cell published in one table only")
        } catch let e as ProtectionError {
            guard case .inconsistentLink = e else { Issue.record("expected inconsistentLink, got \(e)"); return }
        }
        let pct = HandAreas.cube("pct", [("r405", ["1", "2", "_Z"])], [[10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0]], percentOver: "r405")
        let pdesc = [HandAreas.describe(pct, HandAreas.spec("pct", ["r405"], percentOver: "r405"))]
        var p = try Protection.protect(cubes: [pct], descriptions: pdesc, spec: Self.suppression).cubes
        p[0][HandAreas.village("A"), [1], 1] = pct[HandAreas.village("A"), [1], 1]
        do {
            try SuppressionAudit.check(original: [pct], protected: p, descriptions: pdesc)
            Issue.record("the audit accepted a percentage over a confidential count")
        } catch let e as ProtectionError {
            guard case .derivedLeak = e else { Issue.record("expected derivedLeak, got \(e)"); return }
        }
    }

    /// Group attribute disclosure: a village whose units all fall into one stated category is flagged
    /// (not suppressed); one where all are "not stated" is not.
    @Test func groupAttributeFlags() throws {
        let cube = HandAreas.cube("tenure", [("r301a", ["1", "2", "_Z"])], [
            [0, 40, 0], [12, 8, 0], [0, 0, 9], [5, 5, 0], [7, 9, 0],
        ])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("tenure", ["r301a"]))],
                                         spec: Self.suppression)
        #expect(out.report.groupFlags.map(\.areaCode) == ["1505010001"])
        #expect(out.report.tables[0].groupFlags == 1)
        #expect(out.cubes[0].cell(HandAreas.village("A"), ["2"], "persons")?.status == .value)
    }

    @Test func methodNoneLeavesCubesAlone() throws {
        let cube = HandAreas.cube("by_sex", [("r405", ["1", "2", "_Z"])], [[10, 1, 0], [12, 8, 0], [20, 15, 0], [5, 5, 0], [7, 9, 0]])
        let out = try Protection.protect(cubes: [cube], descriptions: [HandAreas.describe(cube, HandAreas.spec("by_sex", ["r405"]))],
                                         spec: ProtectionSpec(method: .none))
        #expect(out.cubes[0].cell(HandAreas.village("A"), ["2"], "persons")?.value == 1)
    }
}

// MARK: - Perturbation table

@Suite struct PerturbationTableTests {
    @Test(arguments: [(2, 1.0), (3, 2.0), (5, 3.0)])
    func rowsAreDistributionsWithMeanZero(_ d: Int, _ v: Double) {
        let p = PerturbationTable(maxDeviation: d, variance: v)
        #expect(p.rows.count == d + 1)
        #expect(p.rows[0].map(\.deviation) == [0])
        for (n, row) in p.rows.enumerated() {
            let total = row.reduce(0) { $0 + $1.probability }
            let mean = row.reduce(0) { $0 + Double($1.deviation) * $1.probability }
            #expect(abs(total - 1) < 1e-9)
            #expect(abs(mean) < 1e-6, "row \(n)")
            #expect(row.allSatisfy { abs($0.deviation) <= d && n + $0.deviation >= 0 })
        }
        let last = p.rows[d]
        let variance = last.reduce(0) { $0 + Double($1.deviation * $1.deviation) * $1.probability }
        #expect(abs(variance - v) < 1e-6)
        for k in stride(from: 0.0, to: 1.0, by: 0.01) {
            for n in 0..<20 { #expect(abs(p.deviation(count: n, key: k)) <= d && n + p.deviation(count: n, key: k) >= 0) }
        }
    }
}

// MARK: - Property tests on a generated registry

@Suite(.serialized) struct ProtectionRegistryTests {
    struct Run: Sendable {
        var profile: Profile
        var engine: EngineResult
    }
    static func run(salt: String) -> Run {
        let dir = Repo.temporaryDirectory("protection-\(salt)")
        _ = try! DemoRun.generate(families: 3000, seed: 1, directory: dir)
        let profile = try! Profile.load(directory: Repo.profile)
        var engine = Engine(profile: profile)
        engine.cellKeySalt = salt
        return Run(profile: profile, engine: try! engine.run(dataDirectory: dir))
    }
    static let first = run(salt: "salt-one")
    static let second = run(salt: "salt-two")

    static func cubes(_ e: EngineResult) -> [ResultCube] {
        e.cubes + [e.targeting.targeting, e.targeting.duplicates, e.targeting.overlap, e.targeting.agreement]
    }

    /// Cells that are the same statistic in two tables: (table, codes, measure) groups.
    static let linked: [[(String, [String], String)]] = [
        [("population_sex", ["1"], "persons"), ("population_age_sex", ["_T", "1"], "persons")],
        [("population_sex", ["2"], "persons"), ("population_age_sex", ["_T", "2"], "persons")],
        [("population_sex", ["_Z"], "persons"), ("population_age_sex", ["_T", "_Z"], "persons")],
        [("population_sex", ["_T"], "persons"), ("population_age_sex", ["_T", "_T"], "persons")],
        [("school_participation", ["_T"], "persons"), ("education_certificate", ["_T", "_T"], "persons")],
        [("population_sex", ["_T"], "families"), ("families_desil", ["_T"], "families"), ("housing_tenure", ["_T"], "families"),
         ("housing_toilet", ["_T"], "families"), ("targeting", ["PKH", "registry"], "families"), ("targeting", ["ANY", "roster"], "families")],
        [("targeting", ["PKH", "registry"], "eligible"), ("targeting", ["PKH", "roster"], "eligible")],
        [("targeting", ["BPNT", "roster"], "recipients"), ("targeting_overlap", ["BPNT", "BPNT"], "families")],
        [("targeting_overlap", ["PKH", "BPNT"], "families"), ("targeting_overlap", ["BPNT", "PKH"], "families")],
    ]

    @Test func suppressionLeavesNoSingletonAndLinksHold() throws {
        let r = Self.first
        let out = try Protection.apply(ProtectionSpec(method: .suppression, threshold: 3), salt: nil, to: r.engine, tables: r.profile.tables)
        let before = Self.cubes(r.engine), after = Self.cubes(out.result)
        // Rows, columns and hierarchy groups of every profile table.
        for (i, spec) in r.profile.tables.enumerated() {
            let counts = spec.measures.indices.filter { [.count, .families].contains(spec.measures[$0].kind) }
            let problems = singletonRelations(original: before[i], protected: after[i], countMeasures: counts,
                                              additiveDimensions: Array(before[i].dimensions.indices))
            #expect(problems.isEmpty, "\(problems.prefix(5))")
        }
        // Targeting cubes: hierarchy groups of every count (where they hold), and the measure relations.
        for i in r.profile.tables.count..<before.count {
            let counts = before[i].measures.indices.filter { !before[i].measures[$0].hasSuffix("_pct") }
            let problems = singletonRelations(original: before[i], protected: after[i], countMeasures: counts, additiveDimensions: [])
            #expect(problems.isEmpty, "\(problems.prefix(5))")
        }
        let t = out.result.targeting.targeting
        for area in t.areas.allAreas {
            for p in t.dimensions[0].codes {
                for s in ["registry", "roster"] {
                    for rel in [["eligible", "eligible_recipients", "eligible_non_recipients"], ["recipients", "eligible_recipients", "ineligible_recipients"]] {
                        let cells = rel.map { t.cell(area, [p, s], $0) }
                        guard cells.allSatisfy({ $0 != nil && $0!.status != .notApplicable }) else { continue }
                        #expect(cells.filter { $0!.status == .confidential }.count != 1, "\(p) \(s) \(rel[0])")
                    }
                }
            }
        }
        // Linked cells: one status everywhere; every primary cell confidential wherever it appears.
        for group in Self.linked {
            for area in t.areas.allAreas {
                let orig = group.map { g in before.first { $0.table == g.0 }!.cell(area, g.1, g.2) }
                // Unpublished levels (nil) left out; a group with an unprotected table is published everywhere.
                let prot = group.map { g in after.first { $0.table == g.0 }!.cell(area, g.1, g.2) }.compactMap { $0 }
                #expect(Set(orig.map { $0?.value }).count == 1, "\(group[0]) values differ")
                #expect(Set(prot.map(\.status)).count <= 1, "\(group[0]) at \(t.areas.code(area))")
                let unprotected = group.contains { ["population_sex", "population_age_sex"].contains($0.0) }
                if let v = orig[0]?.value, v > 0, v < 3, !unprotected { #expect(prot.allSatisfy { $0.status == .confidential }) }
                if unprotected { #expect(prot.allSatisfy { $0.status == .value }) }
            }
        }
        // Every primary count cell of every protected table is confidential (not `_Z`, not the families of
        // an area, which population_sex publishes unprotected); confidential cells carry no value; the
        // unprotected tables have no x.
        for (b, a) in zip(before, after) {
            let unprotected = ["population_sex", "population_age_sex"].contains(b.table)
            for slot in 0..<b.areas.slotCount {
                for c in 0..<b.cellsPerArea {
                    let codes = b.codes(ofCell: c).enumerated().map { b.dimensions[$0.offset].codes[$0.element] }
                    let allFamilies = codes.allSatisfy { $0 == "_T" } && (b.measures.contains("families") && !b.measures.contains("persons"))
                    for m in b.measures.indices where !b.measures[m].hasSuffix("pct") {
                        guard let cell = b[slot: slot, cell: c, measure: m], let v = cell.value else { continue }
                        if unprotected { #expect(a[slot: slot, cell: c, measure: m]?.status == .value, "\(b.table)"); continue }
                        guard a[slot: slot, cell: c, measure: m] != nil else { continue }   // level not published
                        let shared = (allFamilies && b.measures[m] == "families") || (b.table == "targeting" && b.measures[m] == "families")
                        if v > 0 && v < 3 && !codes.contains("_Z") && !shared {
                            #expect(a[slot: slot, cell: c, measure: m]?.status == .confidential, "\(b.table)")
                        }
                        if a[slot: slot, cell: c, measure: m]?.status == .confidential { #expect(a[slot: slot, cell: c, measure: m]?.value == nil) }
                    }
                }
            }
        }
        // Rates are confidential when their numerator or denominator is — except beside a published zero
        // denominator, where the rate is not applicable (M) and reveals nothing.
        for area in t.areas.allAreas {
            for p in t.dimensions[0].codes {
                for s in ["registry", "roster"] {
                    for (rate, num, den) in [("coverage_pct", "eligible_recipients", "eligible"), ("exclusion_pct", "eligible_non_recipients", "eligible"),
                                             ("inclusion_pct", "ineligible_recipients", "recipients")] {
                        let denominator = t.cell(area, [p, s], den)
                        if t.cell(area, [p, s], num)?.status == .confidential || denominator?.status == .confidential {
                            let zero = denominator?.status == .value && denominator?.value == 0
                            #expect(t.cell(area, [p, s], rate)?.status == (zero ? .notApplicable : .confidential))
                        }
                    }
                }
            }
        }
        #expect(out.report.linkMismatches.isEmpty, "\(out.report.linkMismatches)")
        #expect(out.report.primaryStatistics > 0 && out.report.secondaryStatistics > 0)
    }

    @Test func recordKeysAgreeAcrossTables() {
        let e = Self.first.engine
        let sex = e.cubes.first { $0.table == "population_sex" }!, ageSex = e.cubes.first { $0.table == "population_age_sex" }!
        let desil = e.cubes.first { $0.table == "families_desil" }!, tenure = e.cubes.first { $0.table == "housing_tenure" }!
        #expect(sex.cellKeys != nil)
        for slot in 0..<sex.areas.slotCount {
            for (s, code) in ["1", "2", "_Z", "_T"].enumerated() {
                let a = sex.cellKey(slot: slot, cell: s)
                let b = ageSex.cellKey(slot: slot, cell: ageSex.cellIndex([ageSex.dimensions[0].codes.count - 1, s]))
                #expect(a == b, "r405=\(code)")
            }
            #expect(desil.cellKey(slot: slot, cell: desil.cellsPerArea - 1) == tenure.cellKey(slot: slot, cell: tenure.cellsPerArea - 1))
        }
    }

    @Test func cellKeySameCellSameValueWithinDeviationReproducible() throws {
        let r = Self.first
        let spec = ProtectionSpec(method: .cellkey, threshold: 3, maxDeviation: 2, variance: 1)
        let out = try Protection.apply(spec, salt: "salt-one", to: r.engine, tables: r.profile.tables)
        let again = try Protection.apply(spec, salt: "salt-one", to: r.engine, tables: r.profile.tables)
        let before = Self.cubes(r.engine), after = Self.cubes(out.result), after2 = Self.cubes(again.result)
        var changed = 0
        for (i, (b, a)) in zip(before, after).enumerated() {
            for slot in 0..<b.areas.slotCount {
                for c in 0..<b.cellsPerArea {
                    for m in b.measures.indices {
                        let x = a[slot: slot, cell: c, measure: m]
                        #expect(x == after2[i][slot: slot, cell: c, measure: m], "reproducible")
                        guard !b.measures[m].hasSuffix("pct"), let tv = b[slot: slot, cell: c, measure: m]?.value, let pv = x?.value else { continue }
                        if ["population_sex", "population_age_sex"].contains(b.table) { #expect(pv == tv, "unprotected"); continue }
                        #expect(abs(pv - tv) <= 2, "\(b.table) within D")
                        #expect(pv >= 0)
                        if tv == 0 { #expect(pv == 0) }
                        if pv != tv { changed += 1 }
                    }
                }
            }
        }
        #expect(changed > 1000)
        for group in Self.linked {
            for area in out.result.areas.allAreas {
                let values = group.compactMap { g in after.first { $0.table == g.0 }!.cell(area, g.1, g.2) }.map(\.value)
                #expect(Set(values).count <= 1, "\(group[0]) same perturbed value in every table")
            }
        }
        // Percentages are recomputed from the perturbed counts.
        let tenure = out.result.cubes.first { $0.table == "housing_tenure" }!
        let kab = AreaRef(.kabupaten, 0)
        let n = tenure.cell(kab, ["1"], "families")!.value!, d = tenure.cell(kab, ["_T"], "families")!.value!
        #expect(abs(tenure.cell(kab, ["1"], "pct")!.value! - n / d * 100) < 1e-9)
        // Another salt gives another perturbation.
        let other = Self.second
        let out2 = try Protection.apply(spec, salt: "salt-two", to: other.engine, tables: other.profile.tables)
        let a1 = after[2], a2 = out2.result.cubes[2]   // families_desil (the population tables are unprotected)
        var differs = 0
        for slot in 0..<a1.areas.slotCount { for c in 0..<a1.cellsPerArea where a1[slot: slot, cell: c, measure: 0] != a2[slot: slot, cell: c, measure: 0] { differs += 1 } }
        #expect(differs > 0)
        // The cell key method needs the salt.
        #expect(throws: ProtectionError.self) { try Protection.apply(spec, salt: nil, to: r.engine, tables: r.profile.tables) }
    }
}

// MARK: - Report definition and the end-to-end run

@Suite struct ProtectionRunTests {
    @Test func protectionBlockIsParsedAndTheSaltRefused() throws {
        let shipped = try Profile.load(directory: Repo.profile)
        #expect(shipped.report.protection == ProtectionSpec(method: .suppression, threshold: 3, maxDeviation: 2, variance: 1, secondaryCost: .structure,
                                                            tables: Dictionary(uniqueKeysWithValues: ProtectionSpec.engineTables.map { ($0, TableProtectionSpec(protect: true)) })))
        #expect(shipped.tables.first { $0.id == "population_sex" }?.protection == TableProtectionSpec(protect: false))
        #expect(shipped.tables.first { $0.id == "housing_tenure" }?.protection == TableProtectionSpec(publishLevels: [.kecamatan, .kabupaten]))
        let dir = Repo.temporaryDirectory()
        for f in Profile.fileNames { try FileManager.default.copyItem(atPath: Repo.profile + "/" + f, toPath: dir + "/" + f) }
        let report = try String(contentsOfFile: dir + "/report.yml", encoding: .utf8)
        let base = report.components(separatedBy: "protection:")[0]
        try (base + "protection:\n  method: cellkey\n  threshold: 5\n  max_deviation: 3\n  variance: 2\n").write(toFile: dir + "/report.yml", atomically: true, encoding: .utf8)
        #expect(try Profile.load(directory: dir).report.protection == ProtectionSpec(method: .cellkey, threshold: 5, maxDeviation: 3, variance: 2))
        try (base + "protection:\n  method: cellkey\n  salt: abc\n").write(toFile: dir + "/report.yml", atomically: true, encoding: .utf8)
        #expect(throws: ProfileError.self) { try Profile.load(directory: dir) }
        try (base + "protection:\n  method: hide\n").write(toFile: dir + "/report.yml", atomically: true, encoding: .utf8)
        #expect(throws: ProfileError.self) { try Profile.load(directory: dir) }
        try base.write(toFile: dir + "/report.yml", atomically: true, encoding: .utf8)
        #expect(try Profile.load(directory: dir).report.protection == .default)
    }

    /// A whole run: published twins carry `C` with an empty value, the threshold is printed nowhere in the
    /// published outputs, and the restricted folder holds the unprotected twins and the rule.
    @Test func publishedOutputsAreProtected() throws {
        let dir = Repo.temporaryDirectory()
        _ = try DemoRun.generate(families: 3000, seed: 1, directory: dir + "/micro")
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: dir + "/micro", outputDirectory: dir + "/out",
                                 templatesDirectory: Repo.templates, restrictedDirectory: dir + "/restricted")
        options.salt = nil
        let summary = try ReportRun.run(options)
        #expect(summary.protection.first?.hasPrefix("Disclosure control: suppression") == true)
        let twin = try String(contentsOfFile: dir + "/out/data/families_desil.csv", encoding: .utf8)
        let confidential = twin.split(separator: "\n").filter { $0.hasSuffix(",C") }
        #expect(!confidential.isEmpty)
        #expect(confidential.allSatisfy { $0.hasSuffix(",,C") })
        let raw = try String(contentsOfFile: dir + "/restricted/unprotected/data/families_desil.csv", encoding: .utf8)
        #expect(!raw.contains(",C\n"))
        let manifest = try String(contentsOfFile: dir + "/restricted/unprotected/protection.json", encoding: .utf8)
        #expect(manifest.contains("\"threshold\" : 3"))
        for file in ["report.md", "report.html", "manifest.json"] {
            let text = try String(contentsOfFile: dir + "/out/" + file, encoding: .utf8)
            #expect(!text.lowercased().contains("threshold") && !text.lowercased().contains("ambang batas"), "\(file)")
            #expect(!text.contains("unprotected"), "\(file)")
        }
        let md = try String(contentsOfFile: dir + "/out/report.md", encoding: .utf8)
        #expect(md.contains("cells with very small counts are shown as x"))
        #expect(md.contains("How to read x: an x means the figure exists but is not shown") && md.contains("Cara membaca x"))
        // Issue 14: no x in the unprotected population tables, no village rows in a table shown per kecamatan.
        let population = try String(contentsOfFile: dir + "/out/data/population_sex.csv", encoding: .utf8)
        #expect(!population.contains(",C\n") && population.contains(",desa,"))
        let housing = try String(contentsOfFile: dir + "/out/data/housing_tenure.csv", encoding: .utf8)
        #expect(!housing.contains(",desa,") && housing.contains(",kecamatan,"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/unprotected"))
    }
}
