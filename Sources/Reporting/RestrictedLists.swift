import Foundation
import Microdata
import Publishing
import Tabulation

/// Record-level lists for field verification, written only to the folder the user names with
/// `--restricted`. They hold identifiers (No. KK, NIK, names from the rosters) and so never go into a
/// published file.
enum RestrictedLists {
    /// Writes the lists and returns the number of records written.
    static func write(_ engine: RecordLists, directory: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let areas = engine.areas, t = engine
        func village(_ f: Int32) -> (code: String, name: String, kecamatan: String) {
            let v = areas.villages[Int(engine.familyVillage[Int(f)])]
            return (v.code, v.name, areas.kecamatans[v.kecamatan].name)
        }
        // One row per family a village can check (not per family × programme × source): the programmes it is
        // eligible for and does not receive, by source, its welfare rank and SLS; by village, then rank.
        var notReceived: [Int32: (roster: [String], registry: [String])] = [:]
        for e in t.eligibleNonRecipients where e.programme != TargetingResult.anyProgramme {
            if e.source == TargetingResult.sources[1] { notReceived[e.family, default: ([], [])].roster.append(e.programme) }
            else { notReceived[e.family, default: ([], [])].registry.append(e.programme) }
        }
        func rank(_ f: Int32) -> Double { engine.familyRank.isEmpty ? .nan : engine.familyRank[Int(f)] }
        let families = notReceived.keys.sorted { a, b in
            let va = engine.familyVillage[Int(a)], vb = engine.familyVillage[Int(b)]
            if va != vb { return areas.villages[Int(va)].code < areas.villages[Int(vb)].code }
            let ra = rank(a), rb = rank(b)
            if ra != rb { return ra.isNaN ? false : rb.isNaN ? true : ra < rb }
            return engine.familyKeys[Int(a)] < engine.familyKeys[Int(b)]
        }
        let header1 = ["kode_desa_bps", "desa", "kecamatan", "sls", "peringkat_kesejahteraan", "family_key", "no_kk_keluarga", "nik_kepala",
                       "nama_kepala", "tidak_menerima_menurut_daftar", "tidak_menerima_menurut_registrasi"]
        let rows1: [[String]] = families.map { family in
            let v = village(family), f = Int(family), key = engine.familyKeys[f]
            let sls = key.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            let r = rank(family)
            let lists = notReceived[family]!
            return [v.code, v.name, v.kecamatan, sls, r.isNaN ? "" : Engine.num(r), key, engine.familyKK.text(f),
                    engine.headNIK.isEmpty ? "" : engine.headNIK[f], engine.headName.isEmpty ? "" : engine.headName[f],
                    lists.roster.joined(separator: ";"), lists.registry.joined(separator: ";")]
        }
        // Only the roster rows the lists name are rebuilt as text (a roster may have millions of rows).
        let neededLines = Set(t.duplicateRecords.compactMap(\.rosterLine))
        var rosterByLine: [Int: RosterRow] = [:]
        for r in 0..<engine.roster.count where neededLines.contains(engine.roster.line(r)) && rosterByLine[engine.roster.line(r)] == nil {
            rosterByLine[engine.roster.line(r)] = engine.roster[r]
        }
        let header2 = ["category", "program", "penerima_line", "nik_penerima", "no_kk_penerima", "nama_penerima", "kode_desa_bps", "desa", "kecamatan", "family_key"]
        // Grouped by finding type: payment problems first, then the registry's own quality problem.
        let order = ["duplicate_nik", "duplicate_family", "exclusive_overlap", "non_current_nik", "multi_family_nik"]
        let records = t.duplicateRecords.enumerated().sorted { a, b in
            let ka = order.firstIndex(of: a.element.category) ?? order.count, kb = order.firstIndex(of: b.element.category) ?? order.count
            return (ka, a.offset) < (kb, b.offset)
        }.map(\.element)
        let rows2: [[String]] = records.map { d in
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
        try writePerVillage(header: header1, rows: rows1, villages: areas.villages.map(\.code), directory: directory)
        return rows1.count + rows2.count
    }

    /// Beside the published village profiles (`profiles/<code>.html`), each village's own verification list:
    /// `DIR/profiles/<code>.csv`, the rows of `eligible_non_recipients.csv` of that village (first column), a
    /// header-only file for a village with none — so a village head's page and its list go out together, the
    /// list only from the restricted folder.
    static func writePerVillage(header: [String], rows: [[String]], villages: [String], directory: String) throws {
        let folder = (directory as NSString).appendingPathComponent("profiles")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let byVillage = Dictionary(grouping: rows, by: { $0[0] })
        for code in villages {
            let w = try CSVWriter(path: (folder as NSString).appendingPathComponent("\(code).csv"))
            w.writeRow(header)
            (byVillage[code] ?? []).forEach(w.writeRow)
            try w.close()
        }
    }
}
