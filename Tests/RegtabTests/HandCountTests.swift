import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation

/// The hand-counted fixture (Fixtures/handcount): 13 family rows, 24 member rows in 3 villages of 2 kecamatan.
/// keluarga.csv is `;`-delimited with a BOM and CRLF, one row has r103 written "10" instead of "010".
///
///   Suka Damai (1505010024)  F1 desil 1: M40, F35 (pregnant), M4      F2 desil 3: M70 (+ F65 died)
///                            F3 no desil: F30, F10 (in school)        F4 desil "07": M50, M20 (r404 = 4, new)
///   Ibru (1505010025)        F5 desil 4: M25, F24   F6 desil 10: M80 (cannot walk)
///                            F7 desil "02": F (age empty), M8         F8 desil 5: M33 (+ F30 moved out)
///   Tanjung Harapan (1505011009) F9 desil 1: M60, F58, F2 (grandchild)  F10 desil 6: M36, sex empty 34
///                            F11 desil 8: F29
///   excluded: a family in village 1505011999 (not in wilayah) with its member; a second row with F11's key;
///             a member whose family key does not exist.
@Suite struct HandCountTests {
    static let result: EngineResult = {
        let profile = try! Profile.load(directory: Repo.profile)
        return try! Engine(profile: profile).run(dataDirectory: Repo.fixture("handcount"))
    }()
    func cube(_ id: String) -> ResultCube { Self.result.cubes.first { $0.table == id }! }

