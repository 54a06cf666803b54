import Microdata

/// The first half of the targeting work: members' NIKs sorted into a join structure, every roster row
/// linked to families and areas, and the duplicate-recipient row measures. It reads the members' NIKs, the
/// roster, the families' No. KK and villages, the areas and the programme settings — never eligibility or
/// receipt — so the engine builds it on a second thread while it evaluates the family rules
/// (`TargetingInput.eligible` and `registryRecipient` are not read).
public struct TargetingLinks: Sendable {
    let rows: RosterLinks
    /// Rows of each programme per family, saturating at 2 (`RosterLinks.rowsPerFamily`).
    let rowsPerFamily: [UInt8]
    let exclusivePartners: [Int: [Int]]
    /// Families holding a NIK that another family also holds (`multi_family_nik`).
    let sharingFamily: [Bool]
    let duplicates: DuplicateMeasures

    /// Person-programme counts with roster receipt (contract §2, rev. 2: a person is a roster recipient
    /// when its own valid NIK is on a row of the programme).
    let persons: PersonTallies
    /// Per profile programme and family (`p * familyCount + f`): linked to two or more rows of the programme
    /// in one period (`duplicate_families`); empty when no family is.
    let duplicateFamily: [Bool]

    /// - Parameter recordLists: also keep the duplicate records for the restricted output.
    public init(_ input: TargetingInput, recordLists: Bool = true) {
        var input = input
        // Lists in memory: nothing is read from disk, so nothing can throw.
        try! self.init(memberNIKs: MemberNIKList(input.memberNIKs, flags: input.memberFlags), input: &input, recordLists: recordLists,
                  rosterNIKs: RosterNIKs(roster: input.roster, programmes: input.programmes),
                  departed: MemberNIKList(input.departedNIKs))
    }

    /// Links with the members' NIKs given apart from `input` (whose `memberNIKs` is not read), and consumed:
    /// the sort reuses their storage. `rosterNIKs` must be made from `input.roster` and `input.programmes`;
    /// `departed` holds the valid NIKs of members who died, moved or were not found. A roster without record
    /// lists (`keepNames` false) loses its No. KK column once it is joined (`RosterTable.releaseNoKK`): when
    /// `input` holds the table's only copy, that memory is freed before the links' peak.
    /// Throws only when a list on disk (`MemberNIKList(runLength:)`) cannot be read back.
    public init(memberNIKs: consuming MemberNIKList, input: inout TargetingInput, recordLists: Bool, rosterNIKs: RosterNIKs,
                departed: MemberNIKList = MemberNIKList()) throws {
        let person = input.personProgrammes
        let members: NIKHits
        if memberNIKs.isOnDisk {
            var stream = try MemberNIKStream(runs: memberNIKs.runs)
            (persons, members) = try Self.fromRuns(&stream, input: input, roster: rosterNIKs, personProgrammes: person)
        } else {
            // One sort of the members' NIKs for both the person tallies and the join (it was one each, and
            // both copied the list: at 10 M families 30 M NIKs, about 1 GB at the peak of a run).
            let sorted = MemberNIKOrder(consume memberNIKs)   // `consume`: a copy would leave the sort a shared NIK column to copy
            persons = PersonTallies(input.personCounts, areas: input.areas, familyVillage: input.familyVillage, members: sorted,
                                    roster: rosterNIKs, personProgrammes: person)
            let join = (consume sorted).joinColumns()   // `consume`: a call on the binding would copy it, and every column would be held twice
            members = .join(KeyedFamilies(sortedKeys: join.niks, families: join.families))
        }
        let gone = departed.count > 0 ? KeyedFamilies(keys: departed.niks, families: departed.families) : nil
        let familyCount = input.familyVillage.count
        let links = RosterLinks(&input, nikHits: members, departed: gone, niks: rosterNIKs)
        rows = links
        rowsPerFamily = links.rowsPerFamily(familyCount: familyCount)
        exclusivePartners = Targeting.exclusivePartners(input.exclusivePairs, programmes: rows.programmes)
        var sharing = [Bool](repeating: false, count: familyCount)
        let shared = members.sharedKeys
        for s in shared { for f in s.families { sharing[Int(f)] = true } }
        sharingFamily = sharing
        let periods = RosterPeriods(input.roster)
        let familyLevel = (0..<links.programmes.profileCount).filter { input.familyLevelProgrammes.contains(links.programmes.all[$0]) }
        let twice = periods.familiesListedTwice(links: links, programmes: familyLevel, familyCount: familyCount)
        duplicateFamily = twice.flags
        duplicates = DuplicateMeasures(input, links: rows, niks: rosterNIKs, periods: periods, rowsPerFamily: rowsPerFamily,
                                       duplicateFamilyKeys: twice.keys, exclusivePartners: exclusivePartners,
                                       sharedNIKs: shared, recordLists: recordLists)
    }
}

