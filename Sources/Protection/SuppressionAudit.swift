import Tabulation

/// The check that runs after suppression, on the cubes as they will be published, independently of how
/// the pattern was chosen. It fails the run (throws) when:
/// - a confidential cell is the only confidential member of a published additive relation (row, column,
///   village group, kecamatan group, relation between measures or tables) — it could be recomputed exactly;
/// - a confidential cell is determined by a combination of such relations (`LinearRecovery`);
/// - the same statistic is confidential in one table and published in another;
/// - a percentage, rate or mean is published although a count it is computed from is confidential.
///
/// Why a separate pass: the secondary suppression establishes these properties by construction, but a
/// later edit (a new table, a new renderer path, a hand-edited status) could break them; the audit reads
/// only statuses and the model's relations, so it catches a broken pattern whatever produced it.
public enum SuppressionAudit {
    /// Audits `protected` cubes against the relations of the `original` (unprotected) cubes.
    public static func check(original: [ResultCube], protected: [ResultCube], descriptions: [CubeDescription],
                             relations: [IdentityRelation] = []) throws {
        let model = CellModel(cubes: original, descriptions: descriptions, identityRelations: relations)
        try check(model, protected: protected.map { $0.cells(ofSlots: model.block.slots) })
    }

    /// Audits one model (a block of areas or all) against its protected cells: per cube, the cells of the
    /// model's slots in its layout (`ResultCube.cells(ofSlots:)`).
    static func check(_ model: CellModel, protected: [[Cell?]]) throws {
        // Status of every statistic, the same in every table.
        var status = [Int8](repeating: -1, count: model.count)   // -1 unseen, 0 published, 1 confidential
        var seenIn = [Int32](repeating: -1, count: model.count)
        for (ci, cells) in protected.enumerated() {
            let map = model.variableOf[ci]
            for at in cells.indices {
                let v = map[at]
                guard v >= 0 else { continue }
                let s: Int8 = cells[at]?.status == .confidential ? 1 : 0
                if status[Int(v)] < 0 { status[Int(v)] = s; seenIn[Int(v)] = Int32(ci); continue }
                if status[Int(v)] != s {
                    let (conf, pub) = s == 1 ? (ci, Int(seenIn[Int(v)])) : (Int(seenIn[Int(v)]), ci)
                    let ref = model.ref(of: v, preferringCube: conf)
                    throw ProtectionError.inconsistentLink(table: model.cubes[conf].table, otherTable: model.cubes[pub].table,
                                                           area: model.describeArea(ref.slot), cell: model.describeCell(ref))
                }
            }
        }
        // Relations: zero or at least two confidential members.
        for r in model.relations {
            let conf = Set(r.members).filter { status[Int($0)] == 1 }
            if conf.count == 1, let x = conf.first {
                let ci = model.cube(of: r)
                let ref = model.ref(of: x, preferringCube: ci)
                throw ProtectionError.recoverable(table: model.cubes[ref.cube].table, area: model.describeArea(ref.slot),
                                                  cell: model.describeCell(ref), relation: model.describeRelation(r))
            }
        }
        // Combinations of relations: no confidential statistic determined by the published ones; the
        // smallest determined statistic is named.
        if let x = LinearRecovery.determined(model, confidential: status.map { $0 == 1 }).min() {
            let ref = model.ref(of: x, preferringCube: nil)
            let involved = model.relationsOf[Int(x)].prefix(3).map { model.describeRelation(model.relations[Int($0)]) }
            throw ProtectionError.recoverable(table: model.cubes[ref.cube].table, area: model.describeArea(ref.slot), cell: model.describeCell(ref),
                                              relation: "combination of published relations, among them \(involved.joined(separator: "; "))")
        }
        // Derived cells.
        for (ci, cells) in protected.enumerated() {
            let cube = model.cubes[ci]
            let desc = model.descriptions[ci]
            let map = model.variableOf[ci]
            let nm = cube.measures.count, nc = cube.cellsPerArea
            for (ls, slot) in model.block.slots.enumerated() {
                for c in 0..<nc {
                    for m in 0..<nm {
                        guard let cell = cells[(ls * nc + c) * nm + m], cell.status != .confidential else { continue }
                        // A rate left not applicable (M) beside a published zero denominator reveals nothing.
                        if case .ratio(_, let d) = desc.roles[m], cell.status == .notApplicable {
                            let dv = map[(ls * nc + c) * nm + d]
                            if dv < 0 || status[Int(dv)] != 1 { continue }
                        }
                        for input in DerivedCells.inputs(desc.roles[m], cube: cube, cell: c) {
                            let v = map[(ls * nc + input.cell) * nm + input.measure]
                            if v >= 0, status[Int(v)] == 1 {
                                let ref = CellRef(cube: ci, slot: slot, cell: c, measure: m)
                                throw ProtectionError.derivedLeak(table: cube.table, area: model.describeArea(slot), cell: model.describeCell(ref))
                            }
                        }
                    }
                }
            }
        }
    }
}
