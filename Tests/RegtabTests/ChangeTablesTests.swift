import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation

/// A hand-made pair of snapshots with known answers (`regtab compare`). Villages: V1 Suka Damai (1505010024) and
/// V2 Ibru (1505010025) in kecamatan Mestong (1505010), V3 Tanjung Harapan (1505011009) in Sungai Bahar (1505011).
///
///     before                                   after
///     F1 V1 KK …01 desil 2, 2 persons          F1 moved to V3 (new key, same KK: matched by No. KK)
///     F2 V1 KK …02 desil 3, 3 persons          F2 V1 2 persons; F2b V1 (new key, new KK …12) desil 3, 1 person: a split
///     F3 V2 KK …03 desil 4, 1 person           F3 desil 7: leaves desil 1–4
///     F4 V2 KK …04 desil 1: M70 PBI recipient,  F4: the recipient died (r404 = 2); F65 remains
///        F65 not a recipient
///     F5 V3 KK …05 desil 8, 1 person           gone
///                                              F6 V3 new (KK …06) desil 9, 2 persons
enum ChangePair {
    static let keluargaHeader = "r101,r102,r103,r104,r105,r109,r110,r112,r114,desil,r301a,r302,r303,r304,r305,r306a,r307a,r308,r309a,r501a,r501b,r501c"
    static let anggotaHeader = "r101,r102,r103,r104,r105,r109,r110,r401,r402,r403,r404,r405,r406,r407,r408,r409,r410,r412,r415,r416a,r417,r418,r428a,r428b,r428c,r428d,r428e,r428f,r428g,r428h,r428i,r430,r431a,r431e"

    /// `village` is the last 3 digits of r104 (024, 025 in kec 010; 009 in kec 011).
    static func family(_ kec: String, _ desa: String, sls: Int, building: Int, kk: String, desil: Int, bpnt: Int = 2) -> String {
        "15,05,\(kec),\(desa),\(String(format: "%06d", sls)),\(building),1,,\(kk),\(desil),1,40,6,3,3,5,1,4,1,\(bpnt),2,2"
    }
    static func member(_ kec: String, _ desa: String, sls: Int, building: Int, serial: Int, age: Int, sex: Int = 1,
                       presence: Int = 1, pbi: Int = 2) -> String {
        "15,05,\(kec),\(desa),\(String(format: "%06d", sls)),\(building),1,\(serial),Nama,,\(presence),\(sex),,\(age),2,\(serial == 1 ? 1 : 2),,,,,,,4,4,4,4,4,4,4,4,4,1,\(pbi),"
    }
    static let wilayah = """
        kode_kecamatan,nama_kecamatan,kode_kecamatan_kemendagri,kode_desa,nama_desa,kode_desa_kemendagri,jenis
        1505010,Mestong,15.05.05,1505010024,Suka Damai,15.05.05.2015,desa
        1505010,Mestong,15.05.05,1505010025,Ibru,15.05.05.2004,desa
        1505011,Sungai Bahar,15.05.07,1505011009,Tanjung Harapan,15.05.07.2012,desa

        """

