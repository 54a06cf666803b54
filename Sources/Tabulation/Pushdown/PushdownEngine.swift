import Foundation
import Microdata
import Profile

/// The same report as `Engine.run(dataDirectory:)`, computed where the data live: the profile is compiled to
/// SQL (`SQLPlan`), the database does every pass over families, members and rosters, and only aggregates come
/// back — per area and category counts, and a handful of totals. The result is an `EngineResult` with the
/// same cubes (profile tables, targeting, duplicates, overlap, agreement) and the same record accounting, so
/// disclosure control, rendering and the twins run unchanged.
///
/// Not available here: the cell key method's record keys (they need a 64-bit hash of every record; run from
/// CSV for `method: cellkey`). Record lists for `--restricted` are fetched only when asked for.
public struct PushdownEngine {
    public let profile: Profile
    /// Also rebuild every profile table from its village rows with `CubeBuilder` (the CSV path's cube
    /// construction) and require the same cells as the database's grouping sets.
    public var crossCheck = true
    /// Called before each statement with its title (progress output).
    public var progress: (@Sendable (String) -> Void)?

    public init(profile: Profile) { self.profile = profile }

    public enum PushdownError: Error, CustomStringConvertible {
        case tableMissing(String)
        case crossCheck(String)
        case unexpected(String)
        public var description: String {
            switch self {
            case .tableMissing(let t): return "the database has no table \(t) (load the data with `regtab load`)"
            case .crossCheck(let m): return "internal check failed: \(m)"
            case .unexpected(let m): return "unexpected database answer: \(m)"
            }
        }
    }

    struct Prepared {
        let plan: SQLPlan
        let areas: AreaIndex
        let names: [(name: String, rows: Int, firstLine: Int?)]
    }

    /// Reads the schema's shape, `wilayah` and the roster's programme names, and compiles the plan.
    func prepare(_ db: SQLConnection) throws -> Prepared {
        func table(_ name: String, required: Bool) throws -> SQLTable? {
            guard let columns = try db.columns(ofTable: name) else {
                if required { throw PushdownError.tableMissing(SQLText.table(db.schema, name)) }
                return nil
            }
            return SQLTable(name: name, schema: db.schema, columns: columns)
        }
        let layout = profile.layout
        // The SQL finds a family's village in the first 10 characters of its key, and reads two tables.
        guard !layout.isFlat, layout.areaLeadsFamilyID else {
            throw PushdownError.unexpected("the report definition's layout is flat or its family identifier does not begin with the village code; the database pushdown reads the two-file layout whose family key begins with the area (reports/regsosek)")
        }
        let keluarga = try table(layout.familyFile, required: true)!, anggota = try table(layout.memberFile, required: true)!
        let wilayah = try table(layout.areaFile, required: true)!, penerima = try table(layout.rosterFile, required: false)
        progress?(layout.areaFile)
        let attributes = profile.rules.areaAttributes.map(\.name)
        let areas = try Self.readAreas(db.query(try SQLPlan.wilayahSQL(wilayah, columns: layout.areas, attributes: attributes)), table: wilayah.name,
                                       codeColumn: layout.areas.villageCode, attributes: attributes)
        var names: [(name: String, rows: Int, firstLine: Int?)] = []
        if let penerima {
            progress?("roster programmes")
            for row in try db.query(try SQLPlan.programmeNamesSQL(penerima, columns: profile.layout.roster)) {
                names.append((row[0] ?? "", Int(row[1] ?? "0") ?? 0, row[2].flatMap { Int($0) }))
            }
        }
        let plan = try SQLPlan(profile: profile, schema: db.schema, keluarga: keluarga, anggota: anggota, penerima: penerima,
                               wilayah: wilayah, rosterNames: names.filter { !$0.name.isEmpty }.map(\.name), areas: areas)
        plan.citus = try !db.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'").isEmpty
        return Prepared(plan: plan, areas: areas, names: names)
    }

