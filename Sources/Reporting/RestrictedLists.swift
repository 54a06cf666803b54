import Foundation
import Microdata
import Publishing
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
        let header1 = ["program", "source", "kode_desa", "nama_desa", "kecamatan", "no_kk", "nik_kepala", "nama_kepala", "family_key"]
        let rows1: [[String]] = t.eligibleNonRecipients.map { e in
            let v = village(e.family), f = Int(e.family)
            return [e.programme, e.source, v.code, v.name, v.kecamatan, engine.familyKK.text(f),
                    engine.headNIK.isEmpty ? "" : engine.headNIK[f], engine.headName.isEmpty ? "" : engine.headName[f],
                    engine.familyKeys[f]]
        }
        // Only the roster rows the lists name are rebuilt as text (a roster may have millions of rows).
        let neededLines = Set(t.duplicateRecords.compactMap(\.rosterLine))
        var rosterByLine: [Int: RosterRow] = [:]
        for r in 0..<engine.roster.count where neededLines.contains(engine.roster.line(r)) && rosterByLine[engine.roster.line(r)] == nil {
            rosterByLine[engine.roster.line(r)] = engine.roster[r]
        }
        let header2 = ["category", "program", "penerima_line", "nik", "no_kk", "nama", "kode_desa", "nama_desa", "kecamatan", "family_key"]
        let rows2: [[String]] = t.duplicateRecords.map { d in
            let row = d.rosterLine.flatMap { rosterByLine[$0] }
            let v = d.family.map(village)
            return [d.category, d.programme, d.rosterLine.map(String.init) ?? "", d.nik, row?.noKK ?? "", row?.name ?? "",
                    v?.code ?? "", v?.name ?? "", v?.kecamatan ?? "", d.family.map { engine.familyKeys[Int($0)] } ?? ""]
        }
        let lists = [RecordListWorkbook.Sheet(name: "eligible_non_recipients", header: header1, rows: rows1),
                     RecordListWorkbook.Sheet(name: "duplicate_records", header: header2, rows: rows2)]
        for list in lists {
            let w = try CSVWriter(path: (directory as NSString).appendingPathComponent("\(list.name).csv"))
            w.writeRow(list.header)
            list.rows.forEach(w.writeRow)
            try w.close()
        }
        try RecordListWorkbook.write(lists, to: (directory as NSString).appendingPathComponent("restricted_lists.xlsx"))
        return t.eligibleNonRecipients.count + t.duplicateRecords.count
    }
}