    static func write(_ dir: String, families: [String], members: [String]) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        try put("keluarga.csv", ([keluargaHeader] + families).joined(separator: "\n") + "\n")
        try put("anggota.csv", ([anggotaHeader] + members).joined(separator: "\n") + "\n")
        try put("penerima.csv", "program,nik,no_kk,nama,kode_desa_kemendagri,periode\n")
        try put("wilayah.csv", wilayah)
    }

    /// Writes both snapshots under `root` (`before/`, `after/`).
    static func write(root: String) throws {
        try write(root + "/before", families: [
            family("010", "024", sls: 1, building: 1, kk: "1505010101800001", desil: 2, bpnt: 1),
            family("010", "024", sls: 1, building: 2, kk: "1505010101800002", desil: 3),
            family("010", "025", sls: 1, building: 1, kk: "1505010101800003", desil: 4),
            family("010", "025", sls: 1, building: 2, kk: "1505010101800004", desil: 1),
            family("011", "009", sls: 1, building: 1, kk: "1505010101800005", desil: 8),
        ], members: [
            member("010", "024", sls: 1, building: 1, serial: 1, age: 40), member("010", "024", sls: 1, building: 1, serial: 2, age: 38, sex: 2),
            member("010", "024", sls: 1, building: 2, serial: 1, age: 50), member("010", "024", sls: 1, building: 2, serial: 2, age: 45, sex: 2),
            member("010", "024", sls: 1, building: 2, serial: 3, age: 20),
            member("010", "025", sls: 1, building: 1, serial: 1, age: 33),
            member("010", "025", sls: 1, building: 2, serial: 1, age: 70, pbi: 1), member("010", "025", sls: 1, building: 2, serial: 2, age: 65, sex: 2),
            member("011", "009", sls: 1, building: 1, serial: 1, age: 29, sex: 2),
        ])
        try write(root + "/after", families: [
            family("010", "024", sls: 1, building: 2, kk: "1505010101800002", desil: 3),
            family("010", "024", sls: 1, building: 3, kk: "1505010101800012", desil: 3),
            family("010", "025", sls: 1, building: 1, kk: "1505010101800003", desil: 7),
            family("010", "025", sls: 1, building: 2, kk: "1505010101800004", desil: 1),
            family("011", "009", sls: 5, building: 1, kk: "1505010101800001", desil: 2, bpnt: 1),
            family("011", "009", sls: 5, building: 2, kk: "1505010101800006", desil: 9),
        ], members: [
            member("010", "024", sls: 1, building: 2, serial: 1, age: 50), member("010", "024", sls: 1, building: 2, serial: 2, age: 45, sex: 2),
            member("010", "024", sls: 1, building: 3, serial: 1, age: 20),
            member("010", "025", sls: 1, building: 1, serial: 1, age: 33),
            member("010", "025", sls: 1, building: 2, serial: 1, age: 70, presence: 2, pbi: 1),
            member("010", "025", sls: 1, building: 2, serial: 2, age: 65, sex: 2),
            member("011", "009", sls: 5, building: 1, serial: 1, age: 40), member("011", "009", sls: 5, building: 1, serial: 2, age: 38, sex: 2),
            member("011", "009", sls: 5, building: 2, serial: 1, age: 30), member("011", "009", sls: 5, building: 2, serial: 2, age: 3),
        ])
    }

    static func snapshot(_ dir: String, profile: Profile) throws -> EngineResult {
        var engine = Engine(profile: profile)
        engine.familySnapshot = true
        return try engine.run(dataDirectory: dir)
    }
}

/// `before + in − out = after` for every stock of both change tables in every area at every level, and
/// net = after − before; the families' in/out split into new/moved and gone/moved.
func checkFlowIdentity(_ change: ChangeResult) {
    let f = change.families
    for slot in 0..<f.areas.slotCount {
        func v(_ m: String) -> Double { f[slot: slot, cell: 0, measure: f.measureIndex(m)!]!.value! }
        for (stock, inflow, outflow) in [("families", "families_in", "families_out"), ("desil1_4", "desil1_4_entering", "desil1_4_leaving")] {
            #expect(v(stock + "_before") + v(inflow) - v(outflow) == v(stock + "_after"), "\(stock) at slot \(slot)")
            #expect(v(stock + "_after") - v(stock + "_before") == v(stock + "_net"))
        }
        #expect(v("families_in") == v("families_new") + v("families_moved_in"))
        #expect(v("families_out") == v("families_gone") + v("families_moved_out"))
        #expect(v("families_after") == v("families_new") + v("matched_by_key") + v("matched_by_kk"))
        #expect(v("persons_after") - v("persons_before") == v("persons_net"))
        let t = change.targeting
        for cell in 0..<t.cellsPerArea {
            func w(_ m: String) -> Double { t[slot: slot, cell: cell, measure: t.measureIndex(m)!]!.value! }
            for (stock, inflow, outflow) in [("eligible", "newly_eligible", "no_longer_eligible"), ("recipients", "recipients_gained", "recipients_lost"),
                                             ("eligible_non_recipients", "eligible_non_recipients_entering", "eligible_non_recipients_leaving")] {
                #expect(w(stock + "_before") + w(inflow) - w(outflow) == w(stock + "_after"), "\(stock) cell \(cell) slot \(slot)")
                #expect(w(stock + "_after") - w(stock + "_before") == w(stock + "_net"))
            }
        }
    }
}

