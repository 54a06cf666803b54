import Microdata
import Profile
import Tabulation

/// A cell of one cube: cube index, area slot (of the whole area index), flat cell position and measure index.
struct CellRef: Hashable, Sendable {
    var cube: Int, slot: Int, cell: Int, measure: Int
}

/// Why a relation holds.
enum RelationKind: Hashable, Sendable {
    /// The codes of a dimension add up to its `_T` (one cube, one count measure, other codes fixed).
    case dimension(cube: Int, dimension: Int)
    /// Villages add up to their kecamatan, kecamatan to their kabupaten (one statistic).
    case hierarchy
    /// One of the `IdentityRelation`s (between measures or between cubes).
    case identity(Int)
}

/// An additive relation between statistics: `members[0] = members[1] + … + members[n]`.
struct Relation: Sendable {
    var members: [Int32]
    var kind: RelationKind
    var total: Int32 { members[0] }
}

/// The areas one cell model covers, as slots of the whole area index (ascending), with the kecamatan and
/// kabupaten whose hierarchy relations it holds: one kabupaten with its kecamatan and villages, or all.
///
/// Why blocks: every relation lies inside one kabupaten — a dimension or identity relation within one
/// area, a hierarchy relation within a kabupaten's villages and kecamatan — so what secondary suppression,
/// the recovery and interval checks and the audit decide for one kabupaten neither reads nor changes a cell
/// of another. Built, protected and audited per kabupaten, on all cores, the work is the sum of the
/// blocks' own and the memory that of the blocks in flight; over the whole model at once, every round of
/// repairs revisited every cell of the country and the model's lookups grew with it (issue 19).
struct AreaBlock: Sendable {
    var slots: [Int]
    var kecamatans: [Int]
    var kabupatens: [Int]

    /// Every area: one model, as before issue 19 (hand-made cubes, tests, `blocks: false`).
    static func all(_ areas: AreaIndex) -> AreaBlock {
        AreaBlock(slots: Array(0..<areas.slotCount), kecamatans: Array(areas.kecamatans.indices), kabupatens: Array(areas.kabupatens.indices))
    }

    /// One block per kabupaten (the whole index when it has none).
    static func perKabupaten(_ areas: AreaIndex) -> [AreaBlock] {
        guard areas.kabupatens.count > 1 else { return [all(areas)] }
        let nv = areas.villages.count, nk = areas.kecamatans.count
        return areas.kabupatens.indices.map { b in
            let kecs = areas.kabupatens[b].kecamatans.sorted()
            let villages = kecs.flatMap { areas.kecamatans[$0].villages }.sorted()
            return AreaBlock(slots: villages + kecs.map { nv + $0 } + [nv + nk + b], kecamatans: kecs, kabupatens: [b])
        }
    }
}

/// The identity of every count cell, interned once for all blocks: per cube, per `cell × measures +
/// measure`, the index of its identity (-1: the cell holds no value in any area). Identities are numbered
/// in the order a traversal of the cubes (cube, then area slot, then cell, then measure) first meets them,
/// so every block orders its statistics and hierarchy relations as one model over all areas would.
struct StatisticIdentities: Sendable {
    private(set) var names: [String] = []
    private(set) var index: [String: Int32] = [:]
    private(set) var ofCell: [[Int32]] = []

    init(cubes: [ResultCube], descriptions: [CubeDescription]) {
        for (ci, cube) in cubes.enumerated() {
            let nm = cube.measures.count, nc = cube.cellsPerArea
            let counts = descriptions[ci].countMeasures
            // The first slot where each (cell, measure) holds a value.
            var first = [Int](repeating: .max, count: nc * nm)
            var left = nc * counts.count
            for slot in 0..<cube.areas.slotCount where left > 0 {
                for c in 0..<nc {
                    for m in counts where first[c * nm + m] == .max {
                        guard let cell = cube[slot: slot, cell: c, measure: m], cell.status == .value, cell.value != nil else { continue }
                        first[c * nm + m] = slot
                        left -= 1
                    }
                }
            }
            var map = [Int32](repeating: -1, count: nc * nm)
            let order = first.indices.filter { first[$0] != .max }.sorted { (first[$0], $0) < (first[$1], $1) }
            for at in order {
                let c = at / nm, m = at % nm
                let codes = cube.codes(ofCell: c).enumerated().map { cube.dimensions[$0.offset].codes[$0.element] }
                let name = descriptions[ci].identity(codes, m)
                if let i = index[name] { map[at] = i; continue }
                map[at] = Int32(names.count)
                index[name] = Int32(names.count)
                names.append(name)
            }
            ofCell.append(map)
        }
    }
}

