import Microdata
import Profile
import Tabulation

/// Disclosure control of the change tables (`regtab compare`) together with the two releases they compare.
///
/// Publishing two protected releases and their difference opens a door that single-release protection does not
/// close: a cell hidden in one release can be recovered by subtracting published cells of the other release or
/// of the change tables. The releases themselves are protected as always (the same definition gives the same
/// pattern as when each was published, so nothing already published changes); the change tables absorb the rest:
///
/// - a stock that *is* a release cell (families; eligible, recipients and eligible non-recipients of a family
///   programme or `ANY` per source; persons) takes that cell's status in its release: hidden there, hidden here;
/// - a stock that is not a release cell (desil 1–4 families; person programmes counted in families) is hidden
///   when it is below the threshold or, for desil 1–4, when a desil 1–4 cell of its area is hidden in its release;
/// - every flow (in, out, new, gone, moved, matched, transitions) with 0 < n < threshold is primary;
/// - then, until no relation is left with exactly one hidden cell, one more change-table cell of such a relation
///   is hidden (the smallest non-zero one): net = after − before, before + in − out = after, in = new + moved in,
///   out = gone + moved out, after = new + matched by key + matched by No. KK, the same eligible figure under both
///   sources, villages and kecamatan adding up for the additive measures (stocks, net, new, gone, matched; flows
///   between areas do not add up), and the rows, columns and areas of the transition matrix.
/// The audit (`singletonRelations`) counts relations left with exactly one hidden cell; it must be 0. What this
/// does not do, and the README says: the interval rule and the linear-programming attacker over the three sets;
/// under the cell key method the stocks carry the releases' perturbed values and the flows are suppressed.
public enum ChangeProtection {
    public struct Outcome: Sendable {
        public var change: ChangeResult
        /// Cells hidden per cube (`change_families`, `change_targeting`, `change_desil`): primary, from a release,
        /// secondary.
        public var primary: [Int]
        public var fromRelease: [Int]
        public var secondary: [Int]
        /// Relations left with exactly one hidden cell after protection (0 unless no cell could be hidden).
        public var singletonRelations: Int
        public var method: ProtectionSpec.Method

        public func summaryLines() -> [String] {
            guard method != .none else { return ["Change tables: not protected (method none)"] }
            return zip(["change_families", "change_targeting", "change_desil"].indices, ["change_families", "change_targeting", "change_desil"]).map { i, t in
                "Change table \(t): \(fromRelease[i]) cells hidden as in a release, \(primary[i]) primary, \(secondary[i]) secondary"
            } + ["Change tables audit: \(singletonRelations) relations with a single hidden cell"]
        }
    }

    struct Ref: Hashable { var cube: Int; var slot: Int; var cell: Int; var measure: Int }

