import Dispatch
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
    /// Protects an engine result as `spec` says, table by table (`TablePolicy`: the report's rule with the
    /// table's `protect`, `publish_levels` and overrides from `tables.yml` and `protection.tables`). `salt`
    /// is the run's secret (`--salt`/`REGTAB_SALT`), required when a table uses the cell key method.
    /// `blocks: false` runs secondary suppression over the whole model at once, as before issue 19 (kept so
    /// that a test can show the blocks publish the same cells).
    public static func apply(_ spec: ProtectionSpec, salt: String?, to engine: EngineResult, tables: [TableSpec],
                             blocks: Bool = true) throws -> ProtectionOutcome {
        let (cubes, descriptions, relations) = try describe(engine, tables: tables)
        let policies = policies(spec, cubes: cubes, tables: tables)
        let protected = try protect(cubes: cubes, descriptions: descriptions, relations: relations, spec: spec, salt: salt,
                                    policies: policies, blocks: blocks)
        var result = engine
        let n = engine.cubes.count
        result.cubes = Array(protected.cubes[..<n])
        result.targeting.replacePublishedCubes(Array(protected.cubes[n...]))
        return ProtectionOutcome(result: result, report: protected.report)
    }

    /// The policy of every cube, in cube order.
    public static func policies(_ spec: ProtectionSpec, cubes: [ResultCube], tables: [TableSpec]) -> [TablePolicy] {
        cubes.map { cube in spec.policy(for: cube.table, own: tables.first { $0.id == cube.table }?.protection ?? TableProtectionSpec()) }
    }

    /// Whether a run needs the cell key salt: some table is protected by the cell key method.
    public static func needsSalt(_ spec: ProtectionSpec, tables: [TableSpec]) -> Bool {
        (tables.map(\.id) + ProtectionSpec.engineTables).contains { id in
            spec.policy(for: id, own: tables.first { $0.id == id }?.protection ?? TableProtectionSpec()).rule.method == .cellkey
        }
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

    /// Protects any set of cubes that share one area index. `policies` (one per cube; nil = `spec` for
    /// every cube, all levels published) say which cubes are protected, by which method and threshold, and
    /// down to which area level they are published: cells of other levels are removed before anything
    /// else, so they neither need protection nor give anything away.
    public static func protect(cubes input: [ResultCube], descriptions: [CubeDescription], relations: [IdentityRelation] = [],
                               spec: ProtectionSpec, salt: String? = nil, policies given: [TablePolicy]? = nil,
                               blocks useBlocks: Bool = true) throws -> ProtectedCubes {
        let start = Date()
        var report = ProtectionReport(method: spec.method)
        let policies = given ?? input.map { _ in TablePolicy(rule: spec) }
        let cubes = zip(input, policies).map { restrict($0, to: $1.publishLevels) }
        guard !cubes.isEmpty else { return ProtectedCubes(cubes: cubes, report: report, marks: []) }
        let methods = Set(policies.map(\.rule.method))
        guard methods != [.none] else {
            report.tables = cubes.indices.map { ci in
                var t = TableProtection(table: cubes[ci].table)
                t.method = .none
                t.publishLevels = policies[ci].publishLevels
                return t
            }
            return ProtectedCubes(cubes: cubes, report: report,
                                  marks: cubes.map { [CellMark](repeating: .published, count: $0.areas.slotCount * $0.cellsPerArea * $0.measures.count) })
        }
        if methods.contains(.cellkey), salt?.isEmpty ?? true { throw ProtectionError.missingSalt }
        let identities = StatisticIdentities(cubes: cubes, descriptions: descriptions)
        let identitySeconds = Date().timeIntervalSince(start)
        // Per kabupaten (independent blocks), on all cores: the same cells as one model over all areas.
        let blocks = useBlocks ? AreaBlock.perKabupaten(cubes[0].areas) : [AreaBlock.all(cubes[0].areas)]
        let merged = BlockMerge(cubes: cubes)
        let work = BlockWork(cubes: cubes, descriptions: descriptions, relations: relations, spec: spec, salt: salt,
                             policies: policies, methods: methods, identities: identities)
        let blocksStart = Date()
        DispatchQueue.concurrentPerform(iterations: blocks.count) { b in
            merged.add(b, work.protect(blocks[b]), slots: blocks[b].slots)
        }
        let blocksSeconds = Date().timeIntervalSince(blocksStart)
        let mergeStart = Date()
        let (out, marks, outcome) = try merged.finish(blockCount: blocks.count)
        report.statistics = outcome.statistics
        report.relations = outcome.relations
        report.linkMismatches = Array(outcome.linkMismatches.sorted { $0.at.lexicographicallyPrecedes($1.at) }.prefix(50).map(\.text))
        report.secondaryCost = spec.secondaryCost
        report.groupFlags = outcome.groupFlags.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map(\.flag)
        report.recoveryRounds = outcome.suppression.recoveryRounds
        report.recoveryRepairs = outcome.suppression.recoveryRepairs
        report.intervalRepairs = outcome.suppression.intervalRepairs
        report.intervalSkippedGroups = outcome.suppression.intervalSkippedGroups
        report.secondaryStatistics = outcome.suppression.added.count
        if methods.contains(.suppression) { report.primaryStatistics = outcome.primaryStatistics }
        report.tables = outcome.tables
        for f in report.groupFlags {
            if let i = report.tables.firstIndex(where: { $0.table == f.table }) { report.tables[i].groupFlags += 1 }
        }
        let seconds = outcome.seconds
        report.phases = [
            String(format: "statistic identities: %.2f s", identitySeconds),
            String(format: "%d blocks on %d threads: %.2f s", blocks.count, ProcessInfo.processInfo.activeProcessorCount, blocksSeconds),
            String(format: "  summed over blocks: cell model %.2f s (%d statistics, %d relations), group attribute flags %.2f s (%d), "
                   + "secondary suppression, recovery and interval checks %.2f s, statuses written %.2f s, audit %.2f s, statistics per table %.2f s",
                   seconds[0], outcome.statistics, outcome.relations, seconds[1], report.groupFlags.count, seconds[2], seconds[3], seconds[4], seconds[5]),
            String(format: "merge: %.2f s", Date().timeIntervalSince(mergeStart)),
        ]
        report.seconds = Date().timeIntervalSince(start)
        return ProtectedCubes(cubes: out, report: report, marks: marks)
    }

    /// What protecting one block gives: its cells as published (per cube, in the block's layout), how each
    /// was protected, and its share of the report.
    struct BlockOutcome: Sendable {
        var cells: [[Cell?]] = []
        var marks: [[CellMark]] = []
        var statistics = 0, relations = 0, primaryStatistics = 0
        var linkMismatches: [(at: [Int], text: String)] = []
        var groupFlags: [(order: [Int], flag: GroupFlag)] = []
        var suppression = SuppressionOutcome()
        var tables: [TableProtection] = []
        /// Per table, the sum of absolute perturbations (for the mean over all blocks).
        var deviationSums: [Double] = []
        /// Seconds of: cell model, group flags, suppression, statuses, audit, statistics per table.
        var seconds = [Double](repeating: 0, count: 6)
        var error: Error?
    }

    /// Everything one block needs, shared read-only by the blocks.
    struct BlockWork: @unchecked Sendable {
        let cubes: [ResultCube]
        let descriptions: [CubeDescription]
        let relations: [IdentityRelation]
        let spec: ProtectionSpec
        let salt: String?
        let policies: [TablePolicy]
        let methods: Set<ProtectionSpec.Method>
        let identities: StatisticIdentities

        /// The whole of disclosure control for one block: model, group flags, cell key perturbation, primary
        /// rule, secondary suppression with its checks, statuses written, audit, and the table statistics.
        func protect(_ block: AreaBlock) -> BlockOutcome {
            var o = BlockOutcome()
            var lap = Date()
            func step(_ i: Int) { let now = Date(); o.seconds[i] += now.timeIntervalSince(lap); lap = now }
            let model = CellModel(cubes: cubes, descriptions: descriptions, identityRelations: relations, policies: policies,
                                  block: block, identities: identities)
            o.statistics = model.count
            o.relations = model.relations.count
            o.linkMismatches = model.linkMismatches
            step(0)
            o.groupFlags = GroupDisclosure.flags(model, threshold: spec.threshold).filter { f in
                policies[cubes.firstIndex { $0.table == f.flag.table } ?? 0].isProtected
            }
            step(1)
            // Cell key method: every statistic of a cell-key table (and of no unprotected one) is perturbed,
            // with the parameters of the first cell-key table it appears in.
            var perturbed = model.value
            if methods.contains(.cellkey) {
                let keys = CellKeyMethod.keys(model, salt: salt!)
                var tables: [Int: PerturbationTable] = [:]
                for v in 0..<model.count where model.perturbedBy[v] >= 0 {
                    let ci = Int(model.perturbedBy[v])
                    if tables[ci] == nil { tables[ci] = PerturbationTable(maxDeviation: policies[ci].rule.maxDeviation, variance: policies[ci].rule.variance) }
                    perturbed[v] = model.value[v] + Double(tables[ci]!.deviation(count: Int(model.value[v].rounded()), key: keys[v]))
                }
            }
            // Suppression on the statistics of suppression tables.
            let primary = PrimaryRule.apply(model)
            var confidential = primary
            if methods.contains(.suppression) {
                o.suppression = Protection.suppress(model, primary: primary, confidential: &confidential, rule: spec.secondaryCost)
                o.primaryStatistics = primary.filter { $0 }.count
            }
            step(2)
            for ci in cubes.indices {
                var cells = cubes[ci].cells(ofSlots: block.slots)
                o.marks.append(write(&cells, original: cubes[ci], model: model, ci: ci, policy: policies[ci], primary: primary,
                                     confidential: confidential, perturbed: perturbed))
                o.cells.append(cells)
            }
            step(3)
            if methods.contains(.suppression) {
                do { try SuppressionAudit.check(model, protected: o.cells) } catch { o.error = error }
            }
            step(4)
            for ci in cubes.indices {
                let (t, sum) = Protection.statistics(original: cubes[ci], protected: o.cells[ci], marks: o.marks[ci], model: model, ci: ci, policy: policies[ci])
                o.tables.append(t); o.deviationSums.append(sum)
            }
            step(5)
            return o
        }
    }

    /// Collects the blocks' outcomes as they finish (under a lock), writing each block's cells and marks into
    /// the whole cubes at once, so that only the blocks in flight are held.
    final class BlockMerge: @unchecked Sendable {
        private let lock = NSLock()
        private var cubes: [ResultCube]
        private var marks: [[CellMark]]
        private var outcomes: [Int: BlockOutcome] = [:]
        private var total = BlockOutcome()

        init(cubes: [ResultCube]) {
            self.cubes = cubes
            marks = cubes.map { [CellMark](repeating: .published, count: $0.areas.slotCount * $0.cellsPerArea * $0.measures.count) }
        }

        func add(_ b: Int, _ outcome: BlockOutcome, slots: [Int]) {
            lock.lock(); defer { lock.unlock() }
            var o = outcome
            for ci in cubes.indices {
                cubes[ci].replaceCells(ofSlots: slots, with: o.cells[ci])
                let n = cubes[ci].cellsPerArea * cubes[ci].measures.count
                for (i, s) in slots.enumerated() { marks[ci].replaceSubrange((s * n)..<((s + 1) * n), with: o.marks[ci][(i * n)..<((i + 1) * n)]) }
            }
            o.cells = []; o.marks = []
            outcomes[b] = o
        }

        /// The protected cubes, marks and the blocks' report summed (counts added, maxima taken), in block
        /// order; the first block's audit error, if any, is thrown.
        func finish(blockCount: Int) throws -> ([ResultCube], [[CellMark]], BlockOutcome) {
            lock.lock(); defer { lock.unlock() }
            var t = BlockOutcome()
            t.tables = cubes.map { TableProtection(table: $0.table) }
            t.deviationSums = cubes.map { _ in 0 }
            for b in 0..<blockCount {
                guard let o = outcomes[b] else { continue }
                if let e = o.error { throw e }
                t.statistics += o.statistics; t.relations += o.relations; t.primaryStatistics += o.primaryStatistics
                t.linkMismatches += o.linkMismatches; t.groupFlags += o.groupFlags
                t.suppression.added += o.suppression.added
                t.suppression.recoveryRounds = max(t.suppression.recoveryRounds, o.suppression.recoveryRounds)
                t.suppression.recoveryRepairs += o.suppression.recoveryRepairs
                t.suppression.intervalRepairs += o.suppression.intervalRepairs
                t.suppression.intervalSkippedGroups += o.suppression.intervalSkippedGroups
                for i in t.seconds.indices { t.seconds[i] += o.seconds[i] }
                for ci in t.tables.indices {
                    t.tables[ci].add(o.tables[ci])
                    t.deviationSums[ci] += o.deviationSums[ci]
                }
            }
            for ci in t.tables.indices {
                let n = t.tables[ci].perturbableCounts
                t.tables[ci].meanAbsolutePerturbation = n == 0 ? 0 : t.deviationSums[ci] / Double(n)
            }
            return (cubes, marks, t)
        }
    }

    /// What secondary suppression added in one model (a block or the whole), and the counts for the report.
    struct SuppressionOutcome: Sendable {
        var added: [Int32] = []
        var recoveryRounds = 0, recoveryRepairs = 0, intervalRepairs = 0, intervalSkippedGroups = 0

        /// The same outcome with block statistics renamed to the whole model's.
        func global(_ statistics: [Int32]) -> SuppressionOutcome {
            var o = self
            o.added = added.map { statistics[Int($0)] }
            return o
        }
    }

    /// Secondary suppression on `model` from the primary pattern: the singleton and shortfall pass, then the
    /// recovery check and the interval check with their repairs, until neither finds anything (or nothing
    /// is left to hide). `confidential` starts as `primary` and ends as the published pattern.
    static func suppress(_ model: CellModel, primary: [Bool], confidential: inout [Bool], rule: ProtectionSpec.SecondaryCost) -> SuppressionOutcome {
        var o = SuppressionOutcome()
        var recoveryCache = LinearRecovery.Cache()
        var intervalCache: [[Int32]: [Int32]] = [:]
        o.added = SecondarySuppression.run(model, primary: primary, confidential: &confidential, rule: rule)
        while true {
            // Cells pinned down by a combination of relations: suppress one more cell next to each, close
            // the new singletons, and check again until none is left.
            while case let determined = LinearRecovery.determined(model, confidential: confidential, cache: &recoveryCache), !determined.isEmpty {
                o.recoveryRounds += 1
                o.recoveryRepairs += determined.count
                let repairs = SecondarySuppression.breakRecovery(model, determined: determined, confidential: &confidential, rule: rule)
                guard !repairs.isEmpty else { break }   // nothing left to hide; the audit reports it
                o.added += repairs
                o.added += SecondarySuppression.run(model, primary: primary, confidential: &confidential, rule: rule)
            }
            // Primary cells the linear programme of everything published narrows below the threshold:
            // one more hidden cell next to each (same choice as above), then both checks again.
            let (narrow, skipped) = IntervalProtection.narrow(model, primary: primary, confidential: confidential, cache: &intervalCache)
            o.intervalSkippedGroups = skipped
            guard !narrow.isEmpty else { break }
            o.intervalRepairs += narrow.count
            let repairs = SecondarySuppression.breakRecovery(model, determined: narrow, confidential: &confidential, rule: rule, widen: true)
            guard !repairs.isEmpty else { break }
            o.added += repairs
            o.added += SecondarySuppression.run(model, primary: primary, confidential: &confidential, rule: rule)
        }
        return o
    }

    /// The cube with the cells of unpublished area levels removed (nil: absent from every output).
    static func restrict(_ cube: ResultCube, to levels: Set<AreaLevel>) -> ResultCube {
        guard levels != Set(AreaLevel.allCases) else { return cube }
        var out = cube
        for area in cube.areas.allAreas where !levels.contains(area.level) {
            let slot = cube.areas.slot(area)
            for c in 0..<cube.cellsPerArea {
                for m in 0..<cube.measures.count { out[slot: slot, cell: c, measure: m] = nil }
            }
        }
        return out
    }

    // MARK: writing statuses and values back

    /// Writes the protected values and statuses into one cube. Count cells: a confidential statistic
    /// becomes `C` with no value (in every cube it appears in: one statistic, one status); a perturbed one
    /// takes its perturbed value (the same in every cube). Derived cells: `C` when an input count is
    /// confidential (even where they were `M`: an `M` rate tells its denominator is zero); recomputed from
    /// the perturbed counts when an input is perturbed (`M` where the perturbed denominator is zero); sums
    /// and means of a cell-key table are `C` where the count is below the threshold. The value is removed,
    /// not only hidden, so nothing downstream (rankings, key figures) can read it.
    static func write(_ cells: inout [Cell?], original cube: ResultCube, model: CellModel, ci: Int, policy: TablePolicy,
                      primary: [Bool], confidential: [Bool], perturbed: [Double]) -> [CellMark] {
        let desc = model.descriptions[ci], map = model.variableOf[ci]
        let nm = cube.measures.count, nc = cube.cellsPerArea
        var marks = [CellMark](repeating: .published, count: map.count)
        let isPerturbed = { (v: Int) in model.perturbedBy[v] >= 0 }
        for ls in model.block.slots.indices {
            for c in 0..<nc {
                for m in 0..<nm {
                    let at = (ls * nc + c) * nm + m
                    guard let old = cells[at] else { continue }
                    let new: Cell
                    switch desc.roles[m] {
                    case .count:
                        let v = Int(map[at])
                        guard v >= 0 else { continue }
                        if confidential[v] {
                            marks[at] = primary[v] ? .primary : .secondary
                            new = Cell(value: nil, status: .confidential)
                        } else if isPerturbed(v) {
                            new = .number(perturbed[v])
                            if new != old { marks[at] = .perturbed }
                        } else { continue }
                    case let role:
                        let inputs = DerivedCells.inputs(role, cube: cube, cell: c).map { Int(map[(ls * nc + $0.cell) * nm + $0.measure]) }
                        // A rate whose denominator is a published zero is not applicable (M), whatever its
                        // numerator: M then says nothing the denominator does not (contract §3).
                        if case .ratio = role, old.status == .notApplicable, inputs.count == 2,
                           inputs[1] < 0 || !confidential[inputs[1]] { continue }
                        if inputs.contains(where: { $0 >= 0 && confidential[$0] }) {
                            marks[at] = .derived
                            new = Cell(value: nil, status: .confidential)
                        } else if case .followsCount = role {
                            guard policy.rule.method == .cellkey, let v = inputs.first, v >= 0,
                                  PrimaryRule.isUnsafe(model.value[v], threshold: policy.rule.threshold) else { continue }
                            marks[at] = .derived
                            new = Cell(value: nil, status: .confidential)
                        } else if inputs.count == 2, inputs.allSatisfy({ $0 >= 0 }), inputs.contains(where: isPerturbed) {
                            let den = perturbed[inputs[1]]
                            new = den == 0 ? .notApplicable : .number(perturbed[inputs[0]] / den * 100)
                            if new != old { marks[at] = .perturbed }
                        } else { continue }
                    }
                    cells[at] = new
                }
            }
        }
        return marks
    }

    /// What protection cost one table, over its published cells: cells hidden (and the persons or
    /// families they hold, at the finest published level), primary, secondary and derived cells, and for
    /// perturbed counts the mean and largest absolute change.
    static func statistics(original: ResultCube, protected: [Cell?], marks: [CellMark], model: CellModel, ci: Int,
                           policy: TablePolicy) -> (TableProtection, deviationSum: Double) {
        var t = TableProtection(table: original.table)
        t.method = policy.rule.method
        t.publishLevels = policy.publishLevels
        let nm = original.measures.count, nc = original.cellsPerArea
        let villages = original.areas.villages.count
        let finest: Int = policy.publishLevels.contains(.desa) ? 0 : policy.publishLevels.contains(.kecamatan) ? 1 : 2
        let map = model.variableOf[ci]
        var deviationSum = 0.0
        for (ls, slot) in model.block.slots.enumerated() {
            for c in 0..<nc {
                for m in 0..<nm {
                    guard let before = original[slot: slot, cell: c, measure: m], before.status == .value else { continue }
                    let at = (ls * nc + c) * nm + m
                    let after = protected[at]
                    let isConfidential = after?.status == .confidential
                    t.cells += 1
                    if isConfidential {
                        t.confidential += 1
                        if map[at] >= 0, model.level(ofSlot: slot) == finest { t.unitsHidden += model.value[Int(map[at])] }
                    }
                    if slot < villages {
                        t.villageCells += 1
                        if isConfidential { t.villageConfidential += 1 }
                    }
                    if map[at] >= 0, model.perturbedBy[Int(map[at])] >= 0, let a = after?.value, let b = before.value {
                        t.perturbableCounts += 1
                        deviationSum += abs(a - b)
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
        return (t, deviationSum)
    }
}

extension TableProtection {
    /// Adds another block's counts of the same table (maxima taken; the mean perturbation is set by the caller).
    mutating func add(_ o: TableProtection) {
        method = o.method; publishLevels = o.publishLevels
        villageCells += o.villageCells; villageConfidential += o.villageConfidential
        cells += o.cells; confidential += o.confidential
        primary += o.primary; secondary += o.secondary; derived += o.derived
        secondarySum += o.secondarySum; unitsHidden += o.unitsHidden
        perturbableCounts += o.perturbableCounts; perturbed += o.perturbed
        maxDeviation = max(maxDeviation, o.maxDeviation)
        groupFlags += o.groupFlags
    }
}
