import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation
@testable import Reporting

/// `regtab check` on Fixtures/check, a small registry with one planted case of each rule; every finding
/// is asserted with its file, line, column name and column number.
///
///   keluarga.csv  2 F1 ok · 3 F2 r112=3 but 1 current member · 4 F3 r302 "abc", r303 12 · 5 village 999 ·
///                 6 F1's key again · 7 r105 "x" · 8 the header again · 9 F4 ok · column `catatan` unknown
///   anggota.csv   (no r402 column) 2 ok · 3 NIK of a woman, r405 = 1 · 4 NIK born 01-01-52, r406 1952-01-02,
///                 age 120 · 5 NIK 9999999999999999 · 6 NIK of 11 digits, r406 1990-02-30 · 7 family 000399/9/9
///                 does not exist · 8 member of the unknown-village family (not reported again) · 9 r109 empty · 10 ok
///   penerima.csv  2 ok · 3 no programme · 4 programme ANY · 5 programme KUR · 6 NIK "123", village 15.05.99.9999
@Suite struct CheckTests {
    static let profile = try! Profile.load(directory: Repo.profile)
    static let report = try! DataCheck.run(profile: profile, dataDirectory: Repo.fixture("check"),
                                           findingsPath: Repo.temporaryDirectory("checkfindings") + "/findings.csv")

    /// Every finding, read back from the CSV written by the check (so the CSV format is tested too).
    static let findings: [Finding] = {
        let reader = try! CSVReader(path: report.findingsPath!)
        #expect(reader.header == ["file", "line", "column", "column_number", "rule", "severity", "value", "detail"])
        var out: [Finding] = []
        try! reader.forEachRecord { r in
            out.append(Finding(file: r.string(0), line: r.int(1)!, column: r.isEmpty(2) ? nil : r.string(2), columnNumber: r.int(3),
                               rule: r.string(4), severity: Severity(rawValue: r.string(5))!, value: r.string(6), detail: r.string(7)))
        }
        return out
    }()