extension TargetingLinks {
    /// The person tallies and the NIK join from the members' NIKs sorted on disk, in one pass over the merged
    /// runs beside the roster's sorted NIKs: each roster row's family is found as the merge passes its NIK
    /// (`NIKHits.rows`), so no join of the members' NIKs is held — only the NIKs that several families share
    /// (`multi_family_nik`, and the rows that link to all of them). The tallies are the sums of the in-memory
    /// path, taken in NIK order (each member's village read through its family).
    static func fromRuns(_ stream: inout MemberNIKStream, input: TargetingInput, roster: RosterNIKs,
                         personProgrammes: [Int]) throws -> (PersonTallies, NIKHits) {
        var tallies = PersonTallies(villages: input.personCounts, areas: input.areas)
        var receipt = RosterReceipt(roster, personProgrammes: personProgrammes)
        let familyVillage = input.familyVillage, countReceipt = tallies.programmes > 0, sortedRows = roster.sortedRows
        var rowHits = [Int32](repeating: -1, count: input.roster.count)
        var sharedKeys: [UInt64] = [], sharedFamilies: [Int32] = [], group: [Int32] = []
        var next = try stream.next()
        while let first = next {
            let nik = first.nik
            let found = receipt.bits(for: nik)
            group.removeAll(keepingCapacity: true)
            while let m = next, m.nik == nik {
                if countReceipt { tallies.addReceipt(village: Int(familyVillage[Int(m.family)]), flags: m.flags, onRoster: found.bits) }
                group.append(m.family)
                next = try stream.next()
            }
            // The families of one NIK distinct and ascending, as `KeyedFamilies` keeps them.
            var hit = group[0]
            if group.count > 1 {
                let distinct = Set(group).sorted()
                if distinct.count > 1 {
                    hit = -Int32(sharedKeys.count + 2)
                    for f in distinct { sharedKeys.append(nik); sharedFamilies.append(f) }
                }
            }
            for q in found.positions { rowHits[Int(sortedRows[q])] = hit }
        }
        tallies.tally.rollUpVillages(input.areas)
        return (tallies, .rows(rowHits, shared: KeyedFamilies(sortedKeys: sharedKeys, families: sharedFamilies)))
    }
}

/// What the NIK join found for the roster's rows (contract §2: a valid NIK of current members links the row
/// to every family holding it).
enum NIKHits: Sendable {
    /// The members' join in memory; a row's hit is the position of its NIK's key there.
    case join(KeyedFamilies)
    /// Found per row as the members' NIKs were merged from disk (`TargetingLinks.fromRuns`): `f ≥ 0` the row's
    /// one family, -1 none, `-(k + 2)` the families at entry k of `shared`, which holds the NIKs that two or
    /// more families hold (entries of one NIK side by side, as in any `KeyedFamilies`).
    case rows([Int32], shared: KeyedFamilies)

