import Microdata
import Profile
import Publishing
import Tabulation

/// The two lists the regency acts on first: the ten villages with the most eligible families receiving
/// nothing, and the ten with the most duplicate-recipient findings. Read from the village cells of the
/// targeting cubes; ties broken by village code so the order is stable.
enum Rankings {
    static let top = 10
    static let unrankedNote = Bilingual(id: "Desa dengan angka yang dirahasiakan (x) tidak diperingkat.", en: "Villages whose figure is confidential (x) are not ranked.")

    /// The parts of a village's duplicate findings (summed over programmes), in the columns' order.
    static let duplicateParts = ["duplicate_nik_rows", "duplicate_families", "exclusive_overlap", "multi_family_nik"]

    /// Villages (indices) with the largest positive `score`, at most `top`, ties by village code.
    static func ranked(_ areas: AreaIndex, _ score: (Int) -> Double) -> [Int] {
        areas.villages.indices.filter { score($0) > 0 }
            .sorted { (score($0), areas.villages[$1].code) > (score($1), areas.villages[$0].code) }
            .prefix(top).map { $0 }
    }

    /// The ten villages with the most eligible non-recipients (any programme, rosters); a confidential cell has no
    /// value and is not ranked.
    static func exclusionVillages(_ t: TargetingResult) -> [Int] {
        ranked(t.targeting.areas) { t.targeting.cell(AreaRef(.desa, $0), ["ANY", "roster"], "eligible_non_recipients")?.value ?? 0 }
    }

    /// One duplicate-finding measure of an area, summed over the programmes of `duplicates` (published cells only).
    static func duplicateSum(_ d: ResultCube, _ area: AreaRef, _ measure: String) -> Double {
        d.dimensions[0].codes.reduce(0) { acc, p in
            let c = d.cell(area, [p], measure)
            return acc + (c?.status == .value ? c?.value ?? 0 : 0)
        }
    }

    /// Whether any part of an area's duplicate findings is confidential (x).
    static func duplicateHasConfidential(_ d: ResultCube, _ area: AreaRef, _ measure: String? = nil) -> Bool {
        (measure.map { [$0] } ?? duplicateParts).contains { m in d.dimensions[0].codes.contains { d.cell(area, [$0], m)?.status == .confidential } }
    }

    /// The ten villages with the most duplicate-recipient findings; a village with a confidential part is not ranked.
    static func duplicateVillages(_ t: TargetingResult) -> [Int] {
        let d = t.duplicates
        return ranked(d.areas) { v in
            duplicateHasConfidential(d, AreaRef(.desa, v)) ? 0 : duplicateParts.reduce(0) { $0 + duplicateSum(d, AreaRef(.desa, v), $1) }
        }
    }

    static func tables(_ t: TargetingResult, builder: TableBuilder) -> [DisplayTable] {
        let areas = t.targeting.areas
        func label(_ v: Int) -> Bilingual {
            let village = areas.villages[v], kec = areas.kecamatans[village.kecamatan].name
            return Bilingual(id: "\(village.name) (Kec. \(kec))", en: "\(village.name) (\(kec) Subdistrict)")
        }
        // 1. Eligible non-recipients, any programme, rosters.
        let exclusion = exclusionVillages(t)
        let cols1 = [
            DisplayColumn(label: Bilingual(id: "Keluarga layak tidak menerima", en: "Eligible non-recipients")),
            DisplayColumn(label: Bilingual(id: "Keluarga layak", en: "Eligible families")),
            DisplayColumn(label: Bilingual(id: "Tingkat eksklusi (%)", en: "Exclusion rate (%)"), style: .decimal(1)),
        ]
        let rows1 = exclusion.map { v in
            DisplayRow(label: label(v), kind: .detail, cells: ["eligible_non_recipients", "eligible", "exclusion_pct"].map { m in
                let c = t.targeting.cell(AreaRef(.desa, v), ["ANY", "roster"], m)
                return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
            })
        }
        // 2. Duplicate findings: duplicate-NIK rows and families listed twice (all programmes), prohibited
        //    combinations and families sharing a member NIK with another family.
        let d = t.duplicates
        func sum(_ v: Int, _ m: String) -> Double { duplicateSum(d, AreaRef(.desa, v), m) }
        let parts = duplicateParts
        // Disclosure control: a village with a confidential part (x) is not ranked — its total would be
        // wrong, and its place in the list would bound the hidden value.
        let dup = duplicateVillages(t)
        let cols2 = [
            DisplayColumn(label: Bilingual(id: "Jumlah temuan", en: "Total findings")),
            DisplayColumn(label: Bilingual(id: "Baris NIK ganda", en: "Duplicate-NIK rows")),
            DisplayColumn(label: Bilingual(id: "Keluarga tercatat ganda", en: "Families listed twice")),
            DisplayColumn(label: Bilingual(id: "Program tidak boleh digabung", en: "Prohibited combinations")),
            DisplayColumn(label: Bilingual(id: "NIK di dua keluarga", en: "NIK in two families")),
        ]
        let rows2 = dup.map { v in
            DisplayRow(label: label(v), kind: .detail, cells: ([parts.reduce(0) { $0 + sum(v, $1) }] + parts.map { sum(v, $0) }).map {
                DisplayCell(value: $0, status: .value)
            })
        }
        let section = builder.report.sections.first { $0.id == "targeting" }?.title ?? Bilingual(id: "Ketepatan Sasaran", en: "Targeting")
        return [
            DisplayTable(id: "ranking_exclusion", number: "6.3.1",
                         title: builder.titleWithArea(Bilingual(id: "Sepuluh Desa dengan Keluarga Layak Tidak Menerima Bantuan Terbanyak", en: "Ten Villages with the Most Eligible Families Receiving No Assistance")),
                         stubHeader: Bilingual(id: "Desa/Kelurahan (Kecamatan)", en: "Village (Subdistrict)"), columns: cols1, rows: rows1,
                         notes: [Bilingual(id: "Program apa pun, menurut daftar penerima kementerian.", en: "Any programme, according to the ministries' rosters."), unrankedNote],
                         source: builder.report.source, section: section, twin: "targeting"),
            DisplayTable(id: "ranking_duplicates", number: "6.3.2",
                         title: builder.titleWithArea(Bilingual(id: "Sepuluh Desa dengan Temuan Penerima Ganda Terbanyak", en: "Ten Villages with the Most Duplicate-Recipient Findings")),
                         stubHeader: Bilingual(id: "Desa/Kelurahan (Kecamatan)", en: "Village (Subdistrict)"), columns: cols2, rows: rows2,
                         notes: [Bilingual(id: "Jumlah temuan = baris NIK ganda + keluarga tercatat ganda + keluarga penerima program yang tidak boleh digabung + keluarga dengan NIK anggota yang juga tercatat di keluarga lain.", en: "Total findings = duplicate-NIK rows + families listed twice + families with programmes that must not be combined + families sharing a member NIK with another family."), unrankedNote],
                         source: builder.report.source, section: section, twin: "duplicates"),
        ]
    }
}
