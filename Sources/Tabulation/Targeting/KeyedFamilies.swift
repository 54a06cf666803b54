/// A sorted 64-bit key → families map: the join structure behind roster linking (contract §2 "Linking a
/// roster row") — current members' NIKs and well-formed No. KKs — and the source of `multi_family_nik`.
///
/// Sort-based rather than a hash map: with ~10 M member NIKs one sorted array is about half the memory of a
/// `[UInt64: Int32]` dictionary, and roster rows are looked up as a batch (`lookUp`): the queries are
/// radix-sorted and merged with the keys in one sequential pass, which is several times faster than
/// millions of cache-missing hash or binary-search probes. The same sort yields the keys held by more than
/// one family. Families of one key are stored distinct and ascending — the contract's "every such family",
/// deduplicated (two members of one family may share a NIK; that links the family once and does not make
/// the NIK a multi-family NIK).
///
/// One entry per distinct (key, family), 12 bytes: no offsets array (4 bytes a key, 120 MB at 10 M families,
/// issue 19) — a key's families are the entries beside it, and "the key at i" is the first of them.
struct KeyedFamilies: Sendable {
    /// Keys ascending, repeated once for each further family holding them.
    let keys: [UInt64]
    /// `families[i]` holds `keys[i]`; the families of one key are distinct and ascending.
    let families: [Int32]

    /// - Parameters: `keys[i]` is held by `families[i]`; any order, repeats allowed.
    ///
    /// The sorted arrays are compacted in place (distinct keys and their families never outnumber the
    /// input), so the peak is the input plus one sorted copy, not two.
    init(keys input: consuming [UInt64], families holders: consuming [Int32]) {
        let (keys, families) = RadixSort.byKey(input, values: holders)
        self.init(sortedKeys: keys, families: families)
    }

    /// - Parameters: `keys[i]` is held by `families[i]`, keys ascending (equal keys in any order).
    init(sortedKeys: consuming [UInt64], families: consuming [Int32]) {
        var keys = sortedKeys, families = families
        let n = keys.count
        var i = 0, written = 0
        var group: [Int32] = []
        while i < n {
            let key = keys[i]
            var j = i + 1
            while j < n, keys[j] == key { j += 1 }
            if j == i + 1 {
                keys[written] = key; families[written] = families[i]; written += 1
            } else {
                group.removeAll(keepingCapacity: true)
                group.append(contentsOf: Set(families[i..<j]).sorted())
                for f in group { keys[written] = key; families[written] = f; written += 1 }
            }
            i = j
        }
        keys.removeLast(n - written); families.removeLast(n - written)
        self.keys = keys; self.families = families
    }

    /// One past the last entry of the key at `i`.
    @inline(__always)
    private func end(ofKeyAt i: Int) -> Int {
        var j = i + 1
        while j < keys.count, keys[j] == keys[i] { j += 1 }
        return j
    }

    /// The families holding the key at `i` (the first entry of its key).
    @inline(__always)
    func families(at i: Int) -> ArraySlice<Int32> { families[i..<end(ofKeyAt: i)] }

    /// The family holding the key at `i` when it is the only one (the common case), else nil.
    @inline(__always)
    func onlyFamily(at i: Int) -> Int32? {
        i + 1 == keys.count || keys[i + 1] != keys[i] ? families[i] : nil
    }

    /// The distinct families (ascending) holding `key`; empty when none. For lookups one at a time (the No. KK join).
    func families(holding key: UInt64) -> ArraySlice<Int32> {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        guard lo < keys.count, keys[lo] == key else { return [] }
        return families(at: lo)
    }

    /// For each query key, in query order, the index of its key (for `families(at:)`), or -1 when no family
    /// holds it: a sort-merge join. Four bytes per query (a roster has millions of rows), not a slice's 32.
    func lookUp(_ queries: [UInt64]) -> [Int32] {
        let sorted = RadixSort.byKey(queries, values: Array(0..<Int32(queries.count)))
        var out = [Int32](repeating: -1, count: queries.count)
        merge(sortedQueries: sorted.keys) { q, hit in out[Int(sorted.values[q])] = hit }
        return out
    }

    /// For each query of `sortedQueries` (ascending) that a family holds: `body(query position, key index)`
    /// (the first entry of the key), in query order — the merge half of `lookUp`, for queries sorted elsewhere.
    @inline(__always)
    func merge(sortedQueries: [UInt64], _ body: (Int, Int32) -> Void) {
        var m = 0
        for (position, q) in sortedQueries.enumerated() {
            while m < keys.count, keys[m] < q { m += 1 }
            if m == keys.count { break }
            if keys[m] == q { body(position, Int32(m)) }
        }
    }

    /// Every key held by two or more families, with those families.
    var sharedKeys: [(key: UInt64, families: ArraySlice<Int32>)] {
        var out: [(key: UInt64, families: ArraySlice<Int32>)] = []
        var i = 0
        while i < keys.count {
            let j = end(ofKeyAt: i)
            if j - i > 1 { out.append((keys[i], families[i..<j])) }
            i = j
        }
        return out
    }
}
