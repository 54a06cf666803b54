import Profile

/// The notes that explain the protection to readers — the symbol, what it covers and why, and how to read
/// a table with x — without the rule's parameters (threshold, maximum deviation, variance), which the
/// ESSnet handbook asks not to publish: knowing the threshold tells an intruder that an `x` in a row of
/// zeros is a 1 or a 2.
public enum ProtectionNotes {
    /// General notes for a report whose tables use `methods` (`none` adds nothing).
    public static func general(_ methods: Set<ProtectionSpec.Method>) -> [Bilingual] {
        var notes: [Bilingual] = []
        if methods.contains(.suppression) { notes += [suppression, howToReadX] }
        if methods.contains(.cellkey) { notes.append(methods.contains(.suppression) ? cellKeySomeTables : cellKey) }
        return notes
    }

    public static func general(_ method: ProtectionSpec.Method) -> [Bilingual] { general([method]) }

    static let suppression = Bilingual(
        id: "Pengendalian pengungkapan statistik: pada tabel yang memuat karakteristik sensitif (seperti kesejahteraan, bantuan sosial, disabilitas), sel dengan jumlah yang sangat kecil ditampilkan sebagai x (dirahasiakan) untuk melindungi kerahasiaan keluarga dan penduduk (UU 16/1997 tentang Statistik, UU 27/2022 tentang Pelindungan Data Pribadi), demikian pula sel lain, termasuk pada tabel lain dan pada tingkat desa, kecamatan atau kabupaten, yang memungkinkan sel tersebut dihitung kembali. Persentase dan rasio yang dihitung dari sel yang dirahasiakan juga dirahasiakan. Tabel kependudukan yang juga dipublikasikan BPS dan Dukcapil per desa ditampilkan lengkap, tanpa x.",
        en: "Disclosure control: in tables showing sensitive characteristics (such as welfare, social assistance, disability), cells with very small counts are shown as x (confidential), to protect the confidentiality of families and persons (Law 16/1997 on Statistics, Law 27/2022 on Personal Data Protection), and so are other cells — in other tables too, and at village, subdistrict or regency level — from which they could be worked out. Percentages and rates computed from a confidential cell are confidential as well. Population tables that BPS and Dukcapil also publish per village are shown in full, without x.")

    /// For policymakers: what an x means for reading and using a table.
    static let howToReadX = Bilingual(
        id: "Cara membaca x: x berarti angkanya ada tetapi tidak ditampilkan; x tidak berarti nol dan tidak berarti data hilang. Sebuah x dapat menyembunyikan angka kecil maupun angka besar (sel lain disembunyikan agar angka kecil tidak dapat dihitung dari total). Karena itu rincian yang ditampilkan tidak selalu berjumlah sama dengan totalnya: gunakan total yang ditampilkan, jangan menjumlahkan rincian sendiri, dan untuk perencanaan atau penetapan sasaran gunakan angka kecamatan atau kabupaten bila angka desa berisi x.",
        en: "How to read x: an x means the figure exists but is not shown; it does not mean zero, and it does not mean the data are missing. An x can hide a small or a large number (other cells are hidden so that a small one cannot be worked out from the totals). The details shown therefore do not always add up to their totals: use the totals shown rather than adding up the details yourself, and for planning or targeting use subdistrict or regency figures where a village figure is x.")

    static let cellKey = Bilingual(
        id: "Pengendalian pengungkapan statistik: untuk melindungi kerahasiaan keluarga dan penduduk (UU 16/1997 tentang Statistik, UU 27/2022 tentang Pelindungan Data Pribadi), angka jumlah dalam publikasi ini telah diubah sedikit secara acak namun tetap (metode kunci sel), sehingga angka kecil tidak dapat dipastikan: angka yang sama selalu tampil sama di semua tabel, dan persentase dihitung dari angka yang telah diubah. Karena itu rincian tidak selalu tepat berjumlah sama dengan totalnya, dan angka kecil sebaiknya dibaca sebagai perkiraan.",
        en: "Disclosure control: to protect the confidentiality of families and persons (Law 16/1997 on Statistics, Law 27/2022 on Personal Data Protection), the counts in this publication have been changed slightly by a random but fixed amount (cell key method), so that small counts cannot be taken as exact: the same figure is always shown the same in every table, and percentages are computed from the changed counts. Details therefore do not always add up exactly to their totals, and small counts are best read as approximate.")

    static let cellKeySomeTables = Bilingual(
        id: "Pada tabel yang diberi catatan metode kunci sel, angka jumlah telah diubah sedikit secara acak namun tetap, sehingga angka kecil tidak dapat dipastikan; angka yang sama selalu tampil sama di semua tabel, dan rincian tidak selalu tepat berjumlah sama dengan totalnya.",
        en: "In the tables noted as protected by the cell key method, counts have been changed slightly by a random but fixed amount, so that small counts cannot be taken as exact; the same figure is always shown the same in every table, and details do not always add up exactly to their totals.")

    /// The note of one table protected by the cell key method in a report that also suppresses.
    public static let cellKeyTable = Bilingual(
        id: "Dilindungi dengan metode kunci sel: angka kecil telah diubah sedikit.",
        en: "Protected by the cell key method: small counts have been changed slightly.")
}
