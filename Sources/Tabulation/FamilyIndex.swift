/// Family key → dense family index: an open-addressing hash table with a multiplicative hash.
///
/// The member pass looks a family up each time the family changes (once per family in a sorted file, once
/// per member in an unsorted one), and the family pass twice per family; `Dictionary` spends most of that
/// time seeding and running SipHash over a 20-byte key. The keys are not attacker-chosen in a way that
/// matters here (a slow lookup is the worst case), so a fast mixing hash is enough. 12 bytes of slot per
/// family at the 50 % load kept here, against ~28 for `Dictionary`.
struct FamilyIndex {
    private var keys: [FamilyKey] = []
    private var values: [Int32] = []   // -1: empty slot
    private var mask = 0
    private(set) var count = 0

    init(capacity: Int = 1024) { allocate(Self.slots(for: capacity)) }

    private static func slots(for n: Int) -> Int {
        var size = 16
        while size < 2 * n { size <<= 1 }
        return size
    }

    private mutating func allocate(_ size: Int) {
        keys = [FamilyKey](repeating: FamilyKey(desa: 0, sls: 0, building: 0, family: 0), count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func hash(_ k: FamilyKey) -> Int {
        var h = UInt64(bitPattern: k.desa) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ UInt64(UInt32(bitPattern: k.sls))) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (UInt64(UInt32(bitPattern: k.building)) << 32 | UInt64(UInt32(bitPattern: k.family)))) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    subscript(key: FamilyKey) -> Int32? {
        get {
            var i = Self.hash(key) & mask
            while true {
                let v = values[i]
                if v < 0 { return nil }
                if keys[i] == key { return v }
                i = (i &+ 1) & mask
            }
        }
        set {
            guard let newValue else { preconditionFailure("FamilyIndex does not remove keys") }
            if 2 * (count + 1) > values.count { grow() }
            var i = Self.hash(key) & mask
            while values[i] >= 0 {
                if keys[i] == key { values[i] = newValue; return }
                i = (i &+ 1) & mask
            }
            keys[i] = key; values[i] = newValue; count += 1
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        allocate(values.count * 2)
        count = 0
        for i in oldValues.indices where oldValues[i] >= 0 { self[oldKeys[i]] = oldValues[i] }
    }
}