    /// - Parameters:
    ///   - before, after: the two releases, protected (`Protection.apply`), whose cells the stocks mirror.
    ///   - desilVariable: the dimension of the release's desil table (`ChangeRoles.desilVariable`).
    public static func apply(_ change: ChangeResult, spec: ProtectionSpec, before: EngineResult, after: EngineResult,
                             desilVariable: String?) -> Outcome {
        var out = change
        var cubes = change.cubes
        let policy = cubes.map { spec.policy(for: $0.table) }
        let method = policy[1].rule.method
        // Levels a cube publishes: the policy's, and the transition matrix never at villages.
        var published = policy.map(\.publishLevels)
        published[2].remove(.desa)
        let areas = change.families.areas
        for c in cubes.indices {
            for area in areas.allAreas where !published[c].contains(area.level) {
                let slot = areas.slot(area)
                for cell in 0..<cubes[c].cellsPerArea { for m in cubes[c].measures.indices { cubes[c][slot: slot, cell: cell, measure: m] = nil } }
            }
        }
        guard method != .none else {
            out.families = cubes[0]; out.targeting = cubes[1]; out.desil = cubes[2]
            return Outcome(change: out, primary: [0, 0, 0], fromRelease: [0, 0, 0], secondary: [0, 0, 0], singletonRelations: 0, method: method)
        }
        let threshold = Double(policy[1].rule.threshold)
        var fixed = Set<Ref>()
        var primary = [0, 0, 0], fromRelease = [0, 0, 0], secondary = [0, 0, 0]

        // The release cell a stock mirrors: (release, table, codes, measure).
        let releaseFor = ReleaseLookup(before: before, after: after, frame: areas, desilVariable: desilVariable)
        func hide(_ r: Ref) { cubes[r.cube][slot: r.slot, cell: r.cell, measure: r.measure] = Cell(value: nil, status: .confidential) }
        func cell(_ r: Ref) -> Cell? { cubes[r.cube][slot: r.slot, cell: r.cell, measure: r.measure] }

        // Stocks and primary cells.
        for c in cubes.indices {
            let cube = cubes[c]
            for slot in 0..<areas.slotCount {
                for cellIndex in 0..<cube.cellsPerArea {
                    for (m, measure) in cube.measures.enumerated() {
                        let r = Ref(cube: c, slot: slot, cell: cellIndex, measure: m)
                        guard let x = cell(r), x.status == .value, let v = x.value else { continue }
                        let codes = cube.codes(ofCell: cellIndex).enumerated().map { cube.dimensions[$0].codes[$1] }
                        if let release = releaseFor.status(table: cube.table, slot: slot, codes: codes, measure: measure) {
                            fixed.insert(r)
                            if release == .confidential { hide(r); fromRelease[c] += 1 }
                            if method == .cellkey, let value = releaseFor.value(table: cube.table, slot: slot, codes: codes, measure: measure) {
                                cubes[c][slot: slot, cell: cellIndex, measure: m] = .number(value)
                            }
                            continue
                        }
                        if measure.hasSuffix("_net") { continue }
                        if v > 0, v < threshold { hide(r); primary[c] += 1 }
                    }
                }
            }
        }
        // A net whose before and after are both release cells is determined by them: hidden when either is,
        // published otherwise, and never a candidate for hiding (hiding it would protect nothing).
        for c in 0..<2 {
            for slot in 0..<areas.slotCount {
                for cellIndex in 0..<cubes[c].cellsPerArea {
                    for (m, measure) in cubes[c].measures.enumerated() where measure.hasSuffix("_net") {
                        let stem = String(measure.dropLast(4))
                        guard let b = cubes[c].measureIndex(stem + "_before"), let a = cubes[c].measureIndex(stem + "_after") else { continue }
                        let rb = Ref(cube: c, slot: slot, cell: cellIndex, measure: b), ra = Ref(cube: c, slot: slot, cell: cellIndex, measure: a)
                        let r = Ref(cube: c, slot: slot, cell: cellIndex, measure: m)
                        guard fixed.contains(rb), fixed.contains(ra), cell(r)?.status == .value else { continue }
                        fixed.insert(r)
                        if cell(rb)?.status == .confidential || cell(ra)?.status == .confidential { hide(r); fromRelease[c] += 1 }
                    }
                }
            }
        }
        // Net recomputed from published stocks (the cell key method changes them).
        if method == .cellkey {
            for c in 0..<2 {
                for slot in 0..<areas.slotCount {
                    for cellIndex in 0..<cubes[c].cellsPerArea {
                        for (m, measure) in cubes[c].measures.enumerated() where measure.hasSuffix("_net") {
                            let stem = String(measure.dropLast(4))
                            guard let b = cubes[c].measureIndex(stem + "_before"), let a = cubes[c].measureIndex(stem + "_after"),
                                  let vb = cubes[c][slot: slot, cell: cellIndex, measure: b]?.value,
                                  let va = cubes[c][slot: slot, cell: cellIndex, measure: a]?.value,
                                  cubes[c][slot: slot, cell: cellIndex, measure: m]?.status == .value else { continue }
                            cubes[c][slot: slot, cell: cellIndex, measure: m] = .number(va - vb)
                        }
                    }
                }
            }
        }

        let relations = Relations.all(cubes)
        // Singleton closure.
        var changed = true
        while changed {
            changed = false
            for rel in relations {
                let live = rel.filter { cell($0) != nil && cell($0)!.status != .notApplicable }
                let hidden = live.filter { cell($0)!.status == .confidential }
                guard hidden.count == 1 else { continue }
                let candidates = live.filter { cell($0)!.status == .value && !fixed.contains($0) }
                let pick = candidates.filter { abs(cell($0)!.value ?? 0) > 0 }.min { abs(cell($0)!.value!) < abs(cell($1)!.value!) }
                    ?? candidates.first
                guard let pick else { continue }
                hide(pick); secondary[pick.cube] += 1; changed = true
            }
        }
        func isSingleton(_ rel: [Ref]) -> Bool {
            let live = rel.filter { cell($0) != nil && cell($0)!.status != .notApplicable }
            return live.count > 1 && live.filter { cell($0)!.status == .confidential }.count == 1
        }
        let singletons = relations.filter(isSingleton).count
        out.families = cubes[0]; out.targeting = cubes[1]; out.desil = cubes[2]
        return Outcome(change: out, primary: primary, fromRelease: fromRelease, secondary: secondary,
                       singletonRelations: singletons, method: method)
    }

