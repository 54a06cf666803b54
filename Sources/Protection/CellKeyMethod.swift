import Microdata
import Tabulation

/// The cell key method: every count statistic n becomes n + d, d from the perturbation table for n and the
/// statistic's cell key; percentages and rates are recomputed from the perturbed counts.
///
/// Cell keys: for profile tables, the sum mod 2⁶⁴ of the record keys of the cell's units, computed by the
/// engine (`ResultCube.cellKeys`, `RecordKeys`), as in the ABS method: the same records give the same key
/// whichever table shows them. The targeting cubes are built from roster linking, which does not carry
/// record keys: their statistics get a key derived from the statistic's identity, its area and the salt.
/// That keeps what the issue asks — the same cell gets the same value in every table and format, every
/// value within ±D, reproducible with the same salt — but not the record-level property that two
/// differently defined cells holding the same records perturb alike. A statistic linked to a profile
/// cell (the families count) takes the profile cell's record key.
///
/// Totals are perturbed as cells in their own right (from their own key), so a published table no longer
/// adds up exactly; the report's note says so. Sums and means (none in the built-in profile) are not
/// perturbed; they are confidential where the count of the cell is below the threshold.
enum CellKeyMethod {
    /// Cell key in [0,1) of each statistic.
    static func keys(_ model: CellModel, salt: String) -> [Double] {
        var h = SHA256()
        h.update(Array(("regtab-cellkey-fallback|" + salt).utf8))
        let seed = h.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (0..<model.count).map { v in
            if let ref = model.keyedRef[v], let k = model.cubes[ref.cube].cellKey(slot: ref.slot, cell: ref.cell) {
                return fraction(k)
            }
            let area = model.areas.code(model.area(ofSlot: Int(model.slotOf[v])))
            return fraction(fnv(seed, model.identities[Int(model.identityOf[v])] + "@" + area))
        }
    }

    /// The top 53 bits as a fraction in [0,1): `key / 2⁶⁴`, exactly representable.
    static func fraction(_ k: UInt64) -> Double { Double(k >> 11) / 9_007_199_254_740_992.0 }

    static func fnv(_ seed: UInt64, _ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        // Final avalanche (SplitMix64) so that nearby texts give unrelated keys.
        var z = h &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Perturbed value of every statistic.
    static func perturb(_ model: CellModel, table: PerturbationTable, keys: [Double]) -> [Double] {
        (0..<model.count).map { v in
            let n = model.value[v]
            return n + Double(table.deviation(count: Int(n.rounded()), key: keys[v]))
        }
    }
}
