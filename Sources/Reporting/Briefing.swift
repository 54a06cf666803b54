import Microdata
import Profile
import Publishing
import Tabulation

/// Builds the one-page Forkopimda briefing from the protected cubes: the population figures of `KeyFigures`, the
/// regency cells of `targeting` (roster source) per programme, the regency duplicate findings and the two village
/// rankings of `Rankings`. Nothing is recomputed from records; a sum is only made of published cells, and a sentence
/// or figure whose cells are confidential (x) is left out rather than shown with a hidden number.
extension Briefing {
    static func make(_ r: EngineResult, programmes: [ProgrammeSpec], report: ReportSpec, subtitle: Bilingual,
                     language: Language, provenance: String) -> Briefing? {
        guard r.areas.kabupatens.count == 1 else { return nil }
        let kab = AreaRef(.kabupaten, 0)
        let t = r.targeting.targeting
        let d = r.targeting.duplicates
        let numberLanguage: Language = language == .en ? .en : .id
        /// A number inside a sentence: the report's format, but a plain 0 (the BPS dash reads oddly in prose).
        func n(_ v: Double, _ style: NumberStyle = .integer) -> String {
            v == 0 ? "0" : NumberFormatting.format(v, style: style, language: numberLanguage)
        }
        func cell(_ programme: String, _ measure: String) -> DisplayCell {
            let c = t.cell(kab, [programme, "roster"], measure)
            return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
        }
        func published(_ c: DisplayCell) -> Double? { c.status == .value ? c.value.flatMap { $0.isFinite ? $0 : nil } : nil }

        // 1. Figures at the top.
        var figures = KeyFigures.population(r)
        if let eligible = published(cell("ANY", "eligible")) {
            figures.append(KeyFigure(label: Bilingual(id: "Keluarga layak bantuan", en: "Families eligible for assistance"), value: eligible, style: .integer))
        }

        // 2. Coverage and exclusion per programme (rosters), "any programme" as the total row.
        let measures: [(String, Bilingual, NumberStyle)] = [
            ("eligible", Bilingual(id: "Keluarga layak", en: "Eligible families"), .integer),
            ("eligible_recipients", Bilingual(id: "Layak, menerima", en: "Eligible, receiving"), .integer),
            ("eligible_non_recipients", Bilingual(id: "Layak, tidak menerima", en: "Eligible, not receiving"), .integer),
            ("coverage_pct", Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), .decimal(1)),
            ("exclusion_pct", Bilingual(id: "Eksklusi (%)", en: "Exclusion (%)"), .decimal(1)),
        ]
        let programmeCodes = Set(t.dimensions.first { $0.id == "program" }?.codes ?? [])
        var rows = programmes.filter { programmeCodes.contains($0.id) }.map { p in
            DisplayRow(label: p.label, kind: .detail, cells: measures.map { cell(p.id, $0.0) })
        }
        if programmeCodes.contains("ANY") {
            rows.append(DisplayRow(label: Bilingual(id: "Program apa pun", en: "Any programme"), kind: .total,
                                   cells: measures.map { cell("ANY", $0.0) }))
        }
        let programmeTable = DisplayTable(
            id: "briefing_programmes", number: "", title: Labels.programmes,
            stubHeader: Bilingual(id: "Program", en: "Programme"),
            columns: measures.map { DisplayColumn(label: $0.1, style: $0.2) }, rows: rows,
            notes: [Bilingual(id: "Cakupan = layak dan menerima ÷ layak; eksklusi = layak tidak menerima ÷ layak (× 100).",
                              en: "Coverage = eligible receiving ÷ eligible; exclusion = eligible not receiving ÷ eligible (× 100).")],
            source: report.source, section: Labels.programmes, twin: "targeting")

        // 3. Duplicates found (regency; a confidential part shows x).
        let duplicateLabels = [
            Bilingual(id: "Baris NIK ganda dalam daftar penerima", en: "Duplicate-NIK rows in the rosters"),
            Bilingual(id: "Keluarga tercatat ganda dalam satu program", en: "Families listed twice in one programme"),
            Bilingual(id: "Keluarga menerima program yang tidak boleh digabung", en: "Families receiving programmes that must not be combined"),
            Bilingual(id: "Keluarga dengan NIK anggota yang juga di keluarga lain", en: "Families sharing a member NIK with another family"),
        ]
        let duplicates = zip(Rankings.duplicateParts, duplicateLabels).map { measure, label in
            Line(label: label, cell: Rankings.duplicateHasConfidential(d, kab, measure)
                 ? DisplayCell(value: nil, status: .confidential)
                 : DisplayCell(value: Rankings.duplicateSum(d, kab, measure), status: .value))
        }