    /// Every relation of the change tables whose members must not be left with a single hidden cell.
    enum Relations {
        static func all(_ cubes: [ResultCube]) -> [[Ref]] {
            var out: [[Ref]] = []
            let areas = cubes[0].areas
            let slots = 0..<areas.slotCount
            func r(_ c: Int, _ slot: Int, _ cell: Int, _ m: String) -> Ref { Ref(cube: c, slot: slot, cell: cell, measure: cubes[c].measureIndex(m)!) }
            let familyStocks = [("families", "families_in", "families_out"), ("desil1_4", "desil1_4_entering", "desil1_4_leaving")]
            let targetingStocks = [("eligible", "newly_eligible", "no_longer_eligible"), ("recipients", "recipients_gained", "recipients_lost"),
                                   ("eligible_non_recipients", "eligible_non_recipients_entering", "eligible_non_recipients_leaving")]
            for slot in slots {
                for (s, i, o) in familyStocks {
                    out.append([r(0, slot, 0, s + "_before"), r(0, slot, 0, s + "_after"), r(0, slot, 0, s + "_net")])
                    out.append([r(0, slot, 0, s + "_before"), r(0, slot, 0, i), r(0, slot, 0, o), r(0, slot, 0, s + "_after")])
                }
                out.append([r(0, slot, 0, "persons_before"), r(0, slot, 0, "persons_after"), r(0, slot, 0, "persons_net")])
                out.append([r(0, slot, 0, "families_in"), r(0, slot, 0, "families_new"), r(0, slot, 0, "families_moved_in")])
                out.append([r(0, slot, 0, "families_out"), r(0, slot, 0, "families_gone"), r(0, slot, 0, "families_moved_out")])
                out.append([r(0, slot, 0, "families_after"), r(0, slot, 0, "families_new"), r(0, slot, 0, "matched_by_key"), r(0, slot, 0, "matched_by_kk")])
                for cell in 0..<cubes[1].cellsPerArea {
                    for (s, i, o) in targetingStocks {
                        out.append([r(1, slot, cell, s + "_before"), r(1, slot, cell, s + "_after"), r(1, slot, cell, s + "_net")])
                        out.append([r(1, slot, cell, s + "_before"), r(1, slot, cell, i), r(1, slot, cell, o), r(1, slot, cell, s + "_after")])
                    }
                }
                // The same eligible figures under both sources.
                let sources = cubes[1].dimensions[1].codes.count
                if sources == 2 {
                    for q in 0..<cubes[1].dimensions[0].codes.count {
                        for m in ["eligible_before", "eligible_after", "eligible_net", "newly_eligible", "no_longer_eligible"] {
                            out.append([r(1, slot, q * 2, m), r(1, slot, q * 2 + 1, m)])
                        }
                    }
                }
                // Transition matrix: rows and columns with their totals (6 × 6, `_T` last).
                for i in 0..<6 {
                    out.append((0..<6).map { Ref(cube: 2, slot: slot, cell: i * 6 + $0, measure: 0) })
                    out.append((0..<6).map { Ref(cube: 2, slot: slot, cell: $0 * 6 + i, measure: 0) })
                }
                out.append([Ref(cube: 2, slot: slot, cell: 4 * 6 + 5, measure: 0), r(0, slot, 0, "families_new")])
                out.append([Ref(cube: 2, slot: slot, cell: 5 * 6 + 4, measure: 0), r(0, slot, 0, "families_gone")])
            }
            // Areas adding up: villages to their kecamatan, kecamatan to the kabupaten.
            let additiveFamilies = ["persons_before", "persons_after", "persons_net", "families_before", "families_after", "families_net",
                                    "families_new", "families_gone", "matched_by_key", "matched_by_kk",
                                    "desil1_4_before", "desil1_4_after", "desil1_4_net"]
            let additiveTargeting = targetingStocks.flatMap { [$0.0 + "_before", $0.0 + "_after", $0.0 + "_net"] }
            var groups: [(parent: Int, children: [Int])] = areas.kecamatans.indices.map { k in
                (areas.slot(AreaRef(.kecamatan, k)), areas.kecamatans[k].villages)
            }
            groups += areas.kabupatens.indices.map { b in
                (areas.slot(AreaRef(.kabupaten, b)), areas.kabupatens[b].kecamatans.map { areas.slot(AreaRef(.kecamatan, $0)) })
            }
            for (parent, children) in groups {
                for m in additiveFamilies { out.append(([parent] + children).map { r(0, $0, 0, m) }) }
                for cell in 0..<cubes[1].cellsPerArea {
                    for m in additiveTargeting { out.append(([parent] + children).map { r(1, $0, cell, m) }) }
                }
                for cell in 0..<36 { out.append(([parent] + children).map { Ref(cube: 2, slot: $0, cell: cell, measure: 0) }) }
            }
            return out
        }
    }
}

