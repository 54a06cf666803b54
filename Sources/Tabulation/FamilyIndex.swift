/// The families' keys in file order, and a hash table from key to dense family index.
///
/// The member pass looks a family up each time the family changes (once per family in a sorted file, once
/// per member in an unsorted one), and the family pass twice per family; `Dictionary` spends most of that
/// time seeding and running SipHash over a 20-byte key. The keys are not attacker-chosen in a way that
/// matters here (a slow lookup is the worst case), so a fast mixing hash is enough.
///
/// Memory (issue 19): the keys are stored once, in `keys` (24 bytes a family); a table slot holds only a
/// 32-bit fingerprint of the key's hash and the family's index (8 bytes at ≤ 75 % load: 11–21 bytes a
/// family, where slots holding the key itself took 48–96), so a lookup reads a few neighbouring slots —
/// one cache line, the fingerprints telling keys apart — and then the one key it names. The table is needed
/// only while files are read: `releaseLookup()` frees it before the family rules and the roster linking, the
/// engine's peak. A final class over raw buffers: held by `FamilyStore` and used per record, where a struct of
/// arrays would be copied (retained) on every access.
final class FamilyIndex {
    /// `fingerprint << 32 | (index + 1)`; 0 is an empty slot.
    private var slots: UnsafeMutablePointer<UInt64>
    private var size: Int
    private var shift: Int
    private var keyStore: UnsafeMutablePointer<FamilyKey>
    private var keyCapacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        size = 16
        while 3 * size < 4 * capacity { size <<= 1 }
        shift = 64 - size.trailingZeroBitCount
        slots = Self.emptySlots(size)
        keyCapacity = max(capacity, 16)
        keyStore = .allocate(capacity: keyCapacity)
    }

    private static func emptySlots(_ n: Int) -> UnsafeMutablePointer<UInt64> {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        p.initialize(repeating: 0, count: n)
        return p
    }

    deinit { slots.deallocate(); keyStore.deallocate() }

    /// The key of family `i` (`i < count`).
    @inline(__always)
    func key(_ i: Int) -> FamilyKey { keyStore[i] }

    /// Every family's key, in family order (a copy, for the record lists and `regtab compare`).
    var keys: [FamilyKey] { Array(UnsafeBufferPointer(start: keyStore, count: count)) }

    /// A mixed 64-bit hash: its top bits pick the slot (Fibonacci hashing), its low 32 bits are the fingerprint.
    @inline(__always)
    private static func hash(_ k: FamilyKey) -> UInt64 {
        var h = UInt64(bitPattern: k.lead) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: k.a)) &* 0xBF58_476D_1CE4_E5B9
        h ^= (UInt64(UInt32(bitPattern: k.b)) << 32 | UInt64(UInt32(bitPattern: k.c))) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h &* 0x9E37_79B9_7F4A_7C15
    }

    subscript(key: FamilyKey) -> Int32? {
        precondition(size > 0, "FamilyIndex: looked up after releaseLookup()")
        let h = Self.hash(key)
        let fingerprint = h & 0xFFFF_FFFF
        var i = Int(truncatingIfNeeded: h >> UInt64(shift))
        let mask = size - 1
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if s >> 32 == fingerprint {
                let v = Int(s & 0xFFFF_FFFF) - 1
                if keyStore[v] == key { return Int32(v) }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Adds a key not present yet (the caller looked it up) as family `count`.
    func append(_ key: FamilyKey) {
        precondition(size > 0, "FamilyIndex: appended after releaseLookup()")
        if count == keyCapacity {
            keyCapacity *= 2
            let grown = UnsafeMutablePointer<FamilyKey>.allocate(capacity: keyCapacity)
            grown.moveInitialize(from: keyStore, count: count)
            keyStore.deallocate()
            keyStore = grown
        }
        keyStore[count] = key
        if 4 * (count + 1) > 3 * size { grow() }
        place(count)
        count += 1
    }

    /// Frees the hash table (the keys stay): no lookup or append after this.
    func releaseLookup() {
        guard size > 0 else { return }
        slots.deallocate()
        slots = Self.emptySlots(1)
        size = 0
    }

    /// Frees the keys too (after `releaseLookup()`): for a run that neither lists records nor compares
    /// snapshots, nothing reads a family's key past the family tables (24 B a family at the roster linking).
    func releaseKeys() {
        releaseLookup()
        keyStore.deallocate()
        keyStore = .allocate(capacity: 1)
        keyCapacity = 1
        count = 0
    }

    private func place(_ v: Int) {
        let h = Self.hash(keyStore[v])
        var i = Int(truncatingIfNeeded: h >> UInt64(shift))
        let mask = size - 1
        while slots[i] != 0 { i = (i &+ 1) & mask }
        slots[i] = (h & 0xFFFF_FFFF) << 32 | UInt64(v + 1)
    }

    private func grow() {
        slots.deallocate()
        size *= 2
        shift -= 1
        slots = Self.emptySlots(size)
        for v in 0..<count { place(v) }
    }
}