    /// Every statement the run sends (after the metadata queries), for `--explain-sql`.
    public func explain(_ db: SQLConnection) throws -> [SQLStatement] {
        let p = try prepare(db)
        let attributes = profile.rules.areaAttributes.map(\.name)
        var out = [SQLStatement(title: "wilayah", sql: try SQLPlan.wilayahSQL(p.plan.wilayah, columns: p.plan.profile.layout.areas, attributes: attributes))]
        if let penerima = p.plan.penerima { out.append(SQLStatement(title: "roster programmes", sql: try SQLPlan.programmeNamesSQL(penerima, columns: profile.layout.roster))) }
        out.append(try p.plan.keluargaAccountingStatement().0)
        out.append(try p.plan.anggotaAccountingStatement().0)
        out.append(try p.plan.familyTalliesStatement())
        if !p.plan.personRules.isEmpty { out.append(try p.plan.personTalliesStatement()) }
        out += try p.plan.profile.tables.indices.map { try p.plan.tableStatement($0).0 }
        if !p.plan.overlapInFamilyCounts { out.append(try p.plan.overlapStatement()) }
        out.append(try p.plan.rosterRowsStatement())
        return out
    }

    public func run(_ db: SQLConnection, recordLists: Bool = false) throws -> EngineResult {
        let p = try prepare(db)
        let plan = p.plan, areas = p.areas
        let slots = AreaSlots(areas)
        func query(_ s: SQLStatement) throws -> [[String?]] {
            progress?(s.title)
            return try db.query(s.sql)
        }

        // Record accounting (in the order the CSV engine meets the records).
        var accounting = RecordAccounting()
        let (kStatement, kVariables) = try plan.keluargaAccountingStatement()
        let k = try Self.integers(try query(kStatement), "accounting keluarga")
        let families = Self.account(&accounting, file: plan.keluarga.table.name, row: k,
                                    exclusions: ["invalid_family_key", "unknown_village", "duplicate_family_key"], variables: kVariables)
        let (aStatement, aVariables, _) = try plan.anggotaAccountingStatement()
        let a = try Self.integers(try query(aStatement), "accounting anggota")
        let persons = Self.account(&accounting, file: plan.anggota.table.name, row: a,
                                   exclusions: ["invalid_family_key", "family_not_tabulated", "not_current_member", "presence_not_stated"],
                                   variables: aVariables)
        let rosterFile = plan.penerima?.name ?? profile.layout.rosterFile
        let missingProgramme = p.names.first { $0.name.isEmpty }
        if plan.penerima == nil {
            accounting.warn(rosterFile, "file_missing")
            accounting.setRead(rosterFile, 0)
        } else {
            if let m = missingProgramme { accounting.exclude(rosterFile, "programme_missing", count: m.rows) }
            accounting.setRead(rosterFile, p.names.reduce(0) { $0 + $1.rows })
        }

        // Targeting: family counts first (they also give the families per area of the profile tables).
        var tallies = FamilyTallies(areas: areas, programmes: plan.programmes)
        let tallyColumns = plan.familyTallyColumns
        for row in try query(try plan.familyTalliesStatement()) {
            let slot = try slots.slot(row[0])
            for (c, column) in tallyColumns.enumerated() {
                let n = try Self.int(row[c + 1], column.name)
                tallies[keyPath: column.tally].add(slot: slot, column.counter, n)
            }
        }
        let familiesPerSlot = (0..<areas.slotCount).map { Double(tallies.families[$0, 0]) }

        // Person programmes (contract §2, rev. 2): current members per area, every level from the database.
        var personTallies = PersonTallies(PersonCounts(programmes: plan.personRules.count, villages: areas.villages.count), areas: areas,
                                          familyVillage: [], members: MemberNIKOrder(MemberNIKList()), roster: nil,
                                          personProgrammes: [])
        if !plan.personRules.isEmpty {
            let counters = SQLPlan.personCounters(plan.personRules.count)
            var tally = AreaTally(areas: areas, width: counters.count)
            for row in try query(try plan.personTalliesStatement()) {
                let slot = try slots.slot(row[0])
                for c in counters.indices { tally.add(slot: slot, c, try Self.int(row[c + 1], counters[c].name)) }
            }
            personTallies.tally = tally
        }

        // Profile tables: one statement each.
        var cubes: [ResultCube] = []
        for t in profile.tables.indices {
            let (statement, layout) = try plan.tableStatement(t)
            let rows = try query(statement)
            cubes.append(try cube(layout, rows: rows, plan: plan, slots: slots, families: familiesPerSlot))
        }

        // Targeting: overlap, roster-row measures, roster facts.
        let n = plan.programmeCount
        if !plan.overlapInFamilyCounts {
            for row in try query(try plan.overlapStatement()) {
                let slot = try slots.slot(row[0])
                let pa = try Self.int(row[1], "program_a"), pb = try Self.int(row[2], "program_b")
                tallies.overlap.add(slot: slot, pa * n + pb, try Self.int(row[3], "families"))
            }
        }
        var rowTally = AreaTally(areas: areas, width: n * DuplicateMeasures.rowMeasures)
        var unplaceable = 0, multiArea = 0
        for row in try query(try plan.rosterRowsStatement()) {
            let w = DuplicateMeasures.rowMeasures
            guard row[0] != nil else {
                unplaceable = try Self.int(row[w + 2], "unplaceable_rows"); multiArea = try Self.int(row[w + 3], "multi_area_rows")
                continue
            }
            let slot = try slots.slot(row[0])
            let program = try Self.int(row[1], "program")
            for m in 0..<w { rowTally.add(slot: slot, program * w + m, try Self.int(row[m + 2], "duplicate row measure \(m)")) }
        }
        let usable = Set(plan.programmeIndex.map(\.name))
        let unusable = p.names.filter { !$0.name.isEmpty && !usable.contains($0.name) }.reduce(0) { $0 + $1.rows }
        let familyLevel = Set(profile.rules.programmes.filter { $0.unit == .family }.map(\.id))
        // No roster table: no roster source, no roster-only tables (contract §2 "No rosters", rev. 2).
        let hasRoster = plan.penerima != nil
        let personProgrammes = plan.personProgrammes
        let targeting = TargetingResult(
            targeting: Targeting.targetingCube(areas, programmes: plan.programmes, tallies: tallies, persons: personTallies,
                                               personProgrammes: personProgrammes, hasRoster: hasRoster),
            duplicates: Self.duplicatesCube(areas, programmes: plan.programmes, familyLevel: familyLevel, rows: rowTally,
                                            exclusivePartners: plan.exclusivePartners, tallies: tallies),
            overlap: Targeting.overlapCube(areas, programmes: plan.programmes, tallies: tallies),
            agreement: Targeting.agreementCube(areas, programmes: plan.programmes, tallies: tallies, persons: personTallies,
                                               personProgrammes: personProgrammes),
            unknownProgrammes: Array(plan.programmes.unknown),
            hasRoster: hasRoster,
            personProgrammes: personProgrammes.map { plan.programmes.all[$0] },
            unplaceableRosterRows: unplaceable, multiAreaRows: multiArea, unusableProgrammeRows: unusable,
            eligibleNonRecipients: [], duplicateRecords: [])
        if plan.penerima != nil {
            if unplaceable > 0 { accounting.exclude(rosterFile, "unmatched_unknown_village", count: unplaceable) }
            if unusable > 0 { accounting.exclude(rosterFile, "programme_reserved", count: unusable) }
            for u in targeting.unknownProgrammes {
                accounting.warn(rosterFile, "unknown_programme:\(u)", count: p.names.first { $0.name == u }?.rows ?? 0)
            }
        }
        let rosterRows = p.names.reduce(0) { $0 + $1.rows } - (missingProgramme?.rows ?? 0)
        accounting.setTabulated(rosterFile, rosterRows - unplaceable - unusable)

        var result = EngineResult(cubes: cubes, targeting: targeting, accounting: accounting, areas: areas,
                                  families: families, persons: persons, familyVillage: [], familyKK: PackedTextColumn(), familyKeys: [],
                                  headName: [], headNIK: [], roster: RosterTable())
        if recordLists { try RecordListQueries(plan: plan, areas: areas, progress: progress).fetch(db, into: &result) }
        return result
    }

