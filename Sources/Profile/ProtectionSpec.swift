import Microdata

/// Disclosure control settings of a report (`report.yml`, optional block `protection:`).
///
/// Why it lives in the report definition: the protection rule is a property of what is *published*
/// (which tables, which areas), so it travels with the report definition a regency copies and edits.
/// The cell-key salt is deliberately not here: a report definition may be shared or published, and anyone
/// holding the salt can undo the perturbation. The salt comes from the run (`--salt` / `REGTAB_SALT`).
///
/// The parameters (threshold, maximum deviation, variance) are never printed in published outputs; they
/// go to the restricted manifest only (ESSnet SDC handbook: publishing the rule helps an intruder).
public struct ProtectionSpec: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Primary suppression of small counts plus secondary suppression so no suppressed cell can be
        /// recomputed from the published cells.
        case suppression
        /// Cell key method (ABS/Eurostat): every count is perturbed by a small amount drawn from a
        /// perturbation table with a key derived from the records in the cell.
        case cellkey
        /// No disclosure control (internal runs only; per table: `protect: false`).
        case none
    }
    /// How secondary suppression ranks the cells it could hide (see `SecondarySuppression`).
    public enum SecondaryCost: String, Sendable, Hashable, CaseIterable {
        /// Fewest persons or families hidden: a `_Z` (not stated) cell first, then the smallest value
        /// (zeros first).
        case persons
        /// The pattern first: a non-zero cell, the least aggregated, the one closing most relations, then
        /// the smallest value (the rule of regtab before issue 14). The default: on the demo registry it
        /// hides fewer cells and fewer persons than `persons` (see `SecondarySuppression`).
        case structure
    }
    public var method: Method
    /// A count cell with 0 < n < threshold is unsafe (suppression); under the cell key method sums and
    /// means over fewer than `threshold` units are suppressed.
    public var threshold: Int
    /// Cell key method: maximum absolute deviation D of a perturbed count from the true count.
    public var maxDeviation: Int
    /// Cell key method: variance V of the perturbation (for counts of at least D).
    public var variance: Double
    public var secondaryCost: SecondaryCost
    /// Per-table settings of the `protection.tables` block, keyed by table id (profile tables and the
    /// cubes built in Swift: `targeting`, `duplicates`, `targeting_overlap`, `targeting_agreement`).
    /// They are applied over the table's own settings in `tables.yml`.
    public var tables: [String: TableProtectionSpec]

    public init(method: Method = .suppression, threshold: Int = 3, maxDeviation: Int = 2, variance: Double = 1,
                secondaryCost: SecondaryCost = .structure, tables: [String: TableProtectionSpec] = [:]) {
        self.method = method; self.threshold = threshold; self.maxDeviation = maxDeviation; self.variance = variance
        self.secondaryCost = secondaryCost; self.tables = tables
    }

    /// What a report definition without a `protection:` block gets: suppression with the common minimum
    /// frequency of 3 — a registry is full coverage, so the safe default is to protect.
    public static let `default` = ProtectionSpec()

    /// The result cubes built in Swift rather than from `tables.yml`; `protection.tables` may name them.
    public static let engineTables = ["targeting", "duplicates", "targeting_overlap", "targeting_agreement"]

    /// The policy of table `id`: the report's rule, overridden by the table's settings in `tables.yml`
    /// (`own`) and then by `protection.tables.<id>` of `report.yml`. A report-wide `method: none` (an
    /// internal run) wins over everything; `protect: false` makes the table's method `none`.
    public func policy(for id: String, own: TableProtectionSpec = TableProtectionSpec()) -> TablePolicy {
        var rule = self
        rule.tables = [:]
        var levels = Set(AreaLevel.allCases)
        for o in [own, tables[id] ?? TableProtectionSpec()] {
            if let m = o.method { rule.method = m }
            if let t = o.threshold { rule.threshold = t }
            if let d = o.maxDeviation { rule.maxDeviation = d }
            if let v = o.variance { rule.variance = v }
            if let l = o.publishLevels { levels = l }
            if o.protect == false { rule.method = .none }
            if o.protect == true, rule.method == .none { rule.method = method == .none ? .suppression : method }
        }
        if method == .none { rule.method = .none }
        return TablePolicy(rule: rule, publishLevels: levels)
    }
}

/// One table's disclosure-control settings, as written in `tables.yml` (keys `protect`, `publish_levels`,
/// `protection`) or in `report.yml` under `protection.tables.<id>`. Every field is optional: nil keeps
/// what the report-wide block says.
///
/// Why per table: the threshold rule protects a *sensitive* attribute (welfare rank, assistance,
/// disability); village population by sex and age is published by BPS and Dukcapil every year, and
/// suppressing it hides tens of thousands of persons to protect nobody. Where a table is only shown per
/// kecamatan, its village rows are not published at all (`publish_levels`), which protects them better
/// and costs nothing.
public struct TableProtectionSpec: Sendable, Hashable {
    /// false: published as computed (no threshold rule, no perturbation, never an x).
    public var protect: Bool?
    /// The area levels published (twins and every other format); nil = all three.
    public var publishLevels: Set<AreaLevel>?
    public var method: ProtectionSpec.Method?
    public var threshold: Int?
    public var maxDeviation: Int?
    public var variance: Double?

    public init(protect: Bool? = nil, publishLevels: Set<AreaLevel>? = nil, method: ProtectionSpec.Method? = nil,
                threshold: Int? = nil, maxDeviation: Int? = nil, variance: Double? = nil) {
        self.protect = protect; self.publishLevels = publishLevels; self.method = method
        self.threshold = threshold; self.maxDeviation = maxDeviation; self.variance = variance
    }
}

/// How one table is protected and published, after the report-wide rule and the table's settings are
/// combined (`ProtectionSpec.policy`).
public struct TablePolicy: Sendable, Hashable {
    /// The table's rule; `method == .none` when the table is not protected.
    public var rule: ProtectionSpec
    public var publishLevels: Set<AreaLevel>
    public init(rule: ProtectionSpec, publishLevels: Set<AreaLevel> = Set(AreaLevel.allCases)) {
        self.rule = rule; self.publishLevels = publishLevels
    }
    public var isProtected: Bool { rule.method != .none }
}
