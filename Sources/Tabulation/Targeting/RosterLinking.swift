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

    /// - Parameter recordLists: also keep the duplicate records for the restricted output.
    public init(_ input: TargetingInput, recordLists: Bool = true) {
        self.init(memberNIKs: MemberNIKList(input.memberNIKs), input: input, recordLists: recordLists,
                  rosterNIKs: RosterNIKs(roster: input.roster, programmes: input.programmes))
    }

    /// Links with the members' NIKs given apart from `input` (whose `memberNIKs` is not read), and consumed:
    /// the sort reuses their storage. `rosterNIKs` must be made from `input.roster` and `input.programmes`.
    public init(memberNIKs: consuming MemberNIKList, input: TargetingInput, recordLists: Bool, rosterNIKs: RosterNIKs) {
        let list = consume memberNIKs
        let members = KeyedFamilies(keys: list.niks, families: list.families)
        let familyCount = input.familyVillage.count
        rows = RosterLinks(input, members: members, niks: rosterNIKs)
        rowsPerFamily = rows.rowsPerFamily(familyCount: familyCount)
        exclusivePartners = Targeting.exclusivePartners(input.exclusivePairs, programmes: rows.programmes)
        var sharing = [Bool](repeating: false, count: familyCount)
        let shared = members.sharedKeys
        for s in shared { for f in s.families { sharing[Int(f)] = true } }
        sharingFamily = sharing
        duplicates = DuplicateMeasures(input, links: rows, niks: rosterNIKs, rowsPerFamily: rowsPerFamily,
                                       exclusivePartners: exclusivePartners, sharedNIKs: shared, recordLists: recordLists)
    }
}

