import Microdata

/// Every family-level count of the targeting diagnostics, per area, from one pass over the families.
///
/// Families live in exactly one village, so each is counted in its village and the villages are summed
/// up the hierarchy (`AreaTally.rollUpVillages`). Programme indices are those of `RosterProgrammes.all`
/// (profile programmes first, `profileCount` of them, then unknown roster programmes); `ANY` has index
/// `profileCount` in the tallies that carry it.
struct FamilyTallies: Sendable {
    /// Width 1: all families.
    var families: AreaTally
    /// Width profile + 1: eligible for each profile programme, then for any (`ANY`).
    var eligible: AreaTally
    /// Width (profile + 1) × 2: registry / roster recipients of each profile programme and of `ANY`
    /// (`q * 2 + source`).
    var recipients: AreaTally
    /// Same layout: eligible recipients.
    var eligibleRecipients: AreaTally
    /// Width unknown: roster recipients of each unknown programme (index − profileCount).
    var unknownRecipients: AreaTally
    /// Width profile × 4: both, registry only, roster only, neither (`p * 4 + category`).
    var agreement: AreaTally
    /// Width programmes²: roster recipients of both a and b (`a * programmes + b`).
    var overlap: AreaTally
    /// Width programmes: families linked to ≥ 2 rows of the programme in one period.
    var duplicateFamilies: AreaTally
    /// Width programmes: roster recipients of the programme and of one of its exclusive partners.
    var exclusiveOverlap: AreaTally
    /// Width 1: families holding a current member's valid NIK that a current member of another family also holds.
    var multiFamilyNIK: AreaTally

    /// - Parameters:
    ///   - rowsPerFamily: `RosterLinks.rowsPerFamily`.
    ///   - exclusivePartners: for a programme index P that is the first element of an exclusive pair, the
    ///     indices of its partners Q.
    ///   - sharingFamily: per family, whether it holds a NIK also held by another family.
    ///   - duplicateFamily: `TargetingLinks.duplicateFamily`.
    ///
    /// Person programmes (not in `familyLevelProgrammes`) count persons (`PersonTallies`): here their
    /// per-programme counters stay zero, but a family holding an eligible person or a self-reported
    /// recipient (`eligible`/`registryRecipient` of the programme, as the family's `any member:` rule) counts
    /// for `ANY`, as does a roster row of the programme linked to the family.
    init(_ input: TargetingInput, programmes: RosterProgrammes, rowsPerFamily: [UInt8],
         exclusivePartners: [Int: [Int]], sharingFamily: [Bool], duplicateFamily: [Bool]) {
        let areas = input.areas
        let k = programmes.profileCount, n = programmes.all.count
        let familyCount = input.familyVillage.count
        self.init(areas: areas, programmes: programmes)
        let exclusive = exclusivePartners.sorted { $0.key < $1.key }
        var received: [Int] = []   // roster programmes of the current family
        received.reserveCapacity(n)
        let isFamilyProgramme = (0..<k).map { input.familyLevelProgrammes.contains(programmes.all[$0]) }
        let hasRoster = input.hasRoster

        for f in 0..<familyCount {
            let v = Int(input.familyVillage[f])
            families.add(slot: v, 0)
            if sharingFamily[f] { multiFamilyNIK.add(slot: v, 0) }
            var eligibleAny = false, registryAny = false, rosterAny = false
            received.removeAll(keepingCapacity: true)
            for p in 0..<n {
                let rows = rowsPerFamily[p * familyCount + f]
                if rows > 0 { received.append(p) }
                if p * familyCount + f < duplicateFamily.count, duplicateFamily[p * familyCount + f] { duplicateFamilies.add(slot: v, p) }
                guard p < k else {
                    if rows > 0 { unknownRecipients.add(slot: v, p - k) }
                    continue
                }
                let isEligible = input.eligible[p][f], registry = input.registryRecipient[p][f], roster = rows > 0
                if isFamilyProgramme[p] {
                    Self.count(eligible: isEligible, registry: registry, roster: roster && hasRoster, q: p, village: v,
                               eligibleTally: &eligible, recipients: &recipients, eligibleRecipients: &eligibleRecipients)
                    agreement.add(slot: v, p * 4 + (registry ? (roster ? 0 : 1) : (roster ? 2 : 3)))
                }
                eligibleAny = eligibleAny || isEligible
                registryAny = registryAny || registry
                rosterAny = rosterAny || roster
            }
            Self.count(eligible: eligibleAny, registry: registryAny, roster: rosterAny, q: k, village: v,
                       eligibleTally: &eligible, recipients: &recipients, eligibleRecipients: &eligibleRecipients)
            for a in received { for b in received { overlap.add(slot: v, a * n + b) } }
            for (p, partners) in exclusive where rowsPerFamily[p * familyCount + f] > 0 {
                if partners.contains(where: { rowsPerFamily[$0 * familyCount + f] > 0 }) { exclusiveOverlap.add(slot: v, p) }
            }
        }
        for keyPath in [\Self.families, \.eligible, \.recipients, \.eligibleRecipients, \.unknownRecipients,
                        \.agreement, \.overlap, \.duplicateFamilies, \.exclusiveOverlap, \.multiFamilyNIK] {
            self[keyPath: keyPath].rollUpVillages(areas)
        }
    }

    @inline(__always)
    private static func count(eligible isEligible: Bool, registry: Bool, roster: Bool, q: Int, village v: Int,
                              eligibleTally: inout AreaTally, recipients: inout AreaTally,
                              eligibleRecipients: inout AreaTally) {
        if isEligible { eligibleTally.add(slot: v, q) }
        if registry {
            recipients.add(slot: v, q * 2)
            if isEligible { eligibleRecipients.add(slot: v, q * 2) }
        }
        if roster {
            recipients.add(slot: v, q * 2 + 1)
            if isEligible { eligibleRecipients.add(slot: v, q * 2 + 1) }
        }
    }
}

extension FamilyTallies {
    /// All-zero tallies of the right widths (then filled from the families, or from the database's counts).
    init(areas: AreaIndex, programmes: RosterProgrammes) {
        let k = programmes.profileCount, n = programmes.all.count, u = n - k
        families = AreaTally(areas: areas, width: 1)
        eligible = AreaTally(areas: areas, width: k + 1)
        recipients = AreaTally(areas: areas, width: (k + 1) * 2)
        eligibleRecipients = AreaTally(areas: areas, width: (k + 1) * 2)
        unknownRecipients = AreaTally(areas: areas, width: u)
        agreement = AreaTally(areas: areas, width: k * 4)
        overlap = AreaTally(areas: areas, width: n * n)
        duplicateFamilies = AreaTally(areas: areas, width: n)
        exclusiveOverlap = AreaTally(areas: areas, width: n)
        multiFamilyNIK = AreaTally(areas: areas, width: 1)
    }
}
