/// The measures of the `targeting` cube, in output order — a closed set: disclosure control, publishing,
/// key figures, rankings, charts and the briefing name a measure through this enum, so a misspelt id is a
/// compile error rather than an empty cell. `families` counts family programmes and `ANY`, `persons` the
/// current members of person programmes (contract §2, rev. 2); the other of the two is absent in a row.
public enum TargetingMeasure: String, CaseIterable, Sendable {
    case families, persons, eligible, recipients
    case eligibleRecipients = "eligible_recipients"
    case eligibleNonRecipients = "eligible_non_recipients"
    case ineligibleRecipients = "ineligible_recipients"
    case coveragePct = "coverage_pct"
    case exclusionPct = "exclusion_pct"
    case inclusionPct = "inclusion_pct"

    /// The id in the twins and the output format (contract §3).
    public var id: String { rawValue }
}

/// The measures of the `duplicates` cube, in output order (contract §2 "Duplicate-recipient measures").
public enum DuplicateMeasure: String, CaseIterable, Sendable {
    case rosterRows = "roster_rows"
    case unmatchedRows = "unmatched_rows"
    case invalidNIKRows = "invalid_nik_rows"
    case duplicateNIKRows = "duplicate_nik_rows"
    case duplicateFamilies = "duplicate_families"
    case kkOnlyRows = "kk_only_rows"
    case nonCurrentNIKRows = "non_current_nik_rows"
    case exclusiveOverlap = "exclusive_overlap"
    case multiFamilyNIK = "multi_family_nik"

    public var id: String { rawValue }
}
