import Microdata
import Profile

/// The running counts of one table during the pass: per village, per base cell (every combination of the
/// dimensions' categories and `_Z`, no totals), the number of units and the sums the measures need.
/// Totals (`_T`) and the kecamatan/kabupaten levels are sums computed once at the end, not per record.
///
/// `add` runs for every person and family of every table, so the counters are raw buffers owned by the
/// object and the dimensions are plain values (`CategoryCoder`): array properties of a class cost an
/// exclusivity check and a uniqueness check per write, and class elements a retain per read.
final class TableAccumulator {
    let spec: TableSpec
    /// Slot index (in the table's unit scope, or the family scope for family-variable dimensions of person
    /// tables) and scope of each dimension.
    let dims: [(slot: Int, fromFamily: Bool, size: Int)]
    /// The variable of each dimension (to map a value to its category index).
    let dimSlots: [VariableSlot]
    let universe: CompiledRule?
    /// Number variables summed (for sum/mean measures), as (slot, fromFamily).
    let sumVars: [(slot: Int, fromFamily: Bool)]
    let baseCells: Int
    let counts: UnsafeMutableBufferPointer<Int64>
    /// Cell key method: per base cell, the sum (mod 2⁶⁴) of the record keys of its units (`RecordKeys`);
    /// all zero when the run has no salt.
    let keySums: UnsafeMutableBufferPointer<UInt64>
    let sums: [UnsafeMutableBufferPointer<Double>]
    let sumCounts: [UnsafeMutableBufferPointer<Int64>]
    private let fastDims: UnsafeMutableBufferPointer<FastDimension>
    private let fastSums: UnsafeMutableBufferPointer<(slot: Int, fromFamily: Bool)>

    private struct FastDimension {
        let slot: Int
        let fromFamily: Bool
        let size: Int
        let coder: CategoryCoder
    }

    private static func zeros<T: BitwiseCopyable>(_ n: Int, _ zero: T) -> UnsafeMutableBufferPointer<T> {
        let p = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
        p.initialize(repeating: zero)
        return p
    }

    init(spec: TableSpec, dims: [(slot: Int, fromFamily: Bool, size: Int)], dimSlots: [VariableSlot], universe: CompiledRule?,
         sumVars: [(slot: Int, fromFamily: Bool)], villages: Int) {
        self.spec = spec; self.dims = dims; self.dimSlots = dimSlots; self.universe = universe; self.sumVars = sumVars
        let cells = dims.reduce(1) { $0 * $1.size }
        baseCells = cells
        counts = Self.zeros(villages * cells, Int64(0))
        keySums = Self.zeros(villages * cells, UInt64(0))
        sums = sumVars.map { _ in Self.zeros(villages * cells, 0.0) }
        sumCounts = sumVars.map { _ in Self.zeros(villages * cells, Int64(0)) }
        fastDims = .allocate(capacity: dims.count)
        for (k, d) in dims.enumerated() {
            (fastDims.baseAddress! + k).initialize(to: FastDimension(slot: d.slot, fromFamily: d.fromFamily, size: d.size, coder: dimSlots[k].coder))
        }
        fastSums = .allocate(capacity: sumVars.count)
        for (k, s) in sumVars.enumerated() { (fastSums.baseAddress! + k).initialize(to: s) }
    }

    deinit {
        counts.deallocate(); keySums.deallocate(); fastDims.deallocate(); fastSums.deallocate()
        sums.forEach { $0.deallocate() }; sumCounts.forEach { $0.deallocate() }
    }

    /// Adds one unit. `own` are the unit's values (member or family), `family` its family's values.
    @inline(__always)
    func add(village: Int, own: UnsafeBufferPointer<Double>, family: UnsafeBufferPointer<Double>, recordKey: UInt64 = 0) {
        var cell = 0
        for d in fastDims {
            let v = d.fromFamily ? family[d.slot] : own[d.slot]
            cell = cell &* d.size &+ d.coder.index(of: v)
        }
        let at = village &* baseCells &+ cell
        counts[at] &+= 1
        keySums[at] &+= recordKey
        for k in 0..<fastSums.count {
            let s = fastSums[k]
            let v = s.fromFamily ? family[s.slot] : own[s.slot]
            if !v.isNaN { sums[k][at] += v; sumCounts[k][at] += 1 }
        }
    }

