import Microdata

/// The targeting diagnostics of contract §2: who is eligible, who receives (by self-report and by the
/// ministries' rosters), the exclusion and inclusion errors, and the duplicate-recipient checks — for every
/// village, kecamatan and kabupaten.
///
/// Decisions where the contract is silent (the acceptance checks follow the contract text; these fill gaps):
/// - `ANY` counts *profile* programmes only, for eligibility and for both sources: a family on the roster
///   of an unknown programme (say `KUR`) is not thereby a recipient of "any programme", because unknown
///   programmes have no eligibility rule and would only inflate the inclusion error.
/// - Unknown roster programmes appear in `targeting` with `families` (both sources) and roster `recipients`;
///   every eligibility-based measure, and every registry measure but `families`, is `M` (not applicable):
///   there is no rule and no self-report question for them.
/// - Rates with a zero denominator are `M` with no value (contract §3); counts are never `M` except as above.
/// - Record lists for the restricted output cost memory proportional to the number of families; pass
///   `recordLists: false` when the restricted output was not requested.
public enum Targeting {
    /// Links the roster, then computes every targeting and duplicate cube at all three area levels.
    ///
    /// - Parameters:
    ///   - input: families, members' valid NIKs and roster rows, as resolved by the engine.
    ///   - recordLists: also build `eligibleNonRecipients` and `duplicateRecords` (restricted output). At
    ///     3 M families these lists reach ~10 M entries; pass `false` unless the restricted output was asked for.
    ///   - linked: the roster already linked and the duplicate measures counted (`TargetingLinks`, which needs
    ///     no eligibility: the engine builds it on another thread while it evaluates the family rules), made
    ///     with the same `recordLists`; nil does it here.
    /// - Returns: the cubes and the run facts the caller must warn about or note.
    /// - Complexity: O(members + rows + families × programmes) after two radix sorts; cubes are
    ///   O(areas × programmes²) at most (the overlap cube).
    public static func compute(_ input: TargetingInput, recordLists: Bool = true, linked: TargetingLinks? = nil) -> TargetingResult {
        let familyCount = input.familyVillage.count
        let k = input.programmes.count
        precondition(input.eligible.count == k && input.registryRecipient.count == k,
                     "TargetingInput: one eligibility and one registry column per programme")
        precondition(input.eligible.allSatisfy { $0.count == familyCount }
                     && input.registryRecipient.allSatisfy { $0.count == familyCount }
                     && input.familyKK.count == familyCount,
                     "TargetingInput: every per-family array has one entry per family")

        let linked = linked ?? TargetingLinks(input, recordLists: recordLists)
        let links = linked.rows, programmes = links.programmes
        let rowsPerFamily = linked.rowsPerFamily, partners = linked.exclusivePartners, duplicates = linked.duplicates
        let tallies = FamilyTallies(input, programmes: programmes, rowsPerFamily: rowsPerFamily,
                                    exclusivePartners: partners, sharingFamily: linked.sharingFamily,
                                    duplicateFamily: linked.duplicateFamily)
        let person = Set(input.personProgrammes)

        return TargetingResult(
            targeting: targetingCube(input.areas, programmes: programmes, tallies: tallies, persons: linked.persons,
                                     personProgrammes: input.personProgrammes, hasRoster: input.hasRoster),
            duplicates: duplicates.cube(input.areas, programmes: programmes,
                                        familyLevel: input.familyLevelProgrammes, tallies: tallies),
            overlap: overlapCube(input.areas, programmes: programmes, tallies: tallies),
            agreement: agreementCube(input.areas, programmes: programmes, tallies: tallies, persons: linked.persons,
                                     personProgrammes: input.personProgrammes),
            unknownProgrammes: Array(programmes.unknown),
            hasRoster: input.hasRoster,
            personProgrammes: input.personProgrammes.map { programmes.all[$0] },
            unplaceableRosterRows: links.unplaceableRows,
            multiAreaRows: links.multiAreaRows,
            unusableProgrammeRows: links.unusableProgrammeRows,
            eligibleNonRecipients: recordLists
                ? eligibleNonRecipients(input, programmes: programmes, rowsPerFamily: rowsPerFamily, person: person) : [],
            duplicateRecords: duplicates.records)
    }