    /// Every NIK held by two or more families, with those families.
    var sharedKeys: [(key: UInt64, families: ArraySlice<Int32>)] {
        switch self {
        case .join(let members): return members.sharedKeys
        case .rows(_, let shared): return shared.sharedKeys
        }
    }
}

/// The `periode` of every roster row as a small number: rows of one payment period share it (texts
/// trimmed; an empty periode is a period of its own). Duplicates are counted within one period only
/// (contract §2, rev. 2): a person paid in 2022-S1 and again in 2022-S2 is not a duplicate.
struct RosterPeriods: Sendable {
    let ofRow: NarrowCodes

    init(_ roster: RosterTable) {
        var canonical: [String: UInt32] = [:]
        let byCode = roster.period.values.map { text -> UInt32 in
            let t = RosterText.trimmed(text)
            if let c = canonical[t] { return c }
            let c = UInt32(canonical.count); canonical[t] = c
            return c
        }
        ofRow = NarrowCodes(roster.period.codes.lazy.map { byCode[Int($0)] })
    }

    /// Families linked to two or more rows of one programme in one period (`duplicate_families`), for the
    /// given (family-level, profile) programmes: flags per `p * familyCount + f`, and the (programme,
    /// family, period) keys that repeat (`key(family:period:)` per programme), for the restricted list.
    func familiesListedTwice(links: RosterLinks, programmes: [Int], familyCount: Int) -> (flags: [Bool], keys: [Int: Set<UInt64>]) {
        var flags: [Bool] = []
        var keys: [Int: Set<UInt64>] = [:]
        let wanted = Set(programmes)
        var perProgramme: [Int: [UInt64]] = [:]
        for r in 0..<links.rowCount {
            guard let p = links.programmes.rowProgramme[r].map(Int.init), wanted.contains(p) else { continue }
            for f in links.families(ofRow: r) { perProgramme[p, default: []].append(Self.key(family: f, period: ofRow[r])) }
        }
        for (p, list) in perProgramme {
            let sorted = list.sorted()
            var i = 0
            while i < sorted.count {
                var j = i + 1
                while j < sorted.count, sorted[j] == sorted[i] { j += 1 }
                if j - i > 1 {
                    if flags.isEmpty { flags = Array(repeating: false, count: (programmes.max()! + 1) * familyCount) }
                    flags[p * familyCount + Int(sorted[i] >> 32)] = true
                    keys[p, default: []].insert(sorted[i])
                }
                i = j
            }
        }
        return (flags, keys)
    }

    @inline(__always)
    static func key(family: Int32, period: UInt32) -> UInt64 { UInt64(UInt32(bitPattern: family)) << 32 | UInt64(period) }
}

/// Every current member with a valid NIK: the NIK as a number and the member's family, in two flat
/// arrays (12 bytes a member, not the 16 of a padded tuple; ~9 M entries at 3 M families).
public struct MemberNIKList: Sendable {
    public private(set) var niks: [UInt64] = []
    public private(set) var families: [Int32] = []
    /// Person-programme flags of each member (`PersonFlags`; 2 bytes a member).
    public private(set) var flags: [PersonFlags] = []
    /// Members per sorted run on disk (`MemberNIKRun`, the `external` schedule); 0 keeps the list in memory.
    public let runLength: Int
    /// The runs written so far, in list order (empty for a list in memory).
    private(set) var runs: [MemberNIKRun] = []
    private var runFile: MemberNIKRunFile? = nil

