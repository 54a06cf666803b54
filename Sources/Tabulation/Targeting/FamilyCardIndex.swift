/// No. KK (`r114`) → families, the second way a roster row links (contract §2 "Linking a roster row":
/// "a non-empty `no_kk` equal to a family's `r114` links it to that family (every such family)").
///
/// Equality is exact text equality of the trimmed values, as the contract says. A well-formed No. KK
/// (exactly 16 ASCII digits) is keyed by its number — for fixed-length digit strings numeric and textual
/// equality coincide, and numbers compare without making 10 M heap strings — anything else (short,
/// lettered, `1.5E+15`) is keyed by its text, so it still matches an identical malformed `r114`.
///
/// Built for the queries at hand: only the rows that found no family by NIK ask (a few percent of a
/// roster), so one pass over the families keeps the families whose No. KK is asked for, and nothing else —
/// an index over every family's No. KK cost about 240 MB at 10 M families, at the run's peak (issue 19).
/// Families of one key come ascending, each once.
struct FamilyCardIndex: Sendable {
    /// The families holding a wanted 16-digit No. KK, as sorted (No. KK, family) pairs — the members' NIK join's
    /// structure: 12 bytes a family found. A dictionary of arrays took a heap array per No. KK (~100 MB more at
    /// the No. KK join of 10 M families, the external schedule's peak; issue 19).
    private let byNumber: KeyedFamilies
    private let byText: [String: [Int32]]

    /// - Parameter wanted: the keys that will be looked up (`lookUp(keys:)`); others are not indexed.
    init<Wanted: Sequence>(familyKK: PackedTextColumn, wanted: Wanted) where Wanted.Element == Key {
        var numbers = Set<UInt64>(), texts = Set<String>()
        for q in wanted {
            switch q {
            case .none: continue
            case .number(let n): numbers.insert(n)
            case .text(let t): texts.insert(t)
            }
        }
        var keys: [UInt64] = [], families: [Int32] = [], byText: [String: [Int32]] = [:]
        if !numbers.isEmpty || !texts.isEmpty {
            for f in 0..<familyKK.count {
                // The common case without a String: a 16-digit No. KK is its number.
                if let n = familyKK.sixteenDigits(f) {
                    if numbers.contains(n) { keys.append(n); families.append(Int32(f)) }
                    continue
                }
                guard familyKK.hasContent(f) else { continue }
                switch Self.key(familyKK.text(f)) {
                case .none: continue
                case .number(let n): if numbers.contains(n) { keys.append(n); families.append(Int32(f)) }
                case .text(let t): if texts.contains(t) { byText[t, default: []].append(Int32(f)) }
                }
            }
        }
        byNumber = KeyedFamilies(keys: keys, families: families)
        self.byText = byText
    }

    /// The families whose No. KK equals each query (trimmed), in query order; empty for an empty query or
    /// no match. Queries are keyed by the caller (`Key.number` for the 16-digit No. KKs `RosterTable` holds
    /// as numbers, `key(_:)` for the rest) and should be among `wanted`.
    func lookUp(keys: [Key]) -> [ArraySlice<Int32>] { keys.map(families(for:)) }

    /// The families whose No. KK equals `key`; empty for `.none` or no match. One query at a time, so a
    /// caller with millions of rows need not hold their keys and results (issue 19).
    func families(for key: Key) -> ArraySlice<Int32> {
        switch key {
        case .none: return []
        case .number(let n): return byNumber.families(holding: n)
        case .text(let t): return byText[t].map { ArraySlice($0) } ?? []
        }
    }

    enum Key { case none, number(UInt64), text(String) }

    static func key(_ raw: String) -> Key {
        let parsed = raw.utf8.withContiguousStorageIfAvailable { bytes -> Key in
            var lo = 0, hi = bytes.count
            while lo < hi, RosterText.isBlank(bytes[lo]) { lo += 1 }
            while hi > lo, RosterText.isBlank(bytes[hi - 1]) { hi -= 1 }
            if lo == hi { return .none }
            if hi - lo == 16 {
                var n: UInt64 = 0
                var digits = true
                for i in lo..<hi {
                    let d = bytes[i] &- 0x30
                    if d >= 10 { digits = false; break }
                    n = n &* 10 &+ UInt64(d)
                }
                if digits { return .number(n) }
            }
            return .text(String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self))
        }
        if let parsed { return parsed }
        let trimmed = RosterText.trimmed(raw)   // bridged, non-contiguous strings only
        return trimmed.isEmpty ? .none : key(String(decoding: Array(trimmed.utf8), as: UTF8.self))
    }
}
