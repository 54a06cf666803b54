/// Exact recovery through *combinations* of relations: a confidential statistic is recoverable when some
/// linear combination of the published relations isolates it — e.g. three relations whose confidential
/// cells form a triangle (a + b, b + c and a + c published give a) — even though every single relation has
/// at least two confidential members. The singleton rule (issue 5's audit) cannot see that; this can.
///
/// Method: the unknowns are the confidential statistics; every relation with a confidential member is an
/// equation (published members move to the known side, which plays no role in *whether* a cell is
/// determined). A statistic x is determined exactly when every solution of the homogeneous system A·z = 0
/// has z_x = 0. So: bring A to a triangular form by sparse Gaussian elimination (Markowitz order: always
/// eliminate the unknown that occurs in the fewest equations, pivoting on its shortest equation, which
/// keeps fill-in small on these very sparse, tree-like systems), give the unknowns never eliminated random
/// values, back-substitute to a random solution z, and report the x with z_x = 0 — in two independent
/// random solutions. Arithmetic is modulo the prime p = 2³¹ − 1: exact and small. An undetermined x is
/// reported only if both random solutions happen to vanish there (probability about 1/p² each); a
/// determined one is never missed unless p divides a minor of a 0/±1 matrix, which for a prime this size
/// does not happen in practice.
enum LinearRecovery {
    static let p: Int64 = 2_147_483_647

    /// The confidential statistics that the published relations determine exactly.
    static func determined(_ model: CellModel, confidential: [Bool]) -> [Int32] {
        var cache = Cache()
        return determined(model, confidential: confidential, cache: &cache)
    }

    /// What earlier calls found, per independent group of confidential statistics (connected through the
    /// relations they share): a group's equations depend only on which statistics it holds, so a group
    /// that a round of repairs did not touch is not eliminated again. Suppression runs this check after
    /// every round of repairs, and most groups stay as they were.
    struct Cache {
        var determined: [[Int32]: [Int32]] = [:]
    }

    /// As `determined(_:confidential:)`, eliminating only the groups not in `cache` (and adding them).
    static func determined(_ model: CellModel, confidential: [Bool], cache: inout Cache) -> [Int32] {
        // Groups: union-find over the confidential members of each relation.
        var parent = [Int32](repeating: -1, count: model.count)
        for v in 0..<model.count where confidential[v] { parent[v] = Int32(v) }
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        let hidden = (0..<Int32(model.count)).filter { confidential[Int($0)] }
        let relations = model.relations(of: hidden)
        for ri in relations {
            let r = model.relations[Int(ri)]
            var first: Int32 = -1
            for m in r.members where confidential[Int(m)] {
                if first < 0 { first = find(m) } else { let b = find(m); if b != first { parent[Int(b)] = first } }
            }
        }
        var members: [Int32: [Int32]] = [:]
        for v in hidden { members[find(v), default: []].append(v) }
        var out: [Int32] = []
        var open = Set<Int32>()
        for (root, group) in members {
            if let known = cache.determined[group] { out += known } else { open.insert(root) }
        }
        if !open.isEmpty {
            var rows: [[Int32: Int64]] = []
            for ri in relations {
                let r = model.relations[Int(ri)]
                guard let m = r.members.first(where: { confidential[Int($0)] }), open.contains(find(m)) else { continue }
                var row: [Int32: Int64] = [:]
                for (i, m) in r.members.enumerated() where confidential[Int(m)] {
                    row[m] = ((row[m] ?? 0) + (i == 0 ? 1 : p - 1)) % p
                }
                row = row.filter { $0.value != 0 }
                if !row.isEmpty { rows.append(row) }
            }
            let found = eliminate(rows)
            var byGroup: [Int32: [Int32]] = [:]
            for v in found { byGroup[find(v), default: []].append(v) }
            for root in open {
                let group = members[root]!
                cache.determined[group] = byGroup[root] ?? []
            }
            out += found
        }
        return out.sorted()
    }

    /// The unknowns of `rows` (equations Σ coefficient × unknown = 0, modulo p) that every solution sets to
    /// zero, ascending.
    static func eliminate(_ input: [[Int32: Int64]]) -> [Int32] {
        var rows = input
        var rowsOf: [Int32: Set<Int32>] = [:]
        for (id, row) in rows.enumerated() {
            for c in row.keys { rowsOf[c, default: []].insert(Int32(id)) }
        }
        // Elimination, Markowitz order (lazy min-heap of (occurrences, unknown)).
        var heap = MinHeap()
        for (c, rs) in rowsOf { heap.push(rs.count, c) }
        var pivots: [(unknown: Int32, row: [Int32: Int64])] = []
        while let (w, v) = heap.pop() {
            guard let rs = rowsOf[v], rs.count == w, w > 0 else { continue }
            let r = rs.min { (rows[Int($0)].count, $0) < (rows[Int($1)].count, $1) }!
            let pivot = rows[Int(r)]
            pivots.append((v, pivot))
            rows[Int(r)] = [:]
            var touched = Set<Int32>()
            for c in pivot.keys { rowsOf[c]?.remove(r); touched.insert(c) }
            let inv = inverse(pivot[v]!)
            for o in rs where o != r {
                let f = rows[Int(o)][v]! * inv % p
                for (c, val) in pivot {
                    let nv = ((rows[Int(o)][c] ?? 0) - f * val % p + p) % p
                    if nv == 0 {
                        if rows[Int(o)].removeValue(forKey: c) != nil { rowsOf[c]?.remove(o) }
                    } else {
                        if rows[Int(o)].updateValue(nv, forKey: c) == nil { rowsOf[c, default: []].insert(o) }
                    }
                }
            }
            rowsOf[v] = nil
            for c in touched where c != v { if let n = rowsOf[c]?.count, n > 0 { heap.push(n, c) } }
        }
        // Two random solutions of A·z = 0.
        var zero: [Int32: Int] = [:]
        var random = SplitMix(seed: 0x5DC_5DC)
        let eliminated = Set(pivots.map(\.unknown))
        for _ in 0..<2 {
            var z: [Int32: Int64] = [:]
            func value(_ c: Int32) -> Int64 {
                if let x = z[c] { return x }
                let x = eliminated.contains(c) ? 0 : Int64(random.next() % UInt64(p - 1)) + 1
                z[c] = x
                return x
            }
            for (v, row) in pivots.reversed() {
                var s: Int64 = 0
                for (c, val) in row where c != v { s = (s + val * value(c)) % p }
                z[v] = (p - s) % p * inverse(row[v]!) % p
            }
            for (v, _) in pivots where z[v] == 0 { zero[v, default: 0] += 1 }
        }
        return zero.filter { $0.value == 2 }.map(\.key).sorted()
    }

    static func inverse(_ a: Int64) -> Int64 {
        var result: Int64 = 1, base = a % p, e = p - 2
        while e > 0 {
            if e & 1 == 1 { result = result * base % p }
            base = base * base % p
            e >>= 1
        }
        return result
    }

    /// A small binary min-heap of (key, unknown), for the elimination order.
    struct MinHeap {
        private var items: [(Int, Int32)] = []
        mutating func push(_ k: Int, _ v: Int32) {
            items.append((k, v))
            var i = items.count - 1
            while i > 0, items[(i - 1) / 2] > items[i] { items.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        mutating func pop() -> (Int, Int32)? {
            guard !items.isEmpty else { return nil }
            let top = items[0]
            items[0] = items[items.count - 1]
            items.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
            return top
        }
    }

    /// SplitMix64, for reproducible random solutions.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