@Suite struct ChangeTablesTests {
    static let change: ChangeResult = {
        let root = Repo.temporaryDirectory("changepair")
        try! ChangePair.write(root: root)
        let profile = try! Profile.load(directory: Repo.profile)
        let before = try! ChangePair.snapshot(root + "/before", profile: profile)
        let after = try! ChangePair.snapshot(root + "/after", profile: profile)
        return try! ChangeTables.compute(before: before.snapshot!, after: after.snapshot!)
    }()
    func f(_ level: AreaLevel, _ code: String, _ m: String) -> Double? { Self.change.families.value(level, code, [], m) }

    @Test func matchingByKeyThenNoKK() {
        let m = Self.change.matching
        #expect(m.byKey == 3)   // F2, F3, F4
        #expect(m.byKK == 1)    // F1 moved
        #expect(m.new == 2)     // F2b (split), F6
        #expect(m.gone == 1)    // F5
    }

    /// F1 moves from V1 (kec Mestong) to V3 (kec Sungai Bahar): out of V1 and Mestong, into V3 and Sungai Bahar,
    /// nothing at the kabupaten.
    @Test func familyThatMovesVillage() {
        #expect(f(.desa, "1505010024", "families_moved_out") == 1)
        #expect(f(.desa, "1505011009", "families_moved_in") == 1)
        #expect(f(.kecamatan, "1505010", "families_moved_out") == 1)
        #expect(f(.kecamatan, "1505011", "families_moved_in") == 1)
        #expect(f(.kabupaten, "1505", "families_moved_in") == 0)
        #expect(f(.kabupaten, "1505", "families_moved_out") == 0)
        #expect(f(.kabupaten, "1505", "matched_by_kk") == 1)
        // Its desil 2 goes with it: desil 1–4 leaves V1 and enters V3.
        #expect(f(.desa, "1505011009", "desil1_4_entering") == 1)
        #expect(f(.desa, "1505011009", "desil1_4_before") == 0)
        // …and its BPNT receipt (self-report) too.
        let t = Self.change.targeting
        #expect(t.value(.desa, "1505010024", ["BPNT", "registry"], "recipients_lost") == 1)
        #expect(t.value(.desa, "1505011009", ["BPNT", "registry"], "recipients_gained") == 1)
        #expect(t.value(.kabupaten, "1505", ["BPNT", "registry"], "recipients_gained") == 0)
        #expect(t.value(.kabupaten, "1505", ["BPNT", "registry"], "recipients_net") == 0)
    }

    /// F2 splits: F2 keeps its key with 2 of its 3 members, F2b (new key, new No. KK) is a new family in V1.
    @Test func familyThatSplits() {
        #expect(f(.desa, "1505010024", "families_before") == 2)
        #expect(f(.desa, "1505010024", "families_after") == 2)
        #expect(f(.desa, "1505010024", "families_new") == 1)
        #expect(f(.desa, "1505010024", "families_in") == 1)
        #expect(f(.desa, "1505010024", "families_out") == 1)   // F1 moved out
        #expect(f(.desa, "1505010024", "persons_before") == 5)
        #expect(f(.desa, "1505010024", "persons_after") == 3)
        #expect(f(.desa, "1505010024", "desil1_4_entering") == 1)   // F2b, desil 3
        #expect(f(.kabupaten, "1505", "families_new") == 2)
        #expect(f(.kabupaten, "1505", "families_gone") == 1)
        #expect(f(.kabupaten, "1505", "families_net") == 1)
    }

