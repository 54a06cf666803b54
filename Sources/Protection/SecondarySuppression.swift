import Profile

/// Secondary suppression: after it, no relation of the model (a row or column of a table, a village group
/// and its kecamatan, a kecamatan group and the kabupaten, a relation between measures or tables) has
/// exactly one confidential member — which is what would let a reader recompute that member by
/// subtraction.
///
/// The heuristic (of the hypercube family, as in τ-ARGUS's GHMITER, run on the linked model instead of one
/// table at a time):
/// 1. Work list: every relation with exactly one confidential member.
///    Also on the list: every relation with a published total holding a primary part whose hidden parts
///    add up to less than the threshold. Such a relation tells the reader that the primary cell is at
///    most that sum: "x + x = 2" is a 1 and a 1 whatever else is hidden (interval protection: the width
///    of what a reader can deduce about a primary cell must reach the threshold). A hidden total bounds
///    nothing by itself; its own relations do.
/// 2. For such a relation, confidentialise the one other member that can be hidden (not a cell of an
///    unprotected table, not a perturbed one) and is cheapest by the report's `SecondaryCost`. Both costs
///    first avoid the relation's total when an interior member will do (never a total while an interior
///    cell will do), then a cell too small to close the relation's shortfall. Then:
///    - `structure` (default): a non-zero cell, the least aggregated (village before kecamatan, codes
///      before `_T` margins), the one that *closes* most other relations and opens fewest (patterns close
///      into rectangles instead of chains), then the smallest value;
///    - `persons`: a not-stated (`_Z`) cell first, then the fewest persons or families hidden (zeros cost
///      nothing), then the least aggregated, then the cell closing most other relations.
///    Ties go to the lowest index (deterministic). On the demo registry `structure` hides fewer cells
///    (5.0 % against 6.0 % of all published cells) and fewer persons and families (31,541 against
///    40,063): a hidden zero costs no person but opens every other relation it is in, and the cells
///    those then need cost more than the zero saved (README, Disclosure control).
/// 3. Put every relation that is open again back on the list; repeat until empty.
///
/// It always ends (every step confidentialises one more cell) and always reaches a state where every
/// relation has zero or at least two confidential members — at worst by suppressing a whole relation.
/// Because linked cells are one statistic, a cell suppressed for one table is suppressed in all.
///
/// Combining *several* relations can still pin a cell down (an odd cycle of pairwise relations does);
/// `LinearRecovery` finds such cells and `breakRecovery` suppresses one more member of one of their
/// relations, after which the singleton pass runs again — until no confidential cell is determined.
/// Not covered: interval protection (how narrowly non-negativity bounds a confidential cell), which needs
/// linear programming over the whole model (τ-ARGUS's optimal method) at a far higher cost.
enum SecondarySuppression {
    /// The cost of hiding a candidate, compared lexicographically (smaller is cheaper).
    typealias Cost = (Int, Int, Int, Int, Double, Int32)

    static func cost(_ model: CellModel, _ y: Int32, isTotal: Bool, shortfall: Double, delta: Int, rule: ProtectionSpec.SecondaryCost) -> Cost {
        let v = model.value[Int(y)]
        let tooSmall = shortfall > 0 && v < shortfall
        let marginality = Int(model.marginality[Int(y)])
        switch rule {
        case .persons:
            let flags = (isTotal ? 4 : 0) | (tooSmall ? 2 : 0) | (model.notStated[Int(y)] ? 0 : 1)
            return (flags, Int(v.rounded()), marginality, delta, v, y)
        case .structure:
            let flags = (isTotal ? 4 : 0) | (tooSmall ? 2 : 0) | (v == 0 ? 1 : 0)
            return (flags, marginality, delta, Int(v.rounded()), v, y)
        }
    }

