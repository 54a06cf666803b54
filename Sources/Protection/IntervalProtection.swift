/// Interval protection: what an intruder who solves the linear programme of everything published can
/// deduce about a primary cell. Unknowns are the hidden statistics, equations every relation of the model
/// with the published members moved to the right-hand side, and every count is non-negative; the smallest
/// and largest value of a primary cell over that polytope is its interval. Protection requires the
/// interval to be at least the threshold wide — otherwise "x" still says "1 or 2".
///
/// Why here and not only in tests: the singleton rule, `LinearRecovery` and the threshold on relation sums
/// exclude exact recovery and the obvious narrow intervals, but a combination of relations with
/// non-negativity can still bound a cell (on the demo registry 22 of 1,444 primary cells were narrowed
/// to a width of 1 or 2 that way). `Protection` runs this check after the other passes and hides one more
/// cell next to each narrow primary, until none is left.
///
/// The hidden cells split into independent groups (connected through the equations); each group is a
/// small dense linear programme (at most a few dozen unknowns on the demo registry), solved by a two-phase
/// simplex with Bland's rule. Groups over `maxGroup` unknowns are not solved — a dense simplex grows with
/// the cube of the group, and a registry of a few thousand families (most village cells small) links
/// thousands of hidden cells into one group — and the run summary says how many were left unchecked.
enum IntervalProtection {
    static let maxGroup = 60

    /// The primary statistics whose interval is narrower than their threshold, and the number of groups
    /// too large to solve.
    static func narrow(_ model: CellModel, primary: [Bool], confidential: [Bool]) -> (cells: [Int32], skipped: Int) {
        var cache: [[Int32]: [Int32]] = [:]
        return narrow(model, primary: primary, confidential: confidential, cache: &cache)
    }

    /// As above; `cache` holds, per group of hidden statistics solved before, its narrow cells: a group's
    /// linear programme depends only on which statistics it holds (its equations are the relations of
    /// those statistics, the published members on the right-hand side), so a group that the repairs since
    /// the last call left alone is not solved again.
    static func narrow(_ model: CellModel, primary: [Bool], confidential: [Bool], cache: inout [[Int32]: [Int32]]) -> (cells: [Int32], skipped: Int) {
        var index = [Int32](repeating: -1, count: model.count)
        var unknowns: [Int32] = []
        for v in 0..<model.count where confidential[v] { index[v] = Int32(unknowns.count); unknowns.append(Int32(v)) }
        guard unknowns.contains(where: { primary[Int($0)] }) else { return ([], 0) }
        var equations: [(coefficients: [(Int, Double)], rhs: Double)] = []
        // Only relations with a hidden member give an equation; they are found through the hidden
        // statistics (in relation order), not by reading every relation of the model each call.
        // Each equation's terms by unknown, ascending, a repeated unknown's coefficients summed (±1 each: exact
        // in any order), zeros dropped; in a buffer reused across relations, not a dictionary per relation.
        var raw: [(Int, Double)] = []
        for ri in model.relations(of: unknowns) {
            let r = model.relations[Int(ri)]
            raw.removeAll(keepingCapacity: true)
            var rhs = 0.0
            for (i, m) in r.members.enumerated() {
                let sign: Double = i == 0 ? 1 : -1
                if index[Int(m)] >= 0 { raw.append((Int(index[Int(m)]), sign)) } else { rhs -= sign * model.value[Int(m)] }
            }
            raw.sort { $0.0 < $1.0 }
            var terms: [(Int, Double)] = []
            for t in raw {
                if let last = terms.last, last.0 == t.0 { terms[terms.count - 1].1 += t.1 } else { terms.append(t) }
            }
            terms.removeAll { $0.1 == 0 }
            if !terms.isEmpty { equations.append((terms, rhs)) }
        }
        // Groups (union-find over the equations).
        var parent = Array(0..<unknowns.count)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for e in equations { for t in e.coefficients.dropFirst() { parent[find(t.0)] = find(e.coefficients[0].0) } }
        var members: [Int: [Int]] = [:], rows: [Int: [Int]] = [:]
        for x in unknowns.indices { members[find(x), default: []].append(x) }
        for (i, e) in equations.enumerated() { rows[find(e.coefficients[0].0), default: []].append(i) }
        var out: [Int32] = [], skipped = 0
        for root in members.keys.sorted() {
            let group = members[root]!
            guard group.contains(where: { primary[Int(unknowns[$0])] }) else { continue }
            guard group.count <= maxGroup else { skipped += 1; continue }
            let key = group.map { unknowns[$0] }
            if let known = cache[key] { out += known; continue }
            let before = out.count
            defer { cache[key] = Array(out[before...]) }
            let position = Dictionary(uniqueKeysWithValues: group.enumerated().map { ($0.element, $0.offset) })
            let eqs = rows[root] ?? []
            // No equation at all: nothing published bounds the group's cells.
            guard !eqs.isEmpty else { continue }
            var a = [[Double]](repeating: [Double](repeating: 0, count: group.count), count: eqs.count)
            var b = [Double](repeating: 0, count: eqs.count)
            for (k, e) in eqs.enumerated() {
                for (x, c) in equations[e].coefficients { a[k][position[x]!] = c }
                b[k] = equations[e].rhs
            }
            // Phase 1 depends only on the constraints: once per group, then each objective from a copy.
            let feasible = Simplex(a, b)
            for x in group where primary[Int(unknowns[x])] {
                let v = unknowns[x]
                var c = [Double](repeating: 0, count: group.count)
                c[position[x]!] = 1
                let low = feasible?.minimise(c) ?? 0
                c[position[x]!] = -1
                let high = (feasible?.minimise(c)).map { -$0 } ?? .infinity
                if high - low < Double(model.threshold[Int(v)]) - 1e-6 { out.append(v) }
            }
        }
        return (out, skipped)
    }
}

