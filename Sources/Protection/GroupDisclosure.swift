import Tabulation

/// Group attribute disclosure: in a village, a row or column whose units all fall into one stated category
/// (e.g. all 40 families of a village rent their dwelling, or every eligible family of a village receives
/// nothing). No cell is small, yet every member of the group is known to have the attribute.
///
/// Decision: flagged, not suppressed. Suppressing the dominant cell does not hide the attribute while the
/// zeros of the same row are published (the reader sees "x, 0, 0, 0"), and hiding the zeros as well
/// would blank most rows of small villages in most tables; the flags go to the run summary (counts per
/// table) and the restricted manifest (every flagged row), so the statistician can collapse categories or
/// drop a table at village level where the attribute is sensitive.
///
/// Flagged: village-level relations along a dimension of a table or between measures (not the hierarchy:
/// "everyone is in one village" is not an attribute), whose total is at least the threshold, with exactly
/// one non-zero part, which is not "not stated" (`_Z`: knowing nothing is not an attribute).
public struct GroupFlag: Sendable, Hashable {
    public var table: String
    public var areaCode: String
    /// The relation, e.g. `r301a at r301a=_T: all in r301a=2`.
    public var detail: String
}

enum GroupDisclosure {
    /// The flags of one model, each with its place in the order of a model over all areas (relation kind,
    /// cube or identity relation, dimension, area slot, then the relation's index in its block), so that the
    /// blocks' flags merge into one list whatever the blocks.
    static func flags(_ model: CellModel, threshold: Int) -> [(order: [Int], flag: GroupFlag)] {
        var out: [(order: [Int], flag: GroupFlag)] = []
        for (index, r) in model.relations.enumerated() {
            let slot = Int(model.slotOf[Int(r.total)])
            guard model.level(ofSlot: slot) == 0, model.value[Int(r.total)] >= Double(threshold) else { continue }
            let nonZero = r.members.dropFirst().filter { model.value[Int($0)] != 0 }
            guard nonZero.count == 1, let part = nonZero.first else { continue }
            switch r.kind {
            case .hierarchy:
                continue
            case .dimension(let ci, let d):
                let ref = model.ref(of: part, preferringCube: ci)
                let cube = model.cubes[ci]
                let code = cube.dimensions[d].codes[cube.codes(ofCell: ref.cell)[d]]
                guard code != "_Z" else { continue }
                out.append(([0, ci, d, slot, index], GroupFlag(table: cube.table, areaCode: model.areas.code(model.area(ofSlot: slot)),
                                     detail: "all units of \(model.describeCell(model.ref(of: r.total, preferringCube: ci))) have \(cube.dimensions[d].id)=\(code)")))
            case .identity(let i):
                let rel = model.identityRelations[i]
                out.append(([1, i, 0, slot, index], GroupFlag(table: rel.table, areaCode: model.areas.code(model.area(ofSlot: slot)),
                                     detail: "\(rel.label): all in \(model.identities[Int(model.identityOf[Int(part)])])")))
            }
        }
        return out
    }
}
