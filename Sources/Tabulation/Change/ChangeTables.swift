import Microdata

/// A snapshot's village that the later snapshot's `wilayah` does not have: its families cannot be placed.
public struct ChangeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The change tables of `regtab compare`: what changed between two snapshots of the registry, per village,
/// kecamatan and the kabupaten, counted over families matched by `FamilyMatching`.
///
/// **Stocks** are counted in each snapshot where the family lived then (the same cells as the two runs'
/// `targeting` and `families_desil`); **net** = after − before. **Flows** are counted per area: a family
/// enters an area's stock when it is in the stock there after and was not in it there before — because it is
/// new, moved in, or its status changed in place — and leaves it the other way round. So
/// `before + in − out = after` holds in every area at every level; a move between two villages of one kecamatan
/// is an in-flow and an out-flow of the villages and nothing at the kecamatan (flows do not add up over areas,
/// stocks and new/gone families do). Every later snapshot's village frame (`wilayah`) is the frame of the
/// tables; every village of the earlier snapshot must be in it.
public struct ChangeResult: Sendable {
    /// `change_families`: persons, families (new, gone, moved, matched by key or No. KK), desil 1–4 families.
    public var families: ResultCube
    /// `change_targeting`: program × source: eligible, recipients, eligible non-recipients, in families.
    public var targeting: ResultCube
    /// `change_desil`: desil band before × after (with new and gone families), kecamatan and kabupaten only.
    public var desil: ResultCube
    public var matching: FamilyMatching
    /// Whether both snapshots had a roster (else `change_targeting` has the registry source only).
    public var hasRoster: Bool

    public var cubes: [ResultCube] { [families, targeting, desil] }
    /// Later village of every earlier village (index into the later frame).
    public var villageMap: [Int32]

    public static let familyMeasures = [
        "persons_before", "persons_after", "persons_net",
        "families_before", "families_after", "families_net", "families_in", "families_out",
        "families_new", "families_gone", "families_moved_in", "families_moved_out", "matched_by_key", "matched_by_kk",
        "desil1_4_before", "desil1_4_after", "desil1_4_net", "desil1_4_entering", "desil1_4_leaving",
    ]
    public static let targetingMeasures = [
        "eligible_before", "eligible_after", "eligible_net", "newly_eligible", "no_longer_eligible",
        "recipients_before", "recipients_after", "recipients_net", "recipients_gained", "recipients_lost",
        "eligible_non_recipients_before", "eligible_non_recipients_after", "eligible_non_recipients_net",
        "eligible_non_recipients_entering", "eligible_non_recipients_leaving",
    ]
    public static let desilBefore = DesilBand.allCases.map(\.code) + ["new", "_T"]
    public static let desilAfter = DesilBand.allCases.map(\.code) + ["gone", "_T"]
}

public enum ChangeTables {
    /// Properties counted per family (bits of `mask`): 0 family, 1 desil 1–4, then per programme q (profile
    /// programmes and `ANY`) five bits from `2 + 5q`: eligible, registry recipient, roster recipient, eligible
    /// non-recipient by registry, by roster.
    static func mask(_ s: FamilySnapshot, _ f: Int, programmes: Int) -> UInt64 {
        var m: UInt64 = 1
        if s.desil[f] == DesilBand.d1to4.rawValue { m |= 2 }
        let e = s.eligible[f], r = s.registry[f], l = s.roster[f]
        for q in 0...programmes {
            let bit: UInt16 = 1 << q, base = UInt64(2 + 5 * q)
            let isE = e & bit != 0, isR = r & bit != 0, isL = l & bit != 0
            if isE { m |= 1 << base }
            if isR { m |= 1 << (base + 1) }
            if isL { m |= 1 << (base + 2) }
            if isE && !isR { m |= 1 << (base + 3) }
            if isE && !isL { m |= 1 << (base + 4) }
        }
        return m
    }

