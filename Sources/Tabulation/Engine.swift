import Foundation
import Microdata
import Profile

/// Everything one run of the engine produces: a cube per table (same order as the profile), the
/// targeting cubes, and the record accounting.
public struct EngineResult: Sendable {
    public var cubes: [ResultCube]
    public var targeting: TargetingResult
    public var accounting: RecordAccounting
    public var areas: AreaIndex
    public var families: Int
    public var persons: Int
    /// Per tabulated family: village index, No. KK and key, and the roster's rows: for the restricted lists
    /// only, empty unless `run(…, recordLists: true)`.
    public var familyVillage: [Int32]
    public var familyKK: PackedTextColumn
    public var familyKeys: [String]
    /// Name and NIK of each family's head (first current member with `r409 = 1`); filled only when the
    /// record lists were asked for, empty otherwise.
    public var headName: [String]
    public var headNIK: [String]
    public var roster: RosterTable
    /// Wall time of the engine's passes (`PhaseClock` lines), for `--verbose`; empty from a database.
    public var phases: [String] = []
    /// Per tabulated family, its welfare rank (`RulesSpec.welfareRank`, NaN when missing); filled only when the
    /// record lists were asked for.
    public var familyRank: [Double] = []
    /// The per-family state `regtab compare` matches across snapshots (`Engine.familySnapshot`); nil otherwise.
    public var snapshot: FamilySnapshot? = nil
}

/// The programmes' rules as the engine evaluates them. A family programme's `eligible` and
/// `registry_recipient` are family rules. A person programme's are member rules (`personRules`: eligible,
/// registry, per person programme in profile order), and its family rules ask whether the family holds such
/// a member (`any member: (…)`), which is what programme `ANY` needs.
struct ProgrammeRules {
    var familyEligible: [CompiledRule] = []
    var familyRegistry: [CompiledRule] = []
    /// `[eligible₀, registry₀, eligible₁, registry₁, …]` over the person programmes.
    var personRules: [CompiledRule] = []

    init(_ programmes: [ProgrammeSpec], compile: (String, String, RuleLevel) throws -> CompiledRule) throws {
        for p in programmes {
            switch p.unit {
            case .family:
                familyEligible.append(try compile(p.eligible, "\(p.id).eligible", .family))
                familyRegistry.append(try compile(p.registryRecipient, "\(p.id).registry_recipient", .family))
            case .person:
                // Compiled as written first, so an error points into the rule the user wrote.
                personRules.append(try compile(p.eligible, "\(p.id).eligible", .member))
                personRules.append(try compile(p.registryRecipient, "\(p.id).registry_recipient", .member))
                familyEligible.append(try compile("any member: (\(p.eligible))", "\(p.id).eligible", .family))
                familyRegistry.append(try compile("any member: (\(p.registryRecipient))", "\(p.id).registry_recipient", .family))
            }
        }
    }

    /// The person flags of one current member (`PersonFlags`).
    @inline(__always)
    func flags(family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>) -> PersonFlags {
        var out: PersonFlags = 0
        var j = 0
        while j * 2 < personRules.count {
            if personRules[j * 2].handle.matches(family: family, member: member) { out |= 1 << j }
            if personRules[j * 2 + 1].handle.matches(family: family, member: member) { out |= 1 << (8 + j) }
            j += 1
        }
        return out
    }
}

