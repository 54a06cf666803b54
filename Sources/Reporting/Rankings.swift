import Microdata
import Profile
import Publishing
import Tabulation

/// The lists the regency acts on first, read from the protected targeting cubes (never recomputed): villages
/// with the most eligible units receiving nothing, villages and kecamatan with the highest exclusion error
/// *rate* (large villages dominate counts, so rates are ranked too, among areas with enough eligible units to
/// be meaningful), and — with a roster — villages with the most duplicate-NIK rows. Ties are broken by
/// area code so the order is stable; an area whose ranking figure is confidential (x) is not ranked.
///
/// The source is the rosters when one was supplied, else the families' own answers (`TargetingResult.mainSource`).
enum Rankings {
    static let top = 10
    /// Villages per programme in the per-programme rate list.
    static let topPerProgramme = 5
    /// An exclusion rate is ranked only where at least this many units (families; persons for PBI JKN and PIP)
    /// are eligible: below it one family more or less moves the rate by several points.
    static let minimumEligible = 30.0
    static let unrankedNote = Bilingual(id: "Desa dengan angka yang dirahasiakan (x) tidak diperingkat.", en: "Villages whose figure is confidential (x) are not ranked.")
    static let minimumNote = Bilingual(
        id: "Hanya wilayah dengan sedikitnya 30 keluarga layak (jiwa untuk PBI JKN dan PIP) yang diperingkat menurut tingkat: pada jumlah yang lebih kecil satu keluarga mengubah tingkat beberapa poin.",
        en: "Only areas with at least 30 eligible families (persons for PBI JKN and PIP) are ranked by rate: with fewer, one family moves the rate by several points.")

    /// The payment findings shown beside the duplicate ranking (each its own column, never summed).
    static let paymentParts = [DuplicateMeasure.duplicateNIKRows.id, DuplicateMeasure.duplicateFamilies.id, DuplicateMeasure.exclusiveOverlap.id, DuplicateMeasure.nonCurrentNIKRows.id]

    /// Areas (indices) with the largest positive `score`, at most `limit`, ties by code.
    static func ranked(_ count: Int, code: (Int) -> String, limit: Int = top, _ score: (Int) -> Double?) -> [Int] {
        (0..<count).compactMap { i in score(i).flatMap { $0 > 0 ? (i, $0) : nil } }
            .sorted { ($0.1, code($1.0)) > ($1.1, code($0.0)) }
            .prefix(limit).map(\.0)
    }

    /// A published value of the targeting cube (nil when confidential, absent or not applicable).
    static func value(_ t: TargetingResult, _ area: AreaRef, _ programme: String, _ measure: String) -> Double? {
        let c = t.targeting.cell(area, [programme, t.mainSource], measure)
        return c?.status == .value ? c?.value : nil
    }

    /// The ten villages with the most eligible non-recipients (any programme).
    static func exclusionVillages(_ t: TargetingResult) -> [Int] {
        let areas = t.targeting.areas
        return ranked(areas.villages.count, code: { areas.villages[$0].code }) { value(t, AreaRef(.desa, $0), "ANY", TargetingMeasure.eligibleNonRecipients.id) }
    }

    /// Areas of `level` with the highest exclusion error rate for `programme`, among those with at least
    /// `minimumEligible` eligible units.
    static func exclusionRate(_ t: TargetingResult, level: AreaLevel, programme: String, limit: Int) -> [Int] {
        let areas = t.targeting.areas
        let count = level == .desa ? areas.villages.count : areas.kecamatans.count
        return ranked(count, code: { areas.code(AreaRef(level, $0)) }, limit: limit) { i in
            let area = AreaRef(level, i)
            guard let eligible = value(t, area, programme, TargetingMeasure.eligible.id), eligible >= minimumEligible else { return nil }
            return value(t, area, programme, TargetingMeasure.exclusionPct.id)
        }
    }

    /// One duplicate measure of an area, summed over the programmes of `duplicates` (published cells only).
    static func duplicateSum(_ d: ResultCube, _ area: AreaRef, _ measure: String) -> Double {
        d.dimensions[0].codes.reduce(0) { acc, p in
            let c = d.cell(area, [p], measure)
            return acc + (c?.status == .value ? c?.value ?? 0 : 0)
        }
    }