    static func expectOne(_ rule: String, _ file: String, line: Int, column: String?, number: Int?, value: String? = nil,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let hits = findings.filter { $0.rule == rule && $0.file == file && $0.line == line && $0.column == column }
        #expect(hits.count == 1, "\(rule) at \(file):\(line) \(column ?? "-")", sourceLocation: sourceLocation)
        guard let f = hits.first else { return }
        #expect(f.columnNumber == number, "\(rule) column number", sourceLocation: sourceLocation)
        #expect(f.severity == CheckRules.severity(rule), sourceLocation: sourceLocation)
        if let value { #expect(f.value == value, "\(rule) value", sourceLocation: sourceLocation) }
    }

    @Test func errors() {
        Self.expectOne("unknown_village", "keluarga.csv", line: 5, column: "r104", number: 4, value: "1505011999")
        Self.expectOne("duplicate_family_key", "keluarga.csv", line: 6, column: "r110", number: 7, value: "1505010024/000101/1/1")
        Self.expectOne("invalid_family_key", "keluarga.csv", line: 7, column: "r105", number: 5, value: "x")
        Self.expectOne("member_without_family", "anggota.csv", line: 7, column: "r110", number: 7, value: "1505011009/000399/9/9")
        Self.expectOne("invalid_family_key", "anggota.csv", line: 9, column: "r109", number: 6, value: "")
        Self.expectOne("programme_missing", "penerima.csv", line: 3, column: "program", number: 1)
        Self.expectOne("programme_reserved", "penerima.csv", line: 4, column: "program", number: 1, value: "ANY")
        // The member of the family in the unknown village is excluded with it, not reported a second time.
        #expect(!Self.findings.contains { $0.file == "anggota.csv" && $0.line == 8 })
    }

    @Test func valueWarnings() {
        Self.expectOne("not_a_number", "keluarga.csv", line: 4, column: "r302", number: 12, value: "abc")
        Self.expectOne("code_not_labelled", "keluarga.csv", line: 4, column: "r303", number: 13, value: "12")
        Self.expectOne("out_of_range", "anggota.csv", line: 4, column: "r407", number: 13, value: "120")
        Self.expectOne("date_invalid", "anggota.csv", line: 6, column: "r406", number: 12, value: "1990-02-30")
        Self.expectOne("member_count_mismatch", "keluarga.csv", line: 3, column: "r112", number: 8, value: "3")
        #expect(Self.findings.filter { $0.rule == "member_count_mismatch" }.count == 1)
    }

    @Test func nikWarnings() {
        Self.expectOne("nik_sex_mismatch", "anggota.csv", line: 3, column: "r405", number: 11, value: "1")
        Self.expectOne("nik_birthdate_mismatch", "anggota.csv", line: 4, column: "r406", number: 12, value: "1952-01-02")
        Self.expectOne("nik_placeholder", "anggota.csv", line: 5, column: "r403", number: 9, value: "9999999999999999")
        Self.expectOne("nik_invalid", "anggota.csv", line: 6, column: "r403", number: 9, value: "15050501011")
        Self.expectOne("nik_invalid", "penerima.csv", line: 6, column: "nik", number: 2, value: "123")
        // Consistent NIKs (lines 2 and 10) give nothing.
        #expect(!Self.findings.contains { $0.file == "anggota.csv" && ($0.line == 2 || $0.line == 10) })
    }

    @Test func fileAndColumnFindings() {
        Self.expectOne("header_repeated", "keluarga.csv", line: 8, column: nil, number: nil)
        Self.expectOne("column_unexpected", "keluarga.csv", line: 1, column: "catatan", number: 23)
        Self.expectOne("column_missing", "anggota.csv", line: 1, column: "r402", number: nil)
        Self.expectOne("kemendagri_unknown", "penerima.csv", line: 6, column: "kode_desa_kemendagri", number: 5, value: "15.05.99.9999")
        Self.expectOne("programme_unknown", "penerima.csv", line: 5, column: "program", number: 1, value: "KUR")
    }

    @Test func summaryAndExitCode() {
        let r = Self.report
        #expect(r.errors == 7)
        #expect(r.exitCode == 2 && r.verdict == "errors")
        #expect(r.records.map(\.file) == ["wilayah.csv", "keluarga.csv", "anggota.csv", "penerima.csv"])
        #expect(r.records.map(\.count) == [3, 7, 9, 5])   // the repeated header is not a record
        #expect(Self.findings.count == r.counts.reduce(0) { $0 + $1.count })
        // Every finding has a known rule; every rule of the catalogue except the file-level ones and the flat
        // layout's (LayoutTests) is exercised here.
        let known = Set(CheckRules.all.map(\.id))
        #expect(Self.findings.allSatisfy { known.contains($0.rule) })
        let seen = Set(Self.findings.map(\.rule))
        #expect(known.subtracting(seen) == ["input_error", "file_missing", "suspicious_text", "family_columns_disagree"])
        let text = r.describe(dataDirectory: "DIR")
        #expect(text.contains("errors: 7"))
        #expect(text.hasSuffix("Result: errors (exit code 2)"))
    }

    /// The errors are exactly what the engine excludes: same records, counted in the accounting.
    @Test func errorsMatchTheEngineExclusions() throws {
        let a = try Engine(profile: Self.profile).run(dataDirectory: Repo.fixture("check")).accounting
        #expect(a.count(excluded: "keluarga.csv", "unknown_village") == Self.report.count("unknown_village"))
        #expect(a.count(excluded: "keluarga.csv", "duplicate_family_key") == Self.report.count("duplicate_family_key"))
        #expect(a.count(excluded: "keluarga.csv", "invalid_family_key") + a.count(excluded: "anggota.csv", "invalid_family_key")
                == Self.report.count("invalid_family_key"))
        // family_not_tabulated = members without a family + members of excluded families (line 8).
        #expect(a.count(excluded: "anggota.csv", "family_not_tabulated") == Self.report.count("member_without_family") + 1)
        #expect(a.count(warning: "keluarga.csv", "header_repeated") == 1)
        #expect(a.count(excluded: "penerima.csv", "programme_missing") == 1)
        #expect(a.count(excluded: "penerima.csv", "programme_reserved") == 1)
    }

