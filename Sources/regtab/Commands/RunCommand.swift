import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// `regtab run`: a report definition on a data folder (`execute`) or on a PostgreSQL database (`executeDatabase`).

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a report definition on data in the contract's CSV format, or in a PostgreSQL database.")
    @Argument(help: "Report definition folder, e.g. reports/regsosek.")
    var report: String
    @Option(name: .long, help: "Folder with keluarga.csv, anggota.csv, penerima.csv and wilayah.csv.")
    var data: String?
    @Option(name: .long, help: "Database instead of --data: postgres://USER@HOST:PORT/DB?schema=S[&sslmode=require]. Password from PGPASSWORD or a prompt, never the URL.")
    var source: String?
    @Flag(name: .long, help: "With --source: print the SQL the run sends (after reading the tables' columns, wilayah and the roster's programme names) and stop.")
    var explainSql = false
    @Option(name: .long, help: "Output folder.")
    var out: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var input: InputArguments
    @Flag(name: .long, help: "Tabulate even when the data check finds errors; the records concerned are excluded and counted in the report.")
    var allowErrors = false
    @Option(name: .long, help: "Also write the data check's findings to this CSV file.")
    var findings: String?
    @Option(name: .long, help: "Keep the run's peak memory under this size (e.g. 20G, 4096M): the data check then runs before the engine and the roster after the member pass, and below that the members' NIKs are sorted on disk (in TMPDIR, else /var/tmp), when that is what fits; a run that would not fit is refused before reading. Default: no limit, the fastest schedule.")
    var memoryLimit: String?

    func validate() throws {
        guard (data == nil) != (source == nil) else { throw ValidationError("give either --data DIR or --source postgres://… (not both)") }
        if explainSql && source == nil { throw ValidationError("--explain-sql needs --source") }
        if out == nil && !explainSql { throw ValidationError("missing --out OUT_DIR") }
        if let memoryLimit, MemoryPlan.parseSize(memoryLimit) == nil {
            throw ValidationError("--memory-limit must be a size such as 20G, 4096M or 500MiB (got '\(memoryLimit)')")
        }
        if memoryLimit != nil && source != nil { throw ValidationError("--memory-limit applies to --data runs; with --source the database holds the records") }
    }

    func run() throws {
        if let source {
            try executeDatabase(report: report, source: source, out: out, explainSQL: explainSql, output: output, allowErrors: allowErrors)
            return
        }
        var options = RunOptions(profileDirectory: report, dataDirectory: data ?? "", outputDirectory: out ?? "", language: output.language,
                                 templatesDirectory: output.templates, restrictedDirectory: output.restricted)
        options.input = try input.options()
        options.memoryLimit = memoryLimit.flatMap(MemoryPlan.parseSize)
        try execute(output.withSalt(options), allowErrors: allowErrors, findings: findings, quiet: output.quiet, verbose: output.verbose)
    }
}

/// Checks the data, runs the report and prints the record accounting; input problems end the run with a
/// message, never a crash. Check errors refuse the run (exit 2) unless `allowErrors`.
func execute(_ options: RunOptions, allowErrors: Bool = false, findings: String? = nil, demo: Bool = false,
             quiet: Bool = false, verbose: Bool = false) throws {
    let outcome: CheckedRun.Outcome
    // The input files resolved once: the progress bar, the data check, the engine and the provenance read them.
    let inputs = (try? Profile.load(directory: options.profileDirectory)).map { InputSet(layout: $0.layout, directory: options.dataDirectory) }
    let progress = inputs.flatMap { ProgressDisplay.start(totalBytes: ProgressDisplay.bytesToRead($0), enabled: !quiet) }
    do {
        outcome = try CheckedRun.run(options, allowErrors: allowErrors, findingsPath: findings, inputs: inputs)
        progress?.stop()
    } catch {
        progress?.stop()
        throw fail("\(error)")
    }
    if quiet {
        guard let summary = outcome.summary else {
            throw fail("\(CheckedRun.refusal(outcome.check))")
        }
        print("Wrote \(summary.files.count) files to \(summary.outputDirectory)/")
        return
    }
    let check = outcome.check
    if demo {
        print("Data check: \(check.errors) errors, \(check.warnings) warnings (planted in the demo data: unknown villages, "
              + "orphan members, bad NIKs, …). The demo runs with --allow-errors semantics: the records concerned are "
              + "excluded and counted in the record accounting below. See them with: regtab check --data \(options.dataDirectory)")
    } else {
        print(check.describe(dataDirectory: options.dataDirectory))
    }
    guard let summary = outcome.summary else {
        throw fail("\(CheckedRun.refusal(check))")
    }
    print(RunSummaryText.describe(summary))
    if verbose { print("Timings:\n" + summary.timings.map { "  " + $0 }.joined(separator: "\n")) }
}

/// `regtab run … --source postgres://…`: the report computed in the database.
func executeDatabase(report: String, source: String, out: String?, explainSQL: Bool, output: OutputOptions, allowErrors: Bool) throws {
    do {
        if explainSQL {
            print(try DatabaseRun.explain(profileDirectory: report, source: source), terminator: "")
            return
        }
        var options = output.withSalt(RunOptions(profileDirectory: report, dataDirectory: "", outputDirectory: out ?? "",
                                                 language: output.language, templatesDirectory: output.templates,
                                                 restrictedDirectory: output.restricted))
        options.source = source
        options.allowErrors = allowErrors
        options.progress = { title in FileHandle.standardError.write(Data("… \(title)\n".utf8)) }
        let summary = try ReportRun.run(options)
        print(RunSummaryText.describe(summary))
    } catch {
        throw fail("\(error)")
    }
}
