import Foundation
import Testing

/// The `regtab` executable as a user runs it: arguments, exit codes (0 done, 1 warnings from `check`, 2 refused or
/// failed, 64 a usage error from ArgumentParser) and the messages on standard output and standard error.
///
/// The binary is the one `swift build --build-tests` puts beside the test bundle (`REGTAB_BIN` overrides), so these
/// tests see what ships, not the library behind it. `load` and `run --source` need the throwaway server of
/// `.ci/with-postgres` (`REGTAB_TEST_PG_URL`); without it they are skipped locally and fail under `CI=true`.
@Suite struct CLITests {
    static let fixtures = Repo.root + "/Tests/RegtabTests/Fixtures"
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let pgURL = ProcessInfo.processInfo.environment["REGTAB_TEST_PG_URL"]

    /// `regtab` next to the running test bundle (`.build/<triple>/debug/`), else `.build/debug/regtab`.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["REGTAB_BIN"] { return path }
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("regtab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return Repo.root + "/.build/debug/regtab"
    }()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `regtab` with `arguments` from the repository root (the built-in `reports/regsosek` is found there).
    static func regtab(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        struct NoBinary: Error, CustomStringConvertible {
            var description: String { "no regtab executable at \(CLITests.binary): build it with `swift build --build-tests` (or set REGTAB_BIN)" }
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw NoBinary() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Repo.root)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PGPASSWORD")
        process.environment = env.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice   // never a terminal: no password prompt, no progress bar
        try process.run()
        // Read both pipes while the process runs, so a long output cannot fill one and block it.
        let errData = Background { err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// A thread that reads one pipe to its end.
    final class Background: @unchecked Sendable {
        private var result = Data()
        private let done = DispatchSemaphore(value: 0)
        init(_ body: @escaping @Sendable () -> Data) {
            Thread { [self] in result = body(); done.signal() }.start()
        }
        var value: Data { done.wait(); return result }
    }

    static var handcount: String { fixtures + "/handcount" }

    /// The hand-count fixture with its three planted errors removed (two family rows, the members of the family
    /// in an unknown village and the orphan member); `clean` also corrects the two `r112` counts, leaving notes only.
    static func repairedHandcount(clean: Bool) throws -> String {
        let dir = Repo.temporaryDirectory(clean ? "cliClean" : "cliWarnings")
        try FileManager.default.copyItem(atPath: handcount, toPath: dir + "/data")
        // Split at the byte "\n": keluarga.csv has CRLF line ends (one Character in Swift) and a byte-order mark.
        func edit(_ file: String, _ change: ([Substring]) -> [Substring]) throws {
            let path = dir + "/data/" + file
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring(decoding: $0, as: UTF8.self) }
            try Data(change(lines).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        try edit("keluarga.csv") { lines in
            lines.enumerated().compactMap { i, line -> Substring? in
                if i == 12 || i == 13 { return nil }   // lines 13 and 14: unknown village, duplicate key
                guard clean, i == 2 || i == 8 else { return line }   // lines 3 and 9: r112 says 2, one member lives there
                var fields = line.split(separator: ";", omittingEmptySubsequences: false)
                fields[7] = "1"
                return Substring(fields.joined(separator: ";"))
            }
        }
        try edit("anggota.csv") { $0.filter { !$0.contains(",000399,") && !$0.contains(",011,999,000401,") } }
        return dir + "/data"
    }

    // MARK: run

    @Test func runRefusesDataWithErrorsWithExitCode2() throws {
        let out = Repo.temporaryDirectory()
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", out])
        #expect(r.status == 2)
        #expect(r.stdout.contains("errors: 3 (unknown_village 1, duplicate_family_key 1, member_without_family 1)"), "\(r.stdout)")
        #expect(r.stdout.contains("keluarga.csv:13:4 column 'r104': error unknown_village '1505011999'"), "\(r.stdout)")
        #expect(r.stderr.contains("error: refusing to tabulate: the data check found 3 error(s)"), "\(r.stderr)")
        #expect(r.stderr.contains("run with --allow-errors"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/report.xlsx"))
    }

    @Test(arguments: [("id", "# Statistik Registrasi Sosial Ekonomi\n", "<html lang=\"id\""),
                      ("en", "# Socio-Economic Registration Statistics\n", "<html lang=\"en\""),
                      ("both", "# Statistik Registrasi Sosial Ekonomi / Socio-Economic Registration Statistics\n", "<html lang=\"id\"")])
    func runWritesTheReportsInTheLanguageAsked(language: String, heading: String, htmlTag: String) throws {
        let out = Repo.temporaryDirectory("cliLanguage" + language)
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", out, "--allow-errors",
                                 "--language", language])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Wrote 32 files to \(out)/"), "\(r.stdout)")
        #expect(r.stdout.contains("errors: 3"), "the data check is printed before the run")
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(md.hasPrefix(heading), "\(md.prefix(80))")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains(htmlTag))
    }

