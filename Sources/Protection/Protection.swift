import Foundation
import Microdata
import Profile
import Tabulation

/// How one cell came out of protection.
public enum CellMark: UInt8, Sendable {
    /// Published as computed (or absent / not applicable).
    case published
    /// Count cell confidential by the primary rule (0 < n < threshold).
    case primary
    /// Count cell confidential by secondary suppression.
    case secondary
    /// Percentage, rate or mean confidential because a count it is computed from is.
    case derived
    /// Cell key method: the count (or the rate recomputed from counts) was changed.
    case perturbed
}

/// Protected cubes with the report and, per cell, how it was protected (for tests and statistics).
public struct ProtectedCubes: Sendable {
    public var cubes: [ResultCube]
    public var report: ProtectionReport
    /// Per cube, per flat position `(slot × cellsPerArea + cell) × measures + measure`.
    let marks: [[CellMark]]

    /// How the cell (table, area, dimension codes, measure) was protected.
    public func mark(_ table: String, _ area: AreaRef, _ codes: [String], _ measure: String) -> CellMark {
        guard let ci = cubes.firstIndex(where: { $0.table == table }) else { return .published }
        let cube = cubes[ci]
        guard let m = cube.measureIndex(measure) else { return .published }
        var idx: [Int] = []
        for (d, c) in codes.enumerated() {
            guard let i = cube.dimensions[d].index(of: c) else { return .published }
            idx.append(i)
        }
        return marks[ci][(cube.areas.slot(area) * cube.cellsPerArea + cube.cellIndex(idx)) * cube.measures.count + m]
    }
}

/// A run's engine result with every published cube protected, and what protection did.
public struct ProtectionOutcome: Sendable {
    public var result: EngineResult
    public var report: ProtectionReport
}

/// Disclosure control applied to result cubes — every profile table and the four targeting cubes — before
/// anything is published: the minimum-frequency rule with secondary suppression across tables, villages,
/// kecamatan and the kabupaten, audited; or the cell key method. Works only on cubes (and, for the cell
/// key method, the record-key sums the engine adds to them); never on microdata.
public enum Protection {
    /// Protects an engine result as `spec` says. `salt` is the run's secret (`--salt`/`REGTAB_SALT`),
    /// required by the cell key method, unused otherwise.
    public static func apply(_ spec: ProtectionSpec, salt: String?, to engine: EngineResult, tables: [TableSpec]) throws -> ProtectionOutcome {
        let (cubes, descriptions, relations) = try describe(engine, tables: tables)
        let protected = try protect(cubes: cubes, descriptions: descriptions, relations: relations, spec: spec, salt: salt)
        var result = engine
        let n = engine.cubes.count
        result.cubes = Array(protected.cubes[..<n])
        result.targeting.replacePublishedCubes(Array(protected.cubes[n...]))
        return ProtectionOutcome(result: result, report: protected.report)
    }

    /// Every published cube of a run (profile tables in order, then targeting, duplicates, overlap,
    /// agreement — targeting alone without a roster), its description and the relations between targeting statistics.
    public static func describe(_ engine: EngineResult, tables: [TableSpec]) throws
        -> (cubes: [ResultCube], descriptions: [CubeDescription], relations: [IdentityRelation]) {
        let t = engine.targeting
        let cubes = engine.cubes + t.publishedCubes
        let descriptions: [CubeDescription] = try cubes.map { cube in
            if let spec = tables.first(where: { $0.id == cube.table }) { return try ProfileDescriptions.describe(spec, cube: cube) }
            if let d = TargetingDescriptions.describe(cube, personProgrammes: t.personProgrammes) { return d }
            throw ProtectionError.unprotectable(table: cube.table, reason: "no description of its measures")
        }
        return (cubes, descriptions, TargetingDescriptions.relations(t))
    }