    public init() { runLength = 0 }
    /// A list that writes every `runLength` members to disk as a sorted run (`writeRun`); 0: in memory.
    public init(runLength: Int) { self.runLength = max(0, runLength) }
    public init(_ pairs: [(nik: UInt64, family: Int32)], flags: [PersonFlags] = []) {
        runLength = 0
        niks = pairs.map(\.nik); families = pairs.map(\.family)
        self.flags = flags.isEmpty ? Array(repeating: 0, count: pairs.count) : flags
    }
    /// Entries in memory and in the runs written.
    public var count: Int { runs.reduce(niks.count) { $0 + $1.count } }
    var isOnDisk: Bool { runLength > 0 }
    @inline(__always)
    mutating func append(_ nik: UInt64, _ family: Int32, _ flag: PersonFlags = 0) { niks.append(nik); families.append(family); flags.append(flag) }
    /// For `--verbose`: how many runs, their bytes and folder, and a warning when that folder is held in memory.
    var runsDescription: String? {
        guard isOnDisk else { return nil }
        let bytes = runs.reduce(0) { $0 + $1.count * MemberNIKRun.entryBytes }
        let folders = Array(Set(runs.map(\.file.folder))).sorted()
        let inMemory = folders.contains(where: MemberNIKRunFile.isInMemory)
        guard !runs.isEmpty else { return "NIKs sorted on disk: no member with a valid NIK, no runs" }
        return "NIKs sorted on disk: \(runs.count) runs, \(PhaseClock.grouped(bytes >> 20)) MiB in \(folders.joined(separator: ", "))"
            + (inMemory ? " — a tmpfs, held in memory: set TMPDIR to a folder on disk" : "")
    }
    /// The entries in memory make a run: time to `writeRun`.
    @inline(__always)
    var runIsFull: Bool { runLength > 0 && niks.count >= runLength }

    /// Writes the entries held in memory as one sorted run and empties the columns, keeping their room for
    /// the next run. The file is made at the first run, so a list that never fills one makes none.
    mutating func writeRun() throws {
        guard isOnDisk, !niks.isEmpty else { return }
        let file = try runFile ?? MemberNIKRunFile()
        runFile = file
        runs.append(try MemberNIKRun.write(niks: &niks, families: families, flags: flags, to: file))
        niks.removeAll(keepingCapacity: true); families.removeAll(keepingCapacity: true); flags.removeAll(keepingCapacity: true)
    }
    /// The three columns, handed over (the list is left empty): the sort can then reuse their storage.
    mutating func takeColumns() -> (niks: [UInt64], families: [Int32], flags: [PersonFlags]) {
        defer { niks = []; families = []; flags = [] }
        return (niks, families, flags)
    }

    /// Room for `count` members in every column, so that appending (and `absorb`) never moves a column —
    /// a column that grows by moving is held twice meanwhile (at 10 M families the NIKs' is 240 MB). Room
    /// never written stays virtual: an estimate on the high side costs no resident memory.
    /// On disk, room for one run.
    mutating func reserve(_ count: Int) {
        let count = isOnDisk ? min(count, runLength) : count
        niks.reserveCapacity(count); families.reserveCapacity(count); flags.reserveCapacity(count)
    }

    /// Appends `other`'s entries and empties it, one column at a time, so that at most one column is held
    /// twice while it grows (none when `reserve` made room). On disk: each list's last entries written as a
    /// run, and `other`'s runs listed after this list's.
    mutating func absorb(_ other: inout MemberNIKList) throws {
        if isOnDisk || other.isOnDisk {
            precondition(isOnDisk && other.isOnDisk, "MemberNIKList: absorbing a list kept elsewhere")
            try writeRun(); try other.writeRun()
            runs += other.runs; other.runs = []
            return
        }
        niks.reserveCapacity(niks.count + other.niks.count); niks += other.niks; other.niks = []
        families.reserveCapacity(families.count + other.families.count); families += other.families; other.families = []
        flags.reserveCapacity(flags.count + other.flags.count); flags += other.flags; other.flags = []
    }
}