    @Test func cleanDataExitsZeroAndWarningsOne() throws {
        // The hand-count fixture minus its planted errors: only r112 warnings (members who died or moved).
        let dir = Repo.temporaryDirectory()
        let fm = FileManager.default
        for f in RegsosekFiles.all { try fm.copyItem(atPath: Repo.fixture("handcount/\(f)"), toPath: "\(dir)/\(f)") }
        let keluarga = try String(contentsOfFile: "\(dir)/keluarga.csv", encoding: .utf8)
            .split(separator: "\r\n", omittingEmptySubsequences: false).prefix(12).joined(separator: "\r\n") + "\r\n"
        try keluarga.write(toFile: "\(dir)/keluarga.csv", atomically: true, encoding: .utf8)
        let anggota = try String(contentsOfFile: "\(dir)/anggota.csv", encoding: .utf8)
            .split(separator: "\n").filter { !$0.contains("Outside") && !$0.contains("Orphan") }.joined(separator: "\n") + "\n"
        try anggota.write(toFile: "\(dir)/anggota.csv", atomically: true, encoding: .utf8)
        let warnings = try DataCheck.run(profile: Self.profile, dataDirectory: dir)
        #expect(warnings.errors == 0)
        #expect(warnings.exitCode == 1)
        #expect(warnings.counts.filter { $0.severity == .warning }.map(\.rule) == ["member_count_mismatch"])
        // Make r112 agree and drop the column nobody reads: clean.
        let fixed = keluarga.replacingOccurrences(of: "15;05;010;024;000101;2;1;2;", with: "15;05;010;024;000101;2;1;1;")
            .replacingOccurrences(of: "15;05;010;025;000202;2;1;2;", with: "15;05;010;025;000202;2;1;1;")
        try fixed.write(toFile: "\(dir)/keluarga.csv", atomically: true, encoding: .utf8)
        let clean = try DataCheck.run(profile: Self.profile, dataDirectory: dir)
        #expect(clean.warnings == 0 && clean.errors == 0)
        #expect(clean.exitCode == 0 && clean.verdict == "clean")
        #expect(clean.notes == 1)  // r430: a contract column the profile does not read
    }

    /// Found while speeding up the check: a NIK cell holding only a line-ending or form-feed character
    /// (possible inside quotes) made the old checker index out of range. It is an empty NIK: no finding.
    @Test func nikCellOfOnlyControlWhitespaceIsEmpty() throws {
        for blank in ["\r", "\u{0B}", "\u{0C}"] {
            let dir = Repo.temporaryDirectory("blankNIK")
            let fm = FileManager.default
            for f in RegsosekFiles.all { try fm.copyItem(atPath: Repo.fixture("handcount/\(f)"), toPath: "\(dir)/\(f)") }
            let text = try String(contentsOfFile: "\(dir)/anggota.csv", encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let delimiter: Character = lines[0].contains(";") ? ";" : ","
            let nik = try #require(lines[0].split(separator: delimiter).firstIndex { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "r403" })
            var cells = lines[1].split(separator: delimiter, omittingEmptySubsequences: false).map(String.init)
            cells[nik] = "\"\(blank)\""
            lines[1] = cells.joined(separator: String(delimiter))
            try lines.joined(separator: "\n").write(toFile: "\(dir)/anggota.csv", atomically: true, encoding: .utf8)
            let report = try DataCheck.run(profile: Self.profile, dataDirectory: dir, findingsPath: dir + "/findings.csv")
            let findings = try String(contentsOfFile: dir + "/findings.csv", encoding: .utf8)
            #expect(!findings.split(separator: "\n").contains { $0.hasPrefix("anggota.csv,2,") && $0.contains("nik") },
                    "no NIK finding for a NIK cell of only \(blank.unicodeScalars.first!.value)")
            #expect(report.records.contains { $0.file == "anggota.csv" })
        }
    }

