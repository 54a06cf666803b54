import Tabulation

/// Descriptions of the four targeting cubes (`TargetingResult`) and the relations between their measures.
///
/// None of their dimensions is additive: `ANY` is not the sum of the programmes (a family receives
/// several), the two sources overlap, and `_T` of `duplicates` only carries `multi_family_nik`. What does
/// add up, exactly, in every area:
/// - eligible = eligible recipients + eligible non-recipients (each programme and source);
/// - recipients = eligible recipients + ineligible recipients;
/// - agreement: both + registry only = registry recipients, both + roster only = roster recipients,
///   and the four categories add up to all families.
/// Linked cells: eligibility does not depend on the source, so `eligible` of (p, registry) and (p, roster)
/// is one statistic; the diagonal of `targeting_overlap` is the roster recipients of the programme and the
/// matrix is symmetric; `families` is the families count of the profile tables.
/// The roster-row measures of `duplicates` need not add up over villages (a row linked to families in two
/// villages counts in both); like every relation, hierarchy relations are used only where they hold.
enum TargetingDescriptions {
    /// - Parameter personProgrammes: programmes counted in persons (`TargetingResult.personProgrammes`).
    static func describe(_ cube: ResultCube, personProgrammes: [String] = []) -> CubeDescription? {
        let m = cube.measures
        let dims = cube.dimensions.map(\.id)
        switch cube.table {
        case "targeting":
            let i = { (id: String) in m.firstIndex(of: id)! }
            let roles: [CubeDescription.Role] = m.map { id in
                switch id {
                case TargetingMeasure.coveragePct.id: return .ratio(numerator: i(TargetingMeasure.eligibleRecipients.id), denominator: i(TargetingMeasure.eligible.id))
                case TargetingMeasure.exclusionPct.id: return .ratio(numerator: i(TargetingMeasure.eligibleNonRecipients.id), denominator: i(TargetingMeasure.eligible.id))
                case TargetingMeasure.inclusionPct.id: return .ratio(numerator: i(TargetingMeasure.ineligibleRecipients.id), denominator: i(TargetingMeasure.recipients.id))
                default: return .count(keyed: false)
                }
            }
            let p = dims.firstIndex(of: "program")!, s = dims.firstIndex(of: "source")!
            return CubeDescription(table: cube.table, roles: roles, additiveDimensions: []) { codes, k in
                let measure = m[k]
                switch measure {
                case TargetingMeasure.families.id: return ProfileDescriptions.allFamilies
                case TargetingMeasure.persons.id: return ProfileDescriptions.allPersons
                case TargetingMeasure.eligible.id: return "tgt:eligible|\(codes[p])"
                default: return "tgt:\(measure)|\(codes[p])|\(codes[s])"
                }
            }
        case "duplicates":
            let p = dims.firstIndex(of: "program")!
            return CubeDescription(table: cube.table, roles: m.map { _ in .count(keyed: false) }, additiveDimensions: []) { codes, k in
                "dup:\(m[k])|\(codes[p])"
            }
        case "targeting_overlap":
            let a = dims.firstIndex(of: "program_a")!, b = dims.firstIndex(of: "program_b")!
            return CubeDescription(table: cube.table, roles: m.map { _ in .count(keyed: false) }, additiveDimensions: []) { codes, _ in
                let x = codes[a], y = codes[b]
                // The diagonal is the roster recipients of a family programme; a person programme's roster
                // recipients in `targeting` are persons, so its diagonal (families) is a statistic of its own.
                if x == y { return personProgrammes.contains(x) ? "tgt:overlap|\(x)|\(x)" : "tgt:recipients|\(x)|roster" }
                return "tgt:overlap|\(min(x, y))|\(max(x, y))"
            }
        case "targeting_agreement":
            let p = dims.firstIndex(of: "program")!
            return CubeDescription(table: cube.table, roles: m.map { _ in .count(keyed: false) }, additiveDimensions: []) { codes, k in
                "tgt:agree_\(m[k])|\(codes[p])"
            }
        default:
            return nil
        }
    }

    /// The exact relations between targeting statistics (see the type's comment), for every programme code
    /// of the cubes. Relations whose statistics do not exist (e.g. registry measures of a roster-only
    /// programme) are dropped when the model is built.
    static func relations(_ t: TargetingResult) -> [IdentityRelation] {
        var out: [IdentityRelation] = []
        let programmes = t.targeting.dimensions.first { $0.id == "program" }?.codes ?? []
        let sources = t.targeting.dimensions.first { $0.id == "source" }?.codes ?? []
        for p in programmes {
            for s in sources {
                out.append(IdentityRelation(total: "tgt:eligible|\(p)", parts: ["tgt:eligible_recipients|\(p)|\(s)", "tgt:eligible_non_recipients|\(p)|\(s)"],
                                            table: "targeting", label: "eligible = eligible_recipients + eligible_non_recipients (program \(p), source \(s))"))
                out.append(IdentityRelation(total: "tgt:recipients|\(p)|\(s)", parts: ["tgt:eligible_recipients|\(p)|\(s)", "tgt:ineligible_recipients|\(p)|\(s)"],
                                            table: "targeting", label: "recipients = eligible_recipients + ineligible_recipients (program \(p), source \(s))"))
            }
        }
        // Agreement counts persons for a person programme, families otherwise; it exists only with a roster.
        for p in t.hasRoster ? t.agreement.dimensions.first?.codes ?? [] : [] {
            let unit = t.personProgrammes.contains(p) ? ProfileDescriptions.allPersons : ProfileDescriptions.allFamilies
            out.append(IdentityRelation(total: "tgt:recipients|\(p)|registry", parts: ["tgt:agree_both|\(p)", "tgt:agree_registry_only|\(p)"],
                                        table: "targeting_agreement", label: "both + registry_only = registry recipients (program \(p))"))
            out.append(IdentityRelation(total: "tgt:recipients|\(p)|roster", parts: ["tgt:agree_both|\(p)", "tgt:agree_roster_only|\(p)"],
                                        table: "targeting_agreement", label: "both + roster_only = roster recipients (program \(p))"))
            out.append(IdentityRelation(total: unit,
                                        parts: ["tgt:agree_both|\(p)", "tgt:agree_registry_only|\(p)", "tgt:agree_roster_only|\(p)", "tgt:agree_neither|\(p)"],
                                        table: "targeting_agreement", label: "both + registry_only + roster_only + neither = units (program \(p))"))
            // Implied by the three above, stated so that the singleton rule sees them too (otherwise
            // "roster_only + neither = families − registry recipients" would recover a lone roster_only).
            out.append(IdentityRelation(total: unit,
                                        parts: ["tgt:recipients|\(p)|registry", "tgt:agree_roster_only|\(p)", "tgt:agree_neither|\(p)"],
                                        table: "targeting_agreement", label: "registry recipients + roster_only + neither = families (program \(p))"))
            out.append(IdentityRelation(total: unit,
                                        parts: ["tgt:recipients|\(p)|roster", "tgt:agree_registry_only|\(p)", "tgt:agree_neither|\(p)"],
                                        table: "targeting_agreement", label: "roster recipients + registry_only + neither = families (program \(p))"))
        }
        return out
    }
}