/// The members' NIKs sorted (stable: equal NIKs in list order), with each position's member — what both
/// the person tallies and the NIK join read. Built by consuming a `MemberNIKList`: its NIK column is sorted in
/// place (`RadixSort.inPlace`), so the peak is the list plus the positions (4 B a member), and handed to the
/// join the same way (`joinColumns`).
struct MemberNIKOrder {
    /// Valid NIKs, ascending.
    private(set) var niks: [UInt64]
    /// `order[position]`: the index in the list of the member whose NIK is `niks[position]`.
    private(set) var order: [Int32]
    /// Per member in list order: its family and person-programme flags.
    private(set) var families: [Int32]
    private(set) var flags: [PersonFlags]

    init(_ list: consuming MemberNIKList) {
        var list = list
        let count = list.count
        let (unsorted, families, flags) = list.takeColumns()
        // In place: the sort's scratch copy (12 B a member) was the roster linking's peak.
        var keys = consume unsorted, positions = Array(0..<Int32(count))
        RadixSort.inPlace(keys: &keys, values: &positions)
        (niks, order) = (keys, positions)
        self.families = families
        self.flags = flags
    }

    /// What the NIK join reads — the sorted NIKs and the family at each sorted position — made from the
    /// order's own storage: the positions become the families in place (each read once, then overwritten),
    /// so no third member-length array exists at the join's start (120 MB at 10 M families, issue 19).
    consuming func joinColumns() -> (niks: [UInt64], families: [Int32]) {
        var inOrder = order, listFamilies = families, sortedNIKs = niks
        order = []; families = []; niks = []; flags = []   // each column's only reference is now the local
        for i in inOrder.indices { inOrder[i] = listFamilies[Int(inOrder[i])] }
        listFamilies = []
        return (sortedNIKs, inOrder)
    }
}

/// The area slots of one roster row (`RosterLinks.slots(ofRow:)`): a village with its kecamatan and
/// kabupaten, or a list. A sequence rather than an array, so that reading a row's slots allocates nothing.
struct RowSlots: Sequence, IteratorProtocol {
    private var fixed: (Int32, Int32, Int32) = (0, 0, 0)
    private var list: ArraySlice<Int32> = []
    private var position = 0
    private let isList: Bool

    init(village: Int32, kecamatan: Int32, kabupaten: Int32) { fixed = (village, kecamatan, kabupaten); isList = false }
    init(list: ArraySlice<Int32>) { self.list = list; isList = true }

    mutating func next() -> Int32? {
        if isList {
            guard let s = list.first else { return nil }
            list = list.dropFirst()
            return s
        }
        defer { position += 1 }
        switch position {
        case 0: return fixed.0
        case 1: return fixed.1
        case 2: return fixed.2
        default: return nil
        }
    }
}

/// How one roster row found its place (contract §2 "Linking a roster row").
enum RosterLinkKind: UInt8, Sendable {
    /// A valid `nik` equal to a current member's NIK: linked to every family holding it.
    case byNIK
    /// No NIK link, but a non-empty `no_kk` equal to a family's `r114`: linked to every such family.
    case byNoKK
    /// Not linked; placed in the village of its Kemendagri code.
    case unmatched
    /// Not linked and its Kemendagri code is not in `wilayah.csv`: in no area (counted for the accounting).
    case unplaceable
    /// Empty or reserved programme name (see `RosterProgrammes`): not tabulated.
    case noProgramme
}