/// The release cell a stock of the change tables mirrors, found by area code (the releases may have different
/// village frames; the change tables use the later one).
struct ReleaseLookup {
    let before: EngineResult, after: EngineResult
    let beforeSlot: [Int?], afterSlot: [Int?]
    let desilVariable: String?

    init(before: EngineResult, after: EngineResult, frame: AreaIndex, desilVariable: String?) {
        self.before = before; self.after = after; self.desilVariable = desilVariable
        func slots(_ release: AreaIndex) -> [Int?] {
            var byCode: [String: Int] = [:]
            for a in release.allAreas { byCode["\(a.level.rawValue):\(release.code(a))"] = release.slot(a) }
            var out = [Int?](repeating: nil, count: frame.slotCount)
            for a in frame.allAreas { out[frame.slot(a)] = byCode["\(a.level.rawValue):\(frame.code(a))"] }
            return out
        }
        beforeSlot = slots(before.areas); afterSlot = slots(after.areas)
    }

    /// The release, its slot and the cells the stock is, or nil when it is not a release cell.
    private func cells(table: String, slot: Int, codes: [String], measure: String) -> (EngineResult, Int, [(ResultCube, [String], String)])? {
        let stem: String, isBefore: Bool
        if measure.hasSuffix("_before") { stem = String(measure.dropLast(7)); isBefore = true }
        else if measure.hasSuffix("_after") { stem = String(measure.dropLast(6)); isBefore = false }
        else { return nil }
        let release = isBefore ? before : after
        guard let s = (isBefore ? beforeSlot : afterSlot)[slot] else { return nil }
        let targeting = release.targeting.targeting
        switch (table, stem) {
        case ("change_families", "families"):
            return (release, s, [(targeting, [TargetingResult.anyProgramme, TargetingResult.sources[0]], "families")])
        case ("change_families", "persons"):
            guard let p = release.targeting.personProgrammes.first else { return nil }
            return (release, s, [(targeting, [p, TargetingResult.sources[0]], "persons")])
        case ("change_families", "desil1_4"):
            guard let desilVariable, let cube = release.cubes.first(where: { $0.dimensions.map(\.id) == [desilVariable] && $0.measureIndex("families") != nil })
            else { return nil }
            return (release, s, ["1", "2", "3", "4"].map { (cube, [$0], "families") })
        case ("change_targeting", _):
            // Person programmes are counted in persons in the release, in families here: not the same cell.
            guard codes.count == 2, !release.targeting.personProgrammes.contains(codes[0]),
                  targeting.dimensions[1].index(of: codes[1]) != nil else { return nil }
            return (release, s, [(targeting, codes, stem)])
        default:
            return nil
        }
    }

    /// The status of the release cell(s): confidential when any is; nil when the stock is not a release cell.
    /// desil 1–4 is a sum of four release cells and is not itself one: it is hidden when any part is, and
    /// otherwise goes through the primary rule (`nil` with every part published).
    func status(table: String, slot: Int, codes: [String], measure: String) -> CellStatus? {
        guard let (_, s, parts) = cells(table: table, slot: slot, codes: codes, measure: measure) else { return nil }
        let statuses = parts.map { cube, codes, m in cell(cube, s, codes, m)?.status ?? .value }
        if statuses.contains(.confidential) { return .confidential }
        return parts.count == 1 ? statuses[0] : nil
    }

    func value(table: String, slot: Int, codes: [String], measure: String) -> Double? {
        guard let (_, s, parts) = cells(table: table, slot: slot, codes: codes, measure: measure), parts.count == 1 else { return nil }
        return cell(parts[0].0, s, parts[0].1, parts[0].2)?.value
    }

    private func cell(_ cube: ResultCube, _ slot: Int, _ codes: [String], _ measure: String) -> Cell? {
        guard let m = cube.measureIndex(measure) else { return nil }
        var idx: [Int] = []
        for (d, c) in codes.enumerated() {
            guard d < cube.dimensions.count, let i = cube.dimensions[d].index(of: c) else { return nil }
            idx.append(i)
        }
        return cube[slot: slot, cell: cube.cellIndex(idx), measure: m]
    }
}
