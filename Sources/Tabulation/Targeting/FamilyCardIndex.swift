/// No. KK (`r114`) → families, the second way a roster row links (contract §2 "Linking a roster row":
/// "a non-empty `no_kk` equal to a family's `r114` links it to that family (every such family)").
///
/// Equality is exact text equality of the trimmed values, as the contract says. A well-formed No. KK
/// (exactly 16 ASCII digits) is keyed by its number — for fixed-length digit strings numeric and textual
/// equality coincide, and numbers join by sorting (`KeyedFamilies`) without hashing 3 M heap strings —
/// anything else (short, lettered, `1.5E+15`) is keyed by its text, so it still matches an identical
/// malformed `r114`.
struct FamilyCardIndex: Sendable {
    private let byNumber: KeyedFamilies
    private let byText: [String: [Int32]]

    init(familyKK: PackedTextColumn) {
        var numbers: [UInt64] = [], holders: [Int32] = []
        numbers.reserveCapacity(familyKK.count); holders.reserveCapacity(familyKK.count)
        var byText: [String: [Int32]] = [:]
        for f in 0..<familyKK.count {
            let key = familyKK.sixteenDigits(f).map(Key.number) ?? Self.key(familyKK.text(f))
            switch key {
            case .none: continue
            case .number(let n): numbers.append(n); holders.append(Int32(f))
            case .text(let t): byText[t, default: []].append(Int32(f))
            }
        }
        byNumber = KeyedFamilies(keys: numbers, families: holders)
        self.byText = byText
    }

    /// The families whose No. KK equals each query (trimmed), in query order; empty for an empty query or
    /// no match.
    /// Queries are keyed by the caller (`Key.number` for the 16-digit No. KKs `RosterTable` holds as
    /// numbers, `key(_:)` for the rest).
    func lookUp(keys: [Key]) -> [ArraySlice<Int32>] {
        var out = [ArraySlice<Int32>](repeating: [], count: keys.count)
        var numbers: [UInt64] = [], positions: [Int] = []
        for (i, q) in keys.enumerated() {
            switch q {
            case .none: continue
            case .number(let n): numbers.append(n); positions.append(i)
            case .text(let t): out[i] = byText[t].map { ArraySlice($0) } ?? []
            }
        }
        for (i, hit) in zip(positions, byNumber.lookUp(numbers)) where hit >= 0 { out[i] = byNumber.families(at: Int(hit)) }
        return out
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