/// Every count cell of every cube in one block of areas, merged into *statistics* (one per identity and
/// area: a statistic shown in three tables is one variable), and every exact additive relation between them.
///
/// Why one model for all cubes: secondary suppression must see a cell's relations in every table it
/// appears in at once — a cell suppressed to protect a row of `population_age_sex` is the same cell as in
/// `population_sex`, where it must be suppressed too and where it has other relations.
///
/// A relation is taken into the model only if it holds exactly in the data (all members present, the parts
/// adding up to the total): that is the condition for an intruder to use it, and it drops by itself the
/// hierarchy relations of roster-row measures where a row counts in two villages.
///
/// Statistics are numbered cube by cube, then by area slot, cell and measure; relations by kind (dimension
/// relations cube by cube, then hierarchy relations by identity, then identity relations), then by area. A
/// block's model therefore numbers its statistics and relations in the relative order of a model over all
/// areas, and the passes, which break ties by index, choose the same cells either way.
///
/// `@exclusivity(unchecked)` on the per-statistic and relation arrays: a model is built and read by one
/// thread (its block's), and the run-time exclusivity check of every class-property access took a few per
/// cent of disclosure control at national shape (perf, issue 19).
final class CellModel: @unchecked Sendable {
    let cubes: [ResultCube]
    let descriptions: [CubeDescription]
    let identityRelations: [IdentityRelation]
    let areas: AreaIndex
    /// The areas of this model.
    let block: AreaBlock
    /// Position of each slot of the whole index in `block.slots` (-1: outside the block).
    private let localSlot: [Int32]

    // Per statistic (variable).
    @exclusivity(unchecked) private(set) var value: [Double] = []
    /// The statistic's slot in the whole area index.
    @exclusivity(unchecked) private(set) var slotOf: [Int32] = []
    @exclusivity(unchecked) private(set) var identityOf: [Int32] = []
    /// How aggregated the statistic is where it appears: area level (0 village, 1 kecamatan, 2 kabupaten)
    /// plus the number of additive dimensions at `_T`, the largest over its appearances. Secondary
    /// suppression prefers interior cells: it never picks a total when an interior cell will do.
    @exclusivity(unchecked) private(set) var marginality: [Int32] = []
    @exclusivity(unchecked) private(set) var firstRef: [CellRef] = []
    /// Whether the statistic appears as a keyed count (its cube's `cellKeys` apply), and where.
    @exclusivity(unchecked) private(set) var keyedRef: [CellRef?] = []

    /// Whether the statistic is a not-stated cell (a `_Z` code among its dimensions): never primary.
    @exclusivity(unchecked) private(set) var notStated: [Bool] = []

    // Per statistic, from the policies of the tables it appears in (one statistic, one treatment):
    /// Published as computed: it appears in a table that is not protected (`protect: false`), so it is
    /// public whatever a protected table sharing it does. Never hidden, never perturbed.
    @exclusivity(unchecked) private(set) var fixed: [Bool] = []
    /// Perturbed by the cell key method (it appears in a cell-key table and in no unprotected one); the
    /// cube whose parameters it takes (the first such).
    @exclusivity(unchecked) private(set) var perturbedBy: [Int32] = []
    /// The threshold of the primary rule: the largest over the suppression tables it appears in; 0 when it
    /// appears in none (or is fixed or perturbed).
    @exclusivity(unchecked) private(set) var threshold: [Int32] = []

    /// Whether secondary suppression may hide the statistic (neither fixed nor perturbed).
    func canHide(_ v: Int32) -> Bool { threshold[Int(v)] > 0 }

    /// Identity names: the shared ones of all blocks, then this model's own unlinked ones (`#table`).
    @exclusivity(unchecked) private(set) var identities: [String]
    @exclusivity(unchecked) private var identityIndex: [String: Int32]
    @exclusivity(unchecked) private var variableByKey: [Int64: Int32] = [:]
    /// Per cube, per flat position `(local slot × cellsPerArea + cell) × measures + measure` over the
    /// block's slots (`block.slots`): the statistic, or -1. Over all areas the local slot is the slot.
    @exclusivity(unchecked) private(set) var variableOf: [[Int32]] = []

    @exclusivity(unchecked) private(set) var relations: [Relation] = []
    /// Per statistic, the relations it is a member of.
    @exclusivity(unchecked) private(set) var relationsOf: [[Int32]] = []
    /// Cells whose identity matched another cube's cell of the same area with a different value: they are
    /// kept apart (a description error, reported in the restricted manifest), never silently merged.
    /// With the position `(cube, slot, cell, measure)` they were met at, to merge blocks in model order.
    @exclusivity(unchecked) private(set) var linkMismatches: [(at: [Int], text: String)] = []