    public static func compute(before: FamilySnapshot, after: FamilySnapshot) throws -> ChangeResult {
        guard before.programmes == after.programmes else {
            throw ChangeError(description: "the two snapshots were tabulated with different programmes (\(before.programmes) and \(after.programmes))")
        }
        let areas = after.areas
        let villageMap: [Int32] = try before.areas.villages.map { v in
            guard let i = areas.village(code: v.code) else {
                throw ChangeError(description: "village \(v.code) (\(v.name)) of the earlier snapshot is not in the later snapshot's wilayah; "
                                  + "the change tables use the later frame, which must hold every earlier village")
            }
            return Int32(i)
        }
        let matching = FamilyMatching(before: before, after: after)
        let k = after.programmes.count
        let props = 2 + 5 * (k + 1)
        let slots = areas.slotCount
        var stockB = [Int](repeating: 0, count: slots * props), stockA = stockB, flowIn = stockB, flowOut = stockB
        // Extra counters per slot: new, gone, moved in, moved out, matched by key, matched by KK.
        var extra = [Int](repeating: 0, count: slots * 6)
        // Transition matrix: per slot, before band (4 + new) × after band (4 + gone).
        var transition = [Int](repeating: 0, count: slots * 25)

        /// The slot of village v at level l (0 desa, 1 kecamatan, 2 kabupaten).
        func slotsOf(_ v: Int) -> [Int] {
            let (kec, kab) = areas.ancestorSlots(ofVillage: v)
            return [v, kec, kab]
        }
        let villageSlots = areas.villages.indices.map(slotsOf)
        @inline(__always) func addBits(_ m: UInt64, _ slot: Int, _ into: inout [Int]) {
            var rest = m
            while rest != 0 {
                let p = rest.trailingZeroBitCount
                into[slot * props + p] += 1
                rest &= rest - 1
            }
        }
        for a in 0..<after.count {
            let ma = mask(after, a, programmes: k)
            let sa = villageSlots[Int(after.village[a])]
            let b = Int(matching.beforeOf[a])
            if b < 0 {
                for l in 0..<3 {
                    addBits(ma, sa[l], &stockA); addBits(ma, sa[l], &flowIn)
                    extra[sa[l] * 6 + 0] += 1
                    if l > 0 { transition[sa[l] * 25 + 4 * 5 + Int(after.desil[a])] += 1 }
                }
                continue
            }
            let mb = mask(before, b, programmes: k)
            let sb = villageSlots[Int(villageMap[Int(before.village[b])])]
            for l in 0..<3 {
                addBits(ma, sa[l], &stockA)
                addBits(mb, sb[l], &stockB)
                extra[sa[l] * 6 + (matching.matchedByKK[a] ? 5 : 4)] += 1
                if sa[l] == sb[l] {
                    addBits(ma & ~mb, sa[l], &flowIn)
                    addBits(mb & ~ma, sa[l], &flowOut)
                } else {
                    addBits(ma, sa[l], &flowIn); addBits(mb, sb[l], &flowOut)
                    extra[sa[l] * 6 + 2] += 1; extra[sb[l] * 6 + 3] += 1
                }
                if l > 0 { transition[sa[l] * 25 + Int(before.desil[b]) * 5 + Int(after.desil[a])] += 1 }
            }
        }
        for b in 0..<before.count where matching.afterOf[b] < 0 {
            let mb = mask(before, b, programmes: k)
            let sb = villageSlots[Int(villageMap[Int(before.village[b])])]
            for l in 0..<3 {
                addBits(mb, sb[l], &stockB); addBits(mb, sb[l], &flowOut)
                extra[sb[l] * 6 + 1] += 1
                if l > 0 { transition[sb[l] * 25 + Int(before.desil[b]) * 5 + 4] += 1 }
            }
        }
        // Persons: per village of each snapshot, in the later frame, rolled up.
        var personsB = [Int](repeating: 0, count: slots), personsA = personsB
        for (v, n) in before.villagePersons.enumerated() { for s in villageSlots[Int(villageMap[v])] { personsB[s] += n } }
        for (v, n) in after.villagePersons.enumerated() { for s in villageSlots[v] { personsA[s] += n } }

        let hasRoster = before.hasRoster && after.hasRoster
        var families = ResultCube(table: "change_families", dimensions: [], measures: ChangeResult.familyMeasures, areas: areas)
        for s in 0..<slots {
            let p = { (i: Int) in (stockB[s * props + i], stockA[s * props + i], flowIn[s * props + i], flowOut[s * props + i]) }
            let (fb, fa, fi, fo) = p(0), (db, da, di, dout) = p(1)
            let values = [personsB[s], personsA[s], personsA[s] - personsB[s],
                          fb, fa, fa - fb, fi, fo, extra[s * 6], extra[s * 6 + 1], extra[s * 6 + 2], extra[s * 6 + 3],
                          extra[s * 6 + 4], extra[s * 6 + 5],
                          db, da, da - db, di, dout]
            for (m, x) in values.enumerated() { families[slot: s, cell: 0, measure: m] = .number(Double(x)) }
        }
        let sources = hasRoster ? ["registry", "roster"] : ["registry"]
        var targeting = ResultCube(table: "change_targeting",
                                   dimensions: [CubeDimension(id: "program", codes: after.programmes + ["ANY"]),
                                                CubeDimension(id: "source", codes: sources)],
                                   measures: ChangeResult.targetingMeasures, areas: areas)
        for s in 0..<slots {
            for q in 0...k {
                for src in sources.indices {
                    let base = 2 + 5 * q
                    let e = base, r = base + 1 + src, n = base + 3 + src
                    var values: [Int] = []
                    for prop in [e, r, n] {
                        let b = stockB[s * props + prop], a = stockA[s * props + prop]
                        values += [b, a, a - b, flowIn[s * props + prop], flowOut[s * props + prop]]
                    }
                    let cell = targeting.cellIndex([q, src])
                    for (m, x) in values.enumerated() { targeting[slot: s, cell: cell, measure: m] = .number(Double(x)) }
                }
            }
        }
        var desil = ResultCube(table: "change_desil",
                               dimensions: [CubeDimension(id: "desil_before", codes: ChangeResult.desilBefore),
                                            CubeDimension(id: "desil_after", codes: ChangeResult.desilAfter)],
                               measures: ["families"], areas: areas)
        for s in areas.villages.count..<slots {
            for i in 0..<6 {
                for j in 0..<6 {
                    var n = 0
                    for x in (i == 5 ? 0..<5 : i..<(i + 1)) { for y in (j == 5 ? 0..<5 : j..<(j + 1)) { n += transition[s * 25 + x * 5 + y] } }
                    desil[slot: s, cell: i * 6 + j, measure: 0] = .number(Double(n))
                }
            }
        }
        return ChangeResult(families: families, targeting: targeting, desil: desil, matching: matching,
                            hasRoster: hasRoster, villageMap: villageMap)
    }
}
