import Microdata
import Profile
import Publishing
import Tabulation

/// The report's charts (issue 3 item 4): programme coverage and exclusion by kecamatan, roster source (the registry
/// when no roster was supplied, and then the charts say so), as small
/// multiples — one panel per profile programme and one for "any programme". Read from the kecamatan cells of the
/// protected `targeting` cube only: a confidential (`C`) or not-applicable (`M`) cell keeps its status and is left out
/// of the chart by every renderer, never drawn as zero. Programmes found only in the rosters have no eligibility and
/// so no rates; they are not charted.
enum Charts {
    static func make(_ t: TargetingResult, programmes: [ProgrammeSpec], builder: TableBuilder) -> [ChartSpec] {
        let cube = t.targeting
        let areas = cube.areas
        let kecamatans = areas.kabupatens.flatMap(\.kecamatans)
        guard !kecamatans.isEmpty, let programmeDim = cube.dimensions.firstIndex(where: { $0.id == "program" }),
              cube.dimensions.contains(where: { $0.id == "source" }) else { return [] }
        // Series: the profile's programmes in profile order, then ANY — only codes the cube has.
        var series: [(id: String, label: Bilingual)] = programmes.map { ($0.id, $0.label) }
        series.append((TargetingResult.anyProgramme, Bilingual(id: "Program apa pun", en: "Any programme")))
        series = series.filter { cube.dimensions[programmeDim].index(of: $0.id) != nil }
        guard !series.isEmpty else { return [] }
        let categories = kecamatans.map { Bilingual(areas.kecamatans[$0].name) }
        let multiple = areas.kabupatens.count > 1
        let source = t.mainSource
        let sourceTitle = t.hasRoster ? Bilingual(id: "Daftar Penerima", en: "Rosters") : Bilingual(id: "Registrasi", en: "Registry")
        let sourceNote = t.hasRoster
            ? Bilingual(id: "Sumber kepesertaan: daftar penerima kementerian yang terhubung ke keluarga.", en: "Receipt according to the ministries' rosters linked to the families.")
            : TargetingTables.noRosterNote
        func titled(_ id: String, _ en: String) -> Bilingual { Bilingual(id: "\(id) (\(sourceTitle.id))", en: "\(en) (\(sourceTitle.en))") }

        func chart(id: String, number: String, measure: String, title: Bilingual, valueLabel: Bilingual, tableID: String,
                   note: Bilingual) -> ChartSpec {
            ChartSpec(
                id: id, number: number, title: builder.titleWithArea(title), valueLabel: valueLabel,
                categoryLabel: Bilingual(id: "Kecamatan", en: "Subdistrict"),
                categories: multiple ? kecamatans.map { k in
                    let kec = areas.kecamatans[k]
                    return Bilingual(id: "\(kec.name) (\(builder.kabupatenName(areas.kabupatens[kec.kabupaten].code).id))",
                                     en: "\(kec.name) (\(builder.kabupatenName(areas.kabupatens[kec.kabupaten].code).en))")
                } : categories,
                series: series.map { programme in
                    ChartSpec.Series(id: programme.id, label: programme.label, points: kecamatans.map { k in
                        // Absent cell = not defined there: treated like not applicable (left out).
                        let cell = cube.cell(AreaRef(.kecamatan, k), [programme.id, source], measure)
                        return DisplayCell(value: cell?.value, status: cell?.status ?? .notApplicable)
                    })
                },
                style: .decimal(1), maximum: 100, tableID: tableID, twin: cube.table,
                notes: [note, TargetingTables.rateNotes[0], sourceNote],
                source: builder.report.source)
        }
        return [
            chart(id: "coverage_by_kecamatan", number: "6.1", measure: TargetingMeasure.coveragePct.id,
                  title: titled("Cakupan Program Menurut Kecamatan", "Programme Coverage by Subdistrict"),
                  valueLabel: Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), tableID: "targeting_coverage_pct",
                  note: TargetingTables.rateNotes[1]),
            chart(id: "exclusion_by_kecamatan", number: "6.2", measure: TargetingMeasure.exclusionPct.id,
                  title: titled("Tingkat Kesalahan Eksklusi Program Menurut Kecamatan", "Programme Exclusion Error Rate by Subdistrict"),
                  valueLabel: Bilingual(id: "Tingkat kesalahan eksklusi (%)", en: "Exclusion error rate (%)"), tableID: "targeting_exclusion_pct",
                  note: TargetingTables.rateNotes[2]),
        ]
    }
}