/// Every roster row linked to families and placed in areas, ready for counting.
///
/// Areas of a row (contract §2): a linked row is in the village of each of its families; an unmatched row in
/// the village of its Kemendagri code. A row counts **once** in each of those villages and once in each
/// kecamatan and kabupaten containing any of them — so rows are never summed up the hierarchy: each row
/// carries its own deduplicated list of area slots (village, kecamatan, kabupaten), usually three entries.
/// This keeps the work at O(rows), not O(rows × areas).
struct RosterLinks: Sendable {
    let programmes: RosterProgrammes
    let kind: [RosterLinkKind]
    /// Per row: `f ≥ 0` when the row is linked to the one family f (nearly every linked row); -1 when it is
    /// linked to none; `-(k + 2)` for the k-th row of the general lists (`listStart`, `listFamilies`). An
    /// offset and a family for every row took 8 bytes a row; this is 4, in the NIK join's own array.
    private let rowFamily: [Int32]
    private let listStart: [Int32]
    private let listFamilies: [Int32]
    /// Per row: `v ≥ 0` when the row's areas are one village v with its kecamatan and kabupaten (nearly
    /// every row); `-(k + 1)` for the k-th row of the general lists (`slotStart`, `slotList`); `Int32.min`
    /// for a row in no area. Three slots per row spelled out took 16 bytes a row (300 MB for a roster of
    /// 19 M rows, issue 19); this is 4.
    private let slotVillage: [Int32]
    private let slotStart: [Int32]
    private let slotList: [Int32]
    private let kecSlot: [Int32]
    private let kabSlot: [Int32]
    /// Linked rows whose families lie in more than one village (then villages may add up to more than
    /// their kecamatan; the caller adds the contract's note).
    let multiAreaRows: Int
    let unplaceableRows: Int
    let unusableProgrammeRows: Int
    /// Rows whose valid NIK matches no current member but a member who died, moved or was not found
    /// (`non_current_nik_rows`, contract §2 rev. 2), with the area slots of that member's families (each
    /// village once, each kecamatan and kabupaten containing any of them once).
    let nonCurrentSlots: [Int: [Int32]]

    var rowCount: Int { kind.count }

    /// Families the row is linked to, distinct; empty for unmatched rows.
    func families(ofRow r: Int) -> ArraySlice<Int32> {
        let v = rowFamily[r]
        if v >= 0 { return rowFamily[r...r] }   // the one family is the entry itself
        if v == -1 { return rowFamily[r..<r] }
        let k = Int(-(v + 2))
        return listFamilies[Int(listStart[k])..<Int(listStart[k + 1])]
    }

    /// Area slots (see `AreaIndex.slot`) the row counts in, each once; empty when it is in no area.
    func slots(ofRow r: Int) -> RowSlots {
        let v = slotVillage[r]
        if v >= 0 { return RowSlots(village: v, kecamatan: kecSlot[Int(v)], kabupaten: kabSlot[Int(v)]) }
        if v == .min { return RowSlots(list: []) }
        let k = Int(-(v + 1))
        return RowSlots(list: slotList[Int(slotStart[k])..<Int(slotStart[k + 1])])
    }

