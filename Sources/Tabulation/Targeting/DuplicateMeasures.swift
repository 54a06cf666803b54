import Microdata

/// The duplicate-recipient measures of contract §2 (roster source), per area × programme, and the records
/// behind them for the restricted output.
///
/// Row measures (`roster_rows`, `unmatched_rows`, `invalid_nik_rows`, `duplicate_nik_rows`, `kk_only_rows`)
/// count roster rows in every area of the row's own slot list (`RosterLinks.slots(ofRow:)`), so a row linked to families
/// in two villages counts in both villages and once in the kecamatan/kabupaten above them. Unplaceable rows
/// are in no area. `non_current_nik_rows` counts in the areas of the departed member's families
/// (`RosterLinks.nonCurrentSlots`). Family measures (`duplicate_families`, `exclusive_overlap`, `multi_family_nik`) come from
/// `FamilyTallies`.
///
/// Decisions where the contract is silent:
/// - `duplicate_nik_rows` in an area = rows of the programme in that area with a valid NIK − distinct
///   (periode, valid NIK) pairs among them (contract §2, rev. 2). Rows are grouped per programme and period;
///   the same NIK on PKH and on BPNT, or in 2022-S1 and 2022-S2, is no duplicate. A row's valid NIK counts
///   whether or not it linked.
/// - `duplicate_families` only for profile programmes in `familyLevelProgrammes`, `exclusive_overlap` only
///   for profile programmes that are the first element of an exclusive pair; elsewhere the cell is `M`.
///   Unknown roster programmes get the four row measures and `M` for these two.
/// - Under program `_T` only `multi_family_nik` exists; it does not exist under real programmes
///   (absent cells, not `M`: the measure is not defined there rather than not computable).
///
/// Restricted records (`category`):
/// - `duplicate_nik`: every row of a programme whose valid NIK occurs on ≥ 2 rows of that programme's
///   roster in the same period (all of them, the first included, so the list can be checked), programme-wide;
///   one record per linked family, or one with no family for an unlinked row.
/// - `duplicate_family`: every (row, family) where the family is linked to ≥ 2 rows of that family-level
///   programme in the row's period.
/// - `non_current_nik`: every row whose NIK is that of a member who died, moved or was not found.
/// - `exclusive_overlap`: every (row, family) of programme P or of a partner Q where the family is a roster
///   recipient of P and of some partner of P; `programme` is the row's own programme.
/// - `multi_family_nik`: every (NIK, family) where a current member's valid NIK is held in ≥ 2 families;
///   programme `_T`, no roster line.
struct DuplicateMeasures: Sendable {
    /// Width programmes × `rowMeasures`: `roster_rows`, `unmatched_rows`, `invalid_nik_rows`,
    /// `duplicate_nik_rows`, `kk_only_rows`, `non_current_nik_rows` (`p * rowMeasures + measure`).
    private(set) var rows: AreaTally
    private(set) var records: [(category: String, programme: String, rosterLine: Int?, family: Int32?, nik: String)] = []
    let exclusivePartners: [Int: [Int]]

    /// Row measures per programme (see `rows`).
    static let rowMeasures = 6