/// min c·x subject to A x = b, x ≥ 0: a dense two-phase simplex with Bland's rule (it cannot cycle).
///
/// `init` runs phase 1 (a feasible basis; nil when there is none), `minimise` phase 2 for one objective
/// on a copy of that tableau. The interval check minimises and maximises every primary cell of a group
/// over the same constraints: phase 1 once per group does the same arithmetic as once per objective.
struct Simplex {
    private let m: Int, n: Int, w: Int
    private var t: [Double]
    private var basis: [Int]
    private var isBasic: [Bool]
    private static let eps = 1e-9

    init?(_ a: [[Double]], _ b: [Double]) {
        m = a.count; n = a.first?.count ?? 0; w = n + m + 1
        // Tableau, row-major: m rows of [x (n) | artificials (m) | rhs], rows with negative rhs negated.
        t = [Double](repeating: 0, count: m * w)
        for i in 0..<m {
            let s: Double = b[i] < 0 ? -1 : 1
            for j in 0..<n { t[i * w + j] = s * a[i][j] }
            t[i * w + n + i] = 1
            t[i * w + n + m] = s * b[i]
        }
        let n = n, m = m
        basis = (0..<m).map { n + $0 }
        isBasic = [Bool](repeating: false, count: n + m)
        for j in n..<(n + m) { isBasic[j] = true }
        var phase1 = [Double](repeating: 0, count: n + m)
        for i in 0..<m { phase1[n + i] = 1 }
        _ = run(phase1, limit: n + m)
        let infeasibility = (0..<m).reduce(0.0) { $0 + (basis[$1] >= n ? t[$1 * w + w - 1] : 0) }
        if infeasibility > 1e-7 { return nil }
        // Artificials left in the basis at zero: pivot them out where the row allows (else the row is redundant).
        for i in 0..<m where basis[i] >= n {
            if let j = (0..<n).first(where: { abs(t[i * w + $0]) > Self.eps && !isBasic[$0] }) { pivot(i, j) }
        }
    }

    /// The minimum of c·x over the constraints; -infinity when unbounded below.
    func minimise(_ c: [Double]) -> Double {
        var copy = self
        var cost = [Double](repeating: 0, count: n + m)
        for j in 0..<n { cost[j] = c[j] }
        guard copy.run(cost, limit: n) else { return -.infinity }
        var value = 0.0
        for i in 0..<m where copy.basis[i] < n { value += c[copy.basis[i]] * copy.t[i * w + w - 1] }
        return value
    }

    /// min c·x subject to A x = b, x ≥ 0 in one call; nil when infeasible.
    static func minimise(_ a: [[Double]], _ b: [Double], _ c: [Double]) -> Double? {
        Simplex(a, b)?.minimise(c)
    }

    private mutating func pivot(_ r: Int, _ col: Int) {
        let m = self.m, w = self.w
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

    /// The simplex on `cost` (over all n + m columns), with only columns < `limit` allowed to enter.
    private mutating func run(_ cost: [Double], limit: Int) -> Bool {
        let eps = Self.eps
        var y = [Double](repeating: 0, count: m)
        while true {
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
            if leave < 0 { return false }
            pivot(leave, enter)
        }
    }
}
