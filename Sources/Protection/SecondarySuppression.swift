/// Secondary suppression: after it, no relation of the model (a row or column of a table, a village group
/// and its kecamatan, a kecamatan group and the kabupaten, a relation between measures or tables) has
/// exactly one confidential member — which is what would let a reader recompute that member by
/// subtraction.
///
/// The heuristic (of the hypercube family, as in τ-ARGUS's GHMITER, run on the linked model instead of one
/// table at a time):
/// 1. Work list: every relation with exactly one confidential member.
/// 2. For such a relation, confidentialise the one other member that is cheapest, in this order:
///    a. not the relation's total when an interior member will do (issue: never a total when an interior
///       cell will do);
///    b. not a zero when a non-zero cell will do — a confidential zero next to a primary cell gives the
///       reader an exact upper bound (the primary equals the published remainder minus nothing);
///    c. the least aggregated (village before kecamatan, codes before `_T` margins);
///    d. the one that *closes* most other relations and opens fewest: a relation of the candidate that
///       already has one confidential member is fixed by it, one with none would need a further cell. This
///       is what makes patterns close into rectangles and hypercubes (the corners of a primary cell's
///       hypercube share rows and columns pairwise) instead of chains running across the table;
///    e. the smallest value (least information lost), then the lowest index (deterministic).
/// 3. Put every relation that now has exactly one confidential member back on the list; repeat until empty.
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
    /// For each statistic that a combination of relations determines, confidentialises the cheapest
    /// published member of one of its relations (same preferences as `run`). Returns the cells added.
    static func breakRecovery(_ model: CellModel, determined: [Int32], confidential: inout [Bool]) -> [Int32] {
        var added: [Int32] = []
        func suppressed(_ q: Int32) -> Int { Set(model.relations[Int(q)].members).filter { confidential[Int($0)] }.count }
        for x in determined {
            var best: Int32 = -1
            var bestCost: (Int, Int, Int32, Int, Double, Int32) = (.max, .max, .max, .max, .infinity, .max)
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
                if candidates.contains(where: { model.relations[Int($0)].members.contains { !confidential[Int($0)] } }) { break }
            }
            for r in candidates {
                let relation = model.relations[Int(r)]
                for y in Set(relation.members) where !confidential[Int(y)] {
                    var delta = 0
                    for q in model.relationsOf[Int(y)] where q != r {
                        switch suppressed(q) {
                        case 0: delta += 1
                        case 1: delta -= 1
                        default: break
                        }
                    }
                    let v = model.value[Int(y)]
                    let cost = (y == relation.total ? 1 : 0, v == 0 ? 1 : 0, model.marginality[Int(y)], delta, v, y)
                    if cost < bestCost { bestCost = cost; best = y }
                }
            }
            guard best >= 0 else { continue }
            confidential[Int(best)] = true
            added.append(best)
        }
        return added
    }

    /// Marks statistics confidential (`confidential[v]`) until no relation has exactly one; returns the
    /// statistics added (in the order chosen).
    static func run(_ model: CellModel, confidential: inout [Bool]) -> [Int32] {
        let relations = model.relations
        var suppressedIn = relations.map { r in Int32(Set(r.members).filter { confidential[Int($0)] }.count) }
        var queue: [Int32] = relations.indices.filter { suppressedIn[$0] == 1 }.map(Int32.init)
        var head = 0
        var added: [Int32] = []
        while head < queue.count {
            let r = Int(queue[head]); head += 1
            guard suppressedIn[r] == 1 else { continue }
            let relation = relations[r]
            var best: Int32 = -1
            var bestCost: (Int, Int, Int32, Int, Double, Int32) = (.max, .max, .max, .max, .infinity, .max)
            for y in Set(relation.members) where !confidential[Int(y)] {
                var delta = 0
                for q in model.relationsOf[Int(y)] where Int(q) != r {
                    switch suppressedIn[Int(q)] {
                    case 0: delta += 1
                    case 1: delta -= 1
                    default: break
                    }
                }
                let v = model.value[Int(y)]
                let cost = (y == relation.total ? 1 : 0, v == 0 ? 1 : 0, model.marginality[Int(y)], delta, v, y)
                if cost < bestCost { bestCost = cost; best = y }
            }
            guard best >= 0 else { continue }   // cannot happen: one confidential member leaves at least one other
            confidential[Int(best)] = true
            added.append(best)
            for q in model.relationsOf[Int(best)] {
                suppressedIn[Int(q)] += 1
                if suppressedIn[Int(q)] == 1 { queue.append(q) }
            }
        }
        return added
    }
}
