import Foundation
import Microdata
import Profile

/// What protection did to one table (cube), for the run summary and the restricted manifest.
public struct TableProtection: Sendable, Hashable {
    public var table: String
    /// The table's method (`none` = not protected) and the area levels it is published at.
    public var method: ProtectionSpec.Method = .suppression
    public var publishLevels: Set<AreaLevel> = Set(AreaLevel.allCases)
    /// Village cells that had a value before protection (every measure), and how many are now confidential.
    public var villageCells = 0
    public var villageConfidential = 0
    /// The same over every area level.
    public var cells = 0
    public var confidential = 0
    /// Count cells confidential by the primary rule, by secondary suppression, and derived cells
    /// (percentages, rates, means) confidential because a count they come from is.
    public var primary = 0
    public var secondary = 0
    public var derived = 0
    /// Information loss: sum of the true values of the secondary suppressions (count cells).
    public var secondarySum = 0.0
    /// Information loss of suppression: the persons or families (the table's unit) in its hidden count
    /// cells at the finest published area level (each cell once; a person can be in a cell and in its
    /// `_T` margin).
    public var unitsHidden = 0.0
    /// Cell key method: count cells published perturbed (changed or not), and the mean absolute change
    /// over them — the information loss to compare with suppression's.
    public var perturbableCounts = 0
    public var meanAbsolutePerturbation = 0.0
    /// Group attribute disclosure flags (village rows with all units in one category).
    public var groupFlags = 0
    /// Cell key method: count cells changed, and the largest absolute change.
    public var perturbed = 0
    public var maxDeviation = 0

    public init(table: String) { self.table = table }

    public var villageShare: Double { villageCells == 0 ? 0 : Double(villageConfidential) / Double(villageCells) }
    /// Share of the published cells (every level, every measure) shown as x.
    public var hiddenShare: Double { cells == 0 ? 0 : Double(confidential) / Double(cells) }
}

/// The outcome of disclosure control for a run.
public struct ProtectionReport: Sendable {
    public var method: ProtectionSpec.Method
    public var tables: [TableProtection] = []
    public var groupFlags: [GroupFlag] = []
    /// Distinct statistics and exact additive relations in the model.
    public var statistics = 0
    public var relations = 0
    /// How secondary suppression ranked candidate cells.
    public var secondaryCost: ProtectionSpec.SecondaryCost = .structure
    public var primaryStatistics = 0
    public var secondaryStatistics = 0
    /// Rounds of `LinearRecovery` repairs, and cells found recoverable by combining relations (all repaired).
    /// Wall time of each step (model, suppression per block, audit…), for `--verbose`.
    public var phases: [String] = []
    public var recoveryRounds = 0
    public var recoveryRepairs = 0
    /// Primary cells found narrowed below the threshold by the linear programme (`IntervalProtection`; all
    /// repaired), and groups of hidden cells too large for it (not checked).
    public var intervalRepairs = 0
    public var intervalSkippedGroups = 0
    /// Identity links that did not hold in the data (a description error; should be empty).
    public var linkMismatches: [String] = []
    public var seconds = 0.0

    public init(method: ProtectionSpec.Method) { self.method = method }

