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
        if let eligible = published(cell("ANY", TargetingMeasure.eligible.id)) {
            figures.append(KeyFigure(label: Bilingual(id: "Keluarga layak bantuan", en: "Families eligible for assistance"), value: eligible, style: .integer))
        }

        // 2. Coverage and exclusion per programme (rosters), "any programme" as the total row.
        let measures: [(String, Bilingual, NumberStyle)] = [
            (TargetingMeasure.eligible.id, Bilingual(id: "Layak", en: "Eligible"), .integer),
            (TargetingMeasure.eligibleRecipients.id, Bilingual(id: "Layak, menerima", en: "Eligible, receiving"), .integer),
            (TargetingMeasure.eligibleNonRecipients.id, Bilingual(id: "Layak, tidak menerima", en: "Eligible, not receiving"), .integer),
            (TargetingMeasure.coveragePct.id, Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), .decimal(1)),
            (TargetingMeasure.exclusionPct.id, Bilingual(id: "Kesalahan eksklusi (%)", en: "Exclusion error (%)"), .decimal(1)),
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
            notes: [Bilingual(id: "Cakupan = layak dan menerima ÷ layak; kesalahan eksklusi = layak tidak menerima ÷ layak (× 100). PBI JKN dan PIP dalam jiwa, program lain dalam keluarga.",
                              en: "Coverage = eligible receiving ÷ eligible; exclusion error = eligible not receiving ÷ eligible (× 100). PBI JKN and PIP in persons, other programmes in families.")]
                + (hasRoster ? [] : [TargetingTables.noRosterNote]),
            source: report.source, section: programmesTitle, twin: "targeting")

        // 3. Roster findings (regency; a confidential part shows x), in three groups never added up.
        func line(_ measure: String, _ label: Bilingual) -> Line {
            Line(label: label, cell: Rankings.duplicateHasConfidential(d, kab, measure)
                 ? DisplayCell(value: nil, status: .confidential)
                 : DisplayCell(value: Rankings.duplicateSum(d, kab, measure), status: .value))
        }
        let multiFamily = d.cell(kab, [TargetingResult.totalCode], DuplicateMeasure.multiFamilyNIK.id)
        let duplicates: [LineGroup] = !hasRoster ? [] : [
            LineGroup(title: Bilingual(id: "Masalah pembayaran", en: "Payment problems"),
                      meaning: Bilingual(id: "Mungkin dibayar dua kali atau kepada yang tidak berhak.", en: "Possibly paid twice or to someone not entitled."),
                      lines: [line(DuplicateMeasure.duplicateNIKRows.id, Bilingual(id: "Baris NIK ganda (satu periode)", en: "Duplicate-NIK rows (one period)")),
                              line(DuplicateMeasure.duplicateFamilies.id, Bilingual(id: "Keluarga tercatat ganda (satu periode)", en: "Families listed twice (one period)")),
                              line(DuplicateMeasure.exclusiveOverlap.id, Bilingual(id: "Program yang tidak boleh digabung", en: "Programmes that must not be combined")),
                              line(DuplicateMeasure.nonCurrentNIKRows.id, Bilingual(id: "NIK anggota meninggal/pindah", en: "NIK of a member who died or moved"))]),
            LineGroup(title: Bilingual(id: "Penautan daftar", en: "Linkage of the rosters"),
                      meaning: Bilingual(id: "Perlu diperbaiki di daftar; belum tentu salah bayar.", en: "To be fixed on the lists; not in themselves wrong payments."),
                      lines: [line(DuplicateMeasure.kkOnlyRows.id, Bilingual(id: "Baris hanya lewat No. KK", en: "Rows linked by No. KK only")),
                              line(DuplicateMeasure.unmatchedRows.id, Bilingual(id: "Baris tidak terhubung", en: "Unmatched rows")),
                              line(DuplicateMeasure.invalidNIKRows.id, Bilingual(id: "Baris NIK tidak sah", en: "Rows with an invalid NIK"))]),
            LineGroup(title: Bilingual(id: "Kualitas registrasi", en: "Registry quality"),
                      meaning: Bilingual(id: "Masalah data registrasi, bukan pembayaran.", en: "A registry data problem, not a payment."),
                      lines: [Line(label: Bilingual(id: "Keluarga dengan NIK di dua keluarga", en: "Families sharing a member NIK"),
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
                village(v, [TargetingMeasure.eligibleNonRecipients.id, TargetingMeasure.exclusionPct.id].map { m in
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
                village(v, [DisplayCell(value: Rankings.duplicateSum(d, AreaRef(.desa, v), DuplicateMeasure.duplicateNIKRows.id), status: .value)])
            },
            emptyText: Bilingual(id: "Tidak ada baris NIK ganda.", en: "No duplicate-NIK rows were found."),
            note: Rankings.unrankedNote)

        // 5. Findings in plain language (only from published cells).
        var findings: [Bilingual] = hasRoster ? [] : [TargetingTables.noRosterNote]
        if let eligible = published(cell("ANY", TargetingMeasure.eligible.id)), let left = published(cell("ANY", TargetingMeasure.eligibleNonRecipients.id)),
           let rate = published(cell("ANY", TargetingMeasure.exclusionPct.id)) {
            findings.append(hasRoster ? Bilingual(
                id: "Dari \(n(eligible)) keluarga yang layak menerima bantuan, \(n(left)) keluarga (\(n(rate, .decimal(1)))\u{00A0}%) tidak tercatat sebagai penerima program apa pun dalam daftar kementerian.",
                en: "Of \(n(eligible)) families eligible for assistance, \(n(left)) (\(n(rate, .decimal(1)))\u{00A0}%) are not listed as recipients of any programme in the ministries' rosters.")
                : Bilingual(
                id: "Dari \(n(eligible)) keluarga yang layak menerima bantuan, \(n(left)) keluarga (\(n(rate, .decimal(1)))\u{00A0}%) menyatakan tidak menerima program apa pun.",
                en: "Of \(n(eligible)) families eligible for assistance, \(n(left)) (\(n(rate, .decimal(1)))\u{00A0}%) say they receive no programme."))
        }
        let rated = programmes.compactMap { p -> (ProgrammeSpec, Double)? in published(cell(p.id, TargetingMeasure.coveragePct.id)).map { (p, $0) } }
        if let low = rated.min(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }), let high = rated.max(by: { ($0.1, $1.0.id) < ($1.1, $0.0.id) }),
           low.0.id != high.0.id {
            findings.append(Bilingual(
                id: "Cakupan terendah pada \(low.0.label.id) (\(n(low.1, .decimal(1)))\u{00A0}% yang layak menerima), tertinggi pada \(high.0.label.id) (\(n(high.1, .decimal(1)))\u{00A0}%).",
                en: "Coverage is lowest for \(low.0.label.en) (\(n(low.1, .decimal(1)))\u{00A0}% of the eligible receive it) and highest for \(high.0.label.en) (\(n(high.1, .decimal(1)))\u{00A0}%)."))
        }
        if let ineligible = published(cell("ANY", TargetingMeasure.ineligibleRecipients.id)), let rate = published(cell("ANY", TargetingMeasure.inclusionPct.id)) {
            findings.append(Bilingual(
                id: "\(n(ineligible)) keluarga penerima (\(n(rate, .decimal(1)))\u{00A0}% dari seluruh penerima) tidak memenuhi kriteria kelayakan.",
                en: "\(n(ineligible)) recipient families (\(n(rate, .decimal(1)))\u{00A0}% of all recipients) do not meet the eligibility criteria."))
        }
        if hasRoster, let lines = duplicates.first?.lines.map({ published($0.cell) }), let nikRows = lines[0], let twice = lines[1],
           let gone = lines[3] {
            findings.append(Bilingual(
                id: "Masalah pembayaran: \(n(nikRows)) baris NIK ganda dan \(n(twice)) keluarga tercatat ganda dalam satu periode; \(n(gone)) baris memuat NIK anggota yang meninggal atau pindah.",
                en: "Payment problems: \(n(nikRows)) duplicate-NIK rows and \(n(twice)) families listed twice within a period; \(n(gone)) rows carry the NIK of a member who died or moved."))
        }

        return Briefing(
            title: Labels.title, subtitle: subtitle, figures: figures, findings: findings, programmes: programmeTable,
            duplicates: duplicates, topExclusion: topExclusion, topDuplicates: topDuplicates,
            notes: [
                hasRoster
                    ? Bilingual(id: "Penerima menurut daftar: keluarga terhubung lewat NIK atau No. KK; PBI JKN dan PIP: NIK orangnya ada di daftar. x = dirahasiakan.",
                                en: "Roster recipient: family linked by NIK or No. KK; PBI JKN and PIP: the person's NIK is on the list. x = confidential.")
                    : Bilingual(id: "Penerima = pengakuan keluarga atau anggota saat registrasi. x = dirahasiakan.",
                                en: "Recipient = the family's or member's own answer at registration. x = confidential."),
            ],
            source: report.source, language: language, provenance: provenance)
    }
}
