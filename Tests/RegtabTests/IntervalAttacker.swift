import Foundation
@testable import Protection
@testable import Tabulation

/// An intruder who solves the linear programme of everything published: the unknowns are the cells shown
/// as x (a statistic shown in several tables is one unknown), the equations are every additive relation
/// of the published tables (codes and `_T`, villages and kecamatan, kecamatan and kabupaten, relations
/// between measures and tables) with the published cells moved to the right-hand side, and every count is
/// non-negative. For each primary cell it computes the smallest and the largest value the published
/// tables allow. Suppression protects the cell only if that interval is at least as wide as the threshold
/// (interval protection); the singleton rule and `LinearRecovery` only exclude width 0.
///
/// A plain dense two-phase simplex (Bland's rule, so it cannot cycle), one system per connected group of
/// hidden cells: enough for the small registries of the tests, and independent of the code it checks.
enum IntervalAttacker {
    struct Finding: CustomStringConvertible {
        var statistic: Int32, identity: String, area: String, value: Double, low: Double, high: Double
        var description: String { "\(identity) at \(area) = \(value): published tables allow [\(low), \(high)]" }
    }

    /// The published linear system: unknowns (hidden statistics), equations over them, primary cells.
    struct System {
        var unknowns: [Int32] = []
        var equations: [(coefficients: [Int: Double], rhs: Double)] = []
        var primaries: [Int] = []
    }

    static func system(model: CellModel, protected: ProtectedCubes) -> System {
        // Status and published value of every statistic, read from the protected cubes.
        var hidden = [Bool](repeating: false, count: model.count)
        var primary = [Bool](repeating: false, count: model.count)
        var published = [Double](repeating: 0, count: model.count)
        for (ci, cube) in protected.cubes.enumerated() {
            let map = model.variableOf[ci], nm = cube.measures.count, nc = cube.cellsPerArea
            for slot in 0..<cube.areas.slotCount {
                for c in 0..<nc {
                    for m in 0..<nm {
                        let at = (slot * nc + c) * nm + m
                        let v = map[at]
                        guard v >= 0, let cell = cube[slot: slot, cell: c, measure: m] else { continue }
                        if cell.status == .confidential { hidden[Int(v)] = true } else { published[Int(v)] = cell.value ?? 0 }
                        if protected.marks[ci][at] == .primary { primary[Int(v)] = true }
                    }
                }
            }
        }
        var out = System()
        var index: [Int32: Int] = [:]
        for v in 0..<Int32(model.count) where hidden[Int(v)] {
            index[v] = out.unknowns.count
            out.unknowns.append(v)
            if primary[Int(v)] { out.primaries.append(index[v]!) }
        }
        for r in model.relations {
            var co: [Int: Double] = [:]
            var rhs = 0.0
            for (i, m) in r.members.enumerated() {
                let sign: Double = i == 0 ? 1 : -1
                if let x = index[m] { co[x, default: 0] += sign } else { rhs -= sign * published[Int(m)] }
            }
            co = co.filter { $0.value != 0 }
            if !co.isEmpty { out.equations.append((co, rhs)) }
        }
        return out
    }

    /// The interval of every primary cell of `protected` (`marks` tell which are primary).
    static func intervals(model: CellModel, protected: ProtectedCubes) -> [Finding] {
        let sys = system(model: model, protected: protected)
        let n = sys.unknowns.count
        // Connected groups of hidden statistics (union-find over the equations).
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for e in sys.equations { let k = Array(e.coefficients.keys); for x in k.dropFirst() { parent[find(x)] = find(k[0]) } }
        var groups: [Int: [Int]] = [:]
        for x in 0..<n { groups[find(x), default: []].append(x) }
        var eqOf: [Int: [Int]] = [:]
        for (i, e) in sys.equations.enumerated() { eqOf[find(e.coefficients.keys.first!), default: []].append(i) }
        let isPrimary = Set(sys.primaries)
        var out: [Finding] = []
        for (root, members) in groups.sorted(by: { $0.key < $1.key }) where members.contains(where: isPrimary.contains) {
            let index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
            let rows = (eqOf[root] ?? []).map { sys.equations[$0] }
            var a = rows.map { row in
                var line = [Double](repeating: 0, count: members.count)
                for (x, c) in row.coefficients { line[index[x]!] = c }
                return line
            }
            var b = rows.map(\.rhs)
            // Cells of a group with no equation at all are unbounded above: nothing published constrains them.
            if a.isEmpty { a = [[Double](repeating: 0, count: members.count)]; b = [0] }
            for x in members where isPrimary.contains(x) {
                var c = [Double](repeating: 0, count: members.count)
                c[index[x]!] = 1
                let low = DenseSimplex.minimise(a, b, c) ?? .nan
                c[index[x]!] = -1
                let high = DenseSimplex.minimise(a, b, c).map { -$0 } ?? .infinity
                let v = sys.unknowns[x]
                let slot = Int(model.slotOf[Int(v)])
                out.append(Finding(statistic: v, identity: model.identities[Int(model.identityOf[Int(v)])],
                                   area: model.areas.code(model.area(ofSlot: slot)), value: model.value[Int(v)], low: low, high: high))
            }
        }
        return out
    }