/// The one-pass engine: reads `wilayah.csv`, then `keluarga.csv` once (families into columns), then streams
/// `anggota.csv` once (every person table, every family's member-based rule inputs, NIKs), then runs the
/// family tables and eligibility over the stored families, then links `penerima.csv`. Every table and every
/// area level is filled in these single passes; kecamatan and kabupaten are sums at the end.
public struct Engine {
    public let profile: Profile
    /// Encoding and delimiter overrides for every input file.
    public var inputOptions: InputOptions
    /// Secret salt of the cell key method: when set, every profile table also sums its records' keys
    /// (`RecordKeys`) into `ResultCube.cellKeys`. Nil (the default) leaves the cubes without keys.
    public var cellKeySalt: String? = nil
    /// Member files at least this large are read in two parts on two threads (tests lower it).
    public var partMinimumBytes = 8 << 20
    /// The compiled definition (`TabulationPlan`); built by `run` when not given.
    public var plan: TabulationPlan? = nil
    /// The roles of the input columns (the report definition's `layout:`).
    public var layout: Layout { profile.layout }
    /// Also keep the compact per-family state of `FamilySnapshot` (for `regtab compare`) in `EngineResult.snapshot`.
    public var familySnapshot = false
    /// Read the roster only once the member pass and the family rules are done (and the families' variable
    /// columns freed), instead of on its own thread from the start: its columns and sorted NIKs (~30 B a roster
    /// row) are then not held beside the families' and members' state, at the cost of the overlap (`MemoryPlan`
    /// chooses this under `--memory-limit`). Read beside the family rules, as it first was, the roster's columns
    /// met the families' whenever the member pass ran fast: 1,744 MiB instead of ~1,550 at 10 M families.
    public var rosterAfterMembers = false
    /// Members per run when the members' NIKs are sorted on disk (`MemberNIKRun`: the NIK join by an external
    /// sort, `MemoryPlan`'s `external` schedule); 0 (the default) keeps them in memory, 14 bytes a member.
    public var memberNIKRunLength = 0
    public init(profile: Profile, inputOptions: InputOptions = InputOptions()) {
        self.profile = profile
        self.inputOptions = inputOptions
    }

    /// - Parameter recordLists: keep the record-level lists (for `--restricted`); they cost memory at scale.
    public func run(dataDirectory dir: String, recordLists: Bool = false) throws -> EngineResult {
        try run(inputs: InputSet(layout: layout, directory: dir), recordLists: recordLists)
    }

