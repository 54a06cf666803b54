/// Family key → dense family index: an open-addressing hash table with a multiplicative hash.
///
/// The member pass looks a family up each time the family changes (once per family in a sorted file, once
/// per member in an unsorted one), and the family pass twice per family; `Dictionary` spends most of that
/// time seeding and running SipHash over a 20-byte key. The keys are not attacker-chosen in a way that
/// matters here (a slow lookup is the worst case), so a fast mixing hash is enough. A final class over raw
/// buffers: held by `FamilyStore` and used per record, where a struct of arrays would be copied (retained)
/// on every access. Key and index share a 32-byte slot, so a lookup costs one cache miss; about 64 bytes
/// of table per family at the ≤ 50 % load kept here.
final class FamilyIndex {
    private struct Slot {
        var key: FamilyKey
        var value: Int32   // -1: empty
    }
    private var slots: UnsafeMutablePointer<Slot>
    private var size: Int
    private var shift: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        size = 16
        while size < 2 * capacity { size <<= 1 }
        shift = 64 - size.trailingZeroBitCount
        slots = Self.emptySlots(size)
    }

    private static func emptySlots(_ n: Int) -> UnsafeMutablePointer<Slot> {
        let p = UnsafeMutablePointer<Slot>.allocate(capacity: n)
        p.initialize(repeating: Slot(key: FamilyKey.empty, value: -1), count: n)
        return p
    }

    deinit { slots.deallocate() }

    /// Fibonacci hashing of a mixed 64-bit value: the top bits of the product pick the slot.
    @inline(__always)
    private func slot(_ k: FamilyKey) -> Int {
        var h = UInt64(bitPattern: k.lead) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: k.a)) &* 0xBF58_476D_1CE4_E5B9
        h ^= (UInt64(UInt32(bitPattern: k.b)) << 32 | UInt64(UInt32(bitPattern: k.c))) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    subscript(key: FamilyKey) -> Int32? {
        var i = slot(key)
        let mask = size - 1
        while true {
            let v = slots[i].value
            if v < 0 { return nil }
            if slots[i].key == key { return v }
            i = (i &+ 1) & mask
        }
    }

    /// Adds a key not yet present, or replaces its index.
    func insert(_ key: FamilyKey, _ value: Int32) {
        if 2 * (count + 1) > size { grow() }
        var i = slot(key)
        let mask = size - 1
        while slots[i].value >= 0 {
            if slots[i].key == key { slots[i].value = value; return }
            i = (i &+ 1) & mask
        }
        slots[i] = Slot(key: key, value: value); count += 1
    }

    private func grow() {
        let old = slots, oldSize = size
        size *= 2
        shift -= 1
        slots = Self.emptySlots(size)
        count = 0
        for i in 0..<oldSize where old[i].value >= 0 { insert(old[i].key, old[i].value) }
        old.deallocate()
    }
}
