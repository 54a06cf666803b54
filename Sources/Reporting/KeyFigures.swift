import Microdata
import Profile
import Publishing
import Tabulation

/// The headline numbers shown first in the HTML report, read from the kabupaten cells of the cubes
/// (never recomputed). Figures whose table is absent from an edited profile are simply left out.
enum KeyFigures {
    static func compute(_ r: EngineResult) -> [KeyFigure] {
        guard r.areas.kabupatens.count == 1 else { return [] }
        let kab = AreaRef(.kabupaten, 0)
        var out = population(r)
        func add(_ label: Bilingual, _ cell: Cell?, _ style: NumberStyle) { if let f = figure(label, cell, style) { out.append(f) } }
        let t = r.targeting.targeting
        // Roster figures when a roster was supplied, else the families' own answers (contract §2 "No rosters").
        let source = r.targeting.mainSource
        let by = r.targeting.hasRoster ? Bilingual(id: "daftar", en: "rosters") : Bilingual(id: "pengakuan keluarga", en: "self-reported")
        add(Bilingual(id: "Keluarga layak bantuan apa pun", en: "Families eligible for any programme"), t.cell(kab, ["ANY", source], TargetingMeasure.eligible.id), .integer)
        add(Bilingual(id: "Keluarga layak tanpa bantuan (\(by.id))", en: "Eligible families without assistance (\(by.en))"), t.cell(kab, ["ANY", source], TargetingMeasure.eligibleNonRecipients.id), .integer)
        add(Bilingual(id: "Tingkat kesalahan eksklusi, program apa pun (%)", en: "Exclusion error rate, any programme (%)"), t.cell(kab, ["ANY", source], TargetingMeasure.exclusionPct.id), .decimal(1))
        guard r.targeting.hasRoster else { return out }
        let d = r.targeting.duplicates
        let dupCells = d.dimensions[0].codes.compactMap { d.cell(kab, [$0], DuplicateMeasure.duplicateNIKRows.id) }
        let dupRows = dupCells.compactMap(\.value).reduce(0, +)
        if !dupCells.contains(where: { $0.status == .confidential }) {
            out.append(KeyFigure(label: Bilingual(id: "Baris NIK ganda dalam satu periode (daftar penerima)", en: "Duplicate-NIK rows within a period (rosters)"), value: dupRows, style: .integer))
        }
        return out
    }

    /// Population, families and the share of families in deciles 1–4 (regency cells; also the briefing's first
    /// figures). A figure whose cells are confidential or absent is left out.
    static func population(_ r: EngineResult) -> [KeyFigure] {
        guard r.areas.kabupatens.count == 1 else { return [] }
        let kab = AreaRef(.kabupaten, 0)
        func cube(_ id: String) -> ResultCube? { r.cubes.first { $0.table == id } }
        var out: [KeyFigure] = []
        func add(_ label: Bilingual, _ cell: Cell?, _ style: NumberStyle) { if let f = figure(label, cell, style) { out.append(f) } }
        add(Bilingual(id: "Penduduk (jiwa)", en: "Population (persons)"), cube("population_sex")?.cell(kab, ["_T"], "persons"), .integer)
        add(Bilingual(id: "Keluarga", en: "Families"), cube("population_sex")?.cell(kab, ["_T"], "families"), .integer)
        if let d = cube("families_desil"), let all = d.cell(kab, ["_T"], "families")?.value, all > 0 {
            // A confidential decile (x) carries no value: the share is shown only when all four are published.
            let parts = (1...4).map { d.cell(kab, [String($0)], "families") }
            if parts.allSatisfy({ $0?.status == .value }) {
                let poor = parts.compactMap { $0?.value }.reduce(0, +)
                out.append(KeyFigure(label: Bilingual(id: "Keluarga desil 1–4 (%)", en: "Families in deciles 1–4 (%)"), value: poor / all * 100, style: .decimal(1)))
            }
        }
        return out
    }

    /// A published cell as a figure; nil when the cell is absent, confidential or has no value.
    private static func figure(_ label: Bilingual, _ cell: Cell?, _ style: NumberStyle) -> KeyFigure? {
        guard let cell, cell.status == .value, let v = cell.value else { return nil }
        return KeyFigure(label: label, value: v, style: style)
    }
}
