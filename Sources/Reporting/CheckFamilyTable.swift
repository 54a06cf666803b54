import Tabulation

/// The checker's family table: family key → facts (first line, r112, current members counted), in
/// keluarga order. Open addressing over two packed words instead of `[FamilyKey: FamilyFacts]`, whose
/// SipHash, resizes and exclusivity checks were a tenth of the check. Entries are dense and in insertion
/// (= line) order, which is also the order the r112 findings are reported in.
///
/// A struct of raw pointers: the owner (`Checker`) calls `deallocate()` once.
struct CheckFamilyTable {
    private(set) var count = 0
    private var capacity = 0          // dense entries allocated
    private var mask = 0
    /// Per slot: entry + 1 in the low 32 bits (0 = empty), the hash's high 32 bits above, so that a probe
    /// that meets another key rarely has to load that key (a cache miss) to tell.
    private var slots: UnsafeMutablePointer<UInt64>
    private(set) var keyA: UnsafeMutablePointer<UInt64>
    private(set) var keyB: UnsafeMutablePointer<UInt64>
    private(set) var line: UnsafeMutablePointer<Int32>
    private(set) var r112: UnsafeMutablePointer<Int32>
    private(set) var current: UnsafeMutablePointer<Int32>
    /// Per-process seed, so crafted keys cannot be chosen to collide.
    private let seed = UInt64.random(in: .min ... .max)

    init(expected: Int = 1 << 15) {
        var cap = 1 << 10
        while cap < expected { cap <<= 1 }
        capacity = cap
        mask = cap * 2 - 1
        slots = .allocate(capacity: cap * 2)
        slots.initialize(repeating: 0, count: cap * 2)
        keyA = .allocate(capacity: cap); keyB = .allocate(capacity: cap)
        line = .allocate(capacity: cap); r112 = .allocate(capacity: cap); current = .allocate(capacity: cap)
    }

    func deallocate() {
        slots.deallocate(); keyA.deallocate(); keyB.deallocate()
        line.deallocate(); r112.deallocate(); current.deallocate()
    }

    /// The key in two words, one to one: desa < 10¹⁰ < 2³⁴ and sls ≤ 999 999 < 2²⁰; building and
    /// family are 0 ... Int32.max (31 bits each).
    @inline(__always)
    static func pack(_ k: FamilyKey) -> (UInt64, UInt64) {
        (UInt64(truncatingIfNeeded: k.desa) << 20 | UInt64(truncatingIfNeeded: k.sls),
         UInt64(truncatingIfNeeded: k.building) << 31 | UInt64(truncatingIfNeeded: k.family))
    }

    @inline(__always)
    private func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = (a ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 29) ^ b) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The entry of a key, or -1.
    @inline(__always)
    func find(_ a: UInt64, _ b: UInt64) -> Int {
        let h = hash(a, b)
        let tag = h & 0xFFFF_FFFF_0000_0000
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

    @inline(__always)
    private func place(_ h: UInt64, _ e: Int) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i &+ 1) & mask }
        slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(e &+ 1)
    }

    /// Adds a key that `find` did not find; returns its entry.
    @discardableResult
    mutating func insert(_ a: UInt64, _ b: UInt64, line l: Int32, r112 n: Int32) -> Int {
        if count == capacity { grow() }
        let e = count
        keyA[e] = a; keyB[e] = b; line[e] = l; r112[e] = n; current[e] = 0
        place(hash(a, b), e)
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
        slots.deallocate()
        mask = cap * 2 - 1
        slots = .allocate(capacity: cap * 2)
        slots.initialize(repeating: 0, count: cap * 2)
        for e in 0..<count { place(hash(keyA[e], keyB[e]), e) }
    }
}
