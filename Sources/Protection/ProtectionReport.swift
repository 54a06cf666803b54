import Foundation
import Profile

/// What protection did to one table (cube), for the run summary and the restricted manifest.
public struct TableProtection: Sendable, Hashable {
    public var table: String
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
    /// Group attribute disclosure flags (village rows with all units in one category).
    public var groupFlags = 0
    /// Cell key method: count cells changed, and the largest absolute change.
    public var perturbed = 0
    public var maxDeviation = 0

    public init(table: String) { self.table = table }

    public var villageShare: Double { villageCells == 0 ? 0 : Double(villageConfidential) / Double(villageCells) }
}

/// The outcome of disclosure control for a run.
public struct ProtectionReport: Sendable {
    public var method: ProtectionSpec.Method
    public var tables: [TableProtection] = []
    public var groupFlags: [GroupFlag] = []
    /// Distinct statistics and exact additive relations in the model.
    public var statistics = 0
    public var relations = 0
    public var primaryStatistics = 0
    public var secondaryStatistics = 0
    /// Rounds of `LinearRecovery` repairs, and cells found recoverable by combining relations (all repaired).
    public var recoveryRounds = 0
    public var recoveryRepairs = 0
    /// Identity links that did not hold in the data (a description error; should be empty).
    public var linkMismatches: [String] = []
    public var seconds = 0.0

    public init(method: ProtectionSpec.Method) { self.method = method }

    /// Lines for the terminal summary. No threshold or perturbation parameter: they are in the
    /// restricted manifest only.
    public func summaryLines() -> [String] {
        switch method {
        case .none:
            return ["Disclosure control: none (report.yml protection.method = none) — do not publish these outputs."]
        case .suppression:
            var lines = ["Disclosure control: suppression, audited (\(statistics) statistics, \(relations) additive relations; "
                         + "\(primaryStatistics) primary, \(secondaryStatistics) secondary, of which \(recoveryRepairs) against combined relations; \(String(format: "%.2f", seconds)) s)"]
            lines.append("  table                      village cells x   primary secondary (sum)    derived  group flags")
            for t in tables {
                lines.append("  " + pad(t.table, 26) + lpad(String(format: "%.1f %%", t.villageShare * 100), 15)
                             + lpad(String(t.primary), 10) + lpad(String(t.secondary), 10)
                             + lpad("(\(Int(t.secondarySum)))", 9) + lpad(String(t.derived), 10) + lpad(String(t.groupFlags), 13))
            }
            let loss = tables.reduce(0) { $0 + $1.secondary }, sum = tables.reduce(0.0) { $0 + $1.secondarySum }
            lines.append("  information loss: \(loss) secondary cells, sum \(Int(sum)); group attribute flags: \(groupFlags.count) (flagged, not suppressed; listed in the restricted manifest)")
            if !linkMismatches.isEmpty { lines.append("  warning: \(linkMismatches.count) linked cells disagree; kept apart (see the restricted manifest)") }
            return lines
        case .cellkey:
            var lines = ["Disclosure control: cell key method (\(statistics) statistics perturbed; \(String(format: "%.2f", seconds)) s)"]
            for t in tables {
                lines.append("  " + pad(t.table, 26) + " changed \(t.perturbed) of \(t.cells) cells" + (t.confidential > 0 ? ", \(t.confidential) confidential" : ""))
            }
            lines.append("  group attribute flags: \(groupFlags.count) (listed in the restricted manifest)")
            return lines
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

    /// The restricted manifest (`restricted/unprotected/protection.json`): the rule's parameters, the
    /// perturbation table, per-table results and every group attribute flag. Never the salt.
    public func restrictedManifest(spec: ProtectionSpec, saltGiven: Bool) -> Data {
        var rule: [String: Any] = ["method": spec.method.rawValue, "threshold": spec.threshold]
        if spec.method == .cellkey {
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
            "seconds": (seconds * 1000).rounded() / 1000,
            "tables": tables.map { t in
                ["table": t.table, "village_cells": t.villageCells, "village_confidential": t.villageConfidential,
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