    var count: Int { value.count }

    /// - Parameter policies: per cube, its rule (`method` none, suppression or cellkey, and threshold); nil =
    ///   every cube under suppression with threshold 3 (the audit of hand-made cubes). Only published
    ///   cells are in `cubes`: cells of unpublished area levels must already be removed (nil).
    ///   Relations with a perturbed member are kept as if the member were exact: a reader knows it only to
    ///   within ±D, so treating it as known can only make suppression hide more, never less.
    /// - Parameter block: the areas to model (nil: all); `identities`, the cubes' identities when several
    ///   blocks share them (nil: computed here).
    init(cubes: [ResultCube], descriptions: [CubeDescription], identityRelations: [IdentityRelation], policies: [TablePolicy]? = nil,
         block: AreaBlock? = nil, identities shared: StatisticIdentities? = nil) {
        precondition(cubes.count == descriptions.count && !cubes.isEmpty)
        self.cubes = cubes; self.descriptions = descriptions; self.identityRelations = identityRelations
        areas = cubes[0].areas
        let block = block ?? .all(areas)
        self.block = block
        var local = [Int32](repeating: -1, count: areas.slotCount)
        for (i, s) in block.slots.enumerated() { local[s] = Int32(i) }
        localSlot = local
        let ids = shared ?? StatisticIdentities(cubes: cubes, descriptions: descriptions)
        identities = ids.names; identityIndex = ids.index
        for (ci, cube) in cubes.enumerated() { addCells(ci, cube, ids.ofCell[ci]) }
        assignTreatment(policies ?? cubes.map { _ in TablePolicy(rule: ProtectionSpec(method: .suppression)) })
        relationsOf = Array(repeating: [], count: value.count)
        var seen = Set<[Int32]>()
        func add(_ members: [Int32], _ kind: RelationKind) {
            guard members.count >= 2, !members.contains(-1) else { return }
            let total = value[Int(members[0])]
            let sum = members.dropFirst().reduce(0.0) { $0 + value[Int($1)] }
            guard abs(sum - total) <= 1e-9 * max(1, abs(total)) else { return }
            guard seen.insert(members.sorted()).inserted else { return }
            let r = Int32(relations.count)
            relations.append(Relation(members: members, kind: kind))
            // Each member once (a member can repeat); short lists are searched, not hashed into a set.
            for (i, m) in members.enumerated() where !members[..<i].contains(m) { relationsOf[Int(m)].append(r) }
        }
        for (ci, cube) in cubes.enumerated() { addDimensionRelations(ci, cube, add) }
        addHierarchyRelations(add)
        addIdentityRelations(add)
    }

    /// One treatment per statistic, from the tables it appears in: unprotected wins (the value is public
    /// anyway), then the cell key method, then suppression with the largest threshold.
    private func assignTreatment(_ policies: [TablePolicy]) {
        fixed = Array(repeating: false, count: value.count)
        perturbedBy = Array(repeating: -1, count: value.count)
        threshold = Array(repeating: 0, count: value.count)
        for (ci, map) in variableOf.enumerated() {
            let rule = policies[ci].rule
            for v in map where v >= 0 {
                switch rule.method {
                case .none: fixed[Int(v)] = true
                case .cellkey: if perturbedBy[Int(v)] < 0 { perturbedBy[Int(v)] = Int32(ci) }
                case .suppression: threshold[Int(v)] = max(threshold[Int(v)], Int32(rule.threshold))
                }
            }
        }
        for v in 0..<value.count {
            if fixed[v] { perturbedBy[v] = -1; threshold[v] = 0 }
            if perturbedBy[v] >= 0 { threshold[v] = 0 }
        }
    }

    // MARK: statistics

    func level(ofSlot s: Int) -> Int {
        s < areas.villages.count ? 0 : s < areas.villages.count + areas.kecamatans.count ? 1 : 2
    }

    func area(ofSlot s: Int) -> AreaRef {
        let nv = areas.villages.count, nk = areas.kecamatans.count
        if s < nv { return AreaRef(.desa, s) }
        if s < nv + nk { return AreaRef(.kecamatan, s - nv) }
        return AreaRef(.kabupaten, s - nv - nk)
    }

    /// Position of `slot` (of the whole index) in the block's slots, or -1.
    func local(slot: Int) -> Int { Int(localSlot[slot]) }

