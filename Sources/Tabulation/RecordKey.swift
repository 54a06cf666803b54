import Microdata

/// Record keys for the cell key method (ABS/Eurostat): every family and every member gets a fixed
/// pseudo-random 64-bit key derived from its identifier and a secret salt given to the run. A cell's key
/// is the sum of its records' keys modulo 2⁶⁴ (`TableAccumulator.keySums`, `ResultCube.cellKeys`).
///
/// Why integers and wrapping addition rather than keys in [0,1) summed as `Double`: modular integer
/// addition is exactly associative, so the same set of records gives bit-for-bit the same cell key
/// whatever table, grouping or summation order produced the cell. Floating-point sums differ in the last
/// bits with the order, and a cell lying on a perturbation-table boundary could then be perturbed
/// differently in two tables. `key / 2⁶⁴` is the ABS cell key in [0,1).
///
/// Why the salt: without it anyone could recompute the keys from the published identifiers and undo the
/// perturbation. The salt never enters the report definition or any output.
public struct RecordKeys: Sendable {
    let seed: UInt64

    public init(salt: String) {
        var h = SHA256()
        h.update(Array(salt.utf8))
        seed = h.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// SplitMix64's finaliser: a bijective mix, so distinct inputs never collide before the final sum.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Key of a family record, from its family key (the layout's family identifier).
    @inline(__always)
    public func family(_ k: FamilyKey) -> UInt64 {
        var h = Self.mix(seed ^ UInt64(bitPattern: k.lead))
        h = Self.mix(h ^ UInt64(UInt32(bitPattern: k.a)))
        h = Self.mix(h ^ UInt64(UInt32(bitPattern: k.b)))
        return Self.mix(h ^ UInt64(UInt32(bitPattern: k.c)) ^ 0xF)
    }

    /// Key of a member record, from its family's key and its member serial (the layout's `member_serial`).
    @inline(__always)
    public func member(_ k: FamilyKey, serial: Int) -> UInt64 {
        Self.mix(family(k) ^ Self.mix(UInt64(bitPattern: Int64(serial)) ^ 0xA4))
    }
}