/// Every current member with a valid NIK: the NIK as a number and the member's family, in two flat
/// arrays (12 bytes a member, not the 16 of a padded tuple; ~9 M entries at 3 M families).
public struct MemberNIKList: Sendable {
    public private(set) var niks: [UInt64] = []
    public private(set) var families: [Int32] = []
    public init() {}
    public init(_ pairs: [(nik: UInt64, family: Int32)]) {
        niks = pairs.map(\.nik); families = pairs.map(\.family)
    }
    public var count: Int { niks.count }
    @inline(__always)
    mutating func append(_ nik: UInt64, _ family: Int32) { niks.append(nik); families.append(family) }
    mutating func append(contentsOf other: MemberNIKList) {
        niks += other.niks; families += other.families
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
    private let familyStart: [Int32]
    private let familyList: [Int32]
    private let slotStart: [Int32]
    private let slotList: [Int32]
    /// Linked rows whose families lie in more than one village (then villages may add up to more than
    /// their kecamatan; the caller adds the contract's note).
    let multiAreaRows: Int
    let unplaceableRows: Int
    let unusableProgrammeRows: Int

    var rowCount: Int { kind.count }

    /// Families the row is linked to, distinct; empty for unmatched rows.
    func families(ofRow r: Int) -> ArraySlice<Int32> { familyList[Int(familyStart[r])..<Int(familyStart[r + 1])] }

    /// Area slots (see `AreaIndex.slot`) the row counts in, each once; empty when it is in no area.
    func slots(ofRow r: Int) -> ArraySlice<Int32> { slotList[Int(slotStart[r])..<Int(slotStart[r + 1])] }

    /// Links every row in three batch phases — NIK join, No. KK join for the rows still unlinked, then
    /// families and areas per row in file order — so each join is one sort and one merge (the roster's
    /// NIKs come sorted in `niks`).
    init(_ input: TargetingInput, members: KeyedFamilies, niks: RosterNIKs) {
        let areas = input.areas
        let roster = input.roster
        let rowCount = roster.count
        programmes = niks.programmes
        let rowProgramme = niks.programmes.rowProgramme   // a local: closures below must not capture a half-built self
        let (kecSlot, kabSlot) = Self.ancestorSlots(areas)
        var kind = [RosterLinkKind](repeating: .noProgramme, count: rowCount)
        // Linked families per row: a key index into `members` (NIK links, 4 bytes a row) or, for the few
        // rows linked by No. KK, a slice kept aside.
        var byNIK = [Int32](repeating: -1, count: rowCount)
        var byKK: [Int: ArraySlice<Int32>] = [:]
        func linked(_ r: Int) -> ArraySlice<Int32> {
            if byNIK[r] >= 0 { return members.families(at: Int(byNIK[r])) }
            return byKK[r] ?? []
        }

        // 1. A valid NIK held by a current member links to every family holding it.
        members.merge(sortedQueries: niks.sortedNIKs) { q, hit in
            let r = Int(niks.sortedRows[q])
            byNIK[r] = hit; kind[r] = .byNIK
        }

        // 2. Otherwise a non-empty No. KK equal to a family's r114 links to every such family. The index
        //    over all families is built only when some row needs it.
        let kkRows = (0..<rowCount).filter { rowProgramme[$0] != nil && byNIK[$0] < 0
            && roster.noKK.hasContent($0) }
        if !kkRows.isEmpty {
            let cards = FamilyCardIndex(familyKK: input.familyKK)
            let queries = kkRows.map { r in roster.noKK.sixteenDigits(r).map(FamilyCardIndex.Key.number) ?? FamilyCardIndex.key(roster.noKK.text(r)) }
            for (r, hit) in zip(kkRows, cards.lookUp(keys: queries)) where !hit.isEmpty {
                byKK[r] = hit; kind[r] = .byNoKK
            }
        }

        // 3. Families and area slots per row, in file order.
        var familyStart = [Int32](), familyList = [Int32](), slotStart = [Int32](), slotList = [Int32]()
        familyStart.reserveCapacity(rowCount + 1); slotStart.reserveCapacity(rowCount + 1)
        familyList.reserveCapacity(rowCount); slotList.reserveCapacity(rowCount * 3)
        var multiAreaRows = 0, unplaceableRows = 0, unusableProgrammeRows = 0
        var villages: [Int32] = []
        // Rosters repeat a few hundred village codes over millions of rows: resolve each text once.
        let villageOfText: [Int32?] = roster.village.values.map { text in
            areas.village(kemendagri: RosterText.trimmed(text)).map { Int32($0) }
        }
        let villageCode = roster.village.codes
        let familyVillage = input.familyVillage
        for r in 0..<rowCount {
            familyStart.append(Int32(familyList.count)); slotStart.append(Int32(slotList.count))
            guard rowProgramme[r] != nil else { unusableProgrammeRows += 1; continue }
            // Most rows link by NIK to one family: its village, kecamatan and kabupaten, without the
            // general path's slices and searches (a roster has millions of rows).
            if byNIK[r] >= 0, let f = members.onlyFamily(at: Int(byNIK[r])) {
                let v = Int(familyVillage[Int(f)])
                familyList.append(f)
                slotList.append(Int32(v)); slotList.append(kecSlot[v]); slotList.append(kabSlot[v])
                continue
            }
            villages.removeAll(keepingCapacity: true)
            let families = linked(r)
            if !families.isEmpty {
                familyList.append(contentsOf: families)
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
            // Village slots are village indices; then each distinct kecamatan and kabupaten once.
            let rowSlots = slotList.count
            slotList.append(contentsOf: villages)
            for v in villages where !slotList[rowSlots...].contains(kecSlot[Int(v)]) { slotList.append(kecSlot[Int(v)]) }
            for v in villages where !slotList[rowSlots...].contains(kabSlot[Int(v)]) { slotList.append(kabSlot[Int(v)]) }
        }
        familyStart.append(Int32(familyList.count)); slotStart.append(Int32(slotList.count))
        self.kind = kind
        self.familyStart = familyStart; self.familyList = familyList
        self.slotStart = slotStart; self.slotList = slotList
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
