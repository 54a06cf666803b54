import Microdata
import Profile
import Publishing
import Tabulation

/// The report's charts (issue 3 item 4): programme coverage and exclusion by kecamatan, roster source, as small
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
                        let cell = cube.cell(AreaRef(.kecamatan, k), [programme.id, "roster"], measure)
                        return DisplayCell(value: cell?.value, status: cell?.status ?? .notApplicable)
                    })
                },
                style: .decimal(1), maximum: 100, tableID: tableID, twin: cube.table,
                notes: [note, Bilingual(id: "Sumber kepesertaan: daftar penerima kementerian yang terhubung ke keluarga.",
                                        en: "Receipt according to the ministries' rosters linked to the families.")],
                source: builder.report.source)
        }
        return [
            chart(id: "coverage_by_kecamatan", number: "6.1", measure: "coverage_pct",
                  title: Bilingual(id: "Cakupan Program Menurut Kecamatan (Daftar Penerima)", en: "Programme Coverage by Subdistrict (Rosters)"),
                  valueLabel: Bilingual(id: "Cakupan (%)", en: "Coverage (%)"), tableID: "targeting_coverage_pct",
                  note: Bilingual(id: "Cakupan = keluarga layak yang menerima ÷ keluarga layak × 100.", en: "Coverage = eligible recipients ÷ eligible families × 100.")),
            chart(id: "exclusion_by_kecamatan", number: "6.2", measure: "exclusion_pct",
                  title: Bilingual(id: "Tingkat Eksklusi Program Menurut Kecamatan (Daftar Penerima)", en: "Programme Exclusion Rate by Subdistrict (Rosters)"),
                  valueLabel: Bilingual(id: "Tingkat eksklusi (%)", en: "Exclusion rate (%)"), tableID: "targeting_exclusion_pct",
                  note: Bilingual(id: "Tingkat eksklusi = keluarga layak yang tidak menerima ÷ keluarga layak × 100.", en: "Exclusion rate = eligible non-recipients ÷ eligible families × 100.")),
        ]
    }
}