    /// Protects any set of cubes that share one area index.
    public static func protect(cubes: [ResultCube], descriptions: [CubeDescription], relations: [IdentityRelation] = [],
                               spec: ProtectionSpec, salt: String? = nil) throws -> ProtectedCubes {
        let start = Date()
        var report = ProtectionReport(method: spec.method)
        guard spec.method != .none, !cubes.isEmpty else {
            return ProtectedCubes(cubes: cubes, report: report,
                                  marks: cubes.map { [CellMark](repeating: .published, count: $0.areas.slotCount * $0.cellsPerArea * $0.measures.count) })
        }
        if spec.method == .cellkey, salt?.isEmpty ?? true { throw ProtectionError.missingSalt }
        let model = CellModel(cubes: cubes, descriptions: descriptions, identityRelations: relations)
        report.statistics = model.count
        report.relations = model.relations.count
        report.linkMismatches = model.linkMismatches
        report.groupFlags = GroupDisclosure.flags(model, threshold: spec.threshold)

        var out = cubes
        var marks: [[CellMark]] = []
        switch spec.method {
        case .suppression:
            let primary = PrimaryRule.apply(model, threshold: spec.threshold)
            var confidential = primary
            var added = SecondarySuppression.run(model, confidential: &confidential)
            // Cells pinned down by a combination of relations: suppress one more cell next to each, close
            // the new singletons, and check again until none is left.
            while case let determined = LinearRecovery.determined(model, confidential: confidential), !determined.isEmpty {
                report.recoveryRounds += 1
                report.recoveryRepairs += determined.count
                let repairs = SecondarySuppression.breakRecovery(model, determined: determined, confidential: &confidential)
                guard !repairs.isEmpty else { break }   // cannot happen short of everything suppressed; the audit reports it
                added += repairs
                added += SecondarySuppression.run(model, confidential: &confidential)
            }
            report.primaryStatistics = primary.filter { $0 }.count
            report.secondaryStatistics = added.count
            for ci in cubes.indices {
                marks.append(writeSuppression(&out[ci], model: model, ci: ci, primary: primary, confidential: confidential))
            }
            try SuppressionAudit.check(model, protected: out)
        case .cellkey:
            let table = PerturbationTable(maxDeviation: spec.maxDeviation, variance: spec.variance)
            let perturbed = CellKeyMethod.perturb(model, table: table, keys: CellKeyMethod.keys(model, salt: salt!))
            for ci in cubes.indices {
                marks.append(writePerturbation(&out[ci], model: model, ci: ci, perturbed: perturbed, threshold: spec.threshold))
            }
        case .none:
            break
        }
        report.tables = cubes.indices.map { statistics(original: cubes[$0], protected: out[$0], marks: marks[$0], model: model, ci: $0) }
        for f in report.groupFlags {
            if let i = report.tables.firstIndex(where: { $0.table == f.table }) { report.tables[i].groupFlags += 1 }
        }
        report.seconds = Date().timeIntervalSince(start)
        return ProtectedCubes(cubes: out, report: report, marks: marks)
    }

    // MARK: writing statuses and values back

    /// Confidential statistics become `C` with no value in every cube they appear in; derived cells whose
    /// inputs are confidential become `C` too (even where they were `M`: an `M` rate tells its denominator
    /// is zero). The value is removed, not only hidden, so nothing downstream (rankings, key figures) can
    /// read it.
    static func writeSuppression(_ cube: inout ResultCube, model: CellModel, ci: Int, primary: [Bool], confidential: [Bool]) -> [CellMark] {
        let desc = model.descriptions[ci], map = model.variableOf[ci]
        let nm = cube.measures.count, nc = cube.cellsPerArea
        var marks = [CellMark](repeating: .published, count: map.count)
        for slot in 0..<cube.areas.slotCount {
            for c in 0..<nc {
                for m in 0..<nm {
                    let at = (slot * nc + c) * nm + m
                    guard cube[slot: slot, cell: c, measure: m] != nil else { continue }
                    if case .count = desc.roles[m] {
                        let v = Int(map[at])
                        guard v >= 0, confidential[v] else { continue }
                        marks[at] = primary[v] ? .primary : .secondary
                    } else {
                        let hidden = DerivedCells.inputs(desc.roles[m], cube: cube, cell: c).contains { input in
                            let v = Int(map[(slot * nc + input.cell) * nm + input.measure])
                            return v >= 0 && confidential[v]
                        }
                        guard hidden else { continue }
                        marks[at] = .derived
                    }
                    cube[slot: slot, cell: c, measure: m] = Cell(value: nil, status: .confidential)
                }
            }
        }
        return marks
    }