    /// The system as JSON for `Tests/Attack/lp_attack.py` (the same intruder with HiGHS, at full size).
    static func json(model: CellModel, protected: ProtectedCubes, threshold: Int) -> Data {
        let sys = system(model: model, protected: protected)
        let equations: [[Any]] = sys.equations.map { e in
            let keys = e.coefficients.keys.sorted()
            return [keys, keys.map { e.coefficients[$0]! }, e.rhs]
        }
        let primaries: [[Any]] = sys.primaries.map { x in
            let v = sys.unknowns[x]
            let ref = model.firstRef[Int(v)]
            return [x, model.value[Int(v)], "\(model.cubes[ref.cube].table) \(model.describeArea(ref.slot)) \(model.identities[Int(model.identityOf[Int(v)])])"]
        }
        let object: [String: Any] = ["unknowns": sys.unknowns.count, "equations": equations, "primaries": primaries, "threshold": threshold]
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }
}

/// min c·x subject to A x = b, x ≥ 0 (dense two-phase simplex, Bland's rule). nil when infeasible;
/// -infinity when unbounded below.
enum DenseSimplex {
    static func minimise(_ a: [[Double]], _ b: [Double], _ c: [Double]) -> Double? {
        let m = a.count, n = c.count, eps = 1e-9, w = n + m + 1
        // Tableau, row-major: m rows of [x (n) | artificials (m) | rhs], rows with negative rhs negated.
        var t = [Double](repeating: 0, count: m * w)
        for i in 0..<m {
            let s: Double = b[i] < 0 ? -1 : 1
            for j in 0..<n { t[i * w + j] = s * a[i][j] }
            t[i * w + n + i] = 1
            t[i * w + n + m] = s * b[i]
        }
        var basis = (0..<m).map { n + $0 }
        var isBasic = [Bool](repeating: false, count: n + m)
        for j in basis { isBasic[j] = true }
        func pivot(_ r: Int, _ col: Int) {
            t.withUnsafeMutableBufferPointer { t in
                let p = t[r * w + col]
                for j in 0..<w { t[r * w + j] /= p }
                for i in 0..<m where i != r && t[i * w + col] != 0 {
                    let f = t[i * w + col]
                    for j in 0..<w { t[i * w + j] -= f * t[r * w + j] }
                }
            }
            isBasic[basis[r]] = false
            basis[r] = col
            isBasic[col] = true
        }
        /// Runs the simplex on objective `cost` (over all n + m columns) with columns < `limit` allowed in.
        func run(_ cost: [Double], limit: Int) -> Bool {
            while true {
                // Reduced costs: cost_j − Σ_i cost(basis_i) · t_ij; Bland: the first negative one enters.
                var y = [Double](repeating: 0, count: m)
                for i in 0..<m { y[i] = cost[basis[i]] }
                var enter = -1
                for j in 0..<limit where !isBasic[j] {
                    var d = cost[j]
                    for i in 0..<m where y[i] != 0 { d -= y[i] * t[i * w + j] }
                    if d < -eps { enter = j; break }
                }
                if enter < 0 { return true }
                var leave = -1, best = Double.infinity
                for i in 0..<m where t[i * w + enter] > eps {
                    let ratio = t[i * w + w - 1] / t[i * w + enter]
                    if ratio < best - eps || (abs(ratio - best) <= eps && leave >= 0 && basis[i] < basis[leave]) { best = ratio; leave = i }
                }
                if leave < 0 { return false }   // unbounded
                pivot(leave, enter)
            }
        }
        var phase1 = [Double](repeating: 0, count: n + m)
        for i in 0..<m { phase1[n + i] = 1 }
        _ = run(phase1, limit: n + m)
        let infeasibility = (0..<m).reduce(0.0) { $0 + (basis[$1] >= n ? t[$1 * w + w - 1] : 0) }
        if infeasibility > 1e-7 { return nil }
        // Drive artificials out of the basis where possible (degenerate rows).
        for i in 0..<m where basis[i] >= n {
            if let j = (0..<n).first(where: { abs(t[i * w + $0]) > eps && !isBasic[$0] }) { pivot(i, j) }
        }
        var cost = [Double](repeating: 0, count: n + m)
        for j in 0..<n { cost[j] = c[j] }
        // Artificials still basic sit at zero on redundant rows; keep them out of the entering set.
        guard run(cost, limit: n) else { return -.infinity }
        var value = 0.0
        for i in 0..<m where basis[i] < n { value += c[basis[i]] * t[i * w + w - 1] }
        return value
    }
}
