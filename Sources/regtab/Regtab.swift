import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

/// The `regtab` command line: parses arguments and calls the `Reporting` library; nothing else.
@main
struct Regtab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regtab",
        abstract: "Village and district tables, targeting diagnostics and reports from Regsosek registry microdata.",
        version: ReportRun.version,
        subcommands: [Run.self, Demo.self, Compare.self, Check.self, CodebookCommand.self, Load.self])
}

extension Language: ExpressibleByArgument {}

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Presentation language: id, en or both (default: the report definition's).")
    var language: Language?
    @Option(name: .long, help: "Templates folder (markdown/, html/, excel/layout.yml); default: Templates/ beside regtab.")
    var templates: String?
    @Option(name: .long, help: "Also write record-level lists (NIK, No. KK, names) for field verification to this folder. Never published.")
    var restricted: String?
    @Option(name: .long, help: "Secret salt for the cell key method (default: the REGTAB_SALT environment variable). Never written anywhere.")
    var salt: String?
    @Option(name: .long, help: "Village boundaries for maps: GeoJSON (.geojson, .json) or an ESRI shapefile (.shp with its .dbf), matched to wilayah.csv by BPS or Kemendagri code (default for demo: its illustrative boundaries).")
    var boundaries: String?
    @Flag(name: .shortAndLong, help: "Print only errors and the line naming the output folder; no progress bar.")
    var quiet = false
    @Flag(name: .shortAndLong, help: "Also print how long each phase took (data check, engine, disclosure control, outputs).")
    var verbose = false

    /// `options` with `--salt` applied (else it keeps `REGTAB_SALT` from the environment), and `--boundaries`.
    func withSalt(_ options: RunOptions) -> RunOptions {
        var o = options
        if let salt { o.salt = salt }
        if let boundaries { o.boundaries = boundaries }
        return o
    }
}

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

    func validate() throws {
        guard (data == nil) != (source == nil) else { throw ValidationError("give either --data DIR or --source postgres://… (not both)") }
        if explainSql && source == nil { throw ValidationError("--explain-sql needs --source") }
        if out == nil && !explainSql { throw ValidationError("missing --out OUT_DIR") }
    }

    func run() throws {
        if let source {
            try executeDatabase(report: report, source: source, out: out, explainSQL: explainSql, output: output, allowErrors: allowErrors)
            return
        }
        var options = RunOptions(profileDirectory: report, dataDirectory: data ?? "", outputDirectory: out ?? "", language: output.language,
                                 templatesDirectory: output.templates, restrictedDirectory: output.restricted)
        options.input = try input.options()
        try execute(output.withSalt(options), allowErrors: allowErrors, findings: findings, quiet: output.quiet, verbose: output.verbose)
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
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
    if quiet {
        guard let summary = outcome.summary else {
            FileHandle.standardError.write(Data("error: \(CheckedRun.refusal(outcome.check))\n".utf8))
            throw ExitCode(2)
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
        FileHandle.standardError.write(Data("error: \(CheckedRun.refusal(check))\n".utf8))
        throw ExitCode(2)
    }
    print(RunSummaryText.describe(summary))
    if verbose { print("Timings:\n" + summary.timings.map { "  " + $0 }.joined(separator: "\n")) }
}

// MARK: data check and codebook import (issue 7)

/// `--encoding` and `--delimiter`, shared by `run` and `check`.
struct InputArguments: ParsableArguments {
    @Option(name: .long, help: "Text encoding of CSV inputs: utf-8 (default; invalid bytes are an error naming line and column), latin1 or windows-1252 (transcoded). For .sav/.dta: overrides the file's declared encoding.")
    var encoding: String?
    @Option(name: .long, help: "CSV delimiter, e.g. ';' or tab (default: detected from the header line).")
    var delimiter: String?

    func options() throws -> InputOptions {
        var o = InputOptions()
        if let encoding {
            guard let e = TextEncoding(name: encoding) else {
                throw ValidationError("--encoding must be utf-8, latin1 or windows-1252 (got '\(encoding)')")
            }
            o.encoding = e
        }
        if let delimiter {
            guard let d = InputOptions.delimiter(delimiter) else {
                throw ValidationError("--delimiter must be one ASCII character other than a quote, or 'tab' (got '\(delimiter)')")
            }
            o.delimiter = d
        }
        return o
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check input data against a report definition before tabulating.",
        discussion: """
        Prints a summary and optionally writes every finding (file, line, column, rule, severity, value, detail) \
        to a CSV file. Exit code: 0 clean (notes only), 1 warnings, 2 errors. Errors are the problems that make \
        `regtab run` exclude records or stop (invalid/duplicate family keys, unknown villages, members without a \
        family, unusable programme names, unreadable files); see the README for every rule.
        """)
    @Option(name: .long, help: "Folder with keluarga, anggota, penerima and wilayah (.csv, .sav or .dta).")
    var data: String
    @Option(name: .long, help: "Report definition folder (default: the built-in reports/regsosek).")
    var report: String?
    @Option(name: .long, help: "Write every finding to this CSV file (it can contain NIKs: keep it with restricted material).")
    var out: String?
    @OptionGroup var input: InputArguments

    func run() throws {
        guard let profileDir = report ?? BundledPaths.locate("reports/regsosek") else {
            throw ValidationError("cannot find reports/regsosek; pass --report DIR")
        }
        let options = try input.options()
        let report: CheckReport
        do {
            let profile = try Profile.load(directory: profileDir)
            report = try DataCheck.run(profile: profile, dataDirectory: data, input: options, findingsPath: out)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print(report.describe(dataDirectory: data))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook", abstract: "Codebook tools.", subcommands: [CodebookImportCommand.self])
}

struct CodebookImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a YAML codebook (the format of reports/regsosek/codebook.yml) from SPSS .sav / Stata .dta files.",
        discussion: "Variable labels, value labels and types are read from each file's dictionary. Give the family file and the member file together to get one codebook; the file each variable belongs to is taken from the file name (keluarga…/anggota…) unless --file says.")
    @Argument(help: "SPSS (.sav, .zsav) or Stata (.dta) files.")
    var files: [String]
    @Option(name: .long, help: "Output file (default: codebook.yml; '-' writes to standard output).")
    var out: String = "codebook.yml"
    @Option(name: .long, help: "keluarga or anggota, for files whose name says neither.")
    var file: String?
    @Option(name: .long, help: "Encoding override for files that declare none (old Stata): latin1, windows-1252.")
    var encoding: String?
    @Option(name: .long, help: "Report definition whose layout names the NIK and No. KK columns, imported as type id (default: the built-in reports/regsosek).")
    var report: String?

    /// The NIK and No. KK columns of the reference definition (names and aliases): imported as `id`, never published.
    func identifierColumns() -> Set<String> {
        guard let dir = report ?? BundledPaths.locate("reports/regsosek"), let profile = try? Profile.load(directory: dir) else { return [] }
        let layout = profile.layout
        var names = Set([layout.roster.nik, layout.roster.familyCard])
        for v in [layout.nik, layout.familyCard].compactMap({ $0 }) {
            names.insert(v)
            if let variable = profile.codebook.variable(v) { names.formUnion(variable.columnCandidates) }
        }
        return names
    }

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one .sav or .dta file") }
        let forced: SourceFile?
        if let file {
            guard let f = SourceFile(rawValue: file) else { throw ValidationError("--file must be keluarga or anggota") }
            forced = f
        } else {
            forced = nil
        }
        let enc = try encoding.map { name -> TextEncoding in
            guard let e = TextEncoding(name: name) else { throw ValidationError("--encoding must be latin1 or windows-1252") }
            return e
        }
        var inputs: [(dictionary: SourceDictionary, file: SourceFile)] = []
        do {
            for path in files {
                guard ["sav", "zsav", "dta"].contains(RecordSources.fileExtension(path)) else {
                    throw ValidationError("\(path): codebook import reads SPSS .sav/.zsav or Stata .dta files")
                }
                guard let which = forced ?? CodebookImport.guessFile(path) else {
                    throw ValidationError("\(path): cannot tell from the name whether it is the family or the member file; pass --file keluarga|anggota")
                }
                inputs.append((try ReadStatReader.dictionary(path: path, encoding: enc), which))
            }
            let text = CodebookImport.yaml(inputs, identifiers: identifierColumns())
            let codebook = try CodebookImport.load(yaml: text)  // what we write must load
            if out == "-" {
                print(text, terminator: "")
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                let labelled = codebook.variables.filter { !$0.values.isEmpty }.count
                print("Wrote \(out): \(codebook.variables.count) variables, \(labelled) with value labels. Edit it (labels, types, ranges, aliases) before use.")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

// MARK: database (issue 8): run --source, load

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
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the contract's input files into PostgreSQL (COPY), for `regtab run --source`.",
        discussion: """
        Creates the tables keluarga, anggota, penerima and wilayah in the URL's schema (created if missing) with the \
        input's columns plus line_no (the record's line in its file) and family_key (keluarga, anggota), types the \
        columns whose values are all integers or numbers, and adds the index the queries use. On a Citus coordinator \
        keluarga and anggota are distributed by family_key (co-located) and wilayah and penerima become reference tables.
        """)
    @Option(name: .long, help: "Folder with keluarga, anggota, penerima and wilayah (.csv, .sav or .dta).")
    var data: String
    @Option(name: .long, help: "postgres://USER@HOST:PORT/DB?schema=S[&sslmode=require]; password from PGPASSWORD or a prompt.")
    var target: String
    @Option(name: .long, help: "Report definition whose codebook says which columns are codes and numbers (default: the built-in reports/regsosek).")
    var report: String?
    @Flag(name: .long, help: "Drop and re-create tables that already exist.")
    var replace = false
    @OptionGroup var input: InputArguments

    func run() throws {
        guard let profile = report ?? BundledPaths.locate("reports/regsosek") else {
            throw ValidationError("cannot find reports/regsosek; pass --report DIR")
        }
        do {
            let text = try DatabaseRun.load(directory: data, target: target, profileDirectory: profile, input: try input.options(),
                                            replace: replace, progress: { FileHandle.standardError.write(Data("… \($0)\n".utf8)) })
            print(text)
        } catch let e as ValidationError {
            throw e
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