    /// Partners Q of every programme P that is the first element of an exclusive pair (P must be a profile
    /// programme; Q may be any programme of the run, including an unknown roster one). Names match exactly:
    /// they come from the profile, which uses the canonical spellings.
    static func exclusivePartners(_ pairs: [(String, String)], programmes: RosterProgrammes) -> [Int: [Int]] {
        var out: [Int: [Int]] = [:]
        let profile = programmes.all[..<programmes.profileCount]
        for (a, b) in pairs {
            guard let p = profile.firstIndex(of: a) else { continue }
            if out[p] == nil { out[p] = [] }
            if let q = programmes.all.firstIndex(of: b), q != p, out[p]?.contains(q) == false { out[p]?.append(q) }
        }
        return out
    }

    /// `numerator / denominator × 100`, in that order of operations (the contract's formula), or `M`.
    static func rate(_ numerator: Int, _ denominator: Int) -> Cell {
        denominator == 0 ? .notApplicable : .number(Double(numerator) / Double(denominator) * 100)
    }

    /// - Parameter hasRoster: without a roster the `source` dimension has `registry` only, and unknown
    ///   programmes (which only a roster names) cannot occur.
    static func targetingCube(_ areas: AreaIndex, programmes: RosterProgrammes, tallies: FamilyTallies,
                              persons: PersonTallies, personProgrammes: [Int], hasRoster: Bool) -> ResultCube {
        let k = programmes.profileCount
        let codes = Array(programmes.all[..<k]) + [TargetingResult.anyProgramme] + Array(programmes.unknown)
        let sources = hasRoster ? TargetingResult.sources : [TargetingResult.sources[0]]
        var cube = ResultCube(table: "targeting",
                              dimensions: [CubeDimension(id: "program", codes: codes),
                                           CubeDimension(id: "source", codes: sources)],
                              measures: TargetingResult.targetingMeasures, areas: areas)
        let personIndex = Dictionary(uniqueKeysWithValues: personProgrammes.enumerated().map { ($1, $0) })
        for slot in 0..<areas.slotCount {
            let families = tallies.families[slot, 0]
            for q in codes.indices {
                for source in sources.indices {
                    var cells: [Cell?]
                    if q <= k {
                        let unit: [Cell?], eligible: Int, recipients: Int, eligibleRecipients: Int
                        if let j = personIndex[q] {
                            // Person programme: every count is of current members (contract §2, rev. 2).
                            unit = [nil, .number(Double(persons.persons(slot)))]
                            eligible = persons.count(slot, programme: j, PersonTallies.eligible)
                            recipients = persons.count(slot, programme: j, source == 0 ? PersonTallies.registry : PersonTallies.roster)
                            eligibleRecipients = persons.count(slot, programme: j,
                                                               source == 0 ? PersonTallies.eligibleRegistry : PersonTallies.eligibleRoster)
                        } else {
                            unit = [.number(Double(families)), nil]
                            eligible = tallies.eligible[slot, q]
                            recipients = tallies.recipients[slot, q * 2 + source]
                            eligibleRecipients = tallies.eligibleRecipients[slot, q * 2 + source]
                        }
                        let nonRecipients = eligible - eligibleRecipients
                        let ineligibleRecipients = recipients - eligibleRecipients
                        cells = unit + [eligible, recipients, eligibleRecipients, nonRecipients, ineligibleRecipients]
                            .map { Cell.number(Double($0)) }
                        cells += [rate(eligibleRecipients, eligible), rate(nonRecipients, eligible),
                                  rate(ineligibleRecipients, recipients)]
                    } else {
                        // Unknown roster programme: no eligibility rule, no self-report question.
                        cells = Array(repeating: .notApplicable, count: TargetingResult.targetingMeasures.count)
                        cells[0] = .number(Double(families)); cells[1] = nil
                        if source == 1 { cells[3] = .number(Double(tallies.unknownRecipients[slot, q - k - 1])) }
                    }
                    let cell = cube.cellIndex([q, source])
                    for (m, c) in cells.enumerated() { cube[slot: slot, cell: cell, measure: m] = c }
                }
            }
        }
        return cube
    }

