import Profile

/// The plain-language findings of a profile: a few sentences a village head can read aloud, in the report's
/// language(s), built around figures already registered on the page (each number keeps its `data-fig` id, so the
/// findings say nothing the tables do not). A confidential figure is said to be confidential, never guessed at.
enum ProfileFindings {
    static func make(sheet: FigureSheet, villageName: String, kecamatanName: String, programmeLabel: (String) -> Bilingual,
                     ranks: (rank: Int?, count: Int), language: Language) -> [String] {
        func entry(_ key: String) -> FigureSheet.Entry? { sheet.figures.first { $0.key == key } }
        func n(_ e: FigureSheet.Entry) -> String {
            let cell: DisplayCell = e.status == "C" ? DisplayCell(value: nil, status: .confidential)
                : e.status == "M" ? DisplayCell(value: nil, status: .notApplicable) : DisplayCell(value: e.value, status: .value)
            return FigureSheet.html(FigureSheet.cellModel(id: e.id, text: e.text, cell: cell, language: language))
        }
        func say(_ id: String, _ en: String) -> String {
            switch language {
            case .id: id
            case .en: en
            case .both: "\(id) <span lang=\"en\" class=\"en\">\(en)</span>"
            }
        }
        let name = MapHTML.escape(villageName)
        var out: [String] = []

        // 1. Poverty against the kecamatan and the regency.
        if let d = entry("poor_share.desa"), let k = entry("poor_share.kecamatan"), let b = entry("poor_share.kabupaten") {
            if let dv = d.value, let bv = b.value {
                let same = d.text == b.text
                let (cid, cen) = same ? ("sama dengan", "the same as") : dv > bv ? ("lebih tinggi dari", "higher than") : ("lebih rendah dari", "lower than")
                out.append(say("\(n(d))% keluarga di \(name) berada di desil 1–4, \(cid) kabupaten (\(n(b))%); kecamatan: \(n(k))%.",
                               "\(n(d))% of families in \(name) are in deciles 1–4, \(cen) the regency (\(n(b))%); subdistrict: \(n(k))%."))
            } else if d.status == "C" {
                out.append(say("Persentase keluarga desil 1–4 di desa ini dirahasiakan (\(n(d))).", "The share of families in deciles 1–4 is confidential here (\(n(d)))."))
            }
        }
        if let rank = entry("rank.poor_share.desa") {
            let count = NumberFormatting.format(Double(ranks.count), style: .integer, language: language)
            out.append(say("Peringkat \(n(rank)) dari \(count) desa menurut persentase keluarga desil 1–4 (1 = tertinggi).",
                           "Rank \(n(rank)) of \(count) villages by the share of families in deciles 1–4 (1 = highest)."))
        }

        // 2. Eligible families left out.
        if let excluded = entry("excluded_any.desa"), let rate = entry("exclusion_any.desa") {
            switch (excluded.status, excluded.value) {
            case ("C", _):
                out.append(say("Jumlah keluarga layak yang belum menerima bantuan apa pun dirahasiakan (\(n(excluded))) karena kecil.",
                               "The number of eligible families receiving no assistance is confidential (\(n(excluded))) because it is small."))
            case (_, 0?) where entry("eligible_any.desa")?.value == 0:
                out.append(say("Tidak ada keluarga yang layak menerima bantuan menurut aturan kelayakan di desa ini.", "No family in this village is eligible for assistance under the eligibility rules."))
            case (_, 0?):
                out.append(say("Semua keluarga layak di desa ini menerima setidaknya satu bantuan.", "Every eligible family in this village receives at least one programme."))
            case (_, _?):
                let kab = entry("exclusion_any.kabupaten").map(n) ?? CellSymbols.notAvailable
                out.append(say("\(n(excluded)) keluarga layak belum menerima bantuan apa pun: tingkat kesalahan eksklusi \(n(rate))% (kabupaten \(kab)%).",
                               "\(n(excluded)) eligible families receive no assistance: exclusion error rate \(n(rate))% (regency \(kab)%)."))
            default: break
            }
        }

        // 3. The programme that leaves out the largest share.
        let programmeRates = sheet.figures.filter { $0.key.hasPrefix("exclusion_pct.") && $0.key.hasSuffix(".desa") && $0.key != "exclusion_pct.ANY.desa" && $0.value != nil }
        if let worst = programmeRates.max(by: { ($0.value!, $1.key) < ($1.value!, $0.key) }), worst.value! > 0 {
            let code = String(worst.key.dropFirst("exclusion_pct.".count).dropLast(".desa".count))
            let p = programmeLabel(code)
            // With a confidential rate among the programmes, the highest is only the highest of those published.
            let hidden = sheet.figures.contains { $0.key.hasPrefix("exclusion_pct.") && $0.key.hasSuffix(".desa") && $0.status == "C" }
            let (qid, qen) = hidden ? (" (di antara tingkat yang diterbitkan)", " (among the published rates)") : ("", "")
            out.append(say("Tingkat kesalahan eksklusi tertinggi di desa ini\(qid): \(MapHTML.escape(p.id)) (\(n(worst))%).",
                           "Highest exclusion error rate in this village\(qen): \(MapHTML.escape(p.en)) (\(n(worst))%)."))
        }

        // 4. Roster problems.
        if let dup = entry("duplicate_nik_rows.desa") {
            switch (dup.status, dup.value) {
            case ("C", _):
                out.append(say("Jumlah baris NIK ganda di daftar penerima desa ini dirahasiakan (\(n(dup))).", "The number of duplicate-NIK roster rows in this village is confidential (\(n(dup)))."))
            case (_, 0?):
                out.append(say("Tidak ada baris NIK ganda di daftar penerima desa ini.", "No duplicate-NIK rows in this village's rosters."))
            case (_, _?):
                out.append(say("\(n(dup)) baris NIK ganda di daftar penerima desa ini perlu diverifikasi di lapangan.",
                               "\(n(dup)) duplicate-NIK roster rows in this village need field verification."))
            default: break
            }
        }
        return out
    }
}