    private func intern(_ identity: String) -> Int32 {
        if let i = identityIndex[identity] { return i }
        let i = Int32(identities.count)
        identities.append(identity); identityIndex[identity] = i
        return i
    }

    private func key(_ identity: Int32, _ slot: Int) -> Int64 {
        Int64(identity) * Int64(block.slots.count) + Int64(localSlot[slot])
    }

    func variable(identity: Int32, slot: Int) -> Int32 {
        variableByKey[key(identity, slot)] ?? -1
    }

    func variable(_ ref: CellRef) -> Int32 {
        let cube = cubes[ref.cube]
        return variableOf[ref.cube][(local(slot: ref.slot) * cube.cellsPerArea + ref.cell) * cube.measures.count + ref.measure]
    }

    private func addCells(_ ci: Int, _ cube: ResultCube, _ identityOfCell: [Int32]) {
        let desc = descriptions[ci]
        let nm = cube.measures.count, nc = cube.cellsPerArea
        var map = [Int32](repeating: -1, count: block.slots.count * nc * nm)
        let additive = Set(desc.additiveDimensions)
        var totals = [Int32](repeating: 0, count: nc)
        var hasNotStated = [Bool](repeating: false, count: nc)
        for c in 0..<nc {
            let codes = cube.codes(ofCell: c)
            totals[c] = Int32(codes.indices.filter { additive.contains($0) && cube.dimensions[$0].codes[codes[$0]] == "_T" }.count)
            hasNotStated[c] = codes.indices.contains { cube.dimensions[$0].codes[codes[$0]] == "_Z" }
        }
        let counts = desc.countMeasures
        for (ls, slot) in block.slots.enumerated() {
            let level = Int32(level(ofSlot: slot))
            for c in 0..<nc {
                for m in counts {
                    guard let cell = cube[slot: slot, cell: c, measure: m], cell.status == .value, let v = cell.value else { continue }
                    var id = identityOfCell[c * nm + m]
                    var key = key(id, slot)
                    if let existing = variableByKey[key], value[Int(existing)] != v {
                        let other = cubes[firstRef[Int(existing)].cube].table
                        linkMismatches.append((at: [ci, slot, c, m],
                                               text: "\(cube.table) vs \(other): \(identities[Int(id)]) at \(areas.code(area(ofSlot: slot))) (\(v) vs \(value[Int(existing)]))"))
                        id = intern(identities[Int(id)] + "#" + cube.table)
                        key = self.key(id, slot)
                    }
                    let ref = CellRef(cube: ci, slot: slot, cell: c, measure: m)
                    let keyed: Bool = { if case .count(true) = desc.roles[m] { return cube.cellKeys != nil }; return false }()
                    let variable: Int32
                    if let existing = variableByKey[key] {
                        variable = existing
                        marginality[Int(variable)] = max(marginality[Int(variable)], level + totals[c])
                        if keyed, keyedRef[Int(variable)] == nil { keyedRef[Int(variable)] = ref }
                    } else {
                        variable = Int32(value.count)
                        variableByKey[key] = variable
                        value.append(v); slotOf.append(Int32(slot)); identityOf.append(id)
                        notStated.append(hasNotStated[c])
                        marginality.append(level + totals[c]); firstRef.append(ref); keyedRef.append(keyed ? ref : nil)
                    }
                    map[(ls * nc + c) * nm + m] = variable
                }
            }
        }
        variableOf.append(map)
    }

    // MARK: relations

    private func addDimensionRelations(_ ci: Int, _ cube: ResultCube, _ add: ([Int32], RelationKind) -> Void) {
        let desc = descriptions[ci]
        let nm = cube.measures.count, nc = cube.cellsPerArea
        let map = variableOf[ci]
        for d in desc.additiveDimensions {
            let dim = cube.dimensions[d]
            guard let t = dim.index(of: "_T") else { continue }
            let size = dim.codes.count
            let stride = cube.dimensions[(d + 1)...].reduce(1) { $0 * $1.codes.count }
            for ls in block.slots.indices {
                for c in 0..<nc where (c / stride) % size == t {
                    for m in desc.countMeasures {
                        var members: [Int32] = [map[(ls * nc + c) * nm + m]]
                        guard members[0] >= 0 else { continue }
                        for k in 0..<size where k != t {
                            members.append(map[(ls * nc + c + (k - t) * stride) * nm + m])
                        }
                        add(members, .dimension(cube: ci, dimension: d))
                    }
                }
            }
        }
    }