    /// Adds the record-level lists of `--restricted` to a result of `run(_:recordLists: false)` (a second step,
    /// so a caller can tell the aggregates' traffic from the lists').
    public func addRecordLists(_ db: SQLConnection, to result: inout EngineResult) throws {
        let p = try prepare(db)
        try RecordListQueries(plan: p.plan, areas: p.areas, progress: progress).fetch(db, into: &result)
    }

    // MARK: assembly

    /// Builds a profile table's cube from the grouping-sets rows (every area level, every `_T`), and
    /// optionally checks it against `CubeBuilder` fed with the village rows alone.
    func cube(_ layout: SQLTableLayout, rows: [[String?]], plan: SQLPlan, slots: AreaSlots, families: [Double]) throws -> ResultCube {
        let areas = slots.areas
        let dimSlots = layout.dims.map { plan.slot($0.scope, $0.slot) }
        let dimensions = zip(layout.spec.dimensions, dimSlots).map { CubeDimension(id: $0, codes: $1.categories + ["_Z", "_T"]) }
        var cube = ResultCube(table: layout.spec.id, dimensions: dimensions, measures: layout.spec.measures.map(\.id), areas: areas)
        let nCells = cube.cellsPerArea, d = dimensions.count
        var counts = [Double](repeating: 0, count: areas.slotCount * nCells)
        var sums = layout.sumVars.map { _ in [Double](repeating: 0, count: areas.slotCount * nCells) }
        var sumNs = sums
        // Village rows without totals, for the cross-check.
        let acc = TableAccumulator(spec: layout.spec, dims: zip(layout.dims, dimSlots).map { ($0.slot, $0.scope == .family, $1.categories.count + 1) },
                                   dimSlots: dimSlots, universe: nil, sumVars: layout.sumVars.map { _ in (0, false) },
                                   villages: areas.villages.count)
        for row in rows {
            guard row.count == 2 + d + 2 * layout.sumVars.count else { throw PushdownError.unexpected("table \(layout.spec.id): \(row.count) columns") }
            let slot = try slots.slot(row[0])
            var codes: [Int] = []
            for k in 0..<d {
                guard let code = row[k + 1], let i = dimensions[k].index(of: code) else {
                    throw PushdownError.unexpected("table \(layout.spec.id): code '\(row[k + 1] ?? "NULL")' of \(dimensions[k].id)")
                }
                codes.append(i)
            }
            let cell = cube.cellIndex(codes)
            let units = Double(try Self.int(row[d + 1], "units"))
            counts[slot * nCells + cell] = units
            for s in layout.sumVars.indices {
                sums[s][slot * nCells + cell] = row[d + 2 + 2 * s].flatMap(Double.init) ?? 0
                sumNs[s][slot * nCells + cell] = Double(try Self.int(row[d + 3 + 2 * s], "valued"))
            }
            if crossCheck, slot < areas.villages.count, !zip(codes, dimensions).contains(where: { $0 == $1.codes.count - 1 }) {
                var base = 0
                for (k, c) in codes.enumerated() { base = base * acc.dims[k].size + c }
                acc.counts[slot * acc.baseCells + base] = Int64(units)
                for s in layout.sumVars.indices {
                    acc.sums[s][slot * acc.baseCells + base] = sums[s][slot * nCells + cell]
                    acc.sumCounts[s][slot * acc.baseCells + base] = Int64(sumNs[s][slot * nCells + cell])
                }
            }
        }
        CubeBuilder.fill(&cube, measures: layout.spec.measures, counts: counts, sums: sums, sumNs: sumNs, families: families,
                         sumIndex: { v in layout.sumVars.firstIndex(of: v)! })
        if crossCheck {
            let villageFamilies = (0..<areas.villages.count).map { Int64(families[$0]) }
            let reference = CubeBuilder.build(acc, dimensions: dimensions, areas: areas, familiesPerVillage: villageFamilies)
            try Self.compare(cube, reference)
        }
        return cube
    }