        // 4. The two village lists, from Rankings.
        let areas = t.areas
        func village(_ v: Int, _ cells: [DisplayCell]) -> VillageList.Row {
            let place = areas.villages[v]
            return VillageList.Row(village: place.name, kecamatan: areas.kecamatans[place.kecamatan].name, cells: cells)
        }
        let exclusionVillages = Rankings.exclusionVillages(r.targeting)
        let topExclusion = VillageList(
            id: "top-exclusion",
            title: Bilingual(id: "10 desa dengan keluarga layak tidak menerima terbanyak", en: "10 villages with the most eligible families receiving nothing"),
            columns: [DisplayColumn(label: Bilingual(id: "Layak, tidak menerima", en: "Eligible, not receiving")),
                      DisplayColumn(label: Bilingual(id: "Eksklusi (%)", en: "Exclusion (%)"), style: .decimal(1))],
            rows: exclusionVillages.map { v in
                village(v, ["eligible_non_recipients", "exclusion_pct"].map { m in
                    let c = t.cell(AreaRef(.desa, v), ["ANY", "roster"], m)
                    return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
                })
            },
            emptyText: Bilingual(id: "Tidak ada desa dengan keluarga layak yang tidak menerima.", en: "No village has eligible families receiving nothing."),
            note: Rankings.unrankedNote)
        let duplicateVillages = Rankings.duplicateVillages(r.targeting)
        let topDuplicates = VillageList(
            id: "top-duplicates",
            title: Bilingual(id: "10 desa dengan temuan penerima ganda terbanyak", en: "10 villages with the most duplicate-recipient findings"),
            columns: [DisplayColumn(label: Bilingual(id: "Jumlah temuan", en: "Findings"))],
            rows: duplicateVillages.map { v in
                village(v, [DisplayCell(value: Rankings.duplicateParts.reduce(0) { $0 + Rankings.duplicateSum(d, AreaRef(.desa, v), $1) }, status: .value)])
            },
            emptyText: Bilingual(id: "Tidak ada temuan penerima ganda.", en: "No duplicate recipients were found."),
            note: Rankings.unrankedNote)

        // 5. Findings in plain language (only from published cells).
        var findings: [Bilingual] = []
        if let eligible = published(cell("ANY", "eligible")), let left = published(cell("ANY", "eligible_non_recipients")),
           let rate = published(cell("ANY", "exclusion_pct")) {
            findings.append(Bilingual(
                id: "Dari \(n(eligible)) keluarga yang layak menerima bantuan, \(n(left)) keluarga (\(n(rate, .decimal(1)))\u{00A0}%) tidak tercatat sebagai penerima program apa pun dalam daftar kementerian.",
                en: "Of \(n(eligible)) families eligible for assistance, \(n(left)) (\(n(rate, .decimal(1)))\u{00A0}%) are not listed as recipients of any programme in the ministries' rosters."))
        }
        let rated = programmes.compactMap { p -> (ProgrammeSpec, Double)? in published(cell(p.id, "coverage_pct")).map { (p, $0) } }
        if let low = rated.min(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }), let high = rated.max(by: { ($0.1, $1.0.id) < ($1.1, $0.0.id) }),
           low.0.id != high.0.id {
            findings.append(Bilingual(
                id: "Cakupan terendah pada \(low.0.label.id) (\(n(low.1, .decimal(1)))\u{00A0}% keluarga layak menerima), tertinggi pada \(high.0.label.id) (\(n(high.1, .decimal(1)))\u{00A0}%).",
                en: "Coverage is lowest for \(low.0.label.en) (\(n(low.1, .decimal(1)))\u{00A0}% of eligible families receive it) and highest for \(high.0.label.en) (\(n(high.1, .decimal(1)))\u{00A0}%)."))
        }
        if let ineligible = published(cell("ANY", "ineligible_recipients")), let rate = published(cell("ANY", "inclusion_pct")) {
            findings.append(Bilingual(
                id: "\(n(ineligible)) keluarga penerima (\(n(rate, .decimal(1)))\u{00A0}% dari seluruh penerima) tidak memenuhi kriteria kelayakan.",
                en: "\(n(ineligible)) recipient families (\(n(rate, .decimal(1)))\u{00A0}% of all recipients) do not meet the eligibility criteria."))
        }
        let dupValues = duplicates.map { published($0.cell) }
        if let nikRows = dupValues[0], let twice = dupValues[1], let combined = dupValues[2] {
            findings.append(Bilingual(
                id: "Daftar penerima memuat \(n(nikRows)) baris NIK ganda dan \(n(twice)) keluarga yang tercatat ganda; \(n(combined)) keluarga menerima program yang tidak boleh digabung.",
                en: "The rosters hold \(n(nikRows)) duplicate-NIK rows and \(n(twice)) families listed twice; \(n(combined)) families receive programmes that must not be combined."))
        }
        let topLeft = topExclusion.rows.compactMap { published($0.cells[0]) }
        if topLeft.count == topExclusion.rows.count, !topLeft.isEmpty, let left = published(cell("ANY", "eligible_non_recipients")), left > 0 {
            let sum = topLeft.reduce(0, +)
            findings.append(Bilingual(
                id: "\(topLeft.count) desa dengan keluarga layak tidak menerima terbanyak mencakup \(n(sum)) keluarga, \(n(sum / left * 100, .decimal(1)))\u{00A0}% dari seluruh keluarga layak yang tidak menerima.",
                en: "The \(topLeft.count) villages with the most eligible families receiving nothing account for \(n(sum)) families, \(n(sum / left * 100, .decimal(1)))\u{00A0}% of all such families."))
        }

        return Briefing(
            title: Labels.title, subtitle: subtitle, figures: figures, findings: findings, programmes: programmeTable,
            duplicates: duplicates, topExclusion: topExclusion, topDuplicates: topDuplicates,
            notes: [
                Bilingual(id: "Layak = memenuhi aturan kelayakan program dalam profil laporan (desil dan komposisi keluarga). Penerima = tercatat dalam daftar penerima kementerian dan terhubung ke keluarga melalui NIK atau No. KK.",
                          en: "Eligible = meets the programme's eligibility rule in the report definition (decile and family composition). Recipient = listed in a ministry roster and linked to the family by NIK or No. KK."),
                Bilingual(id: "Temuan penerima ganda = baris NIK ganda + keluarga tercatat ganda + program yang tidak boleh digabung + NIK di dua keluarga. x = dirahasiakan.",
                          en: "Duplicate findings = duplicate-NIK rows + families listed twice + programmes that must not be combined + NIK in two families. x = confidential."),
            ],
            source: report.source, language: language, provenance: provenance)
    }
}
