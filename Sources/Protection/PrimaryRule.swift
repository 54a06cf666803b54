/// The minimum frequency rule: a count n with 0 < n < threshold is unsafe (primary suppression).
///
/// Why zeros are published: a zero is not a person. The risk a zero carries — a row where every unit
/// falls into one category (group attribute disclosure) — is flagged by `GroupDisclosure`, not hidden
/// here. Applied to every area level: a kecamatan cell of 2 is as identifying as a village cell of 2.
enum PrimaryRule {
    static func isUnsafe(_ n: Double, threshold: Int) -> Bool { n > 0 && n < Double(threshold) }

    /// Per statistic of the model: whether the rule marks it.
    static func apply(_ model: CellModel, threshold: Int) -> [Bool] {
        model.value.map { isUnsafe($0, threshold: threshold) }
    }
}