    /// Same cells (values equal up to summation order for sums and means).
    static func compare(_ a: ResultCube, _ b: ResultCube) throws {
        for s in 0..<a.areas.slotCount {
            for c in 0..<a.cellsPerArea {
                for m in a.measures.indices {
                    let x = a[slot: s, cell: c, measure: m], y = b[slot: s, cell: c, measure: m]
                    if x == y { continue }
                    if let u = x?.value, let v = y?.value, x?.status == y?.status, abs(u - v) <= 1e-9 * max(1, abs(u), abs(v)) { continue }
                    throw PushdownError.crossCheck("table \(a.table), area slot \(s), cell \(a.codes(ofCell: c)), measure \(a.measures[m]): "
                                                   + "grouping sets give \(String(describing: x)), CubeBuilder \(String(describing: y))")
                }
            }
        }
    }

    /// The `duplicates` cube (as `DuplicateMeasures.cube`) from the database's row counts and the family tallies.
    static func duplicatesCube(_ areas: AreaIndex, programmes: RosterProgrammes, familyLevel: Set<String>, rows: AreaTally,
                               exclusivePartners: [Int: [Int]], tallies: FamilyTallies) -> ResultCube {
        DuplicateMeasures.cube(areas, programmes: programmes, familyLevel: familyLevel, rows: rows,
                               exclusivePartners: exclusivePartners, tallies: tallies)
    }

