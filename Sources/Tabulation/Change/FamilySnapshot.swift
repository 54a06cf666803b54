import Microdata
import Profile

/// The compact per-family state of one registry snapshot that `regtab compare` needs to match families
/// across snapshots and count what changed: identity (family key, No. KK), where the family lives, its
/// desil band, and per programme whether it is eligible and whether it receives (self-report, roster).
///
/// Columnar, a few bytes per family (≈ 40 bytes with the key and the No. KK): at 1 M families ≈ 40 MB,
/// against the hundreds of MB of the engine's own columns, which are freed before the next snapshot is read.
/// Built by the engine (`Engine.familySnapshot`) from the same flags the targeting cubes count, so the
/// stocks of the change tables are the cells of the two runs.
public struct FamilySnapshot: Sendable {
    /// Profile programmes in order; bit `p` of the flag words is programme `p`, bit `programmes.count` is `ANY`.
    public var programmes: [String]
    public var areas: AreaIndex
    /// Whether the snapshot had a roster (`penerima`); without one every roster bit is 0.
    public var hasRoster: Bool
    public var keys: [FamilyKey]
    /// Reads keys back as text (`kode_desa/…`), for the restricted change list only.
    public var keyReader: FamilyKeyReader
    public var kk: PackedTextColumn
    public var village: [Int32]
    /// `DesilBand` raw value per family.
    public var desil: [UInt8]
    public var eligible: [UInt16]
    public var registry: [UInt16]
    public var roster: [UInt16]
    /// Current members per village (the population stock; persons are not matched one by one).
    public var villagePersons: [Int]

    public var count: Int { keys.count }

    public init(programmes: [String], areas: AreaIndex, hasRoster: Bool, keys: [FamilyKey], keyReader: FamilyKeyReader, kk: PackedTextColumn,
                village: [Int32], desil: [UInt8], eligible: [UInt16], registry: [UInt16], roster: [UInt16], villagePersons: [Int]) {
        self.programmes = programmes; self.areas = areas; self.hasRoster = hasRoster; self.keys = keys; self.keyReader = keyReader; self.kk = kk
        self.village = village; self.desil = desil; self.eligible = eligible; self.registry = registry; self.roster = roster
        self.villagePersons = villagePersons
    }

    /// The key of family `f` as text, for the restricted list.
    public func keyText(_ f: Int) -> String { keyReader.text(keys[f]) }

    /// Bit of programme `ANY` in the flag words.
    public var anyBit: Int { programmes.count }
}

/// The four desil bands of the change tables (the transition matrix's rows and columns).
public enum DesilBand: UInt8, Sendable, CaseIterable {
    case d1to4 = 0, d5 = 1, d6to10 = 2, notRanked = 3

    /// Code in the twins: `1_4`, `5`, `6_10`, `_Z`.
    public var code: String { ["1_4", "5", "6_10", "_Z"][Int(rawValue)] }

    /// The band of a desil value (NaN, or outside 1–10: not ranked).
    public init(desil x: Double) {
        if x.isNaN || x < 1 || x > 10 || x != x.rounded() { self = .notRanked }
        else if x <= 4 { self = .d1to4 } else if x == 5 { self = .d5 } else { self = .d6to10 }
    }
}

/// Where `regtab compare` finds the variables it needs beyond what the engine reads for every run, in one place:
/// the family identity (family key, No. KK) comes from the engine's key and No. KK, read through the report
/// definition's `layout:` roles; the desil is the variable named here.
public enum ChangeRoles {
    /// The family variable holding the welfare decile (1–10): the profile's `welfare_rank` (`rules.yml`); without
    /// one every family is "not ranked".
    public static func desilVariable(_ profile: Profile) -> String? {
        profile.rules.welfareRank
    }
}

extension FamilySnapshot {
    /// The snapshot from the engine's own columns and flags, counted exactly as `FamilyTallies` counts them:
    /// a roster recipient of a profile programme is a family linked to a row of it (when a roster was supplied),
    /// and `ANY` is any profile programme.
    static func make(programmes: [String], areas: AreaIndex, hasRoster: Bool, keys: [FamilyKey], keyReader: FamilyKeyReader, kk: PackedTextColumn,
                     village: [Int32], desil: [UInt8], eligible: [FamilyBits], registry: [FamilyBits], rowsPerFamily: [UInt8],
                     personCounts: PersonCounts) -> FamilySnapshot {
        let n = keys.count, k = programmes.count
        precondition(k < 16, "at most 15 programmes in a family snapshot")
        var e = [UInt16](repeating: 0, count: n), r = [UInt16](repeating: 0, count: n), l = [UInt16](repeating: 0, count: n)
        let any: UInt16 = 1 << k
        for f in 0..<n {
            var ef: UInt16 = 0, rf: UInt16 = 0, lf: UInt16 = 0
            for p in 0..<k {
                if eligible[p][f] { ef |= 1 << p }
                if registry[p][f] { rf |= 1 << p }
                if hasRoster, p * n + f < rowsPerFamily.count, rowsPerFamily[p * n + f] > 0 { lf |= 1 << p }
            }
            if ef != 0 { ef |= any }
            if rf != 0 { rf |= any }
            if lf != 0 { lf |= any }
            e[f] = ef; r[f] = rf; l[f] = lf
        }
        let persons = areas.villages.indices.map { personCounts.counts[$0 * personCounts.width] }
        return FamilySnapshot(programmes: programmes, areas: areas, hasRoster: hasRoster, keys: keys, keyReader: keyReader, kk: kk, village: village,
                              desil: desil.isEmpty ? [UInt8](repeating: DesilBand.notRanked.rawValue, count: n) : desil,
                              eligible: e, registry: r, roster: l, villagePersons: persons)
    }
}
