/// Why a protected run stops. Every message names what to look at; none prints a protected value or the
/// rule's parameters beyond what the operator already configured.
public enum ProtectionError: Error, Sendable, CustomStringConvertible {
    /// A table cannot be protected as specified (e.g. a percentage without a count measure).
    case unprotectable(table: String, reason: String)
    /// The cell key method was chosen but the run has no secret salt.
    case missingSalt
    /// The audit found a confidential cell that is the only confidential cell of a published additive
    /// relation, so it can be recomputed exactly from published cells.
    case recoverable(table: String, area: String, cell: String, relation: String)
    /// The audit found a statistic shown with different statuses in two tables.
    case inconsistentLink(table: String, otherTable: String, area: String, cell: String)
    /// The audit found a derived cell (percentage, rate, mean) published although a count it is computed
    /// from is confidential.
    case derivedLeak(table: String, area: String, cell: String)

    public var description: String {
        switch self {
        case .unprotectable(let t, let r):
            return "disclosure control: table '\(t)': \(r)"
        case .missingSalt:
            return "disclosure control: the cell key method needs a secret salt; pass --salt SALT or set REGTAB_SALT (never put it in report.yml)"
        case .recoverable(let t, let a, let c, let r):
            return "disclosure audit failed: table '\(t)', \(a), cell \(c) is recoverable from published cells through the relation \(r)"
        case .inconsistentLink(let t, let o, let a, let c):
            return "disclosure audit failed: table '\(t)', \(a), cell \(c) is confidential there but published in table '\(o)' (the same statistic)"
        case .derivedLeak(let t, let a, let c):
            return "disclosure audit failed: table '\(t)', \(a), cell \(c) is published although a count it is computed from is confidential"
        }
    }
}