    static func overlapCube(_ areas: AreaIndex, programmes: RosterProgrammes, tallies: FamilyTallies) -> ResultCube {
        let n = programmes.all.count
        var cube = ResultCube(table: "targeting_overlap",
                              dimensions: [CubeDimension(id: "program_a", codes: programmes.all),
                                           CubeDimension(id: "program_b", codes: programmes.all)],
                              measures: ["families"], areas: areas)
        for slot in 0..<areas.slotCount {
            for a in 0..<n {
                for b in 0..<n {
                    cube[slot: slot, cell: a * n + b, measure: 0] = .number(Double(tallies.overlap[slot, a * n + b]))
                }
            }
        }
        return cube
    }

    /// Families by agreement of the two sources; persons for a person programme.
    static func agreementCube(_ areas: AreaIndex, programmes: RosterProgrammes, tallies: FamilyTallies,
                              persons: PersonTallies, personProgrammes: [Int]) -> ResultCube {
        let k = programmes.profileCount
        var cube = ResultCube(table: "targeting_agreement",
                              dimensions: [CubeDimension(id: "program", codes: Array(programmes.all[..<k]))],
                              measures: TargetingResult.agreementMeasures, areas: areas)
        let personIndex = Dictionary(uniqueKeysWithValues: personProgrammes.enumerated().map { ($1, $0) })
        let personCounters = [PersonTallies.both, PersonTallies.registryOnly, PersonTallies.rosterOnly, PersonTallies.neither]
        for slot in 0..<areas.slotCount {
            for p in 0..<k {
                for m in 0..<4 {
                    let n = personIndex[p].map { persons.count(slot, programme: $0, personCounters[m]) } ?? tallies.agreement[slot, p * 4 + m]
                    cube[slot: slot, cell: p, measure: m] = .number(Double(n))
                }
            }
        }
        return cube
    }

    /// Eligible families that are not recipients, per profile programme and `ANY`, per source — the
    /// records behind `eligible_non_recipients` (restricted output).
    /// For a person programme (`person`), a family holding an eligible person who is not a recipient is
    /// listed by the family's own flags: eligible (holds an eligible person) and no self-report / no row.
    static func eligibleNonRecipients(_ input: TargetingInput, programmes: RosterProgrammes,
                                      rowsPerFamily: [UInt8], person: Set<Int>) -> [(programme: String, source: String, family: Int32)] {
        let k = programmes.profileCount, familyCount = input.familyVillage.count
        var out: [(programme: String, source: String, family: Int32)] = []
        let registry = TargetingResult.sources[0], roster = TargetingResult.sources[1]
        for p in 0..<k {
            let name = programmes.all[p]
            for f in 0..<familyCount where input.eligible[p][f] && !input.registryRecipient[p][f] {
                out.append((name, registry, Int32(f)))
            }
            guard input.hasRoster else { continue }
            for f in 0..<familyCount where input.eligible[p][f] && rowsPerFamily[p * familyCount + f] == 0 {
                out.append((name, roster, Int32(f)))
            }
        }
        let eligibleAny = (0..<familyCount).map { f in (0..<k).contains { input.eligible[$0][f] } }
        for f in 0..<familyCount where eligibleAny[f] && !(0..<k).contains(where: { input.registryRecipient[$0][f] }) {
            out.append((TargetingResult.anyProgramme, registry, Int32(f)))
        }
        for f in 0..<familyCount where input.hasRoster && eligibleAny[f] && !(0..<k).contains(where: { rowsPerFamily[$0 * familyCount + f] > 0 }) {
            out.append((TargetingResult.anyProgramme, roster, Int32(f)))
        }
        return out
    }
}