    @Test func unreadableInputsAreFindingsNotCrashes() throws {
        let dir = Repo.temporaryDirectory()
        let fm = FileManager.default
        for f in ["keluarga.csv", "wilayah.csv"] { try fm.copyItem(atPath: Repo.fixture("check/\(f)"), toPath: "\(dir)/\(f)") }
        // anggota.csv with a renamed required column and invalid UTF-8 further down; no penerima.csv.
        let anggota = try String(contentsOfFile: Repo.fixture("check/anggota.csv"), encoding: .utf8)
            .replacingOccurrences(of: ",r405,", with: ",jenis_kelamin,")
        try anggota.write(toFile: "\(dir)/anggota.csv", atomically: true, encoding: .utf8)
        let r = try DataCheck.run(profile: Self.profile, dataDirectory: dir)
        let e = try #require(r.examples.first { $0.rule == "input_error" })
        #expect(e.file == "anggota.csv" && e.line == 1)
        #expect(e.detail.contains("r405") && e.detail.contains("'jenis_kelamin'"))
        #expect(r.examples.contains { $0.rule == "file_missing" && $0.file == "penerima.csv" })
        #expect(r.exitCode == 2)

        // A Latin-1 byte in the placeholder NIK of line 5 (column 9, r403).
        let text = try String(contentsOfFile: Repo.fixture("check/anggota.csv"), encoding: .utf8)
        var bytes = Array(text.utf8)
        let at = text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "9999999999999999")!.lowerBound) + 3
        bytes[at] = 0xE9
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/anggota.csv"))
        let r2 = try DataCheck.run(profile: Self.profile, dataDirectory: dir)
        let e2 = try #require(r2.examples.first { $0.rule == "input_error" })
        #expect(e2.file == "anggota.csv" && e2.line == 5 && e2.column == "r403" && e2.columnNumber == 9)
        #expect(e2.detail.contains("UTF-8") && e2.detail.contains("0xE9") && e2.detail.contains("--encoding latin1"))
    }

    @Test func findingsCSVIsSafeInSpreadsheets() {
        #expect(FindingLog.cellSafe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(FindingLog.cellSafe("+62") == "'+62")
        #expect(FindingLog.cellSafe("@SUM(A1)") == "'@SUM(A1)")
        #expect(FindingLog.cellSafe("-cmd") == "'-cmd")
        #expect(FindingLog.cellSafe("-2") == "-2")
        #expect(FindingLog.cellSafe("a\u{7}b") == "a?b")
        #expect(FindingLog.cellSafe("Budi") == "Budi")
    }

    @Test func nikStructure() {
        #expect(NIKCheck.problem("") == nil)
        #expect(NIKCheck.problem(" 1505051203820001 ") == nil)
        #expect(NIKCheck.problem("0000000000000000")?.rule == "nik_placeholder")
        #expect(NIKCheck.problem("99999999")?.rule == "nik_placeholder")
        #expect(NIKCheck.problem("1505053203820001")?.rule == "nik_invalid")   // day 32
        #expect(NIKCheck.problem("1505057203820001")?.rule == "nik_invalid")   // day 72 (women 41–71)
        #expect(NIKCheck.problem("1505051213820001")?.rule == "nik_invalid")   // month 13
        #expect(NIKCheck.problem("150505120382000X")?.rule == "nik_invalid")
        #expect(NIKCheck.problem("1.50505E+15")?.rule == "nik_invalid")
        #expect(NIKCheck.date("2000-02-29") != nil && NIKCheck.date("1900-02-29") == nil && NIKCheck.date("2022-13-01") == nil)
    }

    // MARK: regtab run's gate

    @Test func runRefusesOnErrorsUnlessAllowed() throws {
        let out = Repo.temporaryDirectory()
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: Repo.fixture("check"), outputDirectory: out,
                                 templatesDirectory: Repo.templates)
        let refused = try CheckedRun.run(options, allowErrors: false)
        #expect(refused.summary == nil)
        #expect(refused.check.errors == 7)
        #expect(!FileManager.default.fileExists(atPath: out + "/report.html"))
        #expect(CheckedRun.refusal(refused.check).contains("--allow-errors"))

        options.outputDirectory = out
        let allowed = try CheckedRun.run(options, allowErrors: true)
        let summary = try #require(allowed.summary)
        #expect(summary.accounting.excludedCount("keluarga.csv") == 3)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("The data check found 7 errors"))
    }
}