    /// - Parameter inputs: the run's input files, resolved once (`InputSet`).
    public func run(inputs: InputSet, recordLists: Bool = false) throws -> EngineResult {
        // The definition compiled first: a rule error stops the run before any file is opened.
        let plan = try self.plan ?? TabulationPlan(profile: profile)
        let path = { (f: String) throws in try inputs.path(f) }
        let layout = self.layout
        var clock = PhaseClock()
        let attributes = profile.rules.areaAttributes
        let areas = try Self.readAreas(path: path(layout.areaFileName), columns: layout.areas, options: inputOptions, attributes: attributes.map(\.name))
        var familyScope = plan.familyScope, memberScope = plan.memberScope
        var accounting = RecordAccounting()
        let recordKeys = cellKeySalt.map(RecordKeys.init(salt:))
        let current = plan.current, departedRule = plan.departed, rules = plan.programmes
        let eligible = rules.familyEligible, registry = rules.familyRegistry
        // Quantifier counters: one `MemberCount` per family per quantifier of every family-level rule.
        var familyRules: [CompiledRule] = eligible + registry
        var personTables: [TableAccumulator] = [], familyTables: [TableAccumulator] = []
        var tableOrder: [(isPerson: Bool, index: Int)] = []
        var familyUniverseRule: [Int: Int] = [:]
        for (spec, universe) in zip(profile.tables, plan.universes) {
            let isPerson = spec.unit == .person
            let dims: [(slot: Int, fromFamily: Bool, size: Int)] = try spec.dimensions.map { name in
                if isPerson, let i = memberScope.index(of: name) { return (i, false, memberScope.slots[i].categories.count + 1) }
                if let i = familyScope.index(of: name) { return (i, true, familyScope.slots[i].categories.count + 1) }
                throw PlanError.unknownVariable(name, context: "table '\(spec.id)'")
            }
            let sumVars: [(slot: Int, fromFamily: Bool)] = try spec.measures.compactMap { m in
                switch m.kind {
                case .sum(let v), .mean(let v):
                    if isPerson, let i = memberScope.index(of: v) { return (i, false) }
                    if let i = familyScope.index(of: v) { return (i, true) }
                    throw PlanError.unknownVariable(v, context: "table '\(spec.id)'")
                default: return nil
                }
            }
            if !isPerson, let u = universe { familyUniverseRule[familyTables.count] = familyRules.count; familyRules.append(u) }
            let dimSlots = dims.map { $0.fromFamily ? familyScope.slots[$0.slot] : memberScope.slots[$0.slot] }
            let acc = TableAccumulator(spec: spec, dims: dims, dimSlots: dimSlots, universe: universe, sumVars: sumVars,
                                       villages: areas.villages.count)
            if isPerson { tableOrder.append((true, personTables.count)); personTables.append(acc) }
            else { tableOrder.append((false, familyTables.count)); familyTables.append(acc) }
        }
        // Projection: only the variables some table, rule or derived variable reads are parsed and stored.
        var familyDirect = Set<Int>(), memberDirect = Set<Int>()
        for rule in [current, departedRule] + familyRules + rules.personRules + personTables.compactMap(\.universe) {
            familyDirect.formUnion(rule.familyVariablesUsed); memberDirect.formUnion(rule.memberVariablesUsed)
        }
        for acc in personTables + familyTables {
            for d in acc.dims { if d.fromFamily { familyDirect.insert(d.slot) } else { memberDirect.insert(d.slot) } }
            for v in acc.sumVars { if v.fromFamily { familyDirect.insert(v.slot) } else { memberDirect.insert(v.slot) } }
        }
        if let presence = layout.presence.flatMap({ memberScope.index(of: $0) }) { memberDirect.insert(presence) }   // why a member is not current
        if recordLists, let rank = profile.rules.welfareRank, let slot = familyScope.index(of: rank) { familyDirect.insert(slot) }
        let desilSlot = familySnapshot ? ChangeRoles.desilVariable(profile).flatMap { familyScope.index(of: $0) } : nil
        if let desilSlot { familyDirect.insert(desilSlot) }
        ScopePlan.markUsed(family: &familyScope, member: &memberScope, family: familyDirect, member: memberDirect)

        var quantifierBase: [Int] = []
        var totalQuantifiers = 0
        for r in familyRules { quantifierBase.append(totalQuantifiers); totalQuantifiers += r.quantifierCount }

        // The roster does not depend on the registry until linking: read it on its own thread meanwhile.
        let rosterPath = try path(layout.rosterFileName)
        let hasRoster = FileManager.default.fileExists(atPath: rosterPath)
        let rosterFile = hasRoster ? (rosterPath as NSString).lastPathComponent : layout.rosterFileName
        let programmeIDs = profile.rules.programmes.map(\.id)
        let readRosterFile = { [self] in Background { [self] in
            var rosterAccounting = RecordAccounting()
            var rosterClock = PhaseClock()
            var rows = try readRoster(path: rosterPath, keepNames: recordLists, accounting: &rosterAccounting)
            rosterClock.lap(rosterAfterMembers ? "roster read into columns (own thread, after the family rules)" : "roster read into columns (own thread, from the start)")
            let niks = RosterNIKs(roster: rows, programmes: programmeIDs)
            if !recordLists { rows.releaseNIKs() }
            rosterClock.lap("roster NIKs parsed and sorted (same thread)")
            return RosterRead(table: rows, accounting: rosterAccounting, niks: niks, phases: rosterClock.lines)
        } }
        let rosterFromStart = rosterAfterMembers ? nil : readRosterFile()

        clock.lap("setup (wilayah, rules, plans)")
        // Pass 1: families.
        let store = FamilyStore(slots: familyScope.slots, used: familyScope.used, areaValues: areaAttributeValues(familyScope, areas: areas))
        let keys = try readFamilies(path: path(layout.familyFileName), areas: areas, scope: familyScope, store: store, accounting: &accounting)

        clock.lap("families (keluarga)")
        // Pass 2: members, streamed.
        var quantifierCounts = [MemberCount](repeating: 0, count: store.count * totalQuantifiers)
        var memberNIKs = MemberNIKList(runLength: memberNIKRunLength), departedNIKs = MemberNIKList()
        var personCounts = PersonCounts(programmes: rules.personRules.count / 2, villages: areas.villages.count)
        var persons = 0
        var heads = HeadList(enabled: recordLists, families: store.count)
        try streamMembers(path: path(layout.memberFileName), store: store, familyScope: familyScope, memberScope: memberScope,
                          current: current, familyRules: familyRules, quantifierBase: quantifierBase,
                          totalQuantifiers: totalQuantifiers, quantifierCounts: &quantifierCounts,
                          personTables: personTables, programmes: rules, departedRule: departedRule,
                          memberNIKs: &memberNIKs, departedNIKs: &departedNIKs, personCounts: &personCounts,
                          persons: &persons, heads: &heads, accounting: &accounting)

        store.index.releaseLookup()   // no lookup by key past the member pass
        clock.lap(memberNIKs.runsDescription.map { "members (anggota; \($0))" } ?? "members (anggota)")
        // Sequential: the linking's thread reads the roster once the family rules have freed their columns.
        let rulesDone = rosterAfterMembers ? DispatchSemaphore(value: 0) : nil
        defer { rulesDone?.signal() }   // an error before the signal below must not leave the thread waiting
        // Roster linking needs the members' NIKs and the roster but no eligibility: on a second thread,
        // beside pass 3.
        let familyLevel = Set(profile.rules.programmes.filter { $0.unit == .family }.map(\.id))
        let exclusivePairs = profile.rules.exclusivePairs.map { ($0[0], $0[1]) }
        let familyVillage = store.village, familyKK = store.kk
        // The NIK list moves to that thread (its only reference): the sort reuses its storage.
        nonisolated(unsafe) var handedOver: MemberNIKList? = consume memberNIKs
        let linking = Background { [areas, departedNIKs, personCounts] in
            rulesDone?.wait()
            var read = try (rosterFromStart ?? readRosterFile()).take()
            var input = TargetingInput(
                programmes: programmeIDs, familyLevelProgrammes: familyLevel, exclusivePairs: exclusivePairs,
                familyVillage: familyVillage, familyKK: familyKK, eligible: [], registryRecipient: [],
                memberNIKs: [], roster: read.table, areas: areas)
            read.table = RosterTable()   // `input` holds the only copy: the linking can free the columns it is done with
            input.personCounts = personCounts
            let niks = handedOver.take()!
            var linkClock = PhaseClock()
            // `consume`: passed as a copy (the call throws now), the list's NIK column was sorted as a second copy
            // (+330 MiB at 10 M families).
            let links = try TargetingLinks(memberNIKs: consume niks, input: &input, recordLists: recordLists, rosterNIKs: read.niks,
                                       departed: departedNIKs)
            linkClock.lap(rosterAfterMembers ? "roster linking and duplicate measures (second thread, after the family rules)"
                                             : "roster linking and duplicate measures (second thread, beside the family rules)")
            return (input.roster, read.accounting, links, read.phases + linkClock.lines)
        }

        // Pass 3: families again (in memory): family tables, eligibility, registry receipt. Rules as
        // unretained handles (their `CompiledRule`s live in `familyRules`), table universes as rule indices.
        let nProg = profile.rules.programmes.count
        var isEligible = Array(repeating: FamilyBits(count: store.count), count: nProg)
        var isRegistry = Array(repeating: FamilyBits(count: store.count), count: nProg)
        var familiesPerVillage = [Int64](repeating: 0, count: areas.villages.count)
        var famValues = [Double](repeating: .nan, count: familyScope.slots.count)
        let ruleHandles = familyRules.map(\.handle)
        let ruleCounters = familyRules.indices.map { (base: quantifierBase[$0], count: familyRules[$0].quantifierCount) }
        let tableUniverse = familyTables.indices.map { familyUniverseRule[$0] ?? -1 }
        // The rules read a family's counts as `Int32`: widened into `fc` once per family.
        let fc = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, totalQuantifiers))
        defer { fc.deallocate() }
        withExtendedLifetime(familyRules) {
            quantifierCounts.withUnsafeBufferPointer { qc in
                famValues.withUnsafeMutableBufferPointer { fv in
                    let fvr = UnsafeBufferPointer(fv)
                    for f in 0..<store.count {
                        store.values(of: f, into: fv)
                        for q in 0..<totalQuantifiers { fc[q] = Int32(qc[f * totalQuantifiers + q]) }
                        let v = Int(store.village[f])
                        familiesPerVillage[v] += 1
                        func matches(_ r: Int) -> Bool {
                            let start = ruleCounters[r].base
                            return ruleHandles[r].familyMatches(
                                family: fvr, quantifierCounts: UnsafeBufferPointer(rebasing: fc[start..<(start + ruleCounters[r].count)]))
                        }
                        for p in 0..<nProg {
                            isEligible[p][f] = matches(p)
                            isRegistry[p][f] = matches(nProg + p)
                        }
                        for (i, t) in familyTables.enumerated() where tableUniverse[i] < 0 || matches(tableUniverse[i]) {
                            t.add(village: v, own: fvr, family: fvr, recordKey: recordKeys?.family(store.index.key(f)) ?? 0)
                        }
                    }
                }
            }
        }

        quantifierCounts = []   // one counter per family and quantifier: not needed past the family rules
        clock.lap("family rules and family tables")

        // The welfare rank of every family, for the restricted verification list only.
        var familyRank: [Double] = []
        if recordLists, let rank = profile.rules.welfareRank, let slot = familyScope.index(of: rank) {
            familyRank = famValues.withUnsafeMutableBufferPointer { fv in
                (0..<store.count).map { f in store.values(of: f, into: fv); return fv[slot] }
            }
        }

        // The desil band of every family, for `regtab compare` only.
        var desilBands: [UInt8] = []
        if familySnapshot {
            desilBands = famValues.withUnsafeMutableBufferPointer { fv in
                (0..<store.count).map { f in
                    guard let desilSlot else { return DesilBand.notRanked.rawValue }
                    store.values(of: f, into: fv); return DesilBand(desil: fv[desilSlot]).rawValue
                }
            }
        }

        // The variables' columns (and, unless a list or a comparison reads them, the families' keys) are not
        // read past this point: freed before the roster linking's peak.
        store.releaseValues()
        if !recordLists && !familySnapshot { store.index.releaseKeys() }
        rulesDone?.signal()

        // Cubes.
        func dimensions(_ acc: TableAccumulator) -> [CubeDimension] {
            zip(acc.spec.dimensions, acc.dims).map { name, d in
                let slot = d.fromFamily ? familyScope.slots[d.slot] : memberScope.slots[d.slot]
                return CubeDimension(id: name, codes: slot.categories + ["_Z", "_T"])
            }
        }
        let cubes = tableOrder.map { entry -> ResultCube in
            let acc = entry.isPerson ? personTables[entry.index] : familyTables[entry.index]
            return CubeBuilder.build(acc, dimensions: dimensions(acc), areas: areas, familiesPerVillage: familiesPerVillage,
                                     keyed: recordKeys != nil)
        }

        clock.lap("profile cubes")
        // Rosters.
        let (roster, rosterAccounting, links, linkPhases) = try linking.value()
        clock.lap("waiting for the roster linking")
        clock.add(linkPhases)
        accounting.append(rosterAccounting)
        var input = TargetingInput(
            programmes: programmeIDs,
            familyLevelProgrammes: familyLevel, exclusivePairs: exclusivePairs,
            familyVillage: store.village, familyKK: store.kk, eligible: isEligible, registryRecipient: isRegistry,
            memberNIKs: [], roster: roster, areas: areas)   // the NIKs and person counts are in `links` already
        input.hasRoster = hasRoster
        let targeting = Targeting.compute(input, recordLists: recordLists, linked: links)
        if targeting.unplaceableRosterRows > 0 {
            accounting.exclude(rosterFile, "unmatched_unknown_village", count: targeting.unplaceableRosterRows)
        }
        if targeting.unusableProgrammeRows > 0 {
            accounting.exclude(rosterFile, "programme_reserved", count: targeting.unusableProgrammeRows)
        }
        for p in targeting.unknownProgrammes {
            accounting.warn(rosterFile, "unknown_programme:\(p)", count: roster.rows(withProgram: p))
        }
        accounting.setTabulated(rosterFile, roster.count - targeting.unplaceableRosterRows - targeting.unusableProgrammeRows)
        clock.lap("targeting measures and cubes")
        let snapshot = familySnapshot
            ? FamilySnapshot.make(programmes: programmeIDs, areas: areas, hasRoster: hasRoster, keys: store.keys, keyReader: keys, kk: store.kk,
                                  village: store.village, desil: desilBands, eligible: isEligible, registry: isRegistry,
                                  rowsPerFamily: links.rowsPerFamily, personCounts: personCounts)
            : nil
        if familySnapshot { clock.lap("family snapshot for compare") }
        // The record-level columns only for the restricted lists: at 10 M families the roster and the
        // families' villages and No. KK are about 1 GB that nothing published reads.
        return EngineResult(cubes: cubes, targeting: targeting, accounting: accounting, areas: areas,
                            families: store.count, persons: persons, familyVillage: recordLists ? store.village : [],
                            familyKK: recordLists ? store.kk : PackedTextColumn(),
                            familyKeys: recordLists ? store.keys.map(keys.text) : [], headName: heads.name, headNIK: heads.nik,
                            roster: recordLists ? roster : RosterTable(),
                            phases: clock.lines, familyRank: familyRank, snapshot: snapshot)
    }
}

/// What the roster's thread hands to the linking: the table, its record accounting, its sorted NIKs and the
/// thread's phase timings. A struct with a settable table, so the linking can hold the table's only copy.
struct RosterRead {
    var table: RosterTable
    let accounting: RecordAccounting
    let niks: RosterNIKs
    let phases: [String]
}
