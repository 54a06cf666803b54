import Microdata
import Profile
import Publishing
import Tabulation

/// Builds the one-page Forkopimda briefing from the protected cubes: the population figures of `KeyFigures`, the
/// regency cells of `targeting` per programme (roster source, or the registry when no roster was supplied — and
/// then it says so), the regency roster findings in three groups that are never added up, and the village
/// rankings of `Rankings`. Nothing is recomputed from records; a sum is only made of published cells, and a sentence
/// or figure whose cells are confidential (x) is left out rather than shown with a hidden number.
extension Briefing {
    static func make(_ r: EngineResult, programmes: [ProgrammeSpec], report: ReportSpec, subtitle: Bilingual,
                     language: Language, provenance: String) -> Briefing? {
        guard r.areas.kabupatens.count == 1 else { return nil }
        let kab = AreaRef(.kabupaten, 0)
        let t = r.targeting.targeting
        let d = r.targeting.duplicates
        let hasRoster = r.targeting.hasRoster, source = r.targeting.mainSource
        let numberLanguage: Language = language == .en ? .en : .id
        /// A number inside a sentence: the report's format, but a plain 0 (the BPS dash reads oddly in prose).
        func n(_ v: Double, _ style: NumberStyle = .integer) -> String {
            v == 0 ? "0" : NumberFormatting.format(v, style: style, language: numberLanguage)
        }
        func cell(_ programme: String, _ measure: String) -> DisplayCell {
            let c = t.cell(kab, [programme, source], measure)
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
            ("eligible", Bilingual(id: "Layak", en: "Eligible"), .integer),
            ("eligible_recipients", Bilingual(id: "Layak, menerima", en: "Eligible, receiving"), .integer),
            ("eligible_non_recipients", Bilingual(id: "Layak, tidak menerima", en: "Eligible, not receiving"), .integer),
            ("coverage_pct", Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), .decimal(1)),
            ("exclusion_pct", Bilingual(id: "Kesalahan eksklusi (%)", en: "Exclusion error (%)"), .decimal(1)),
        ]
        let programmeCodes = Set(t.dimensions.first { $0.id == "program" }?.codes ?? [])
        var rows = programmes.filter { programmeCodes.contains($0.id) }.map { p in
            DisplayRow(label: p.label, kind: .detail, cells: measures.map { cell(p.id, $0.0) })
        }
        if programmeCodes.contains("ANY") {
            rows.append(DisplayRow(label: Bilingual(id: "Program apa pun", en: "Any programme"), kind: .total,
                                   cells: measures.map { cell("ANY", $0.0) }))
        }
        let programmesTitle = hasRoster ? Labels.programmes : Labels.programmesRegistry
        let programmeTable = DisplayTable(
            id: "briefing_programmes", number: "", title: programmesTitle,
            stubHeader: Bilingual(id: "Program", en: "Programme"),
            columns: measures.map { DisplayColumn(label: $0.1, style: $0.2) }, rows: rows,
            notes: [Bilingual(id: "Cakupan = layak dan menerima ÷ layak; kesalahan eksklusi = layak tidak menerima ÷ layak (× 100).",
                              en: "Coverage = eligible receiving ÷ eligible; exclusion error = eligible not receiving ÷ eligible (× 100)."),
                    TargetingTables.rateNotes[0]] + (hasRoster ? [] : [TargetingTables.noRosterNote]),
            source: report.source, section: programmesTitle, twin: "targeting")

