import Microdata

/// Per-member flags of the person programmes (contract §2, rev. 2: `PBI_JKN` and `PIP` are benefits of a
/// person): bit `j` = eligible for person programme `j`, bit `8 + j` = registry recipient (own self-report).
/// Person programmes are numbered in profile order among the profile's person programmes; at most eight.
public typealias PersonFlags = UInt16

/// The person-programme counts of the member pass, per village: what needs no roster. The engine adds every
/// current member once (`add`); roster receipt, which needs the member's NIK linked, is counted after
/// linking (`TargetingLinks`). Members without a valid NIK can never be roster recipients, so their
/// agreement category (registry only, or neither) is decided here.
///
/// Layout per village: `[persons]`, then per person programme `PersonTallies.width` counters.
public struct PersonCounts: Sendable {
    public let programmes: Int
    public private(set) var counts: [Int]
    var width: Int { 1 + programmes * PersonTallies.width }

    public init(programmes: Int, villages: Int) {
        precondition(programmes <= 8, "at most eight person programmes")
        self.programmes = programmes
        counts = Array(repeating: 0, count: villages * (1 + programmes * PersonTallies.width))
    }

    /// One current member of village `v`. `hasNIK`: the member has a valid NIK (its roster receipt and
    /// agreement are counted after linking).
    @inline(__always)
    public mutating func add(village v: Int, flags: PersonFlags, hasNIK: Bool) {
        let base = v * width
        counts[base] += 1
        guard programmes > 0 else { return }
        for j in 0..<programmes {
            let o = base + 1 + j * PersonTallies.width
            let eligible = flags & (1 << j) != 0, registry = flags & (1 << (8 + j)) != 0
            if eligible { counts[o + PersonTallies.eligible] += 1 }
            if registry {
                counts[o + PersonTallies.registry] += 1
                if eligible { counts[o + PersonTallies.eligibleRegistry] += 1 }
            }
            if !hasNIK { counts[o + (registry ? PersonTallies.registryOnly : PersonTallies.neither)] += 1 }
        }
    }

    /// The same shape with every count zero (for a second part of the member file).
    public func emptyCopy() -> PersonCounts { PersonCounts(programmes: programmes, villages: counts.count / max(1, width)) }

    /// Adds another part's counts (the member file read in two parts).
    public mutating func merge(_ other: PersonCounts) {
        for i in counts.indices { counts[i] += other.counts[i] }
    }
}

/// Person-programme counts per area slot, rolled up from the villages: the member pass's `PersonCounts`
/// plus roster receipt of members with a valid NIK.
struct PersonTallies: Sendable {
    static let eligible = 0, registry = 1, eligibleRegistry = 2, roster = 3, eligibleRoster = 4
    static let both = 5, registryOnly = 6, rosterOnly = 7, neither = 8
    static let width = 9

    let programmes: Int
    /// Width `1 + programmes × width`: persons, then per programme the counters above.
    var tally: AreaTally

    func persons(_ slot: Int) -> Int { tally[slot, 0] }
    func count(_ slot: Int, programme j: Int, _ counter: Int) -> Int { tally[slot, 1 + j * Self.width + counter] }

    /// - Parameters:
    ///   - counts: the member pass's per-village counts;
    ///   - members: every current member with a valid NIK, sorted by NIK (`MemberNIKOrder`);
    ///   - roster: the roster's rows with a valid NIK, sorted by NIK (nil: no roster receipt to add);
    ///   - personProgrammes: person programme `j` is `roster.programmes.all[personProgrammes[j]]`.
    init(_ counts: PersonCounts, areas: AreaIndex, familyVillage: [Int32], members: MemberNIKOrder, roster: RosterNIKs?,
         personProgrammes: [Int]) {
        self.init(villages: counts, areas: areas)
        if programmes > 0, !members.niks.isEmpty, let roster {
            // Roster receipt per member: one merge of the members' sorted NIKs with the roster's (every
            // programme at once: a roster NIK's rows give the person programmes it is on), the bits written
            // back in list order; then one pass in list order, where families, flags and receipt are read in
            // sequence (in NIK order each member would be two cache misses). No list of distinct NIKs per
            // programme (8 bytes each, all held at once) and one byte a member: issue 19.
            var receipt = RosterReceipt(roster, personProgrammes: personProgrammes)
            let memberNIK = members.niks
            var onRoster = [UInt8](repeating: 0, count: memberNIK.count)
            for position in memberNIK.indices {
                onRoster[Int(members.order[position])] = receipt.bits(for: memberNIK[position]).bits
            }
            for i in onRoster.indices {
                addReceipt(village: Int(familyVillage[Int(members.families[i])]), flags: members.flags[i], onRoster: onRoster[i])
            }
        }
        tally.rollUpVillages(areas)
    }

    /// The member pass's counts in the villages, before any roster receipt (`addReceipt`) and roll-up.
    init(villages counts: PersonCounts, areas: AreaIndex) {
        programmes = counts.programmes
        tally = AreaTally(areas: areas, width: counts.width)
        for v in areas.villages.indices {
            for c in 0..<counts.width { tally.add(slot: v, c, counts.counts[v * counts.width + c]) }
        }
    }

    /// One current member with a valid NIK in village `v`: its person flags and the person programmes whose
    /// roster rows hold its NIK (bit `j` of `onRoster`).
    @inline(__always)
    mutating func addReceipt(village v: Int, flags: PersonFlags, onRoster: UInt8) {
        for j in 0..<programmes {
            let o = 1 + j * Self.width
            let eligible = flags & (1 << j) != 0, registry = flags & (1 << (8 + j)) != 0
            let roster = onRoster & (1 << j) != 0
            if roster {
                tally.add(slot: v, o + Self.roster)
                if eligible { tally.add(slot: v, o + Self.eligibleRoster) }
            }
            tally.add(slot: v, o + (registry ? (roster ? Self.both : Self.registryOnly) : (roster ? Self.rosterOnly : Self.neither)))
        }
    }
}

/// The roster's sorted NIKs walked in step with ascending member NIKs: for each NIK, the positions of the
/// roster's rows holding it (in `RosterNIKs.sortedNIKs`) and the person programmes of those rows (bit `j`:
/// person programme `j`). Asked again for the same NIK (two members sharing one), it answers the same.
struct RosterReceipt {
    private let roster: RosterNIKs
    private var bitOf: [UInt8]
    private var r = 0
    private var last: (nik: UInt64, found: Found)? = nil

    struct Found {
        /// Positions in the roster's sorted NIKs; empty when no row holds the NIK.
        let positions: Range<Int>
        let bits: UInt8
        var held: Bool { !positions.isEmpty }
    }

    init(_ roster: RosterNIKs, personProgrammes: [Int]) {
        self.roster = roster
        bitOf = [UInt8](repeating: 0, count: roster.programmes.all.count)
        for (j, p) in personProgrammes.enumerated() { bitOf[p] = 1 << j }
    }

    /// `nik` not below the last one asked.
    @inline(__always)
    mutating func bits(for nik: UInt64) -> Found {
        if let last, last.nik == nik { return last.found }
        let niks = roster.sortedNIKs
        while r < niks.count, niks[r] < nik { r += 1 }
        let start = r
        var bits: UInt8 = 0
        while r < niks.count, niks[r] == nik {
            if let p = roster.programmes.rowProgramme[Int(roster.sortedRows[r])] { bits |= bitOf[Int(p)] }
            r += 1
        }
        let found = Found(positions: start..<r, bits: bits)
        last = (nik, found)
        return found
    }
}
