import Microdata

/// One row of `penerima.csv` (a ministry's beneficiary roster), as read: text is kept as given (trimmed),
/// so linking, validation and the restricted lists all see the same value.
public struct RosterRow: Sendable, Hashable {
    /// Programme name as it appears in the roster, trimmed (e.g. `PKH`, or an unknown `KUR`).
    public var program: String
    public var nik: String
    public var noKK: String
    public var name: String
    public var kemendagriVillage: String
    public var period: String
    /// Physical line in `penerima.csv` (header = line 1).
    public var line: Int
    public init(program: String, nik: String, noKK: String, name: String, kemendagriVillage: String, period: String, line: Int) {
        self.program = program; self.nik = nik; self.noKK = noKK; self.name = name
        self.kemendagriVillage = kemendagriVillage; self.period = period; self.line = line
    }
}

/// Everything the targeting and duplicate measures (contract §2) need, already resolved by the engine's
/// family and member passes. Families are dense indices 0..<familyCount over the *tabulated* families
/// (in `wilayah.csv`, not duplicate keys).
public struct TargetingInput: Sendable {
    /// The profile's programmes in display order, e.g. PKH, BPNT, BLT_DESA, PBI_JKN, PIP.
    public var programmes: [String]
    /// Programmes whose roster unit is the family (`duplicate_families` is defined only for these).
    public var familyLevelProgrammes: Set<String>
    /// Pairs (P, Q) that must not be combined; `exclusive_overlap` is reported under P.
    public var exclusivePairs: [(String, String)]
    /// Village index (into `areas.villages`) of every family.
    public var familyVillage: [Int32]
    /// No. KK (`r114`) of every family, trimmed; empty when missing.
    public var familyKK: PackedTextColumn
    /// `eligible[p][f]`: family f is eligible for programmes[p].
    public var eligible: [FamilyBits]
    /// `registryRecipient[p][f]`: family f reports receiving programmes[p] (registry source).
    public var registryRecipient: [FamilyBits]
    /// Every current member with a *valid* NIK: the NIK as a 64-bit number and the member's family.
    public var memberNIKs: [(nik: UInt64, family: Int32)]
    /// Person-programme flags of each entry of `memberNIKs` (empty: none eligible, none self-reported).
    public var memberFlags: [PersonFlags] = []
    /// Members who died, moved or were not found (`RulesSpec.departedMember`) with a valid NIK, and their
    /// family: a roster NIK of theirs is `non_current_nik_rows` (contract §2, rev. 2).
    public var departedNIKs: [(nik: UInt64, family: Int32)] = []
    /// The member pass's person-programme counts per village (`PersonCounts`).
    public var personCounts: PersonCounts
    public var roster: RosterTable
    /// Whether a roster (`penerima`) was supplied at all: without one there is no roster source, and the
    /// roster-only tables are not produced (contract §2 "No rosters", rev. 2). An empty file is a roster.
    public var hasRoster = true
    public var areas: AreaIndex

    /// Profile programmes paid to a person (not in `familyLevelProgrammes`), as indices into `programmes`,
    /// in order: person programme `j` is `programmes[personProgrammes[j]]` (bit `j` of `PersonFlags`).
    public var personProgrammes: [Int] { programmes.indices.filter { !familyLevelProgrammes.contains(programmes[$0]) } }

    public init(programmes: [String], familyLevelProgrammes: Set<String>, exclusivePairs: [(String, String)],
                familyVillage: [Int32], familyKK: PackedTextColumn, eligible: [FamilyBits], registryRecipient: [FamilyBits],
                memberNIKs: [(nik: UInt64, family: Int32)], roster: RosterTable, areas: AreaIndex) {
        self.programmes = programmes; self.familyLevelProgrammes = familyLevelProgrammes
        self.exclusivePairs = exclusivePairs; self.familyVillage = familyVillage; self.familyKK = familyKK
        self.eligible = eligible; self.registryRecipient = registryRecipient; self.memberNIKs = memberNIKs
        self.roster = roster; self.areas = areas
        personCounts = PersonCounts(programmes: programmes.filter { !familyLevelProgrammes.contains($0) }.count,
                                    villages: areas.villages.count)
    }
}

extension TargetingInput {
    /// Roster rows and No. KKs given as text (tests).
    public init(programmes: [String], familyLevelProgrammes: Set<String>, exclusivePairs: [(String, String)],
                familyVillage: [Int32], familyKK: [String], eligible: [[Bool]], registryRecipient: [[Bool]],
                memberNIKs: [(nik: UInt64, family: Int32)], roster: [RosterRow], areas: AreaIndex) {
        self.init(programmes: programmes, familyLevelProgrammes: familyLevelProgrammes, exclusivePairs: exclusivePairs,
                  familyVillage: familyVillage, familyKK: PackedTextColumn(familyKK), eligible: eligible.map(FamilyBits.init),
                  registryRecipient: registryRecipient.map(FamilyBits.init),
                  memberNIKs: memberNIKs, roster: RosterTable(roster), areas: areas)
    }
}
