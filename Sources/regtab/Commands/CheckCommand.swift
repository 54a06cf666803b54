import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// `regtab check`: the data check alone, with exit codes 0 (clean), 1 (warnings), 2 (errors).

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
            throw fail("\(error)")
        }
        print(report.describe(dataDirectory: data))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
