import Foundation
import Testing
@testable import Reporting

/// Runs `.ci/check-xlsx` on a report run of a generated registry: `report.xlsx` read back by openpyxl and converted
/// to CSV by LibreOffice headless, every numeric cell of every table sheet compared with its CSV twin in `data/`.
/// Then one cell is changed with openpyxl, and the check must name it — so a check that compares nothing fails here.
///
/// Needs LibreOffice (`soffice`) and openpyxl in `.build-venv/` (`bash .ci/check-xlsx` installs them once; `.ci/run`
/// does). Locally without them the tests are skipped with the reason; under `CI=true` they run and fail with the
/// checker's message naming what is missing.
@Suite(.serialized) struct WorkbookCheckTests {
    static let script = Repo.root + "/.ci/check-xlsx"
    static let python = Repo.root + "/.build-venv/bin/python"
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Nil when every tool is present, else what is missing.
    static let missingTools: String? = {
        var missing: [String] = []
        if HTMLCheckTests.run("/usr/bin/env", ["sh", "-c", "command -v soffice"]).status != 0 { missing.append("LibreOffice (soffice)") }
        if HTMLCheckTests.run(python, ["-c", "import openpyxl"]).status != 0 { missing.append("openpyxl in .build-venv/") }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
    }()

    /// One run of 1,500 generated families (every table sheet, villages under their kecamatan), shared by the tests.
    static let output: Result<String, any Error> = Result {
        let root = Repo.temporaryDirectory("WorkbookCheck")
        _ = try DemoRun.generate(families: 1500, seed: 5, directory: root + "/microdata")
        _ = try ReportRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: root + "/microdata", outputDirectory: root + "/out",
                                         templatesDirectory: Repo.templates))
        return root
    }

    static func check(_ directory: String, wilayah: String) -> (status: Int32, output: String) {
        HTMLCheckTests.run("/bin/bash", [script, directory, "--wilayah", wilayah], environment: ["REGTAB_CHECK_NO_INSTALL": "1"])
    }

    @Test(.enabled(if: WorkbookCheckTests.missingTools == nil || WorkbookCheckTests.inCI,
                   "workbook check tools missing (\(WorkbookCheckTests.missingTools ?? "")); run `bash .ci/check-xlsx` once to install them"),
          .timeLimit(.minutes(5)))
    func everyNumericCellAgreesWithItsTwinInOpenpyxlAndLibreOffice() throws {
        let root = try Self.output.get()
        let r = Self.check(root + "/out", wilayah: root + "/microdata/wilayah.csv")
        #expect(r.status == 0, "check-xlsx failed:\n\(r.output)")
        for reader in ["openpyxl", "LibreOffice"] {
            // "<reader>: N cells in S table sheets compared with their twins (A by area and twin cell, V by value)"
            let line = r.output.split(separator: "\n").first { $0.hasPrefix(reader + ": ") && $0.contains("compared") }
            let byArea = line.flatMap { $0.firstMatch(of: /\((\d+) by area/) }.flatMap { Int($0.1) } ?? 0
            #expect(byArea > 1000, "\(reader): cells matched by area and twin cell:\n\(r.output)")
        }
    }

    @Test(.enabled(if: WorkbookCheckTests.missingTools == nil || WorkbookCheckTests.inCI,
                   "workbook check tools missing (\(WorkbookCheckTests.missingTools ?? "")); run `bash .ci/check-xlsx` once to install them"),
          .timeLimit(.minutes(5)))
    func aWrongCellFailsTheCheck() throws {
        let root = try Self.output.get()
        let copy = Repo.temporaryDirectory("WorkbookCheckWrong")
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: root + "/out", toPath: copy)
        // The first village's first number on the population sheet, plus one.
        let edit = HTMLCheckTests.run(Self.python, ["-c", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = next(wb[n] for n in wb.sheetnames if n.endswith(" population_sex"))
            cell = next(c for row in ws.iter_rows(min_row=5) for c in row[1:] if isinstance(c.value, (int, float)) and c.value > 0)
            cell.value += 1
            wb.save(sys.argv[1])
            print(ws.title + "|" + cell.coordinate)
            """, copy + "/report.xlsx"])
        try #require(edit.status == 0, "\(edit.output)")
        let parts = edit.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        try #require(parts.count == 2, "\(edit.output)")
        let (sheet, coordinate) = (parts[0], parts[1])
        let r = Self.check(copy, wilayah: root + "/microdata/wilayah.csv")
        #expect(r.status == 1, "check-xlsx should fail (exit 1):\n\(r.output)")
        for reader in ["openpyxl", "LibreOffice"] {
            #expect(r.output.contains("\(reader): sheet '\(sheet)' cell \(coordinate) "), "\(reader) names \(sheet) \(coordinate):\n\(r.output)")
        }
    }
}
