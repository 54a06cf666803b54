import Dispatch

/// The independent blocks of a cell model: one per kabupaten. Every relation of the model lies inside one
/// kabupaten — a dimension or identity relation is within one area, a hierarchy relation within one
/// kabupaten's villages and kecamatan — so what secondary suppression, the recovery check and the interval
/// check decide for one kabupaten neither reads nor changes a cell of another.
///
/// Why: run over the whole model, every round of those passes revisited every cell, and the number of rounds
/// grows with the number of areas (a repair in one regency started another round over all of them), so a
/// registry of 50 regencies spent minutes there (issue 19). Per block, the work is the sum of the blocks'
/// own, and the blocks run on all cores.
///
/// Same result as one pass over the whole model: the passes work in index order and break ties by index;
/// a block keeps its statistics and relations in the parent's order, and the sequence of steps a block
/// sees in the whole-model loop is its own loop with steps that change nothing in it (rounds run for
/// other blocks) interleaved. The random solutions of `LinearRecovery` differ, which changes nothing but
/// a one-in-p² chance.
struct ModelBlocks {
    /// Per block, its statistics and its relations, ascending.
    var statistics: [[Int32]]
    var relations: [[Int32]]
    /// Position of each statistic within its block's `statistics`.
    var local: [Int32]

    init(_ model: CellModel) {
        let areas = model.areas
        let nv = areas.villages.count, nk = areas.kecamatans.count
        func block(ofSlot s: Int) -> Int {
            if s < nv { return areas.kecamatans[areas.villages[s].kecamatan].kabupaten }
            if s < nv + nk { return areas.kecamatans[s - nv].kabupaten }
            return s - nv - nk
        }
        let count = max(1, areas.kabupatens.count)
        var statistics = [[Int32]](repeating: [], count: count)
        var relations = [[Int32]](repeating: [], count: count)
        var local = [Int32](repeating: -1, count: model.count)
        var blockOf = [Int32](repeating: 0, count: model.count)
        for v in 0..<model.count {
            let b = block(ofSlot: Int(model.slotOf[v]))
            blockOf[v] = Int32(b)
            local[v] = Int32(statistics[b].count)
            statistics[b].append(Int32(v))
        }
        var split = true
        for (r, relation) in model.relations.enumerated() {
            let b = blockOf[Int(relation.total)]
            if relation.members.contains(where: { blockOf[Int($0)] != b }) { split = false; break }
            relations[Int(b)].append(Int32(r))
        }
        if !split || count == 1 {
            // A relation across kabupaten (none is made today): one block, the whole model.
            self = ModelBlocks(whole: model)
        } else {
            self.statistics = statistics
            self.relations = relations
            self.local = local
        }
    }

    /// One block: the whole model.
    init(whole model: CellModel) {
        statistics = [Array(0..<Int32(model.count))]
        relations = [Array(0..<Int32(model.relations.count))]
        local = Array(0..<Int32(model.count))
    }

    var count: Int { statistics.count }

    /// Runs `work` on every block's model (the whole model itself when there is one block), on all
    /// cores, and returns the results in block order. `work` gets the block's model and the block's
    /// index; it must read only that model.
    func map<T: Sendable>(_ model: CellModel, _ work: @escaping @Sendable (CellModel, Int) -> T) -> [T] {
        if count == 1 { return [work(model, 0)] }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let box = ResultSlots(pointer: results)
        let statistics = self.statistics, relations = self.relations, local = self.local
        DispatchQueue.concurrentPerform(iterations: count) { b in
            let part = CellModel(part: model, statistics: statistics[b], relations: relations[b], local: local)
            box.pointer[b] = work(part, b)
        }
        return results.map { $0! }
    }

    /// `values` of the whole model, for the statistics of block `b`.
    func slice<T>(_ values: [T], block b: Int) -> [T] {
        count == 1 ? values : statistics[b].map { values[Int($0)] }
    }

    /// Each block writes only its own slot.
    private struct ResultSlots<T>: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<T?>
    }
}