    init(_ input: TargetingInput, links: RosterLinks, niks: RosterNIKs, periods: RosterPeriods, rowsPerFamily: [UInt8],
         duplicateFamilyKeys: [Int: Set<UInt64>], exclusivePartners: [Int: [Int]],
         sharedNIKs: [(key: UInt64, families: ArraySlice<Int32>)], recordLists: Bool) {
        let w = Self.rowMeasures
        let programmes = links.programmes
        let n = programmes.all.count, familyCount = input.familyVillage.count
        self.exclusivePartners = exclusivePartners
        rows = AreaTally(areas: input.areas, width: n * w)
        let programmeOf = ProgrammeIndex(rows: programmes.rowProgramme)   // -1: not tabulated

        for r in 0..<links.rowCount {
            let p = programmeOf[r]
            guard p >= 0 else { continue }
            let unmatched = links.kind[r] == .unmatched, invalid = niks.invalidNIK[r], kkOnly = links.kind[r] == .byNoKK
            for s in links.slots(ofRow: r) {
                let slot = Int(s)
                rows.add(slot: slot, p * w)
                if unmatched { rows.add(slot: slot, p * w + 1) }
                if invalid { rows.add(slot: slot, p * w + 2) }
                if kkOnly { rows.add(slot: slot, p * w + 4) }
            }
        }
        for (r, slots) in links.nonCurrentSlots where programmeOf[r] >= 0 {
            for s in slots { rows.add(slot: Int(s), programmeOf[r] * w + 5) }
        }
        let periodOf = periods.ofRow

        // Rows sharing a valid NIK: sorted by NIK (stable, so rows stay in file order; `RosterNIKs`), then each
        // run split by programme. In each area, every row beyond the first of a (programme, NIK) group is a duplicate.
        let sorted = (keys: niks.sortedNIKs, values: niks.sortedRows)
        var duplicateNIKRows: [Int] = []
        var i = 0
        while i < sorted.keys.count {
            var j = i + 1
            while j < sorted.keys.count, sorted.keys[j] == sorted.keys[i] { j += 1 }
            // Most shared NIKs are one person on several programmes' rosters (no duplicate): skip those
            // groups before sorting them.
            if j - i > 1 && Self.repeatsProgramme(sorted.values[i..<j], programmeOf) {
                let group = sorted.values[i..<j].map(Int.init)
                    .sorted { (programmeOf[$0], periodOf[$0], $0) < (programmeOf[$1], periodOf[$1], $1) }
                var a = 0
                while a < group.count {
                    let p = programmeOf[group[a]], period = periodOf[group[a]]
                    var b = a + 1
                    while b < group.count, programmeOf[group[b]] == p, periodOf[group[b]] == period { b += 1 }
                    if b - a > 1 {
                        let slots = group[a..<b].flatMap { links.slots(ofRow: $0) }.sorted()
                        var s = 0
                        while s < slots.count {
                            var e = s + 1
                            while e < slots.count, slots[e] == slots[s] { e += 1 }
                            if e - s > 1 { rows.add(slot: Int(slots[s]), p * w + 3, e - s - 1) }
                            s = e
                        }
                        duplicateNIKRows.append(contentsOf: group[a..<b])
                    }
                    a = b
                }
            }
            i = j
        }

        guard recordLists else { return }
        let roster = input.roster
        func add(_ category: String, row r: Int, family: Int32?) {
            records.append((category, programmes.all[programmeOf[r]], roster.line(r), family, RosterText.trimmed(roster.nik.text(r))))
        }
        duplicateNIKRows.sort { (programmeOf[$0], $0) < (programmeOf[$1], $1) }
        for r in duplicateNIKRows {
            let families = links.families(ofRow: r)
            if families.isEmpty { add("duplicate_nik", row: r, family: nil) }
            for f in families { add("duplicate_nik", row: r, family: f) }
        }
        let familyLevel = Set((0..<programmes.profileCount).filter { input.familyLevelProgrammes.contains(programmes.all[$0]) })
        let rowOrder = (0..<links.rowCount).filter { programmeOf[$0] >= 0 }
            .sorted { (programmeOf[$0], $0) < (programmeOf[$1], $1) }
        for r in rowOrder {
            let p = programmeOf[r]
            guard familyLevel.contains(p), let repeated = duplicateFamilyKeys[p] else { continue }
            for f in links.families(ofRow: r) where repeated.contains(RosterPeriods.key(family: f, period: periodOf[r])) {
                add("duplicate_family", row: r, family: f)
            }
        }
        for r in rowOrder where links.nonCurrentSlots[r] != nil { add("non_current_nik", row: r, family: nil) }
        for (p, partners) in exclusivePartners.sorted(by: { $0.key < $1.key }) {
            let involved = Set([p] + partners)
            for r in rowOrder where involved.contains(programmeOf[r]) {
                for f in links.families(ofRow: r) where rowsPerFamily[p * familyCount + Int(f)] > 0
                    && partners.contains(where: { rowsPerFamily[$0 * familyCount + Int(f)] > 0 }) {
                    add("exclusive_overlap", row: r, family: f)
                }
            }
        }
        for shared in sharedNIKs {
            for f in shared.families {
                records.append(("multi_family_nik", TargetingResult.totalCode, nil, f, NIK.text(shared.key)))
            }
        }
    }

    /// Whether two rows of `rows` have the same programme (small groups compared pairwise, without
    /// allocating; large ones are assumed to, and go through the general path).
    @inline(__always)
    static func repeatsProgramme(_ rows: ArraySlice<Int32>, _ programmeOf: ProgrammeIndex) -> Bool {
        guard rows.count <= 16 else { return true }
        var a = rows.startIndex
        while a < rows.endIndex {
            let p = programmeOf[Int(rows[a])]
            var b = a + 1
            while b < rows.endIndex {
                if programmeOf[Int(rows[b])] == p { return true }
                b += 1
            }
            a += 1
        }
        return false
    }

    func cube(_ areas: AreaIndex, programmes: RosterProgrammes, familyLevel: Set<String>,
              tallies: FamilyTallies) -> ResultCube {
        Self.cube(areas, programmes: programmes, familyLevel: familyLevel, rows: rows, exclusivePartners: exclusivePartners,
                  tallies: tallies)
    }

    /// The `duplicates` cube from the row counts and the family tallies: shared with the database path
    /// (`PushdownEngine`), whose statements deliver the same counts.
    static func cube(_ areas: AreaIndex, programmes: RosterProgrammes, familyLevel: Set<String>, rows: AreaTally,
                     exclusivePartners: [Int: [Int]], tallies: FamilyTallies) -> ResultCube {
        let n = programmes.all.count, w = rowMeasures
        var cube = ResultCube(table: "duplicates",
                              dimensions: [CubeDimension(id: "program", codes: programmes.all + [TargetingResult.totalCode])],
                              measures: TargetingResult.duplicateMeasures, areas: areas)
        // Measure positions: the row measures of `rows` go to these (`TargetingResult.duplicateMeasures`).
        let rowMeasure = [0, 1, 2, 3, 5, 6]
        for slot in 0..<areas.slotCount {
            for p in 0..<n {
                for m in 0..<w { cube[slot: slot, cell: p, measure: rowMeasure[m]] = .number(Double(rows[slot, p * w + m])) }
                let isProfile = p < programmes.profileCount
                cube[slot: slot, cell: p, measure: 4] = isProfile && familyLevel.contains(programmes.all[p])
                    ? .number(Double(tallies.duplicateFamilies[slot, p])) : .notApplicable
                cube[slot: slot, cell: p, measure: 7] = exclusivePartners[p] != nil
                    ? .number(Double(tallies.exclusiveOverlap[slot, p])) : .notApplicable
            }
            cube[slot: slot, cell: n, measure: 8] = .number(Double(tallies.multiFamilyNIK[slot, 0]))
        }
        return cube
    }
}

/// Each roster row's programme index, -1 when the row is not tabulated: a view of `RowProgrammes` (a copy
/// as `[Int]` was 8 bytes a row at the peak of a national run).
struct ProgrammeIndex {
    let rows: RowProgrammes
    @inline(__always)
    subscript(r: Int) -> Int { rows.index(r) }
}
