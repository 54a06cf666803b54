/// The minimum frequency rule: a count n with 0 < n < threshold is unsafe (primary suppression).
///
/// Why zeros are published: a zero is not a person. The risk a zero carries — a row where every unit
/// falls into one category (group attribute disclosure) — is flagged by `GroupDisclosure`, not hidden
/// here. Applied to every published area level: a kecamatan cell of 2 is as identifying as a village cell of 2.
enum PrimaryRule {
    static func isUnsafe(_ n: Double, threshold: Int) -> Bool { n > 0 && n < Double(threshold) }

    /// Per statistic of the model: whether the rule marks it — under its own threshold (that of the
    /// suppression tables it appears in; none for statistics of unprotected or cell-key tables), and never
    /// a not-stated (`_Z`) cell: "sex not stated: 1" tells nothing about a person, and hiding it used to
    /// force a second x into rows BPS publishes in full (contract §3 rev. 2).
    static func apply(_ model: CellModel) -> [Bool] {
        (0..<model.count).map { v in
            model.threshold[v] > 0 && !model.notStated[v] && isUnsafe(model.value[v], threshold: Int(model.threshold[v]))
        }
    }
}