    /// Adds one file's accounting row: `read`, then per exclusion (count, first line), `tabulated`, then per
    /// variable (count, first line). Entries go in the order of their first line (the CSV engine's
    /// first-seen order), ties and unknown lines in the given order. Returns the tabulated count.
    static func account(_ accounting: inout RecordAccounting, file: String, row: [Int?], exclusions: [String], variables: [String]) -> Int {
        let read = row[0] ?? 0
        var excluded: [(reason: String, count: Int, line: Int?, order: Int)] = []
        for (i, reason) in exclusions.enumerated() {
            excluded.append((reason, row[1 + 2 * i] ?? 0, row[2 + 2 * i], i))
        }
        let tabulated = row[1 + 2 * exclusions.count] ?? 0
        var warnings: [(reason: String, count: Int, line: Int?, order: Int)] = []
        for (i, v) in variables.enumerated() {
            let at = 2 + 2 * exclusions.count + 2 * i
            warnings.append(("invalid_value:\(v)", row[at] ?? 0, row[at + 1], i))
        }
        func ordered(_ list: [(reason: String, count: Int, line: Int?, order: Int)]) -> [(reason: String, count: Int, line: Int?, order: Int)] {
            list.filter { $0.count > 0 }.sorted { ($0.line ?? Int.max, $0.order) < ($1.line ?? Int.max, $1.order) }
        }
        for e in ordered(excluded) { accounting.exclude(file, e.reason, count: e.count) }
        for w in ordered(warnings) { accounting.warn(file, w.reason, count: w.count) }
        accounting.setRead(file, read)
        accounting.setTabulated(file, tabulated)
        return tabulated
    }

    // MARK: reading answers

    static func int(_ cell: String?, _ what: String) throws -> Int {
        guard let cell, let n = Int(cell) else { throw PushdownError.unexpected("\(what) = \(cell ?? "NULL")") }
        return n
    }

    static func integers(_ rows: [[String?]], _ what: String) throws -> [Int?] {
        guard rows.count == 1 else { throw PushdownError.unexpected("\(what): \(rows.count) rows") }
        return rows[0].map { $0.flatMap { Int($0) } }
    }