    /// `--verbose` shows the engine's passes in the order they end, each with a duration.
    @Test func enginePhasesAreTimedInOrder() {
        let names = Self.result.phases.map { String($0.prefix { $0 != ":" }) }
        #expect(names == ["setup (wilayah, rules, plans)", "families (keluarga)", "members (anggota)",
                          "family rules and family tables", "profile cubes", "waiting for the roster linking",
                          "roster read into columns (own thread, from the start)", "roster NIKs parsed and sorted (same thread)",
                          "roster linking and duplicate measures (second thread, beside the family rules)",
                          "targeting measures and cubes"])
        // `name: 0.12 s; RSS 45 MiB, peak 50 MiB` (the memory part only where /proc/self/status exists).
        for line in Self.result.phases {
            let timing = line.split(separator: ":").dropFirst().first.map { $0.split(separator: ";")[0] }
            let seconds = timing.flatMap { Double($0.dropLast(2).trimmingCharacters(in: .whitespaces)) }
            #expect(seconds.map { $0 >= 0 } == true, "\(line)")
            if FileManager.default.fileExists(atPath: "/proc/self/status") {
                #expect(line.contains("; RSS ") && line.contains(" MiB, peak ") && line.hasSuffix(" MiB"), "\(line)")
            }
        }
    }

    @Test func recordAccounting() {
        let a = Self.result.accounting
        #expect(a.read.first { $0.file == "keluarga.csv" }?.count == 13)
        #expect(a.tabulated.first { $0.file == "keluarga.csv" }?.count == 11)
        #expect(a.count(excluded: "keluarga.csv", "unknown_village") == 1)
        #expect(a.count(excluded: "keluarga.csv", "duplicate_family_key") == 1)
        #expect(a.read.first { $0.file == "anggota.csv" }?.count == 24)
        #expect(a.tabulated.first { $0.file == "anggota.csv" }?.count == 20)
        #expect(a.count(excluded: "anggota.csv", "family_not_tabulated") == 2)
        #expect(a.count(excluded: "anggota.csv", "not_current_member") == 2)
        // Every record accounted for: read = tabulated + excluded.
        for (file, n) in a.read {
            #expect(n == (a.tabulated.first { $0.file == file }?.count ?? 0) + a.excludedCount(file), "\(file)")
        }
        // The unknown village is reported with its line and column.
        let e = a.examples.first { $0.file == "keluarga.csv" && $0.line == 13 }
        #expect(e?.column == "r104")
        #expect(e?.found == "1505011999")
    }

    @Test func populationSexEveryCell() {
        let c = cube("population_sex")
        // (level, code) → [male, female, not stated, total], families
        let expected: [(AreaLevel, String, [Double], Double)] = [
            (.desa, "1505010024", [5, 3, 0, 8], 4),
            (.desa, "1505010025", [4, 2, 0, 6], 4),
            (.desa, "1505011009", [2, 3, 1, 6], 3),
            (.kecamatan, "1505010", [9, 5, 0, 14], 8),
            (.kecamatan, "1505011", [2, 3, 1, 6], 3),
            (.kabupaten, "1505", [11, 8, 1, 20], 11),
        ]
        for (level, code, persons, families) in expected {
            for (i, sex) in ["1", "2", "_Z", "_T"].enumerated() {
                #expect(c.value(level, code, [sex], "persons") == persons[i], "\(code) r405=\(sex)")
            }
            #expect(c.value(level, code, ["_T"], "families") == families, "\(code) families")
            // families exists only at r405 = _T
            #expect(c.value(level, code, ["1"], "families") == nil)
        }
    }

    @Test func populationAgeSexKabupaten() {
        let c = cube("population_age_sex")
        // age group → (male, female, not stated)
        let expected: [String: (Double, Double, Double)] = [
            "0-4": (1, 1, 0), "5-9": (1, 0, 0), "10-14": (0, 1, 0), "15-19": (0, 0, 0), "20-24": (1, 1, 0),
            "25-29": (1, 1, 0), "30-34": (1, 1, 1), "35-39": (1, 1, 0), "40-44": (1, 0, 0), "45-49": (0, 0, 0),
            "50-54": (1, 0, 0), "55-59": (0, 1, 0), "60-64": (1, 0, 0), "65-69": (0, 0, 0), "70-74": (1, 0, 0),
            "75+": (1, 0, 0), "_Z": (0, 1, 0), "_T": (11, 8, 1),
        ]
        for (group, (m, f, z)) in expected {
            #expect(c.value(.kabupaten, "1505", [group, "1"], "persons") == m, "\(group) male")
            #expect(c.value(.kabupaten, "1505", [group, "2"], "persons") == f, "\(group) female")
            #expect(c.value(.kabupaten, "1505", [group, "_Z"], "persons") == z, "\(group) sex not stated")
            #expect(c.value(.kabupaten, "1505", [group, "_T"], "persons") == m + f + z, "\(group) total")
        }
        // A village cell: Ibru has the person with empty age (female) and an 8-year-old boy.
        #expect(c.value(.desa, "1505010025", ["_Z", "2"], "persons") == 1)
        #expect(c.value(.desa, "1505010025", ["5-9", "1"], "persons") == 1)
        #expect(c.value(.desa, "1505010025", ["75+", "_T"], "persons") == 1)
    }

    @Test func familiesDesilEveryCell() {
        let c = cube("families_desil")
        let codes = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "_Z", "_T"]
        let expected: [(AreaLevel, String, [Double])] = [
            (.desa, "1505010024", [1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 4]),
            (.desa, "1505010025", [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 4]),
            (.desa, "1505011009", [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 3]),
            (.kecamatan, "1505010", [1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 8]),
            (.kecamatan, "1505011", [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 3]),
            (.kabupaten, "1505", [2, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 11]),
        ]
        for (level, code, values) in expected {
            for (i, d) in codes.enumerated() {
                #expect(c.value(level, code, [d], "families") == values[i], "\(code) desil=\(d)")
            }
        }
    }

    @Test func disabilityAndSchool() {
        // Kakek Umar (80, cannot walk) is the only person with a disability.
        let d = cube("disability_sex")
        #expect(d.value(.kabupaten, "1505", ["_T"], "persons") == 1)
        #expect(d.value(.desa, "1505010025", ["1"], "persons") == 1)
        // Aged 5+ with known age: 20 persons minus 2 under 5 and 1 of unknown age = 17; still in school: Dewi, Tono.
        let s = cube("school_participation")
        #expect(s.value(.kabupaten, "1505", ["_T"], "persons") == 17)
        #expect(s.value(.kabupaten, "1505", ["2"], "persons") == 2)
        #expect(s.value(.kabupaten, "1505", ["1"], "persons") == 1)
        #expect(s.value(.kabupaten, "1505", ["3"], "persons") == 14)
        let pct = s.value(.kabupaten, "1505", ["2"], "pct")!
        #expect(abs(pct - 2.0 / 17.0 * 100) < 1e-9)
    }
}

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Streaming in odd pieces gives the same digest as one call.
        var s = SHA256()
        var i = 0
        while i < million.count { let n = min(777, million.count - i); s.update(Array(million[i..<(i + n)])); i += n }
        #expect(SHA256.hexString(s.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct KemendagriCodeTests {
    @Test func dottedCodesWithEatenZerosMatch() {
        let areas = AreaIndex(villages: [("1505010024", "Suka Damai", "15.05.05.2015", "desa", "Mestong", "15.05.05")])
        #expect(areas.village(kemendagri: "15.05.05.2015") == 0)
        #expect(areas.village(kemendagri: "1505052015") == 0)
        #expect(areas.village(kemendagri: "15.5.5.2015") == 0)
        #expect(areas.village(kemendagri: " 15.05.05.2015 ") == 0)
        #expect(areas.village(kemendagri: "15.05.05.2016") == nil)
    }
}