    /// Links every row in three batch phases — NIK join, No. KK join for the rows still unlinked, then
    /// families and areas per row in file order — so each join is one sort and one merge (the roster's
    /// NIKs come sorted in `niks`).
    init(_ input: inout TargetingInput, nikHits: NIKHits, departed: KeyedFamilies? = nil, niks: RosterNIKs) {
        let areas = input.areas
        let rowCount = input.roster.count
        programmes = niks.programmes
        let rowProgramme = niks.programmes.rowProgramme   // a local: closures below must not capture a half-built self
        let (kecSlot, kabSlot) = Self.ancestorSlots(areas)
        var kind = [RosterLinkKind](repeating: .noProgramme, count: rowCount)
        // Linked families per row: a key index into the members' join, or from disk the family itself
        // (`NIKHits`; NIK links, 4 bytes a row; step 3 turns it into the row's family, `rowFamily`, in place)
        // or, for the few rows linked by No. KK, a slice kept aside.
        var byNIK: [Int32]
        var byKK: [Int: ArraySlice<Int32>] = [:]

        // 1. A valid NIK held by a current member links to every family holding it.
        let members: KeyedFamilies, hitsAreFamilies: Bool
        switch nikHits {
        case .join(let join):
            (members, hitsAreFamilies) = (join, false)
            byNIK = [Int32](repeating: -1, count: rowCount)
            members.merge(sortedQueries: niks.sortedNIKs) { q, hit in
                let r = Int(niks.sortedRows[q])
                byNIK[r] = hit; kind[r] = .byNIK
            }
        case .rows(let rows, let shared):
            (members, hitsAreFamilies) = (shared, true)
            byNIK = rows
            for r in 0..<rowCount where byNIK[r] != -1 { kind[r] = .byNIK }
        }

        // 1b. A valid NIK of no current member but of a member who died, moved or was not found does not link
        //     (the row may still link by No. KK below): `non_current_nik_rows` in that member's family's areas.
        var nonCurrentSlots: [Int: [Int32]] = [:]
        if let departed {
            departed.merge(sortedQueries: niks.sortedNIKs) { q, hit in
                let r = Int(niks.sortedRows[q])
                guard kind[r] != .byNIK else { return }
                var villages: [Int32] = []
                for f in departed.families(at: Int(hit)) where !villages.contains(input.familyVillage[Int(f)]) {
                    villages.append(input.familyVillage[Int(f)])
                }
                nonCurrentSlots[r] = Self.slots(ofVillages: villages, kecamatan: kecSlot, kabupaten: kabSlot)
            }
        }
        self.nonCurrentSlots = nonCurrentSlots

        // 2. Otherwise a non-empty No. KK equal to a family's r114 links to every such family. The families
        //    are searched only for the No. KKs these rows hold.
        do {   // the No. KK column's local copy ends here, before the column is released
            let noKK = input.roster.noKK
            // Rows and keys streamed, not held as arrays of keys and results (~100 MB at 10 M families).
            let kkRows = (0..<Int32(rowCount)).filter { rowProgramme[Int($0)] != nil && kind[Int($0)] != .byNIK && noKK.hasContent(Int($0)) }
            func key(_ r: Int32) -> FamilyCardIndex.Key {
                noKK.sixteenDigits(Int(r)).map(FamilyCardIndex.Key.number) ?? FamilyCardIndex.key(noKK.text(Int(r)))
            }
            if !kkRows.isEmpty {
                let cards = FamilyCardIndex(familyKK: input.familyKK, wanted: kkRows.lazy.map(key))
                for r in kkRows {
                    let hit = cards.families(for: key(r))
                    if !hit.isEmpty { byKK[Int(r)] = hit; kind[Int(r)] = .byNoKK }
                }
            }
        }
        if !input.roster.keepNames { input.roster.releaseNoKK() }

        // 3. Families and area slots per row, in file order. `byNIK[r]` is read once and then holds the
        //    row's family (`rowFamily`): no second array of a roster's length.
        var listStart: [Int32] = [0], listFamilies = [Int32](), slotVillage = [Int32](), slotStart: [Int32] = [0], slotList = [Int32]()
        slotVillage.reserveCapacity(rowCount)
        /// Areas of a row that is not one family's NIK row: compact when they are one village's.
        func setSlots(villages: [Int32]) {
            if villages.isEmpty { slotVillage.append(.min); return }
            if villages.count == 1 { slotVillage.append(villages[0]); return }
            slotVillage.append(-Int32(slotStart.count))   // -(k + 1) for the k-th general row
            slotList.append(contentsOf: Self.slots(ofVillages: villages, kecamatan: kecSlot, kabupaten: kabSlot))
            slotStart.append(Int32(slotList.count))
        }
        var multiAreaRows = 0, unplaceableRows = 0, unusableProgrammeRows = 0
        var villages: [Int32] = []
        // Rosters repeat a few hundred village codes over millions of rows: resolve each text once.
        let villageOfText: [Int32?] = input.roster.village.values.map { text in
            areas.village(kemendagri: RosterText.trimmed(text)).map { Int32($0) }
        }
        let villageCode = input.roster.village.codes
        let familyVillage = input.familyVillage
        for r in 0..<rowCount {
            let hit = byNIK[r]
            byNIK[r] = -1
            guard rowProgramme[r] != nil else { unusableProgrammeRows += 1; slotVillage.append(.min); continue }
            // Most rows link by NIK to one family: its village, kecamatan and kabupaten, without the
            // general path's slices and searches (a roster has millions of rows).
            let linkedByNIK = kind[r] == .byNIK
            if linkedByNIK, let f = hitsAreFamilies ? (hit >= 0 ? hit : nil) : members.onlyFamily(at: Int(hit)) {
                byNIK[r] = f
                slotVillage.append(familyVillage[Int(f)])
                continue
            }
            villages.removeAll(keepingCapacity: true)
            // Several families by NIK: in the join at the hit, or (from disk) at entry -(hit + 2) of the shared NIKs.
            let families = linkedByNIK ? members.families(at: Int(hitsAreFamilies ? -(hit + 2) : hit)) : byKK[r] ?? []
            if families.count == 1 {
                byNIK[r] = families[families.startIndex]
            } else if !families.isEmpty {
                byNIK[r] = -Int32(listStart.count + 1)   // -(k + 2) for the k-th list
                listFamilies.append(contentsOf: families); listStart.append(Int32(listFamilies.count))
            }
            if !families.isEmpty {
                for f in families {
                    let v = familyVillage[Int(f)]
                    if !villages.contains(v) { villages.append(v) }
                }
                if villages.count > 1 { multiAreaRows += 1 }
            } else if let v = villageOfText[Int(villageCode[r])] {
                kind[r] = .unmatched; villages.append(v)
            } else {
                kind[r] = .unplaceable; unplaceableRows += 1
            }
            setSlots(villages: villages)
        }
        self.kind = kind
        self.rowFamily = byNIK; self.listStart = listStart; self.listFamilies = listFamilies
        self.slotVillage = slotVillage; self.slotStart = slotStart; self.slotList = slotList
        self.kecSlot = kecSlot; self.kabSlot = kabSlot
        self.multiAreaRows = multiAreaRows; self.unplaceableRows = unplaceableRows
        self.unusableProgrammeRows = unusableProgrammeRows
    }

