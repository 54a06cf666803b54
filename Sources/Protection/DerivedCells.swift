import Tabulation

/// Cells computed from counts (percentages, rates, sums, means) and the count cells they are computed
/// from. Why they inherit protection: a published percentage next to a published denominator gives the
/// numerator back (and next to a published numerator, the denominator), so a rate is confidential when
/// its numerator or its denominator is.
enum DerivedCells {
    /// The (cell, measure) positions, in the same cube and area, a cell of role `role` is computed from.
    /// Empty for counts.
    static func inputs(_ role: CubeDescription.Role, cube: ResultCube, cell c: Int) -> [(cell: Int, measure: Int)] {
        switch role {
        case .count:
            return []
        case .percent(let count, let over):
            var codes = cube.codes(ofCell: c)
            guard let t = cube.dimensions[over].index(of: "_T") else { return [(c, count)] }
            codes[over] = t
            return [(c, count), (cube.cellIndex(codes), count)]
        case .ratio(let n, let d):
            return [(c, n), (c, d)]
        case .followsCount(let count):
            return [(c, count)]
        }
    }
}