    /// For each statistic that a combination of relations determines, confidentialises the cheapest
    /// published member of one of its relations (same preferences as `run`). Returns the cells added.
    /// `widen`: the cells are primary cells whose interval is too narrow (not determined ones): a candidate
    /// smaller than the threshold is then avoided, as it cannot widen the interval enough (a hidden zero
    /// widens nothing).
    static func breakRecovery(_ model: CellModel, determined: [Int32], confidential: inout [Bool], rule: ProtectionSpec.SecondaryCost,
                              widen: Bool = false) -> [Int32] {
        var added: [Int32] = []
        func suppressed(_ q: Int32) -> Int { Set(model.relations[Int(q)].members).filter { confidential[Int($0)] }.count }
        for x in determined {
            var best: Int32 = -1
            var bestCost: Cost = (.max, .max, .max, .max, .infinity, .max)
            // The relations of x; when all their members are confidential already, those of the
            // statistics next to x, and so on outwards (the recovery runs through them).
            var frontier: [Int32] = [x], seen: Set<Int32> = [x], relationsSeen = Set<Int32>()
            var candidates: [Int32] = []
            while best < 0, !frontier.isEmpty {
                candidates = frontier.flatMap { model.relationsOf[Int($0)] }.filter { relationsSeen.insert($0).inserted }
                var next: [Int32] = []
                for r in candidates {
                    for y in model.relations[Int(r)].members where confidential[Int(y)] && seen.insert(y).inserted { next.append(y) }
                }
                frontier = next
                if candidates.contains(where: { model.relations[Int($0)].members.contains { !confidential[Int($0)] && model.canHide($0) } }) { break }
            }
            for r in candidates {
                let relation = model.relations[Int(r)]
                for y in Set(relation.members) where !confidential[Int(y)] && model.canHide(y) {
                    var delta = 0
                    for q in model.relationsOf[Int(y)] where q != r {
                        switch suppressed(q) {
                        case 0: delta += 1
                        case 1: delta -= 1
                        default: break
                        }
                    }
                    let c = cost(model, y, isTotal: y == relation.total, shortfall: widen ? Double(model.threshold[Int(x)]) : 0, delta: delta, rule: rule)
                    if c < bestCost { bestCost = c; best = y }
                }
            }
            guard best >= 0 else { continue }
            confidential[Int(best)] = true
            added.append(best)
        }
        return added
    }

    /// Marks statistics confidential (`confidential[v]`) until no relation is open (exactly one
    /// confidential member, or a primary member and hidden cells adding up to less than the threshold);
    /// returns the statistics added (in the order chosen). `primary` marks the primary cells.
    static func run(_ model: CellModel, primary: [Bool], confidential: inout [Bool], rule: ProtectionSpec.SecondaryCost) -> [Int32] {
        let relations = model.relations
        var suppressedIn = [Int32](repeating: 0, count: relations.count)
        var hiddenSum = [Double](repeating: 0, count: relations.count)
        // Per relation, the threshold its hidden cells must reach: the largest of its primary members' (0: none).
        var needed = [Double](repeating: 0, count: relations.count)
        // The hidden parts of a relation (its total excluded) bound each of them from above when the total
        // is published: p ≤ Σ hidden parts. A hidden total bounds nothing by itself; its own relations do.
        func isPart(_ m: Int32, of relation: Relation) -> Bool { m != relation.total }
        // Only a relation with a hidden member can be open (primary cells are hidden): those are read.
        let touched = model.relations(of: (0..<Int32(model.count)).filter { confidential[Int($0)] })
        for ri in touched {
            let r = Int(ri), relation = relations[r]
            for (i, m) in relation.members.enumerated() where !relation.members[..<i].contains(m) {
                if confidential[Int(m)] {
                    suppressedIn[r] += 1
                    if isPart(m, of: relation) { hiddenSum[r] += model.value[Int(m)] }
                }
                if primary[Int(m)], isPart(m, of: relation) { needed[r] = max(needed[r], Double(model.threshold[Int(m)])) }
            }
        }
        func isOpen(_ r: Int) -> Bool {
            suppressedIn[r] == 1 || (suppressedIn[r] > 0 && hiddenSum[r] < needed[r] && !confidential[Int(relations[r].total)])
        }
        var queue: [Int32] = touched.filter { isOpen(Int($0)) }
        var head = 0
        var added: [Int32] = []
        while head < queue.count {
            let r = Int(queue[head]); head += 1
            guard isOpen(r) else { continue }
            let relation = relations[r]
            let shortfall = confidential[Int(relation.total)] ? 0 : needed[r] - hiddenSum[r]
            var best: Int32 = -1
            var bestCost: Cost = (.max, .max, .max, .max, .infinity, .max)
            for (i, y) in relation.members.enumerated() where !confidential[Int(y)] && model.canHide(y) && !relation.members[..<i].contains(y) {
                var delta = 0
                for q in model.relationsOf[Int(y)] where Int(q) != r {
                    switch suppressedIn[Int(q)] {
                    case 0: delta += 1
                    case 1: delta -= 1
                    default: break
                    }
                }
                let c = cost(model, y, isTotal: y == relation.total, shortfall: shortfall, delta: delta, rule: rule)
                if c < bestCost { bestCost = c; best = y }
            }
            // None left to hide (every other member public or perturbed): the audit names the relation
            // if it recovers a confidential cell.
            guard best >= 0 else { continue }
            confidential[Int(best)] = true
            added.append(best)
            for q in model.relationsOf[Int(best)] {
                suppressedIn[Int(q)] += 1
                if isPart(best, of: relations[Int(q)]) { hiddenSum[Int(q)] += model.value[Int(best)] }
                if isOpen(Int(q)) { queue.append(q) }
            }
            if isOpen(r) { queue.append(Int32(r)) }
        }
        return added
    }
}