    /// Villages add up to their kecamatan and kecamatan to their kabupaten, identity by identity: the
    /// statistics at a kecamatan or kabupaten slot in (identity, slot) order — kecamatan slots come before
    /// kabupaten slots — without looking up the identities an area does not have.
    private func addHierarchyRelations(_ add: ([Int32], RelationKind) -> Void) {
        let nv = areas.villages.count, nk = areas.kecamatans.count
        let totals = (0..<Int32(count)).filter { slotOf[Int($0)] >= nv }
            .sorted { (identityOf[Int($0)], slotOf[Int($0)]) < (identityOf[Int($1)], slotOf[Int($1)]) }
        for v in totals {
            let id = identityOf[Int(v)], slot = Int(slotOf[Int(v)])
            if slot < nv + nk {
                add([v] + areas.kecamatans[slot - nv].villages.map { variable(identity: id, slot: $0) }, .hierarchy)
            } else {
                add([v] + areas.kabupatens[slot - nv - nk].kecamatans.map { variable(identity: id, slot: nv + $0) }, .hierarchy)
            }
        }
    }

    private func addIdentityRelations(_ add: ([Int32], RelationKind) -> Void) {
        for (i, r) in identityRelations.enumerated() {
            guard let total = identityIndex[r.total] else { continue }
            let parts = r.parts.map { identityIndex[$0] }
            guard !parts.contains(nil) else { continue }
            for slot in block.slots {
                add([variable(identity: total, slot: slot)] + parts.map { variable(identity: $0!, slot: slot) }, .identity(i))
            }
        }
    }

    /// The relations with a member among `statistics`, ascending: the checks that run after every round of
    /// repairs read only the relations of hidden cells, found through them, not every relation of the model.
    func relations(of statistics: [Int32]) -> [Int32] {
        var marked = [Bool](repeating: false, count: relations.count)
        var out: [Int32] = []
        for v in statistics {
            for r in relationsOf[Int(v)] where !marked[Int(r)] { marked[Int(r)] = true; out.append(r) }
        }
        return out.sorted()
    }

    // MARK: words for messages

    func describeArea(_ slot: Int) -> String {
        let a = area(ofSlot: slot)
        switch a.level {
        case .kabupaten: return "kabupaten \(areas.code(a))"
        default: return "\(a.level.rawValue) \(areas.code(a)) (\(areas.name(a)))"
        }
    }

    func describeCell(_ ref: CellRef) -> String {
        let cube = cubes[ref.cube]
        let codes = cube.codes(ofCell: ref.cell)
        let parts = codes.enumerated().map { "\(cube.dimensions[$0.offset].id)=\(cube.dimensions[$0.offset].codes[$0.element])" }
        return (parts + ["measure \(cube.measures[ref.measure])"]).joined(separator: ", ")
    }

    /// The first appearance of a statistic in cube `ci`, else its first appearance anywhere.
    func ref(of variable: Int32, preferringCube ci: Int?) -> CellRef {
        if let ci {
            let map = variableOf[ci]
            let cube = cubes[ci]
            let slot = Int(slotOf[Int(variable)])
            let base = local(slot: slot) * cube.cellsPerArea * cube.measures.count
            for i in base..<(base + cube.cellsPerArea * cube.measures.count) where map[i] == variable {
                let rest = i - base
                return CellRef(cube: ci, slot: slot, cell: rest / cube.measures.count, measure: rest % cube.measures.count)
            }
        }
        return firstRef[Int(variable)]
    }

    /// The cube a relation is stated in, when it has one.
    func cube(of r: Relation) -> Int? {
        switch r.kind {
        case .dimension(let ci, _): return ci
        case .identity(let i): return cubes.firstIndex { $0.table == identityRelations[i].table }
        case .hierarchy: return nil
        }
    }

    func describeRelation(_ r: Relation) -> String {
        let total = r.total
        switch r.kind {
        case .dimension(let ci, let d):
            let ref = self.ref(of: total, preferringCube: ci)
            return "'\(cubes[ci].dimensions[d].id) codes add up to \(cubes[ci].dimensions[d].id)=_T' in table '\(cubes[ci].table)' at \(describeCell(ref)) of \(describeArea(ref.slot))"
        case .hierarchy:
            let slot = Int(slotOf[Int(total)])
            let what = level(ofSlot: slot) == 1 ? "villages add up to their kecamatan" : "kecamatan add up to their kabupaten"
            return "'\(what)': \(describeArea(slot)), statistic \(identities[Int(identityOf[Int(total)])])"
        case .identity(let i):
            return "'\(identityRelations[i].label)' in \(describeArea(Int(slotOf[Int(total)])))"
        }
    }
}
