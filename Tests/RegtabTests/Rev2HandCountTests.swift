import Foundation
import Testing
@testable import Reporting

/// Contract revision 2 on hand-made registries with hand-counted answers: `Benchmarks/reference/make_rev2_cases.py`
/// writes nine small registries (a kelurahan family and BLT Desa; a PBI family of four with one insured member;
/// PIP pupils; roster NIKs of members who died or moved; one person in 2022-S1 and 2022-S2 and one twice in a
/// period; KK-only rows; a roster with no NIK at all; no `penerima.csv`; an empty one), each with `expected.csv`
/// (580 cells counted by hand, reasoning in each `case.txt`). The same cases are checked against the two
/// independent implementations (`--verify`). Here regtab runs every case without disclosure control and every
/// expected cell must be in its twin with the same value and status — and every cell expected `absent` (a table,
/// or the roster source, that must not be published without a roster) must be missing.
@Suite struct Rev2HandCountTests {
    static let script = Repo.root + "/Benchmarks/reference/make_rev2_cases.py"
    static let cases = ["kelurahan_blt", "pbi_persons", "pip_persons", "non_current_nik", "periods", "kk_only",
                        "no_nik_roster", "no_penerima", "empty_penerima"]

    /// The generated cases and a copy of the Regsosek definition without disclosure control (made once).
    static let setup: (cases: String, profile: String)? = {
        let root = Repo.temporaryDirectory("Rev2HandCount")
        guard let run = try? DuckDBCrossTests.execute("python3", [script, root + "/cases"]), run.status == 0 else { return nil }
        let profile = root + "/report"
        guard (try? FileManager.default.copyItem(atPath: Repo.profile, toPath: profile)) != nil,
              (try? DuckDBCrossTests.disableProtection(profile + "/report.yml")) != nil else { return nil }
        return (root + "/cases", profile)
    }()

    /// The twin rows of a run, keyed `table|area_level|area_code|dims|measure` (dims joined by `|`).
    static func twins(_ directory: String) throws -> [String: (value: String, status: String)] {
        var out: [String: (String, String)] = [:]
        let data = directory + "/data"
        for file in try FileManager.default.contentsOfDirectory(atPath: data) where file.hasSuffix(".csv") {
            let lines = try String(contentsOfFile: data + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
            for line in lines.dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard f.count >= 6 else { continue }
                let dims = f[3..<(f.count - 3)].joined(separator: "|")
                out[[f[0], f[1], f[2], dims, f[f.count - 3]].joined(separator: "|")] = (f[f.count - 2], f[f.count - 1])
            }
        }
        return out
    }

    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) < 1e-9
    }

    /// Also under the `external` schedule of `--memory-limit` (the members' NIKs sorted on disk, here in runs of two
    /// members): the roster linking from the merged runs must count every case as the join in memory does.
    @Test(.enabled(if: setup != nil, "needs python3 to generate the cases"), arguments: cases, [false, true])
    func everyHandCountedCellMatches(_ name: String, external: Bool) throws {
        let (cases, profile) = try #require(Self.setup)
        let data = cases + "/" + name, out = Repo.temporaryDirectory("Rev2-\(name)-\(external)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        var memory: MemoryPlan? = nil
        if external {
            var plan = MemoryPlan(schedule: .external, limit: 1 << 30, records: RecordCounts(families: 0, persons: 0, rosterRows: 0, villages: 0),
                                  cellsPerArea: 0)
            plan.memberNIKRunLength = 2
            memory = plan
        }
        let summary = try #require(try ReportRun.run(RunOptions(profileDirectory: profile, dataDirectory: data, outputDirectory: out,
                                                                templatesDirectory: Repo.templates), memory: memory, gate: { [] }))
        #expect(summary.timings.contains { $0.contains("NIKs sorted on disk: ") } == external, "\(name): schedule")
        let got = try Self.twins(out)
        let expected = try String(contentsOfFile: data + "/expected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(expected.count > 10, "\(name): expected.csv holds the hand counts")
        var checked = 0
        for line in expected {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == 7, "\(name): malformed expected row \(line)")
            let (table, level, code, dims, measure, value, status) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6])
            if status == "absent" {
                // A table (dims `*`) or the roster source of targeting (`*|roster`) that must not be published.
                let present = got.keys.contains { key in
                    let k = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    guard k.first == table else { return false }
                    return dims == "*" || (dims.hasSuffix("|roster") && k.count >= 6 && k[k.count - 2] == "roster")
                }
                #expect(!present, "\(name): \(table) \(dims) must not be published")
            } else {
                let key = [table, level, code, dims, measure].joined(separator: "|")
                guard let cell = got[key] else { Issue.record("\(name): no cell \(key) in the twins"); continue }
                #expect(Self.same(cell.value, value) && cell.status == status,
                        "\(name): \(key) is \(cell.value)/\(cell.status), counted by hand \(value)/\(status)")
            }
            checked += 1
        }
        #expect(checked == expected.count)
    }

    /// Without `penerima.csv` no published file holds a roster figure, the duplicate findings, or a measured-looking
    /// rate of a source that was never supplied, and every format says that no roster was supplied.
    @Test(.enabled(if: setup != nil, "needs python3 to generate the cases"))
    func runWithoutRosterPublishesNoRosterFigure() throws {
        let (cases, _) = try #require(Self.setup)
        let out = Repo.temporaryDirectory("Rev2-noroster")
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try ReportRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: cases + "/no_penerima", outputDirectory: out,
                                         templatesDirectory: Repo.templates))
        let fm = FileManager.default
        let twins = try fm.contentsOfDirectory(atPath: out + "/data")
        for absent in ["duplicates.csv", "targeting_overlap.csv", "targeting_agreement.csv"] {
            #expect(!twins.contains(absent), "\(absent) must not be published without a roster")
        }
        let targeting = try String(contentsOfFile: out + "/data/targeting.csv", encoding: .utf8)
        #expect(!targeting.contains(",roster,"), "targeting.csv holds roster rows without a roster")
        // Every published presentation file, the workbook's text included (its shared strings).
        let workbook = try RendererTests.unzip(URL(fileURLWithPath: out + "/report.xlsx"), "xl/sharedStrings.xml")
        let texts = try ["report.html", "report.md", "briefing.html"].map { ($0, try String(contentsOfFile: out + "/" + $0, encoding: .utf8)) }
            + [("report.xlsx", workbook)]
        for (file, text) in texts {
            #expect(text.contains("No ministry roster was supplied") || text.contains("Tidak ada daftar penerima kementerian yang diberikan"),
                    "\(file) does not say that no roster was supplied")
            for phrase in ["Daftar Penerima)", "(Rosters)", "duplicate-NIK rows", "Baris NIK ganda", "Payment problems", "Masalah pembayaran"] {
                #expect(!text.contains(phrase), "\(file) shows '\(phrase)' although no roster was supplied")
            }
        }
    }
}
