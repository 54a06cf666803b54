import ArgumentParser
import Foundation
import Microdata
import Reporting

/// `regtab compare`: the later snapshot's report with a "since the last update" section and the change tables.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two registry snapshots: the later one's report plus change tables (stocks, flows, desil transitions) per village, kecamatan and kabupaten.")
    @Argument(help: "Report definition folder, e.g. reports/regsosek (the same for both snapshots).")
    var report: String
    @Option(name: .long, help: "Folder of the earlier snapshot (keluarga, anggota, penerima, wilayah).")
    var before: String
    @Option(name: .long, help: "Folder of the later snapshot; the report describes this one.")
    var after: String
    @Option(name: .long, help: "Output folder.")
    var out: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var input: InputArguments
    @Flag(name: .long, help: "Tabulate even when the data check finds errors in either snapshot; the records concerned are excluded and counted.")
    var allowErrors = false

    func run() throws {
        var options = RunOptions(profileDirectory: report, dataDirectory: after, outputDirectory: out, language: output.language,
                                 templatesDirectory: output.templates, restrictedDirectory: output.restricted)
        options.input = try input.options()
        try executeCompare(output.withSalt(options), before: before, allowErrors: allowErrors, quiet: output.quiet, verbose: output.verbose)
    }
}

/// Runs a comparison and prints what `execute` prints for a run, for the earlier snapshot's check too.
func executeCompare(_ options: RunOptions, before: String, allowErrors: Bool, demo: Bool = false, quiet: Bool, verbose: Bool) throws {
    let outcome: CompareRun.Outcome
    do {
        outcome = try CompareRun.run(options, before: before, allowErrors: allowErrors)
    } catch {
        throw fail("\(error)")
    }
    if !quiet && !demo {
        print("Earlier snapshot (\(before)):\n" + outcome.beforeCheck.describe(dataDirectory: before))
        print("Later snapshot (\(options.dataDirectory)):\n" + outcome.after.check.describe(dataDirectory: options.dataDirectory))
    }
    guard let summary = outcome.after.summary else {
        let refused = outcome.beforeCheck.errors > 0 && !allowErrors ? outcome.beforeCheck : outcome.after.check
        throw fail("\(CheckedRun.refusal(refused))")
    }
    if quiet { print("Wrote \(summary.files.count) files to \(summary.outputDirectory)/"); return }
    print(RunSummaryText.describe(summary))
    if verbose { print("Timings:\n" + summary.timings.map { "  " + $0 }.joined(separator: "\n")) }
}

/// `regtab demo --snapshots 2`: two quarterly snapshots and their comparison.
func runSnapshotDemo(families: Int, seed: UInt64, out: String, report: String?, output: OutputOptions) throws {
    let micro = (out as NSString).appendingPathComponent("microdata")
    let q1 = (micro as NSString).appendingPathComponent("2025-Q1"), q2 = (micro as NSString).appendingPathComponent("2025-Q2")
    let summary = try DemoRun.generate(families: families, seed: seed, directory: q1)
    print("Generated \(summary.families) families, \(summary.persons) persons, \(summary.rosterRows) roster rows in \(q1)/")
    let churn = try DemoRun.nextQuarter(from: q1, to: q2, seed: seed)
    print("Wrote the next quarter to \(q2)/: " + churn.lines.joined(separator: "; "))
    guard let profile = report ?? BundledPaths.locate("reports/regsosek") else {
        throw ValidationError("cannot find reports/regsosek; pass --report DIR")
    }
    print("The demo data contain planted errors; the comparison runs with --allow-errors semantics (see regtab check --data \(q1)).")
    try executeCompare(output.withSalt(RunOptions(profileDirectory: profile, dataDirectory: q2, outputDirectory: out, language: output.language,
                                                  templatesDirectory: output.templates, restrictedDirectory: output.restricted)),
                       before: q1, allowErrors: true, demo: true, quiet: output.quiet, verbose: output.verbose)
}