    /// Whether one duplicate measure of an area is confidential (x) for some programme.
    static func duplicateHasConfidential(_ d: ResultCube, _ area: AreaRef, _ measure: String) -> Bool {
        d.dimensions[0].codes.contains { d.cell(area, [$0], measure)?.status == .confidential }
    }

    /// The ten villages with the most duplicate-NIK rows (all programmes); none without a roster.
    static func duplicateVillages(_ t: TargetingResult) -> [Int] {
        guard t.hasRoster else { return [] }
        let d = t.duplicates, areas = d.areas
        return ranked(areas.villages.count, code: { areas.villages[$0].code }) { v in
            let area = AreaRef(.desa, v)
            return duplicateHasConfidential(d, area, DuplicateMeasure.duplicateNIKRows.id) ? nil : duplicateSum(d, area, DuplicateMeasure.duplicateNIKRows.id)
        }
    }

    static func tables(_ t: TargetingResult, programmes: [ProgrammeSpec], builder: TableBuilder) -> [DisplayTable] {
        let areas = t.targeting.areas
        func label(_ v: Int) -> Bilingual {
            let village = areas.villages[v], kec = areas.kecamatans[village.kecamatan].name
            return Bilingual(id: "\(village.name) (Kec. \(kec))", en: "\(village.name) (\(kec) Subdistrict)")
        }
        func cells(_ area: AreaRef, _ programme: String, _ measures: [String]) -> [DisplayCell] {
            measures.map { m in
                let c = t.targeting.cell(area, [programme, t.mainSource], m)
                return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
            }
        }
        let sourceNote = t.hasRoster
            ? Bilingual(id: "Menurut daftar penerima kementerian.", en: "According to the ministries' rosters.")
            : TargetingTables.noRosterNote
        let section = builder.report.sections.first { $0.id == "targeting" }?.title ?? Bilingual(id: "Ketepatan Sasaran", en: "Targeting")
        let villageHeader = Bilingual(id: "Desa/Kelurahan (Kecamatan)", en: "Village (Subdistrict)")
        let exclusionColumns = [
            DisplayColumn(label: Bilingual(id: "Layak tidak menerima", en: "Eligible non-recipients")),
            DisplayColumn(label: Bilingual(id: "Layak", en: "Eligible")),
            DisplayColumn(label: Bilingual(id: "Tingkat kesalahan eksklusi (%)", en: "Exclusion error rate (%)"), style: .decimal(1)),
        ]
        let exclusionMeasures = [TargetingMeasure.eligibleNonRecipients.id, TargetingMeasure.eligible.id, TargetingMeasure.exclusionPct.id]
        let rateNote = Bilingual(id: "Tingkat kesalahan eksklusi = layak tetapi tidak menerima ÷ layak × 100.", en: "Exclusion error rate = eligible non-recipients ÷ eligible × 100.")
        func table(_ id: String, _ number: String, _ title: Bilingual, stub: Bilingual, _ columns: [DisplayColumn],
                   _ rows: [DisplayRow], notes: [Bilingual], twin: String) -> DisplayTable {
            DisplayTable(id: id, number: number, title: builder.titleWithArea(title), stubHeader: stub, columns: columns, rows: rows,
                         notes: notes, source: builder.report.source, section: section, twin: twin)
        }

        // 1. By count: eligible families receiving nothing, any programme.
        let byCount = exclusionVillages(t).map { v in
            DisplayRow(label: label(v), kind: .detail, cells: cells(AreaRef(.desa, v), "ANY", exclusionMeasures))
        }
        // 2. By rate, any programme.
        let byRate = exclusionRate(t, level: .desa, programme: "ANY", limit: top).map { v in
            DisplayRow(label: label(v), kind: .detail, cells: cells(AreaRef(.desa, v), "ANY", exclusionMeasures))
        }
        // 3. Kecamatan by rate (any programme), with every programme's rate beside it.
        let codes = ["ANY"] + programmes.map(\.id).filter { t.targeting.dimensions[0].codes.contains($0) }
        let kecamatanOrder = exclusionRate(t, level: .kecamatan, programme: "ANY", limit: areas.kecamatans.count)
        let kecamatanRows = kecamatanOrder.map { k in
            DisplayRow(label: Bilingual(id: areas.kecamatans[k].name, en: areas.kecamatans[k].name), kind: .detail,
                       cells: codes.flatMap { cells(AreaRef(.kecamatan, k), $0, [TargetingMeasure.exclusionPct.id]) })
        }
        let programmeLabel: (String) -> Bilingual = { code in
            programmes.first { $0.id == code }?.label ?? Bilingual(id: "Program apa pun", en: "Any programme")
        }
        let kecamatanColumns = codes.map { DisplayColumn(label: programmeLabel($0), style: .decimal(1)) }
        // 4. Villages by rate, per programme.
        var perProgramme: [DisplayRow] = []
        for code in codes.dropFirst() {
            let top = exclusionRate(t, level: .desa, programme: code, limit: topPerProgramme)
            guard !top.isEmpty else { continue }
            perProgramme.append(DisplayRow(label: programmeLabel(code), kind: .heading, cells: []))
            perProgramme += top.map { v in DisplayRow(label: label(v), kind: .detail, level: 1, cells: cells(AreaRef(.desa, v), code, exclusionMeasures)) }
        }
        var out = [
            table("ranking_exclusion", "6.3.1", Bilingual(id: "Sepuluh Desa dengan Keluarga Layak Tidak Menerima Bantuan Terbanyak", en: "Ten Villages with the Most Eligible Families Receiving No Assistance"),
                  stub: villageHeader, exclusionColumns, byCount, notes: [Bilingual(id: "Program apa pun.", en: "Any programme."), sourceNote, unrankedNote], twin: "targeting"),
            table("ranking_exclusion_rate", "6.3.2", Bilingual(id: "Sepuluh Desa dengan Tingkat Kesalahan Eksklusi Tertinggi", en: "Ten Villages with the Highest Exclusion Error Rate"),
                  stub: villageHeader, exclusionColumns, byRate, notes: [Bilingual(id: "Program apa pun.", en: "Any programme."), rateNote, minimumNote, sourceNote, unrankedNote], twin: "targeting"),
            table("ranking_exclusion_kecamatan", "6.3.3", Bilingual(id: "Kecamatan Menurut Tingkat Kesalahan Eksklusi (%)", en: "Subdistricts by Exclusion Error Rate (%)"),
                  stub: Bilingual(id: "Kecamatan", en: "Subdistrict"), kecamatanColumns, kecamatanRows,
                  notes: [Bilingual(id: "Diurutkan menurut tingkat program apa pun.", en: "Ordered by the rate for any programme."), rateNote, minimumNote, sourceNote], twin: "targeting"),
            table("ranking_exclusion_programme", "6.3.4", Bilingual(id: "Desa dengan Tingkat Kesalahan Eksklusi Tertinggi Menurut Program", en: "Villages with the Highest Exclusion Error Rate by Programme"),
                  stub: villageHeader, exclusionColumns, perProgramme, notes: [rateNote, minimumNote, TargetingTables.rateNotes[0], sourceNote, unrankedNote], twin: "targeting"),
        ]
        guard t.hasRoster else { return out }
        // 5. Duplicate-NIK rows, with the other payment findings beside them (each its own column, never added up).
        let d = t.duplicates
        let paymentLabels = [
            Bilingual(id: "Baris NIK ganda", en: "Duplicate-NIK rows"),
            Bilingual(id: "Keluarga tercatat ganda", en: "Families listed twice"),
            Bilingual(id: "Program tidak boleh digabung", en: "Prohibited combinations"),
            Bilingual(id: "NIK anggota meninggal/pindah", en: "NIK of a member who died or moved"),
        ]
        let dupRows = duplicateVillages(t).map { v in
            DisplayRow(label: label(v), kind: .detail, cells: paymentParts.map { m in
                let area = AreaRef(.desa, v)
                return duplicateHasConfidential(d, area, m) ? DisplayCell(value: nil, status: .confidential)
                    : DisplayCell(value: duplicateSum(d, area, m), status: .value)
            })
        }
        out.append(table("ranking_duplicates", "6.3.5", Bilingual(id: "Sepuluh Desa dengan Baris NIK Ganda Terbanyak", en: "Ten Villages with the Most Duplicate-NIK Rows"),
                         stub: villageHeader, paymentLabels.map { DisplayColumn(label: $0) }, dupRows,
                         notes: [Bilingual(id: "Diperingkat menurut baris NIK ganda dalam satu periode (semua program). Kolom lain ditampilkan terpisah dan tidak dijumlahkan: masing-masing temuan yang berbeda.", en: "Ranked by duplicate-NIK rows within a period (all programmes). The other columns are shown apart and not added up: each is a different finding."), unrankedNote],
                         twin: "duplicates"))
        return out
    }
}
