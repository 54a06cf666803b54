import Foundation
import DemoData

/// `regtab demo`'s data step, kept in the library so the executable stays a thin parser.
public enum DemoRun {
    /// - Parameter roster: false leaves out `penerima.csv` (and removes one left by an earlier run): a regency
    ///   office that has no ministry roster.
    /// - Parameter flat: write the registry in the flat layout (`FlatExport`, read by `reports/flat`).
    public static func generate(families: Int, seed: UInt64, directory: String, roster: Bool = true, flat: Bool = false) throws -> DemoSummary {
        let stale = flat ? ["keluarga.csv", "anggota.csv"] : [FlatExport.fileName]
        for name in stale { try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name)) }
        var options = DemoOptions()
        options.families = families
        options.seed = seed
        var summary = try DemoRegistry.write(options: options, to: directory)
        if !roster {
            try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent("penerima.csv"))
            summary.rosterRows = 0
            summary.files.removeAll { $0 == "penerima.csv" }
        }
        if flat {
            summary.persons = try FlatExport.convert(directory: directory)
            summary.files = [FlatExport.fileName] + summary.files.filter { !["keluarga.csv", "anggota.csv"].contains(($0 as NSString).lastPathComponent) }
        }
        return summary
    }

    /// The next quarter of a demo snapshot (`regtab demo --snapshots 2`, `DemoChurn`).
    public static func nextQuarter(from source: String, to target: String, seed: UInt64) throws -> ChurnSummary {
        try DemoChurn.write(from: source, to: target, seed: seed)
    }

    /// Writes the demo's illustrative village boundaries (`DemoBoundaries`) into `directory`; returns the path.
    public static func writeBoundaries(directory: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(boundariesFile)
        try Data(DemoBoundaries.geoJSON().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// File name of the demo's boundaries: generated, illustrative, not official.
    public static let boundariesFile = "batas-desa-ilustrasi.geojson"
}

/// The terminal summary of a run: record accounting and where the outputs are.
public enum RunSummaryText {
    public static func describe(_ s: RunSummary) -> String {
        var lines = ["Record accounting:"]
        for (file, n) in s.accounting.read {
            let t = s.accounting.tabulated.first { $0.file == file }?.count ?? 0
            lines.append("  \(file): \(n) read, \(t) tabulated")
            for e in s.accounting.excluded where e.file == file { lines.append("    excluded \(e.count): \(AccountingText.label(e.reason).en)") }
            for w in s.accounting.warnings where w.file == file { lines.append("    warning \(w.count): \(AccountingText.label(w.reason).en)") }
        }
        if !s.accounting.examples.isEmpty {
            lines.append("First problems found:")
            for e in s.accounting.examples.prefix(20) { lines.append("  \(e)") }
        }
        for w in s.warnings { lines.append("warning: \(w)") }
        lines += s.protection
        lines += s.database
        lines += s.maps
        lines.append("Wrote \(s.files.count) files to \(s.outputDirectory)/ (report.xlsx, report.md, report.html, briefing.html, profiles/, data/*.csv, manifest.json)")
        return lines.joined(separator: "\n")
    }
}
