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
struct KeyedFamilies: Sendable {
    /// Distinct keys, ascending.
    let keys: [UInt64]
    /// `families[start[i]..<start[i + 1]]` are the distinct families holding `keys[i]`, ascending.
    let start: [Int]
    let families: [Int32]

    /// - Parameters: `keys[i]` is held by `families[i]`; any order, repeats allowed.
    init(keys input: [UInt64], families holders: [Int32]) {
        let sorted = RadixSort.byKey(input, values: holders)
        let n = sorted.keys.count
        var keys: [UInt64] = [], start: [Int] = [], families: [Int32] = []
        keys.reserveCapacity(n); start.reserveCapacity(n + 1); families.reserveCapacity(n)
        var i = 0
        while i < n {
            let key = sorted.keys[i]
            var j = i + 1
            while j < n, sorted.keys[j] == key { j += 1 }
            keys.append(key); start.append(families.count)
            if j == i + 1 {
                families.append(sorted.values[i])
            } else {
                for f in Set(sorted.values[i..<j]).sorted() { families.append(f) }
            }
            i = j
        }
        start.append(families.count)
        self.keys = keys; self.start = start; self.families = families
    }

    /// The distinct families (ascending) holding `key`; empty when none. For one-off lookups.
    func families(holding key: UInt64) -> ArraySlice<Int32> {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        guard lo < keys.count, keys[lo] == key else { return [] }
        return families[start[lo]..<start[lo + 1]]
    }

    /// The families holding each query key, in query order (empty slices for no match): a sort-merge join.
    func lookUp(_ queries: [UInt64]) -> [ArraySlice<Int32>] {
        let sorted = RadixSort.byKey(queries, values: Array(0..<Int32(queries.count)))
        var out = [ArraySlice<Int32>](repeating: [], count: queries.count)
        var m = 0
        for (q, position) in zip(sorted.keys, sorted.values) {
            while m < keys.count, keys[m] < q { m += 1 }
            if m == keys.count { break }
            if keys[m] == q { out[Int(position)] = families[start[m]..<start[m + 1]] }
        }
        return out
    }

    /// Every key held by two or more families, with those families.
    var sharedKeys: [(key: UInt64, families: ArraySlice<Int32>)] {
        keys.indices.compactMap { i in
            start[i + 1] - start[i] > 1 ? (keys[i], families[start[i]..<start[i + 1]]) : nil
        }
    }
}