    /// F3 goes from desil 4 to 7.
    @Test func familyThatLeavesDesil1to4() {
        #expect(f(.desa, "1505010025", "desil1_4_before") == 2)
        #expect(f(.desa, "1505010025", "desil1_4_after") == 1)
        #expect(f(.desa, "1505010025", "desil1_4_leaving") == 1)
        #expect(f(.desa, "1505010025", "desil1_4_entering") == 0)
        #expect(f(.kabupaten, "1505", "desil1_4_leaving") == 1)   // F3 (F1 moved inside the kabupaten)
        #expect(f(.kabupaten, "1505", "desil1_4_entering") == 1)  // F2b
        let t = Self.change.targeting
        #expect(t.value(.desa, "1505010025", ["BPNT", "registry"], "no_longer_eligible") == 1)
        #expect(t.value(.desa, "1505010025", ["BPNT", "registry"], "eligible_non_recipients_leaving") == 1)
        let d = Self.change.desil
        #expect(d.value(.kabupaten, "1505", ["1_4", "6_10"], "families") == 1)
        #expect(d.value(.kabupaten, "1505", ["1_4", "1_4"], "families") == 3)
        #expect(d.value(.kabupaten, "1505", ["new", "1_4"], "families") == 1)
        #expect(d.value(.kabupaten, "1505", ["new", "6_10"], "families") == 1)
        #expect(d.value(.kabupaten, "1505", ["6_10", "gone"], "families") == 1)
        #expect(d.value(.kabupaten, "1505", ["_T", "_T"], "families") == 7)
        #expect(d.value(.kecamatan, "1505011", ["1_4", "1_4"], "families") == 1)   // F1, in its new kecamatan
        #expect(d.cell(AreaRef(.desa, 0), ["_T", "_T"], "families") == nil)        // no village rows
    }

    /// F4's PBI JKN recipient (r431a = 1) dies: the family stays, holds no recipient any more, and V2 loses a person.
    @Test func recipientWhoDies() {
        let t = Self.change.targeting
        #expect(t.value(.desa, "1505010025", ["PBI_JKN", "registry"], "recipients_before") == 1)
        #expect(t.value(.desa, "1505010025", ["PBI_JKN", "registry"], "recipients_after") == 0)
        #expect(t.value(.desa, "1505010025", ["PBI_JKN", "registry"], "recipients_lost") == 1)
        #expect(t.value(.desa, "1505010025", ["PBI_JKN", "registry"], "eligible_after") == 1)   // F4; F3 (desil 7) no longer
        #expect(f(.desa, "1505010025", "persons_net") == -1)
        #expect(f(.desa, "1505010025", "families_net") == 0)
    }

    @Test func flowsAddUpAtEveryLevel() {
        checkFlowIdentity(Self.change)
    }
}

/// `regtab compare` as a user runs it, on the hand-made pair: it writes the change twins and says how families were
/// matched; an earlier village missing from the later `wilayah` is a clear error (exit 2), never a crash.
@Suite struct CompareCommandTests {
    @Test func compareWritesChangeTwinsAndSaysHowFamiliesMatched() throws {
        let root = Repo.temporaryDirectory("comparecli")
        try ChangePair.write(root: root)
        let r = try CLITests.regtab(["compare", Repo.profile, "--before", root + "/before", "--after", root + "/after", "--out", root + "/out",
                                     "--allow-errors", "--templates", Repo.templates])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Matched 3 families by family key, 1 by No. KK; 2 new, 1 gone"), "\(r.stdout)")
        let twin = try String(contentsOfFile: root + "/out/data/change_families.csv", encoding: .utf8)
        #expect(twin.hasPrefix("table,area_level,area_code,measure,value,obs_status\nchange_families,kabupaten,1505,persons_before,9,\n"), "\(twin.prefix(200))")
        #expect(FileManager.default.fileExists(atPath: root + "/out/data/change_desil.csv"))

        // The earlier snapshot has a village the later wilayah lacks.
        let wilayah = try String(contentsOfFile: root + "/before/wilayah.csv", encoding: .utf8)
        try Data((wilayah + "1505011,Sungai Bahar,15.05.07,1505011010,Desa Lama,15.05.07.2099,desa\n").utf8)
            .write(to: URL(fileURLWithPath: root + "/before/wilayah.csv"))
        let bad = try CLITests.regtab(["compare", Repo.profile, "--before", root + "/before", "--after", root + "/after", "--out", root + "/out2",
                                       "--allow-errors", "--templates", Repo.templates])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("village 1505011010 (Desa Lama) of the earlier snapshot is not in the later snapshot's wilayah"), "\(bad.stderr)")
    }
}
