import Tabulation

/// The checker's family table: family key → facts (first line, r112, current members counted), in
/// keluarga order. Open addressing over two packed words instead of `[FamilyKey: FamilyFacts]`, whose
/// SipHash, resizes and exclusivity checks were a tenth of the check. Entries are dense and in insertion
/// (= line) order, which is also the order the r112 findings are reported in.
///
/// Registries are usually exported in key order, and a hash probe per family is a cache miss. So the
/// hash index is built lazily: `append` only adds the dense entry, and `find` (after `index()`) is needed
/// only when the caller cannot decide otherwise — a keluarga key above every key so far cannot be a
/// duplicate, and an anggota key is usually the entry after the previous family's.
///
/// A struct of raw pointers: the owner (`Checker`) calls `deallocate()` once.
struct CheckFamilyTable {
    private(set) var count = 0
    private var capacity: Int         // dense entries allocated
    /// Entries `0..<indexed` are in `slots`.
    private var indexed = 0
    private var slotCount: Int
    /// Per slot: entry + 1 in the low 32 bits (0 = empty), the hash's high 32 bits above, so that a probe
    /// that meets another key rarely has to load that key (a cache miss) to tell.
    private var slots: UnsafeMutablePointer<UInt64>
    private(set) var keyA: UnsafeMutablePointer<UInt64>
    private(set) var keyB: UnsafeMutablePointer<UInt64>
    private(set) var line: UnsafeMutablePointer<Int32>
    private(set) var r112: UnsafeMutablePointer<Int32>
    private(set) var current: UnsafeMutablePointer<Int32>
    /// The largest key appended so far (lexicographic on the packed words), when `count > 0`.
    private(set) var maxA: UInt64 = 0
    private(set) var maxB: UInt64 = 0
    /// Per-process seed, so crafted keys cannot be chosen to collide.
    private let seed = UInt64.random(in: .min ... .max)

    init() {
        capacity = 1 << 12
        slotCount = 1 << 13
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        keyA = .allocate(capacity: capacity); keyB = .allocate(capacity: capacity)
        line = .allocate(capacity: capacity); r112 = .allocate(capacity: capacity); current = .allocate(capacity: capacity)
    }

    func deallocate() {
        slots.deallocate(); keyA.deallocate(); keyB.deallocate()
        line.deallocate(); r112.deallocate(); current.deallocate()
    }

    /// The key in two words, one to one (`Layout` keeps integer keys within these limits): lead < 10¹⁰ <
    /// 2³⁴ and a ≤ 999 999 < 2²⁰; b and c are 0 ... Int32.max (31 bits each). A text key's 16 bytes are the
    /// two words themselves (text and integer keys never meet in one run).
    @inline(__always)
    static func pack(_ k: FamilyKey) -> (UInt64, UInt64) {
        if k.c == -1 { return (UInt64(bitPattern: k.lead), UInt64(UInt32(bitPattern: k.a)) << 32 | UInt64(UInt32(bitPattern: k.b))) }
        return (UInt64(truncatingIfNeeded: k.lead) << 20 | UInt64(truncatingIfNeeded: k.a),
                UInt64(truncatingIfNeeded: k.b) << 31 | UInt64(truncatingIfNeeded: k.c))
    }

    /// Whether a key is above every key appended so far (then it is certainly not in the table).
    @inline(__always)
    func isAboveAll(_ a: UInt64, _ b: UInt64) -> Bool {
        count == 0 || a > maxA || (a == maxA && b > maxB)
    }

    /// Whether entry `e` exists and has this key.
    @inline(__always)
    func isEntry(_ e: Int, _ a: UInt64, _ b: UInt64) -> Bool {
        e >= 0 && e < count && keyA[e] == a && keyB[e] == b
    }

    @inline(__always)
    private func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = (a ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 29) ^ b) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The entry of a key, or -1. Call `index()` first when entries were appended since.
    @inline(__always)
    func find(_ a: UInt64, _ b: UInt64) -> Int {
        let h = hash(a, b)
        let tag = h & 0xFFFF_FFFF_0000_0000
        let mask = slotCount &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return -1 }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let e = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) &- 1
                if keyA[e] == a && keyB[e] == b { return e }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Puts the entries appended since the last call into the hash index (load factor ≤ 3/4: the slots'
    /// hash tags keep probes over other keys cheap, and the table runs beside the engine's peak — 134 MB
    /// of slots at 10 M families, not 268).
    @inline(__always)
    mutating func index() {
        if indexed < count { indexPending() }
    }

    private mutating func indexPending() {
        if 3 * slotCount < 4 * count {
            var n = slotCount
            while 3 * n < 4 * count { n <<= 1 }
            slots.deallocate()
            slotCount = n
            slots = .allocate(capacity: n)
            slots.initialize(repeating: 0, count: n)
            indexed = 0
        }
        let mask = slotCount &- 1
        for e in indexed..<count {
            let h = hash(keyA[e], keyB[e])
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i &+ 1) & mask }
            slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(e &+ 1)
        }
        indexed = count
    }

    /// Adds a key that is not in the table (`isAboveAll`, or `find` said -1); returns its entry.
    @discardableResult @inline(__always)
    mutating func append(_ a: UInt64, _ b: UInt64, line l: Int32, r112 n: Int32) -> Int {
        if count == capacity { grow() }
        let e = count
        keyA[e] = a; keyB[e] = b; line[e] = l; r112[e] = n; current[e] = 0
        if isAboveAll(a, b) { maxA = a; maxB = b }
        count &+= 1
        return e
    }

    private mutating func grow() {
        let cap = capacity * 2
        func moved<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: cap)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            return q
        }
        keyA = moved(keyA); keyB = moved(keyB); line = moved(line); r112 = moved(r112); current = moved(current)
        capacity = cap
    }
}
