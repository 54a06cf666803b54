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
        /// No disclosure control (internal runs only).
        case none
    }
    public var method: Method
    /// A count cell with 0 < n < threshold is unsafe (suppression); under the cell key method sums and
    /// means over fewer than `threshold` units are suppressed.
    public var threshold: Int
    /// Cell key method: maximum absolute deviation D of a perturbed count from the true count.
    public var maxDeviation: Int
    /// Cell key method: variance V of the perturbation (for counts of at least D).
    public var variance: Double

    public init(method: Method = .suppression, threshold: Int = 3, maxDeviation: Int = 2, variance: Double = 1) {
        self.method = method; self.threshold = threshold; self.maxDeviation = maxDeviation; self.variance = variance
    }

    /// What a report definition without a `protection:` block gets: suppression with the common minimum
    /// frequency of 3 — a registry is full coverage, so the safe default is to protect.
    public static let `default` = ProtectionSpec()
}