    @Test func quietPrintsOnlyTheOutputFolder() throws {
        let out = Repo.temporaryDirectory()
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", out, "--allow-errors", "--quiet"])
        #expect(r.status == 0)
        #expect(r.stdout == "Wrote 32 files to \(out)/\n")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func quietStillPrintsTheRefusal() throws {
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", Repo.temporaryDirectory(), "--quiet"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr.hasPrefix("error: refusing to tabulate"), "\(r.stderr)")
    }

    @Test func verbosePrintsHowLongEachPhaseTook() throws {
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", Repo.temporaryDirectory(),
                                 "--allow-errors", "--verbose"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Timings:\n"), "\(r.stdout)")
        for phase in ["disclosure control: ", "outputs (twins, display tables, xlsx, md, html): ", "village profiles (3 pages): "] {
            #expect(r.stdout.contains(phase), "\(phase) in \(r.stdout)")
        }
    }

    @Test func findingsWritesEveryFindingToCSV() throws {
        let dir = Repo.temporaryDirectory()
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", dir + "/out", "--allow-errors",
                                 "--findings", dir + "/findings.csv"])
        #expect(r.status == 0)
        let lines = try String(contentsOfFile: dir + "/findings.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "file,line,column,column_number,rule,severity,value,detail")
        #expect(lines.count == 7, "3 errors, 2 warnings, 1 note: \(lines)")
        #expect(lines.contains("keluarga.csv,13,r104,4,unknown_village,error,1505011999,\"a village (r101, r102, r103, r104) listed in wilayah.csv\""))
    }

    @Test func missingDataFolderIsAnErrorNamingTheFile() throws {
        let r = try Self.regtab(["run", "reports/regsosek", "--data", "/nonexistent/regtab-data", "--out", Repo.temporaryDirectory()])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: wilayah.csv:0: expected a readable file, found 'No such file or directory'"), "\(r.stderr)")
    }

    @Test func missingReportFolderSaysWhatAReportFolderHolds() throws {
        let r = try Self.regtab(["run", "/nonexistent/report", "--data", Self.handcount, "--out", Repo.temporaryDirectory()])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: /nonexistent/report/codebook.yml: cannot read the file (a report definition folder holds "
                                  + "codebook.yml, tables.yml, rules.yml, report.yml)"), "\(r.stderr)")
    }

    @Test func badFlagIsAUsageError() throws {
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", Repo.temporaryDirectory(), "--bogus"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Error: Unknown option '--bogus'"), "\(r.stderr)")
        #expect(r.stderr.contains("Usage: regtab run"), "\(r.stderr)")
        let language = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", Repo.temporaryDirectory(),
                                        "--language", "fr"])
        #expect(language.status == 64)
        #expect(language.stderr.contains("Please provide one of 'id', 'en' or 'both'"), "\(language.stderr)")
        let both = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--source", "postgres://x@h/db", "--out", "o"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("give either --data DIR or --source postgres://… (not both)"), "\(both.stderr)")
        let size = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", Repo.temporaryDirectory(),
                                    "--memory-limit", "lots"])
        #expect(size.status == 64)
        #expect(size.stderr.contains("--memory-limit must be a size such as 20G, 4096M or 500MiB (got 'lots')"), "\(size.stderr)")
    }

    /// A memory limit the run cannot keep stops it before reading, with what it would need (exit 2).
    @Test func memoryLimitTooSmallRefusesTheRun() throws {
        let out = Repo.temporaryDirectory() + "/out"
        let r = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", out, "--memory-limit", "10M", "--allow-errors"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: the run needs about ") && r.stderr.contains("more than --memory-limit 10 MiB"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let fits = try Self.regtab(["run", "reports/regsosek", "--data", Self.handcount, "--out", out, "--memory-limit", "2G",
                                    "--allow-errors", "--verbose"])
        #expect(fits.status == 0, "\(fits.stderr)")
        #expect(fits.stdout.contains("memory plan: overlapped schedule, estimated peak "), "\(fits.stdout)")
    }

    // MARK: check

    @Test func checkExitCodesAreTwoForErrorsOneForWarningsZeroForNotes() throws {
        let errors = try Self.regtab(["check", "--data", Self.handcount])
        #expect(errors.status == 2)
        #expect(errors.stdout.contains("Result: errors (exit code 2)"), "\(errors.stdout)")

        let warnings = try Self.regtab(["check", "--data", try Self.repairedHandcount(clean: false)])
        #expect(warnings.status == 1, "\(warnings.stdout)")
        #expect(warnings.stdout.contains("warnings: 2 (member_count_mismatch 2)"), "\(warnings.stdout)")
        #expect(!warnings.stdout.contains("errors:"), "\(warnings.stdout)")

        let clean = try Self.regtab(["check", "--data", try Self.repairedHandcount(clean: true)])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("notes: 1 (column_unexpected 1)"), "\(clean.stdout)")
    }

    @Test func checkWritesFindingsWithOut() throws {
        let path = Repo.temporaryDirectory() + "/findings.csv"
        let r = try Self.regtab(["check", "--data", Self.handcount, "--out", path])
        #expect(r.status == 2)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("duplicate_family_key"))
    }

    // MARK: demo

    @Test func demoGeneratesARegistryAndWritesTheReports() throws {
        let out = Repo.temporaryDirectory()
        let r = try Self.regtab(["demo", "--families", "300", "--out", out, "--language", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Generated 300 families, "), "\(r.stdout)")
        #expect(r.stdout.contains("The demo runs with --allow-errors semantics"), "\(r.stdout)")
        for file in ["report.xlsx", "report.md", "report.html", "briefing.html", "manifest.json", "data/targeting.csv",
                     "microdata/keluarga.csv", "microdata/wilayah.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let zero = try Self.regtab(["demo", "--families", "0", "--out", out])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--families must be at least 1"), "\(zero.stderr)")
    }

    // MARK: codebook import

    @Test func codebookImportWritesAYAMLCodebook() throws {
        let path = Repo.temporaryDirectory() + "/codebook.yml"
        let r = try Self.regtab(["codebook", "import", Self.fixtures + "/readstat/keluarga.sav", Self.fixtures + "/readstat/anggota.dta",
                                 "--out", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Wrote \(path): 49 variables, 10 with value labels. Edit it (labels, types, ranges, aliases) before use.\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("r403:"))

        let csv = try Self.regtab(["codebook", "import", Self.fixtures + "/readstat/penerima.csv"])
        #expect(csv.status == 64)
        #expect(csv.stderr.contains("codebook import reads SPSS .sav/.zsav or Stata .dta files"), "\(csv.stderr)")
        let missing = try Self.regtab(["codebook", "import", "/nonexistent/keluarga.sav"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("error: keluarga.sav:0: expected a readable SPSS .sav file"), "\(missing.stderr)")
    }

    // MARK: database

    @Test func databaseURLWithAPasswordOrNoServerIsRefused() throws {
        let password = try Self.regtab(["load", "--data", Self.handcount, "--target", "postgres://bps:secret@127.0.0.1:1/x"])
        #expect(password.status == 2)
        #expect(password.stderr.contains("error: the URL holds a password: remove it and set PGPASSWORD"), "\(password.stderr)")
        let refused = try Self.regtab(["load", "--data", Self.handcount, "--target", "postgres://bps@127.0.0.1:1/x"],
                                      environment: ["PGPASSWORD": "x"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: cannot connect to postgres://bps@127.0.0.1:1/x?schema=public&sslmode=prefer: "), "\(refused.stderr)")
        #expect(refused.stderr.contains("Connection refused"), "\(refused.stderr)")
    }

    @Test(.enabled(if: CLITests.pgURL != nil || CLITests.inCI,
                   "no REGTAB_TEST_PG_URL (run `bash .ci/with-postgres swift test` to start a throwaway server)"))
    func loadThenRunFromTheDatabase() throws {
        let base = try #require(Self.pgURL, "CI=true: run the tests through .ci/with-postgres")
        let password = try #require(ProcessInfo.processInfo.environment["PGPASSWORD"])
        let url = base + (base.contains("?") ? "&" : "?") + "schema=cli_load"
        let loaded = try Self.regtab(["load", "--data", Self.handcount, "--target", url, "--replace"], environment: ["PGPASSWORD": password])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout.hasPrefix("Loaded into postgres://"), "\(loaded.stdout)")
        #expect(loaded.stdout.contains("  cli_load.keluarga: 13 rows; typed: "), "\(loaded.stdout)")
        #expect(loaded.stdout.contains("  cli_load.anggota: 24 rows"), "\(loaded.stdout)")
        #expect(loaded.stderr.contains("… loading \(Self.handcount)/keluarga.csv into cli_load.keluarga"), "\(loaded.stderr)")
        #expect(!loaded.stderr.contains("NOTICE"), "no server notices on the terminal: \(loaded.stderr)")

        let again = try Self.regtab(["load", "--data", Self.handcount, "--target", url], environment: ["PGPASSWORD": password])
        #expect(again.status == 2)
        #expect(again.stderr.contains("42P07: relation \"wilayah\" already exists"), "\(again.stderr)")
        #expect(again.stderr.contains("(use --replace to drop and re-create existing tables)"), "\(again.stderr)")

        let explain = try Self.regtab(["run", "reports/regsosek", "--source", url, "--explain-sql"], environment: ["PGPASSWORD": password])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.hasPrefix("-- [1/"), "\(explain.stdout.prefix(200))")

        let out = Repo.temporaryDirectory()
        let refused = try Self.regtab(["run", "reports/regsosek", "--source", url, "--out", out], environment: ["PGPASSWORD": password])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: refusing to tabulate: the database's record accounting shows"), "\(refused.stderr)")
        let run = try Self.regtab(["run", "reports/regsosek", "--source", url, "--out", out, "--allow-errors"], environment: ["PGPASSWORD": password])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("database: "), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: out + "/data/targeting.csv"))

        let wrong = try Self.regtab(["run", "reports/regsosek", "--source", url, "--explain-sql"], environment: ["PGPASSWORD": "wrong"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("password authentication failed for user"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("(set PGPASSWORD or run from a terminal to be asked for it)"), "\(wrong.stderr)")
    }
}
