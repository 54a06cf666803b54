import ArgumentParser
import Foundation
import Publishing
import Reporting

/// The `regtab` command line: parses arguments and calls the `Reporting` library; nothing else.
@main
struct Regtab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regtab",
        abstract: "Village and district tables, targeting diagnostics and reports from Regsosek registry microdata.",
        version: ReportRun.version,
        subcommands: [Run.self, Demo.self])
}

extension Language: ExpressibleByArgument {}

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Presentation language: id, en or both (default: the report definition's).")
    var language: Language?
    @Option(name: .long, help: "Templates folder (markdown/, html/); default: Templates/ beside regtab.")
    var templates: String?
    @Option(name: .long, help: "Also write record-level lists (NIK, No. KK, names) for field verification to this folder. Never published.")
    var restricted: String?
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a report definition on data in the contract's CSV format.")
    @Argument(help: "Report definition folder, e.g. reports/regsosek.")
    var report: String
    @Option(name: .long, help: "Folder with keluarga.csv, anggota.csv, penerima.csv and wilayah.csv.")
    var data: String
    @Option(name: .long, help: "Output folder.")
    var out: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        try execute(RunOptions(profileDirectory: report, dataDirectory: data, outputDirectory: out, language: output.language,
                               templatesDirectory: output.templates, restrictedDirectory: output.restricted))
    }
}

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
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard families > 0 else { throw ValidationError("--families must be at least 1") }
    }

    func run() throws {
        let micro = (out as NSString).appendingPathComponent("microdata")
        let summary = try DemoRun.generate(families: families, seed: seed, directory: micro)
        print("Generated \(summary.families) families, \(summary.persons) persons, \(summary.rosterRows) roster rows in \(micro)/")
        guard let profile = report ?? BundledPaths.locate("reports/regsosek") else {
            throw ValidationError("cannot find reports/regsosek; pass --report DIR")
        }
        try execute(RunOptions(profileDirectory: profile, dataDirectory: micro, outputDirectory: out, language: output.language,
                               templatesDirectory: output.templates, restrictedDirectory: output.restricted))
    }
}

/// Runs a report and prints the record accounting; input problems end the run with a message, never a crash.
func execute(_ options: RunOptions) throws {
    let summary: RunSummary
    do {
        summary = try ReportRun.run(options)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
    print(RunSummaryText.describe(summary))
}