    /// Rows of each programme linked to each family, saturating at 2 (the measures only ask "≥ 1" —
    /// roster recipient — and "≥ 2" — `duplicate_families`): index `programme * familyCount + family`.
    /// One byte per programme and family keeps this at ~30 MB for 3 M families and 10 programmes.
    func rowsPerFamily(familyCount: Int) -> [UInt8] {
        var counts = [UInt8](repeating: 0, count: programmes.all.count * familyCount)
        for r in 0..<rowCount {
            guard let p = programmes.rowProgramme[r] else { continue }
            let base = Int(p) * familyCount
            for f in families(ofRow: r) where counts[base + Int(f)] < 2 { counts[base + Int(f)] += 1 }
        }
        return counts
    }

    /// The area slots of a set of distinct villages: the village slots (village indices), then each distinct
    /// kecamatan and kabupaten once — so a row counts once in every area containing any of them.
    static func slots(ofVillages villages: [Int32], kecamatan kecSlot: [Int32], kabupaten kabSlot: [Int32]) -> [Int32] {
        var out = villages
        for v in villages where !out.contains(kecSlot[Int(v)]) { out.append(kecSlot[Int(v)]) }
        for v in villages where !out.contains(kabSlot[Int(v)]) { out.append(kabSlot[Int(v)]) }
        return out
    }

    /// Kecamatan and kabupaten slot of every village, as `Int32` for compact per-row lists.
    static func ancestorSlots(_ areas: AreaIndex) -> (kecamatan: [Int32], kabupaten: [Int32]) {
        var kec: [Int32] = [], kab: [Int32] = []
        kec.reserveCapacity(areas.villages.count); kab.reserveCapacity(areas.villages.count)
        for v in areas.villages.indices {
            let a = areas.ancestorSlots(ofVillage: v)
            kec.append(Int32(a.kecamatan)); kab.append(Int32(a.kabupaten))
        }
        return (kec, kab)
    }
}