    /// Lines for the terminal summary: per table its method, the levels published, the share of its
    /// published cells hidden and the persons or families in them (suppression), the mean absolute
    /// perturbation (cell key method). No threshold or perturbation parameter: they are in the
    /// restricted manifest only.
    public func summaryLines() -> [String] {
        if method == .none || tables.allSatisfy({ $0.method == .none }) {
            return ["Disclosure control: none (report.yml protection.method = none) — do not publish these outputs."]
        }
        let methods = Set(tables.map(\.method))
        var lines: [String] = []
        if methods.contains(.suppression) {
            lines.append("Disclosure control: suppression (secondary cost: \(secondaryCost.rawValue)), audited (\(statistics) statistics, \(relations) additive relations; "
                         + "\(primaryStatistics) primary, \(secondaryStatistics) secondary, of which \(recoveryRepairs) against combined relations and \(intervalRepairs) against narrow intervals; \(String(format: "%.2f", seconds)) s)")
            if intervalSkippedGroups > 0 { lines.append("  warning: \(intervalSkippedGroups) groups of hidden cells too large for the interval check (not checked)") }
        }
        if methods.contains(.cellkey) {
            lines.append("Disclosure control: cell key method (\(String(format: "%.2f", seconds)) s)")
        }
        lines.append("  table                      method       levels        cells   hidden   units hidden  primary secondary  derived  mean |d|  group flags")
        for t in tables {
            let levels = AreaLevel.allCases.reversed().filter { t.publishLevels.contains($0) }.map { String($0.rawValue.prefix(3)) }.joined(separator: "+")
            lines.append("  " + pad(t.table, 26) + pad(t.method == .none ? "unprotected" : t.method.rawValue, 12) + pad(levels, 12)
                         + lpad(String(t.cells), 7) + lpad(String(format: "%.1f %%", t.hiddenShare * 100), 9)
                         + lpad(String(Int(t.unitsHidden)), 15) + lpad(String(t.primary), 9) + lpad(String(t.secondary), 10)
                         + lpad(String(t.derived), 9) + lpad(t.method == .cellkey ? String(format: "%.3f", t.meanAbsolutePerturbation) : "", 10)
                         + lpad(String(t.groupFlags), 13))
        }
        let protected = tables.filter { $0.method == .suppression }
        if !protected.isEmpty {
            let cells = protected.reduce(0) { $0 + $1.cells }, hidden = protected.reduce(0) { $0 + $1.confidential }
            lines.append("  information loss (suppression): \(hidden) of \(cells) published cells hidden (\(String(format: "%.1f %%", cells == 0 ? 0 : Double(hidden) / Double(cells) * 100))), "
                         + "\(Int(protected.reduce(0.0) { $0 + $1.unitsHidden })) persons/families in them; \(protected.reduce(0) { $0 + $1.secondary }) secondary cells")
        }
        let perturbed = tables.filter { $0.method == .cellkey }
        if !perturbed.isEmpty {
            let n = perturbed.reduce(0) { $0 + $1.perturbableCounts }
            let sum = perturbed.reduce(0.0) { $0 + $1.meanAbsolutePerturbation * Double($1.perturbableCounts) }
            lines.append("  information loss (cell key): mean absolute perturbation \(String(format: "%.3f", n == 0 ? 0 : sum / Double(n))) over \(n) counts; "
                         + "\(perturbed.reduce(0) { $0 + $1.perturbed }) cells changed")
        }
        lines.append("  group attribute flags: \(groupFlags.count) (flagged, not suppressed; listed in the restricted manifest)")
        if !linkMismatches.isEmpty { lines.append("  warning: \(linkMismatches.count) linked cells disagree; kept apart (see the restricted manifest)") }
        return lines
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

    /// The restricted manifest (`restricted/unprotected/protection.json`): the rule's parameters, the
    /// perturbation table, per-table results and every group attribute flag. Never the salt, and no timing:
    /// the same inputs give the same bytes here as in every other output (the time is on the terminal).
    public func restrictedManifest(spec: ProtectionSpec, saltGiven: Bool) -> Data {
        var rule: [String: Any] = ["method": spec.method.rawValue, "threshold": spec.threshold]
        rule["secondary_cost"] = spec.secondaryCost.rawValue
        if tables.contains(where: { $0.method == .cellkey }) || spec.method == .cellkey {
            let p = PerturbationTable(maxDeviation: spec.maxDeviation, variance: spec.variance)
            rule["max_deviation"] = spec.maxDeviation
            rule["variance"] = spec.variance
            rule["salt_given"] = saltGiven
            rule["perturbation_table"] = p.rows.enumerated().map { n, row in
                ["count": n == p.rows.count - 1 ? "\(n)+" : "\(n)",
                 "deviations": row.map { ["d": $0.deviation, "p": ($0.probability * 1e9).rounded() / 1e9, "upper": ($0.upper * 1e9).rounded() / 1e9] }] as [String: Any]
            }
        }
        let object: [String: Any] = [
            "note": "RESTRICTED: protection parameters and unprotected tables. Do not publish.",
            "rule": rule,
            "secondary_suppression": "hypercube-family greedy on the linked model (Sources/Protection/SecondarySuppression.swift); audited: every additive relation has 0 or >= 2 confidential cells",
            "statistics": statistics, "relations": relations,
            "primary_statistics": primaryStatistics, "secondary_statistics": secondaryStatistics,
            "recovery_rounds": recoveryRounds, "recovery_repairs": recoveryRepairs,
            "interval_repairs": intervalRepairs, "interval_skipped_groups": intervalSkippedGroups,
            "tables": tables.map { t in
                ["table": t.table, "method": t.method.rawValue,
                 "publish_levels": AreaLevel.allCases.reversed().filter { t.publishLevels.contains($0) }.map(\.rawValue),
                 "hidden_share": (t.hiddenShare * 1e6).rounded() / 1e6, "units_hidden": t.unitsHidden,
                 "mean_absolute_perturbation": (t.meanAbsolutePerturbation * 1e6).rounded() / 1e6,
                 "village_cells": t.villageCells, "village_confidential": t.villageConfidential,
                 "cells": t.cells, "confidential": t.confidential, "primary": t.primary, "secondary": t.secondary,
                 "secondary_sum": t.secondarySum, "derived": t.derived, "group_flags": t.groupFlags,
                 "perturbed": t.perturbed, "max_deviation": t.maxDeviation] as [String: Any]
            },
            "group_attribute_flags": groupFlags.map { ["table": $0.table, "area_code": $0.areaCode, "detail": $0.detail] },
            "link_mismatches": linkMismatches,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return data + Data("\n".utf8)
    }
}
