import Tabulation

/// What disclosure control needs to know about one result cube that the cube itself does not say: which
/// measures are counts (the statistics the rules act on) and how the others are derived from them, which
/// dimensions add up to their `_T`, and which *statistic* every count cell is.
///
/// Why a separate description rather than flags on the cube: the engine's cubes are plain numbers, and the
/// same statistic appears in several cubes (persons by sex in `population_sex` and at age `_T` in
/// `population_age_sex`; the number of families in a dozen tables). Protection has to treat such cells as
/// one statistic — suppressed everywhere or nowhere, perturbed identically — so each count cell is given an
/// `identity`: equal identities in the same area are the same statistic.
public struct CubeDescription: Sendable {
    /// How a measure is protected.
    public enum Role: Sendable, Hashable {
        /// A count of units: the primary rule applies, and it takes part in the additive relations.
        /// `keyed`: the cube's `cellKeys` are the record keys of exactly these units (cell key method).
        case count(keyed: Bool)
        /// `count measure ÷ count measure at this dimension's _T × 100`: confidential when either is.
        case percent(count: Int, over: Int)
        /// `numerator ÷ denominator × 100`, both measures of the same cell: confidential when either is.
        case ratio(numerator: Int, denominator: Int)
        /// A sum or mean over the units of the cell: confidential when the count measure of the same cell is
        /// (suppression), or when that count is below the threshold (cell key method).
        case followsCount(Int)
    }

    public var table: String
    /// One role per measure of the cube, in the cube's measure order.
    public var roles: [Role]
    /// Dimensions whose codes other than `_T` add up to `_T` for every count measure.
    public var additiveDimensions: [Int]
    /// The statistic a count cell is, from its dimension codes and its measure index. Cells of the same
    /// area with equal identity must hold the same value (checked: a mismatch unlinks them and is reported).
    public var identity: @Sendable (_ codes: [String], _ measure: Int) -> String

    public init(table: String, roles: [Role], additiveDimensions: [Int],
                identity: @escaping @Sendable (_ codes: [String], _ measure: Int) -> String) {
        self.table = table; self.roles = roles; self.additiveDimensions = additiveDimensions; self.identity = identity
    }

    public var countMeasures: [Int] {
        roles.indices.filter { if case .count = roles[$0] { return true }; return false }
    }
}

/// An additive relation between statistics that holds in every area, stated with identities:
/// `total = parts[0] + parts[1] + …` (e.g. eligible = eligible recipients + eligible non-recipients).
/// Relations along a dimension of one cube and along the area hierarchy are derived automatically; these
/// are the others (between measures, or between cubes).
public struct IdentityRelation: Sendable, Hashable {
    public var total: String
    public var parts: [String]
    /// Which table it is reported under, and a readable statement for audit messages.
    public var table: String
    public var label: String
    public init(total: String, parts: [String], table: String, label: String) {
        self.total = total; self.parts = parts; self.table = table; self.label = label
    }
}