    /// Counts take their statistic's perturbed value; percentages and rates are recomputed from the
    /// perturbed counts (`M` where the perturbed denominator is zero); sums and means are confidential
    /// where the count is below the threshold.
    static func writePerturbation(_ cube: inout ResultCube, model: CellModel, ci: Int, perturbed: [Double], threshold: Int) -> [CellMark] {
        let desc = model.descriptions[ci], map = model.variableOf[ci]
        let nm = cube.measures.count, nc = cube.cellsPerArea
        var marks = [CellMark](repeating: .published, count: map.count)
        for slot in 0..<cube.areas.slotCount {
            for c in 0..<nc {
                for m in 0..<nm {
                    let at = (slot * nc + c) * nm + m
                    guard let old = cube[slot: slot, cell: c, measure: m] else { continue }
                    let inputs = DerivedCells.inputs(desc.roles[m], cube: cube, cell: c)
                        .map { Int(map[(slot * nc + $0.cell) * nm + $0.measure]) }
                    let new: Cell
                    switch desc.roles[m] {
                    case .count:
                        let v = Int(map[at])
                        guard v >= 0 else { continue }
                        new = .number(perturbed[v])
                    case .percent, .ratio:
                        guard inputs.count == 2, inputs.allSatisfy({ $0 >= 0 }) else { continue }
                        let den = perturbed[inputs[1]]
                        new = den == 0 ? .notApplicable : .number(perturbed[inputs[0]] / den * 100)
                    case .followsCount:
                        guard let v = inputs.first, v >= 0, PrimaryRule.isUnsafe(model.value[v], threshold: threshold) else { continue }
                        new = Cell(value: nil, status: .confidential)
                    }
                    if new != old { marks[at] = new.status == .confidential ? .derived : .perturbed }
                    cube[slot: slot, cell: c, measure: m] = new
                }
            }
        }
        return marks
    }

    static func statistics(original: ResultCube, protected: ResultCube, marks: [CellMark], model: CellModel, ci: Int) -> TableProtection {
        var t = TableProtection(table: original.table)
        let nm = original.measures.count, nc = original.cellsPerArea
        let villages = original.areas.villages.count
        let map = model.variableOf[ci]
        for slot in 0..<original.areas.slotCount {
            for c in 0..<nc {
                for m in 0..<nm {
                    guard let before = original[slot: slot, cell: c, measure: m], before.status == .value else { continue }
                    let at = (slot * nc + c) * nm + m
                    let after = protected[slot: slot, cell: c, measure: m]
                    let isConfidential = after?.status == .confidential
                    t.cells += 1
                    if isConfidential { t.confidential += 1 }
                    if slot < villages {
                        t.villageCells += 1
                        if isConfidential { t.villageConfidential += 1 }
                    }
                    switch marks[at] {
                    case .primary: t.primary += 1
                    case .secondary:
                        t.secondary += 1
                        if map[at] >= 0 { t.secondarySum += model.value[Int(map[at])] }
                    case .derived: t.derived += 1
                    case .perturbed:
                        t.perturbed += 1
                        if map[at] >= 0, let a = after?.value, let b = before.value { t.maxDeviation = max(t.maxDeviation, Int(abs(a - b).rounded())) }
                    case .published: break
                    }
                }
            }
        }
        return t
    }
}
