import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// `regtab demo`: the synthetic Muaro Jambi registry (either layout, one or two snapshots) and its report.

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate a synthetic Muaro Jambi registry and run the Regsosek report on it.")
    @Option(name: .long, help: "Number of families to generate.")
    var families: Int = 140_000
    @Option(name: .long, help: "Random seed (the same seed and size give identical files).")
    var seed: UInt64 = 20_221_015
    @Option(name: .long, help: "Output folder; the microdata go to <out>/microdata/.")
    var out: String = "regtab-demo"
    @Option(name: .long, help: "Report definition folder (default: the built-in reports/regsosek).")
    var report: String?
    @Flag(name: .customLong("no-roster"), help: "Write no penerima.csv: a regency office without the ministries' rosters (the report then uses the families' own answers and says so).")
    var noRoster = false
    @Option(name: .long, help: "regsosek (keluarga.csv + anggota.csv, default) or flat (one row per person in anggota_keluarga.csv, run with reports/flat).")
    var layout: String = "regsosek"
    @Option(name: .long, help: "2: write two quarterly snapshots (microdata/2025-Q1, 2025-Q2) and run regtab compare on them.")
    var snapshots: Int = 1
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard families > 0 else { throw ValidationError("--families must be at least 1") }
        guard ["regsosek", "flat"].contains(layout) else { throw ValidationError("--layout must be regsosek or flat") }
        guard snapshots == 1 || snapshots == 2 else { throw ValidationError("--snapshots must be 1 or 2") }
        if snapshots == 2 && (noRoster || layout != "regsosek") { throw ValidationError("--snapshots 2 writes the regsosek layout with rosters; leave out --no-roster and --layout") }
    }

    func run() throws {
        if snapshots == 2 {
            try runSnapshotDemo(families: families, seed: seed, out: out, report: report, output: output)
            return
        }
        let micro = (out as NSString).appendingPathComponent("microdata")
        let summary = try DemoRun.generate(families: families, seed: seed, directory: micro, roster: !noRoster, flat: layout == "flat")
        print("Generated \(summary.families) families, \(summary.persons) \(layout == "flat" ? "person rows" : "persons"), "
              + (noRoster ? "no roster" : "\(summary.rosterRows) roster rows") + " in \(micro)/")
        let definition = "reports/" + layout
        guard let profile = report ?? BundledPaths.locate(definition) else {
            throw ValidationError("cannot find \(definition); pass --report DIR")
        }
        // Illustrative boundaries so that the demo draws maps (labelled as illustrative on every map).
        var options = RunOptions(profileDirectory: profile, dataDirectory: micro, outputDirectory: out, language: output.language,
                                 templatesDirectory: output.templates, restrictedDirectory: output.restricted)
        options.boundaries = try DemoRun.writeBoundaries(directory: micro)
        // The demo data contain planted errors (unknown villages, orphan members): run as with --allow-errors.
        try execute(output.withSalt(options),
                    allowErrors: true, demo: true, quiet: output.quiet, verbose: output.verbose)
    }
}
