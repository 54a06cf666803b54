import Publishing
import Profile
import Tabulation

/// Words for the record accounting's reason ids, in both languages.
enum AccountingText {
    static func label(_ reason: String) -> Bilingual {
        if let v = reason.dropPrefix("invalid_value:") {
            return Bilingual(id: "Nilai \(v) tidak sah, dihitung sebagai tidak diketahui", en: "Invalid value of \(v), counted as not stated")
        }
        if let p = reason.dropPrefix("unknown_programme:") {
            return Bilingual(id: "Program \(p) tidak ada dalam profil (ditabulasi menurut namanya)", en: "Programme \(p) not in the profile (tabulated by name)")
        }
        switch reason {
        case "invalid_family_key": return Bilingual(id: "Kunci keluarga tidak sah", en: "Invalid family key")
        case "unknown_village": return Bilingual(id: "Desa tidak ada dalam wilayah.csv", en: "Village not in wilayah.csv")
        case "duplicate_family_key": return Bilingual(id: "Kunci keluarga ganda (baris kedua dan seterusnya)", en: "Duplicate family key (second and later rows)")
        case "family_not_tabulated": return Bilingual(id: "Keluarga tidak ditemukan atau dikecualikan", en: "Family not found or excluded")
        case "presence_not_stated": return Bilingual(id: "Keberadaan anggota tidak diketahui", en: "Presence not stated")
        case "not_current_member": return Bilingual(id: "Bukan anggota saat ini (meninggal, pindah, tidak ditemukan)", en: "Not a current member (died, moved, not found)")
        case "programme_reserved": return Bilingual(id: "Nama program kosong atau kode khusus (ANY, _T, _Z)", en: "Programme name empty or a reserved code (ANY, _T, _Z)")
        case "programme_missing": return Bilingual(id: "Nama program kosong", en: "Programme name empty")
        case "unmatched_unknown_village": return Bilingual(id: "Tidak terhubung dan kode desa Kemendagri tidak dikenal", en: "Unmatched and Kemendagri village code unknown")
        case "file_missing": return Bilingual(id: "Berkas tidak ada: tidak ada daftar penerima kementerian yang diberikan", en: "File missing: no ministry roster was supplied")
        case "header_repeated": return Bilingual(id: "Baris judul kolom berulang di tengah berkas (dilewati)", en: "Header row repeated inside the file (skipped)")
        default: return Bilingual(reason)
        }
    }

    static func lines(_ a: RecordAccounting) -> [AccountingLine] {
        var out: [AccountingLine] = []
        for (file, n) in a.read {
            out.append(AccountingLine(file: file, kind: .read, label: Bilingual(id: "Record dibaca", en: "Records read"), count: n))
            if let t = a.tabulated.first(where: { $0.file == file }) {
                out.append(AccountingLine(file: file, kind: .tabulated, label: Bilingual(id: "Record ditabulasi", en: "Records tabulated"), count: t.count))
            }
            for e in a.excluded where e.file == file { out.append(AccountingLine(file: file, kind: .excluded, label: label(e.reason), count: e.count)) }
            for w in a.warnings where w.file == file { out.append(AccountingLine(file: file, kind: .warning, label: label(w.reason), count: w.count)) }
        }
        return out
    }
}

extension String {
    func dropPrefix(_ p: String) -> String? { hasPrefix(p) ? String(dropFirst(p.count)) : nil }
}
