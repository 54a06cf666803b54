/// Which family of the earlier snapshot each family of the later one is (`regtab compare`).
///
/// Families are matched by the family key first (`r101`–`r105`, `r109`, `r110`: the same household in the same
/// place). A family that moved to another village or SLS gets a new key; it is matched by its No. KK, among the
/// families neither key matched, in file order (the first unmatched earlier family holding a No. KK takes the
/// first unmatched later family holding it). A No. KK that is empty never matches. Families matched by
/// neither key are new (later snapshot only) or gone (earlier snapshot only).
///
/// Decisions: a family that split keeps its key (or its No. KK) in one part, which is matched; the other part,
/// with a new key and its own new No. KK, is new. A family whose key and No. KK both changed is counted as gone
/// and new (persons are not matched one by one across families).
public struct FamilyMatching: Sendable {
    /// Per later family, the index of its earlier family, or -1 (new).
    public var beforeOf: [Int32]
    /// Per earlier family, the index of its later family, or -1 (gone).
    public var afterOf: [Int32]
    /// Pairs matched by the family key, and by the No. KK.
    public var byKey: Int
    public var byKK: Int
    /// Per later family, whether it was matched by the No. KK (false for key matches and new families).
    public var matchedByKK: [Bool]

    public var new: Int { beforeOf.count - byKey - byKK }
    public var gone: Int { afterOf.count - byKey - byKK }

    public init(before: FamilySnapshot, after: FamilySnapshot) {
        var beforeOf = [Int32](repeating: -1, count: after.count)
        var afterOf = [Int32](repeating: -1, count: before.count)
        var matchedByKK = [Bool](repeating: false, count: after.count)
        var index: [FamilyKey: Int32] = [:]
        index.reserveCapacity(before.count)
        // The engine keeps the first of duplicate keys only, so keys are unique within a snapshot.
        for (i, key) in before.keys.enumerated() where index[key] == nil { index[key] = Int32(i) }
        var byKey = 0
        for (a, key) in after.keys.enumerated() {
            if let b = index[key] { beforeOf[a] = b; afterOf[Int(b)] = Int32(a); byKey += 1 }
        }
        index = [:]
        // No. KK among the unmatched, in file order.
        var unmatchedByKK: [String: [Int32]] = [:]
        for b in 0..<before.count where afterOf[b] < 0 {
            let kk = before.kk.text(b)
            if !kk.isEmpty { unmatchedByKK[kk, default: []].append(Int32(b)) }
        }
        var next: [String: Int] = [:]
        var byKK = 0
        for a in 0..<after.count where beforeOf[a] < 0 {
            let kk = after.kk.text(a)
            guard !kk.isEmpty, let list = unmatchedByKK[kk] else { continue }
            let i = next[kk, default: 0]
            guard i < list.count else { continue }
            next[kk] = i + 1
            beforeOf[a] = list[i]; afterOf[Int(list[i])] = Int32(a); matchedByKK[a] = true; byKK += 1
        }
        self.beforeOf = beforeOf; self.afterOf = afterOf; self.byKey = byKey; self.byKK = byKK; self.matchedByKK = matchedByKK
    }
}
