import Foundation
import Testing
@testable import Reporting

/// regtab against an independent implementation of the contract: `Benchmarks/duckdb_contract.sql` (DuckDB
/// SQL, run by `Benchmarks/duckdb_contract.py`) on a generated registry (3,000 families, seed 11), every cell of
/// the five core tables compared by `Benchmarks/compare.py` (cells regtab marks confidential are skipped).
///
/// Needs a Python with the `duckdb` package: `REGTAB_PYTHON`, else `.build/ci-venv` or `Benchmarks/.venv`,
/// else `python3`. `.ci/run` installs one. Without it the test is skipped locally, and fails under `CI=true`.
@Suite struct DuckDBCrossTests {
    static let python: String? = {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let p = env["REGTAB_PYTHON"], !p.isEmpty { candidates.append(p) }
        candidates += [Repo.root + "/.build/ci-venv/bin/python", Repo.root + "/Benchmarks/.venv/bin/python", "python3"]
        return candidates.first { (try? DuckDBCrossTests.execute($0, ["-c", "import duckdb"]).status) == 0 }
    }()

    static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: python != nil || onCI, "needs Python with duckdb (bash .ci/run installs it)"))
    func coreTablesAgreeWithDuckDBCellByCell() throws {
        guard let python = Self.python else {
            Issue.record("CI=true but no Python with duckdb: set REGTAB_PYTHON or let .ci/run install .build/ci-venv")
            return
        }
        let root = Repo.temporaryDirectory("DuckDBCross")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/microdata"
        _ = try DemoRun.generate(families: 3000, seed: 11, directory: data)

        // regtab without disclosure control, so every cell is compared (the comparison would skip `C` cells).
        let profile = root + "/report"
        try FileManager.default.copyItem(atPath: Repo.profile, toPath: profile)
        try Self.disableProtection(profile + "/report.yml")
        _ = try ReportRun.run(RunOptions(profileDirectory: profile, dataDirectory: data, outputDirectory: root + "/regtab",
                                         templatesDirectory: Repo.templates))

        let duck = try Self.execute(python, [Repo.root + "/Benchmarks/duckdb_contract.py", data, root + "/duckdb"])
        try #require(duck.status == 0, "duckdb_contract.py failed:\n\(duck.output)")

        let compared = try Self.execute(python, [Repo.root + "/Benchmarks/compare.py", root + "/regtab", root + "/duckdb",
                                                 "--show", "25"])
        #expect(compared.status == 0, "regtab and the DuckDB script differ:\n\(compared.output)")
        // Every core table was compared, with cells in it.
        for table in ["population_sex", "population_age_sex", "families_desil", "targeting", "duplicates"] {
            let line = compared.output.split(separator: "\n").first { $0.hasPrefix(table + " ") }
            let cells = line.flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }.flatMap { Int($0) }
            #expect((cells ?? 0) > 500, "\(table): cells compared\n\(compared.output)")
        }
    }

    /// Replaces the report definition's `protection:` block, if it has one, with `method: none`.
    static func disableProtection(_ path: String) throws {
        var kept: [Substring] = []
        var inBlock = false, found = false
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("protection:") { inBlock = true; found = true; continue }
            if inBlock, line.first == " " || line.first == "\t" || line.isEmpty { continue }
            inBlock = false
            kept.append(line)
        }
        guard found else { return }
        let text = kept.joined(separator: "\n") + "\nprotection:\n  method: none\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Runs a program (found on PATH when not a path) and returns its exit status and combined output.
    static func execute(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
