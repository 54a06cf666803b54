import Microdata

/// Integer counters per area slot (`AreaIndex.slot`): `width` counters for every village, kecamatan and
/// kabupaten.
///
/// Two ways to fill it, matching the two kinds of unit in contract §2:
/// - families live in exactly one village: count them in their village, then `rollUpVillages` — summing is
///   exact, and a family is counted once per area;
/// - roster rows may be in several villages: count each row directly in every slot of its own deduplicated
///   slot list (`RosterLinks.slots(ofRow:)`) and never roll up, so a row counts once per area.
struct AreaTally: Sendable {
    let width: Int
    private(set) var counts: [Int]

    init(areas: AreaIndex, width: Int) {
        self.width = width
        counts = Array(repeating: 0, count: areas.slotCount * width)
    }

    @inline(__always)
    mutating func add(slot: Int, _ counter: Int, _ n: Int = 1) { counts[slot * width + counter] += n }

    @inline(__always)
    subscript(slot: Int, counter: Int) -> Int { counts[slot * width + counter] }

    /// Adds each village's counters into its kecamatan and kabupaten (which must still be zero).
    mutating func rollUpVillages(_ areas: AreaIndex) {
        for v in areas.villages.indices {
            let (kec, kab) = areas.ancestorSlots(ofVillage: v)
            for c in 0..<width {
                let n = counts[v * width + c]
                counts[kec * width + c] += n
                counts[kab * width + c] += n
            }
        }
    }
}
