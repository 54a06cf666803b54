import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation
import Testing

/// Issue 15: the input layout lives in the report definition (`codebook.yml` `layout:`), not in the Swift
/// code. The same registry in the Regsosek layout and in the flat layout (contract §1.5) gives identical
/// core tables; a flat family is taken from its head's row; a rule error stops a run before any data file
/// is opened; and no Swift source outside the demo generator names an input column.
@Suite(.serialized) struct LayoutTests {
    static let flatProfile = Repo.root + "/reports/flat"

    /// Runs `profile` on `data` into a fresh folder and returns it.
    static func run(_ profile: String, _ data: String, _ name: String) throws -> String {
        let out = Repo.temporaryDirectory(name)
        _ = try ReportRun.run(RunOptions(profileDirectory: profile, dataDirectory: data, outputDirectory: out, language: nil,
                                         templatesDirectory: Repo.templates))
        return out
    }

    @Test func flatAndRegsosekLayoutsGiveIdenticalCoreTwins() throws {
        let root = Repo.temporaryDirectory()
        let regsosek = root + "/regsosek", flat = root + "/flat"
        _ = try DemoRun.generate(families: 2_000, seed: 7, directory: regsosek)
        let summary = try DemoRun.generate(families: 2_000, seed: 7, directory: flat, flat: true)
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: flat + "/anggota_keluarga.csv"))
        #expect(!fm.fileExists(atPath: flat + "/keluarga.csv") && !fm.fileExists(atPath: flat + "/anggota.csv"))
        #expect(summary.persons > 5_000)
        let a = try Self.run(Repo.profile, regsosek, "regsosekLayout"), b = try Self.run(Self.flatProfile, flat, "flatLayout")
        for table in ["population_sex", "population_age_sex", "families_desil", "disability_sex", "targeting", "duplicates"] {
            let x = try String(contentsOfFile: "\(a)/data/\(table).csv", encoding: .utf8)
            let y = try String(contentsOfFile: "\(b)/data/\(table).csv", encoding: .utf8)
            #expect(x.split(separator: "\n").count > 100, "\(table) has cells")
            #expect(x == y, "\(table): the twins of the two layouts differ")
        }
    }

    /// A hand-made flat file: family A's first row says desil 5 and village 1505010001, its head's (second)
    /// row says desil 1 and village 1505010002 — the head's row is used and the check reports the other
    /// row; family B (sex given as l/P) has no head, so its first row is used; family C's identifier is
    /// longer than 16 bytes.
    @Test func flatFamilyComesFromTheHeadRowAndDisagreementIsAFinding() throws {
        let dir = Repo.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Repo.fixture("handcount/wilayah.csv"), toPath: dir + "/wilayah.csv")
        let villages = try RecordSources.open(path: dir + "/wilayah.csv")
        var codes: [String] = []
        try villages.forEachRecord(repeatedHeader: { _ in }) { r in codes.append(r.string(villages.columnIndex("kode_desa")!)) }
        let (v1, v2) = (codes[0], codes[1])
        let rows = [
            "id_keluarga,kode_desa,no_kk,desil,terima_bpnt,terima_pkh,terima_blt_desa,nik,nama,status_keberadaan,hubungan_kk,jenis_kelamin,umur,hamil,sekolah,disabilitas,jkn,pip",
            "A,\(v1),,5,2,2,2,,Anak A,1,3,P,10,,2,2,0,2",
            "A,\(v2),,1,2,2,2,,Kepala A,1,1,L,40,,3,2,0,2",
            "B,\(v1),,3,1,2,2,,Satu B,1,2,l,35,2,3,2,1,2",
            "B,\(v1),,3,1,2,2,,Dua B,1,3,P,8,,2,1,1,1",
            "KELUARGA_DENGAN_ID_PANJANG,\(v1),,2,2,2,2,,C,1,1,L,50,,3,2,0,2",
        ]
        try (rows.joined(separator: "\n") + "\n").write(toFile: dir + "/anggota_keluarga.csv", atomically: true, encoding: .utf8)
        let profile = try Profile.load(directory: Self.flatProfile)
        let result = try Engine(profile: profile).run(dataDirectory: dir)
        let desil = try #require(result.cubes.first { $0.table == "families_desil" })
        #expect(desil.value(.desa, v2, ["1"], "families") == 1, "family A counts in the head's village with the head's desil")
        #expect(desil.value(.desa, v1, ["5"], "families") == 0)
        #expect(desil.value(.desa, v1, ["3"], "families") == 1, "family B from its first row")
        #expect(desil.value(.kabupaten, String(v1.prefix(4)), ["_T"], "families") == 2, "family C's identifier is too long")
        let sex = try #require(result.cubes.first { $0.table == "population_sex" })
        #expect(sex.value(.kabupaten, String(v1.prefix(4)), ["1"], "persons") == 2, "L and l read as code 1")
        #expect(sex.value(.kabupaten, String(v1.prefix(4)), ["2"], "persons") == 2, "P read as code 2")
        #expect(result.accounting.examples.contains { "\($0)".contains("a family identifier of 1 to 16 bytes") }, "\(result.accounting.examples)")
        // What disclosure control and publishing receive holds no record-level field; the lists keep them.
        let withLists = try Engine(profile: profile).run(dataDirectory: dir, recordLists: true)
        let (published, records) = withLists.separatingRecords()
        #expect(published.holdsNoRecords && !withLists.holdsNoRecords)
        #expect(records.familyKeys == ["A", "B"] && records.headName == ["Kepala A", ""])
        #expect(published.cubes.map { TwinWriter.csv($0) } == withLists.cubes.map { TwinWriter.csv($0) })

        let check = try DataCheck.run(profile: profile, dataDirectory: dir, findingsPath: dir + "/findings.csv")
        let findings = try String(contentsOfFile: dir + "/findings.csv", encoding: .utf8)
        #expect(check.counts.contains { $0.rule == "family_columns_disagree" && $0.count == 1 }, "\(check.counts)")
        #expect(findings.contains("anggota_keluarga.csv,3,,,family_columns_disagree,warning,A,"), "\(findings)")
        #expect(!findings.contains("column_unexpected"), "a flat file's member and family columns are all expected")
    }

    @Test func aRuleErrorStopsTheRunBeforeAnyDataFileIsOpened() throws {
        let definition = Repo.temporaryDirectory()
        for f in Profile.fileNames { try FileManager.default.copyItem(atPath: Repo.profile + "/" + f, toPath: definition + "/" + f) }
        let rules = try String(contentsOfFile: definition + "/rules.yml", encoding: .utf8)
        try rules.replacingOccurrences(of: "eligible: \"desil <= 4\"", with: "eligible: \"desil <= 4 and dsil > 1\"")
            .write(toFile: definition + "/rules.yml", atomically: true, encoding: .utf8)
        // The data folder does not exist: an engine or check that opened a file first would fail on it.
        let options = RunOptions(profileDirectory: definition, dataDirectory: "/nonexistent/regtab-data", outputDirectory: Repo.temporaryDirectory())
        do {
            _ = try CheckedRun.run(options, allowErrors: true)
            Issue.record("the run did not stop")
        } catch {
            #expect("\(error)".contains("dsil"), "\(error)")
            #expect(!"\(error)".contains("nonexistent"), "\(error)")
        }
        let r = try CLITests.regtab(["run", definition, "--data", "/nonexistent/regtab-data", "--out", Repo.temporaryDirectory()])
        #expect(r.status == 2 && r.stderr.contains("dsil") && !r.stderr.contains("nonexistent"), "\(r.stderr)")
    }

    /// The hook's and the issue's test: no Swift source outside the demo generator names an input column of
    /// either layout in a string literal (the roles and column maps of `codebook.yml` do).
    @Test func noSourceNamesAnInputColumn() throws {
        let regsosek = #"r[1-5][0-9]{2}[a-z]?"#
        let flat = ["id_keluarga", "kode_desa", "no_kk", "nik", "desil", "nama", "periode", "status_keberadaan", "hubungan_kk",
                    "jenis_kelamin", "umur", "hamil", "sekolah", "disabilitas", "jkn", "pip", "terima_bpnt", "terima_pkh",
                    "terima_blt_desa", "kode_desa_kemendagri", "nama_desa", "nama_kecamatan", "kode_kecamatan",
                    "kode_kecamatan_kemendagri", "jenis"]
        let exact = try NSRegularExpression(pattern: "\"(\(regsosek)|\(flat.joined(separator: "|")))\"")
        // A Regsosek variable inside any string (SQL, messages): `r404 in [1, 4]`, `k.r114`.
        let inside = try NSRegularExpression(pattern: #""[^"\n]*\b"# + regsosek + #"\b[^"\n]*""#)
        var hits: [String] = []
        let sources = Repo.root + "/Sources"
        for case let file as String in FileManager.default.enumerator(atPath: sources)! where file.hasSuffix(".swift") && !file.hasPrefix("DemoData/") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let s = String(line), range = NSRange(s.startIndex..., in: s)
                if exact.firstMatch(in: s, range: range) != nil || inside.firstMatch(in: s, range: range) != nil {
                    hits.append("Sources/\(file):\(n + 1): \(code)")
                }
            }
        }
        #expect(hits.isEmpty, "input column names in Swift sources:\n\(hits.joined(separator: "\n"))")
    }
}