    /// `wilayah` rows → `AreaIndex`, with `Engine.readAreas`'s checks and messages.
    /// `attributes`: the names of the extra columns after `line_no` (`wilayahSQL(_:attributes:)`).
    static func readAreas(_ rows: [[String?]], table: String, codeColumn: String, attributes: [String] = []) throws -> AreaIndex {
        var out: [(code: String, name: String, kemendagriCode: String, kind: String, kecamatanName: String, kecamatanKemendagri: String)] = []
        var seen = Set<String>()
        for (i, r) in rows.enumerated() {
            let line = r[6].flatMap { Int($0) } ?? i + 2
            let code = r[0] ?? ""
            guard code.count == 10, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw InputError(file: table, line: line, column: codeColumn, expected: "a 10-digit BPS village code", found: code)
            }
            guard seen.insert(code).inserted else {
                throw InputError(file: table, line: line, column: codeColumn, expected: "each village once", found: code)
            }
            out.append((code, r[1] ?? "", r[2] ?? "", r[3] ?? "", r[4] ?? "", r[5] ?? ""))
        }
        guard !out.isEmpty else { throw InputError(file: table, line: 2, expected: "at least one village") }
        var areas = AreaIndex(villages: out)
        for r in rows where !attributes.isEmpty {
            for (a, name) in attributes.enumerated() { areas.setAttribute(name, r[7 + a] ?? "", village: r[0] ?? "") }
        }
        return areas
    }
}

/// Area code (10, 7 or 4 digits) → area slot.
struct AreaSlots {
    let areas: AreaIndex
    private let kecamatan: [String: Int]
    private let kabupaten: [String: Int]

    init(_ areas: AreaIndex) {
        self.areas = areas
        var kec: [String: Int] = [:], kab: [String: Int] = [:]
        for (i, k) in areas.kecamatans.enumerated() { kec[k.code] = areas.slot(AreaRef(.kecamatan, i)) }
        for (i, k) in areas.kabupatens.enumerated() { kab[k.code] = areas.slot(AreaRef(.kabupaten, i)) }
        kecamatan = kec; kabupaten = kab
    }

    func slot(_ code: String?) throws -> Int {
        guard let code else { throw PushdownEngine.PushdownError.unexpected("a row without area") }
        switch code.count {
        case 10: if let v = areas.village(code: code) { return v }
        case 7: if let k = kecamatan[code] { return k }
        case 4: if let k = kabupaten[code] { return k }
        default: break
        }
        throw PushdownEngine.PushdownError.unexpected("area code '\(code)' not in wilayah")
    }
}


extension CubeBuilder {
    /// Every measure of every cell from the full counts (totals included) per area slot: the second half of
    /// `build`, shared with the database path, whose grouping sets deliver the full counts directly.
    static func fill(_ cube: inout ResultCube, measures: [MeasureSpec], counts: [Double], sums: [[Double]], sumNs: [[Double]],
                     families: [Double], sumIndex: (String) -> Int) {
        let dimensions = cube.dimensions
        let nCells = cube.cellsPerArea
        let allTotal = cube.cellIndex(dimensions.map { $0.codes.count - 1 })
        for s in 0..<cube.areas.slotCount {
            for c in 0..<nCells {
                let n = counts[s * nCells + c]
                for (m, measure) in measures.enumerated() {
                    let cell: Cell?
                    switch measure.kind {
                    case .count:
                        cell = .number(n)
                    case .families:
                        cell = c == allTotal ? .number(families[s]) : nil
                    case .percentOver(let dimId):
                        let k = dimensions.firstIndex { $0.id == dimId }!
                        var codes = cube.codes(ofCell: c)
                        codes[k] = dimensions[k].codes.count - 1
                        let base = counts[s * nCells + cube.cellIndex(codes)]
                        cell = base == 0 ? .notApplicable : .number(n / base * 100)
                    case .sum(let v):
                        cell = .number(sums[sumIndex(v)][s * nCells + c])
                    case .mean(let v):
                        let k = sumIndex(v)
                        let sn = sumNs[k][s * nCells + c]
                        cell = sn == 0 ? .notApplicable : .number(sums[k][s * nCells + c] / sn)
                    case .computed:
                        cell = nil
                    }
                    cube[slot: s, cell: c, measure: m] = cell
                }
            }
        }
    }
}
