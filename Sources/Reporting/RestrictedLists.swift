import Foundation
import Microdata
import Tabulation

/// Record-level lists for field verification, written only to the folder the user names with
/// `--restricted`. They hold identifiers (No. KK, NIK, names from the rosters) and so never go into a
/// published file.
enum RestrictedLists {
    /// Writes the lists and returns the number of records written.
    static func write(_ t: TargetingResult, engine: EngineResult, directory: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let areas = engine.areas
        func village(_ f: Int32) -> (code: String, name: String, kecamatan: String) {
            let v = areas.villages[Int(engine.familyVillage[Int(f)])]
            return (v.code, v.name, areas.kecamatans[v.kecamatan].name)
        }
        let w1 = try CSVWriter(path: (directory as NSString).appendingPathComponent("eligible_non_recipients.csv"))
        w1.writeRow(["program", "source", "kode_desa", "nama_desa", "kecamatan", "no_kk", "family_key"])
        for e in t.eligibleNonRecipients {
            let v = village(e.family)
            w1.writeRow([e.programme, e.source, v.code, v.name, v.kecamatan, engine.familyKK[Int(e.family)], engine.familyKeys[Int(e.family)]])
        }
        try w1.close()
        let rosterByLine = Dictionary(engine.roster.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let w2 = try CSVWriter(path: (directory as NSString).appendingPathComponent("duplicate_records.csv"))
        w2.writeRow(["category", "program", "penerima_line", "nik", "no_kk", "nama", "kode_desa", "nama_desa", "kecamatan", "family_key"])
        for d in t.duplicateRecords {
            let row = d.rosterLine.flatMap { rosterByLine[$0] }
            let v = d.family.map(village)
            w2.writeRow([d.category, d.programme, d.rosterLine.map(String.init) ?? "", d.nik, row?.noKK ?? "", row?.name ?? "",
                         v?.code ?? "", v?.name ?? "", v?.kecamatan ?? "", d.family.map { engine.familyKeys[Int($0)] } ?? ""])
        }
        try w2.close()
        return t.eligibleNonRecipients.count + t.duplicateRecords.count
    }
}
