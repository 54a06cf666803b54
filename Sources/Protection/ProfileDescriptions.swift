import Profile
import Tabulation

/// Descriptions of the profile's tables (`tables.yml`), read off their specs.
///
/// Identity of a count cell: unit, universe and the dimension codes that are not `_T`, e.g.
/// `person|*|r405=2` for women — the same in `population_sex` (r405 = 2) and `population_age_sex`
/// (age `_T`, r405 = 2). The `families` measure (all families of the area) and a family table without a
/// universe at all-`_T` are both `family|*|`, and so is `families` of the targeting cube: one statistic,
/// shared by a dozen tables. Universes are compared as written, ignoring blanks: two tables whose universe
/// is the same rule written differently are treated as different statistics (the README says so).
enum ProfileDescriptions {
    static let allFamilies = "family|*|"
    /// All current members of the area: `persons` of a person table without universe at all-`_T`, and the
    /// `persons` of a person programme in `targeting` (contract §2, rev. 2).
    static let allPersons = "person|*|"

    static func describe(_ spec: TableSpec, cube: ResultCube) throws -> CubeDescription {
        let countMeasure = spec.measures.firstIndex { $0.kind == .count }
        let roles: [CubeDescription.Role] = try spec.measures.map { m in
            switch m.kind {
            case .count, .computed: return .count(keyed: true)
            case .families: return .count(keyed: false)
            case .percentOver(let d):
                guard let c = countMeasure, let k = cube.dimensions.firstIndex(where: { $0.id == d }) else {
                    throw ProtectionError.unprotectable(table: spec.id, reason: "measure '\(m.id)' is a percentage but the table has no count measure to protect it with; add a count measure")
                }
                return .percent(count: c, over: k)
            case .sum, .mean:
                guard let c = countMeasure else {
                    throw ProtectionError.unprotectable(table: spec.id, reason: "measure '\(m.id)' is a sum or mean but the table has no count measure telling over how many units; add a count measure")
                }
                return .followsCount(c)
            }
        }
        let universe = spec.universe.map { String($0.filter { !$0.isWhitespace }) } ?? "*"
        let dimIds = cube.dimensions.map(\.id)
        let unit = spec.unit.rawValue
        let kinds = spec.measures.map(\.kind)
        // Dimensions sorted by id so that the identity does not depend on the order a table lists them.
        let order = dimIds.indices.sorted { dimIds[$0] < dimIds[$1] }
        return CubeDescription(table: spec.id, roles: roles, additiveDimensions: Array(cube.dimensions.indices)) { codes, m in
            if kinds[m] == .families { return allFamilies }
            var pairs: [String] = []
            for d in order where codes[d] != "_T" { pairs.append("\(dimIds[d])=\(codes[d])") }
            return "\(unit)|\(universe)|\(pairs.joined(separator: ","))"
        }
    }
}