        // 3. Roster findings (regency; a confidential part shows x), in three groups never added up.
        func line(_ measure: String, _ label: Bilingual) -> Line {
            Line(label: label, cell: Rankings.duplicateHasConfidential(d, kab, measure)
                 ? DisplayCell(value: nil, status: .confidential)
                 : DisplayCell(value: Rankings.duplicateSum(d, kab, measure), status: .value))
        }
        let multiFamily = d.cell(kab, [TargetingResult.totalCode], "multi_family_nik")
        let duplicates: [LineGroup] = !hasRoster ? [] : [
            LineGroup(title: Bilingual(id: "Masalah pembayaran", en: "Payment problems"),
                      meaning: Bilingual(id: "Bantuan yang mungkin dibayar dua kali, kepada program yang tidak boleh digabung, atau kepada orang yang sudah meninggal atau pindah.", en: "Assistance that may be paid twice, for programmes that must not be combined, or to people who died or moved."),
                      lines: [line("duplicate_nik_rows", Bilingual(id: "Baris NIK ganda dalam satu periode", en: "Duplicate-NIK rows within a period")),
                              line("duplicate_families", Bilingual(id: "Keluarga tercatat ganda dalam satu periode", en: "Families listed twice in a period")),
                              line("exclusive_overlap", Bilingual(id: "Keluarga menerima program yang tidak boleh digabung", en: "Families receiving programmes that must not be combined")),
                              line("non_current_nik_rows", Bilingual(id: "Baris NIK anggota yang meninggal, pindah atau tidak ditemukan", en: "Rows with the NIK of a member who died, moved or was not found"))]),
            LineGroup(title: Bilingual(id: "Kualitas penautan daftar", en: "Linkage of the rosters"),
                      meaning: Bilingual(id: "Baris yang tidak dapat dipastikan menunjuk orang dalam registrasi: perlu diperbaiki di daftar, bukan berarti salah bayar.", en: "Rows that cannot be tied to a person in the registry: to be fixed on the list, not in themselves wrong payments."),
                      lines: [line("kk_only_rows", Bilingual(id: "Baris terhubung hanya lewat No. KK", en: "Rows linked by No. KK only")),
                              line("unmatched_rows", Bilingual(id: "Baris tidak terhubung ke keluarga mana pun", en: "Rows linked to no family")),
                              line("invalid_nik_rows", Bilingual(id: "Baris dengan NIK tidak sah", en: "Rows with an invalid NIK"))]),
            LineGroup(title: Bilingual(id: "Kualitas registrasi", en: "Registry quality"),
                      meaning: Bilingual(id: "Satu NIK tercatat pada anggota di dua keluarga: masalah data registrasi, bukan pembayaran.", en: "One NIK held by members of two families: a registry data problem, not a payment."),
                      lines: [Line(label: Bilingual(id: "Keluarga dengan NIK anggota yang juga di keluarga lain", en: "Families sharing a member NIK with another family"),
                                   cell: DisplayCell(value: multiFamily?.value, status: multiFamily?.status ?? .notApplicable))]),
        ]

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
                      DisplayColumn(label: Bilingual(id: "Kesalahan eksklusi (%)", en: "Exclusion error (%)"), style: .decimal(1))],
            rows: exclusionVillages.map { v in
                village(v, ["eligible_non_recipients", "exclusion_pct"].map { m in
                    let c = t.cell(AreaRef(.desa, v), ["ANY", source], m)
                    return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
                })
            },
            emptyText: Bilingual(id: "Tidak ada desa dengan keluarga layak yang tidak menerima.", en: "No village has eligible families receiving nothing."),
            note: Rankings.unrankedNote)
        let topDuplicates: VillageList? = !hasRoster ? nil : VillageList(
            id: "top-duplicates",
            title: Bilingual(id: "10 desa dengan baris NIK ganda terbanyak", en: "10 villages with the most duplicate-NIK rows"),
            columns: [DisplayColumn(label: Bilingual(id: "Baris NIK ganda", en: "Duplicate-NIK rows"))],
            rows: Rankings.duplicateVillages(r.targeting).map { v in
                village(v, [DisplayCell(value: Rankings.duplicateSum(d, AreaRef(.desa, v), "duplicate_nik_rows"), status: .value)])
            },
            emptyText: Bilingual(id: "Tidak ada baris NIK ganda.", en: "No duplicate-NIK rows were found."),
            note: Rankings.unrankedNote)

        // 5. Findings in plain language (only from published cells).
        var findings: [Bilingual] = hasRoster ? [] : [TargetingTables.noRosterNote]
        if let eligible = published(cell("ANY", "eligible")), let left = published(cell("ANY", "eligible_non_recipients")),
           let rate = published(cell("ANY", "exclusion_pct")) {
            findings.append(hasRoster ? Bilingual(
                id: "Dari \(n(eligible)) keluarga yang layak menerima bantuan, \(n(left)) keluarga (\(n(rate, .decimal(1)))\u{00A0}%) tidak tercatat sebagai penerima program apa pun dalam daftar kementerian.",
                en: "Of \(n(eligible)) families eligible for assistance, \(n(left)) (\(n(rate, .decimal(1)))\u{00A0}%) are not listed as recipients of any programme in the ministries' rosters.")
                : Bilingual(
                id: "Dari \(n(eligible)) keluarga yang layak menerima bantuan, \(n(left)) keluarga (\(n(rate, .decimal(1)))\u{00A0}%) menyatakan tidak menerima program apa pun.",
                en: "Of \(n(eligible)) families eligible for assistance, \(n(left)) (\(n(rate, .decimal(1)))\u{00A0}%) say they receive no programme."))
        }
        let rated = programmes.compactMap { p -> (ProgrammeSpec, Double)? in published(cell(p.id, "coverage_pct")).map { (p, $0) } }
        if let low = rated.min(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }), let high = rated.max(by: { ($0.1, $1.0.id) < ($1.1, $0.0.id) }),
           low.0.id != high.0.id {
            findings.append(Bilingual(
                id: "Cakupan terendah pada \(low.0.label.id) (\(n(low.1, .decimal(1)))\u{00A0}% yang layak menerima), tertinggi pada \(high.0.label.id) (\(n(high.1, .decimal(1)))\u{00A0}%).",
                en: "Coverage is lowest for \(low.0.label.en) (\(n(low.1, .decimal(1)))\u{00A0}% of the eligible receive it) and highest for \(high.0.label.en) (\(n(high.1, .decimal(1)))\u{00A0}%)."))
        }
        if let ineligible = published(cell("ANY", "ineligible_recipients")), let rate = published(cell("ANY", "inclusion_pct")) {
            findings.append(Bilingual(
                id: "\(n(ineligible)) keluarga penerima (\(n(rate, .decimal(1)))\u{00A0}% dari seluruh penerima) tidak memenuhi kriteria kelayakan.",
                en: "\(n(ineligible)) recipient families (\(n(rate, .decimal(1)))\u{00A0}% of all recipients) do not meet the eligibility criteria."))
        }
        if hasRoster, let lines = duplicates.first?.lines.map({ published($0.cell) }), let nikRows = lines[0], let twice = lines[1] {
            findings.append(Bilingual(
                id: "Masalah pembayaran: daftar penerima memuat \(n(nikRows)) baris NIK ganda dalam satu periode dan \(n(twice)) keluarga yang tercatat ganda dalam satu periode.",
                en: "Payment problems: the rosters hold \(n(nikRows)) duplicate-NIK rows within a period and \(n(twice)) families listed twice in a period."))
        }
        if hasRoster, let gone = duplicates.first?.lines[3].cell, let value = published(gone), value > 0 {
            findings.append(Bilingual(
                id: "\(n(value)) baris daftar memuat NIK anggota keluarga yang meninggal, pindah atau tidak ditemukan saat registrasi.",
                en: "\(n(value)) roster rows carry the NIK of a family member who died, moved or was not found at registration."))
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
                Bilingual(id: "Layak = memenuhi aturan kelayakan program dalam profil laporan (desil dan komposisi keluarga; BLT Desa hanya di desa). PBI JKN dan PIP dihitung dalam jiwa, program lain dalam keluarga.",
                          en: "Eligible = meets the programme's eligibility rule in the report definition (decile and family composition; BLT Desa only in a desa). PBI JKN and PIP are counted in persons, other programmes in families."),
                hasRoster
                    ? Bilingual(id: "Penerima = tercatat dalam daftar penerima kementerian: keluarga yang terhubung melalui NIK atau No. KK; untuk PBI JKN dan PIP orang yang NIK-nya ada di daftar. x = dirahasiakan.",
                                en: "Recipient = listed in a ministry roster: families linked by NIK or No. KK; for PBI JKN and PIP the persons whose NIK is on the list. x = confidential.")
                    : Bilingual(id: "Penerima = pengakuan keluarga atau anggota saat registrasi. x = dirahasiakan.",
                                en: "Recipient = the family's or member's own answer at registration. x = confidential."),
            ],
            source: report.source, language: language, provenance: provenance)
    }
}
