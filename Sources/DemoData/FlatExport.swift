import Foundation
import Microdata

/// The demo registry in the flat layout of data contract §1.5 (`regtab demo --layout flat`): one row per
/// member in `anggota_keluarga.csv`, its family's columns repeated, a text family identifier and one
/// 10-digit village code — the shape DTSEN extracts often arrive in, read by `reports/flat`.
///
/// Built from the Regsosek files the generator wrote (then removed), so both layouts hold the same people:
/// the core tables of `reports/regsosek` and `reports/flat` on the two are identical, cell by cell. Members
/// whose family row is missing (the planted orphans) have no family columns to repeat and are left out;
/// a repeated family key keeps its first row, as the engine does.
public enum FlatExport {
    public static let fileName = "anggota_keluarga.csv"
    public static let header = ["id_keluarga", "kode_desa", "no_kk", "desil", "terima_bpnt", "terima_pkh", "terima_blt_desa",
                                "nik", "nama", "status_keberadaan", "hubungan_kk", "jenis_kelamin", "umur", "hamil", "sekolah",
                                "disabilitas", "jkn", "pip"]
    static let key = ["r101", "r102", "r103", "r104", "r105", "r109", "r110"]
    static let difficulties = ["r428a", "r428b", "r428c", "r428d", "r428e", "r428f", "r428g", "r428h", "r428i"]

    /// Converts `keluarga.csv` and `anggota.csv` in `directory`; returns the rows written.
    @discardableResult
    public static func convert(directory: String) throws -> Int {
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let families = try RecordSources.open(path: path("keluarga.csv"))
        func columns(_ source: any RecordSource, _ names: [String]) throws -> [Int] {
            try names.map { n in
                guard let c = source.columnIndex(n) else { throw InputError(file: source.fileName, line: 1, column: n, expected: "the demo's column") }
                return c
            }
        }
        let fk = try columns(families, key), fv = try columns(families, ["r101", "r102", "r103", "r104", "r114", "desil", "r501a", "r501b", "r501c"])
        // Family key (as written, codes normalised) → its flat family columns.
        var family: [String: [String]] = [:]
        var sequence = 0
        try families.forEachRecord(repeatedHeader: { _ in }) { r in
            let k = fk.map { r.int($0).map(String.init) ?? r.string($0) }.joined(separator: "/")
            guard family[k] == nil else { return }
            sequence += 1
            let v = fv.map { r.string($0) }
            let village = zip(v.prefix(4), [2, 2, 3, 3]).map { code, width in
                let digits = String(Int(code) ?? 0)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }.joined()
            family[k] = [String(format: "KLG%07d", sequence), village] + Array(v.dropFirst(4))
        }
        let members = try RecordSources.open(path: path("anggota.csv"))
        let mk = try columns(members, key)
        let mv = try columns(members, ["r403", "r402", "r404", "r409", "r405", "r407", "r410", "r412"])
        let difficulty = try columns(members, difficulties)
        let tail = try columns(members, ["r431a", "r431e"])
        let out = try CSVWriter(path: path(fileName))
        out.writeRow(header)
        var rows = 0
        try members.forEachRecord(repeatedHeader: { _ in }) { r in
            let k = mk.map { r.int($0).map(String.init) ?? r.string($0) }.joined(separator: "/")
            guard let f = family[k] else { return }
            var m = mv.map { r.string($0) }
            m[4] = r.int(mv[4]) == 1 ? "L" : r.int(mv[4]) == 2 ? "P" : m[4]
            // Any functional difficulty coded 1 or 2 (the Regsosek profile's `disability`); 2 when answered.
            let answers = difficulty.compactMap { r.int($0) }
            let disability = answers.contains { $0 == 1 || $0 == 2 } ? "1" : answers.isEmpty ? "" : "2"
            out.writeRow(f + m + [disability] + tail.map { r.string($0) })
            rows += 1
        }
        try out.close()
        try FileManager.default.removeItem(atPath: path("keluarga.csv"))
        try FileManager.default.removeItem(atPath: path("anggota.csv"))
        return rows
    }
}