    /// A zeroed accumulator for the same table (a second part of the member file, counted on another thread).
    func emptyCopy() -> TableAccumulator {
        TableAccumulator(spec: spec, dims: dims, dimSlots: dimSlots, universe: universe, sumVars: sumVars,
                         villages: counts.count / max(baseCells, 1))
    }

    func merge(_ other: TableAccumulator) {
        for i in counts.indices { counts[i] += other.counts[i]; keySums[i] &+= other.keySums[i] }
        for k in sums.indices { for i in sums[k].indices { sums[k][i] += other.sums[k][i]; sumCounts[k][i] += other.sumCounts[k][i] } }
    }
}

/// Turns village base counts into the full cube: every area level, `_T` margins, every measure.
enum CubeBuilder {
    /// - Parameter keyed: also sum the record keys into `ResultCube.cellKeys` (cell key method).
    static func build(_ acc: TableAccumulator, dimensions: [CubeDimension], areas: AreaIndex, familiesPerVillage: [Int64],
                      keyed: Bool = false) -> ResultCube {
        var cube = ResultCube(table: acc.spec.id, dimensions: dimensions, measures: acc.spec.measures.map(\.id), areas: areas)
        let slots = areas.slotCount
        let nCells = cube.cellsPerArea
        // Full cells (with _T) per area slot: counts, and for each summed variable its sum and n.
        var counts = [Double](repeating: 0, count: slots * nCells)
        var sums = acc.sumVars.map { _ in [Double](repeating: 0, count: slots * nCells) }
        var sumNs = acc.sumVars.map { _ in [Double](repeating: 0, count: slots * nCells) }
        var families = [Double](repeating: 0, count: slots)
        var keys = [UInt64](repeating: 0, count: keyed ? slots * nCells : 0)
        let d = dimensions.count
        // Each base cell contributes to 2^d full cells (each subset of its codes replaced by _T).
        var targets: [[Int]] = []
        for base in 0..<acc.baseCells {
            var codes = [Int](repeating: 0, count: d)
            var rest = base
            for k in (0..<d).reversed() { codes[k] = rest % acc.dims[k].size; rest /= acc.dims[k].size }
            var list: [Int] = []
            for mask in 0..<(1 << d) {
                var c = codes
                for k in 0..<d where mask & (1 << k) != 0 { c[k] = dimensions[k].codes.count - 1 }
                list.append(cube.cellIndex(c))
            }
            targets.append(list)
        }
        for v in 0..<areas.villages.count {
            let (kec, kab) = areas.ancestorSlots(ofVillage: v)
            families[v] += Double(familiesPerVillage[v]); families[kec] += Double(familiesPerVillage[v]); families[kab] += Double(familiesPerVillage[v])
            for base in 0..<acc.baseCells {
                let n = acc.counts[v * acc.baseCells + base]
                guard n != 0 || !acc.sumVars.isEmpty else { continue }
                let key = keyed ? acc.keySums[v * acc.baseCells + base] : 0
                for t in targets[base] {
                    for s in [v, kec, kab] {
                        if keyed { keys[s * nCells + t] &+= key }
                        counts[s * nCells + t] += Double(n)
                        for k in acc.sumVars.indices {
                            sums[k][s * nCells + t] += acc.sums[k][v * acc.baseCells + base]
                            sumNs[k][s * nCells + t] += Double(acc.sumCounts[k][v * acc.baseCells + base])
                        }
                    }
                }
            }
        }
        // Measures from the full counts: shared with the database path (`PushdownEngine`), whose grouping sets
        // deliver the full counts directly.
        fill(&cube, measures: acc.spec.measures, counts: counts, sums: sums, sumNs: sumNs, families: families,
             sumIndex: { sumIndex(acc, $0) })
        if keyed { cube.cellKeys = keys }
        return cube
    }

    private static func sumIndex(_ acc: TableAccumulator, _ v: String) -> Int {
        acc.spec.measures.compactMap { m -> String? in
            switch m.kind { case .sum(let x), .mean(let x): return x; default: return nil }
        }.firstIndex(of: v)!
    }
}
