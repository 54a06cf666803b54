import Profile

/// The general note that explains the protection to readers — the symbol, what it covers and why —
/// without the rule's parameters (threshold, maximum deviation, variance), which the ESSnet handbook asks
/// not to publish: knowing the threshold tells an intruder that an `x` in a row of zeros is a 1 or a 2.
public enum ProtectionNotes {
    public static func general(_ method: ProtectionSpec.Method) -> [Bilingual] {
        switch method {
        case .suppression:
            return [Bilingual(
                id: "Pengendalian pengungkapan statistik: sel dengan jumlah yang sangat kecil ditampilkan sebagai x (dirahasiakan) untuk melindungi kerahasiaan keluarga dan penduduk (UU 16/1997 tentang Statistik, UU 27/2022 tentang Pelindungan Data Pribadi), demikian pula sel lain, termasuk pada tabel lain dan pada tingkat desa, kecamatan atau kabupaten, yang memungkinkan sel tersebut dihitung kembali. Persentase dan rasio yang dihitung dari sel yang dirahasiakan juga dirahasiakan. Karena itu rincian yang ditampilkan tidak selalu dapat dijumlahkan menjadi totalnya.",
                en: "Disclosure control: cells with very small counts are shown as x (confidential), to protect the confidentiality of families and persons (Law 16/1997 on Statistics, Law 27/2022 on Personal Data Protection), and neither are other cells — in other tables too, and at village, subdistrict or regency level — from which they could be worked out. Percentages and rates computed from a confidential cell are confidential as well. The details shown therefore do not always add up to their totals.")]
        case .cellkey:
            return [Bilingual(
                id: "Pengendalian pengungkapan statistik: untuk melindungi kerahasiaan keluarga dan penduduk (UU 16/1997 tentang Statistik, UU 27/2022 tentang Pelindungan Data Pribadi), setiap angka jumlah dalam publikasi ini telah diubah sedikit secara acak namun tetap (metode kunci sel): angka yang sama selalu tampil sama di semua tabel, dan persentase dihitung dari angka yang telah diubah. Karena itu rincian tidak selalu tepat berjumlah sama dengan totalnya.",
                en: "Disclosure control: to protect the confidentiality of families and persons (Law 16/1997 on Statistics, Law 27/2022 on Personal Data Protection), every count in this publication has been changed by a small random but fixed amount (cell key method): the same figure is always shown the same in every table, and percentages are computed from the changed counts. Details therefore do not always add up exactly to their totals.")]
        case .none:
            return []
        }
    }
}
