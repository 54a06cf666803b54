import Microdata
import Profile

/// The maps of one run: the topology of the matched boundaries, built once, and the choropleths drawn on it —
/// share of families in deciles 1–4, exclusion error rate (any programme) and, with a roster, duplicate-NIK rows
/// per 1,000 roster rows. Every value is a formula over protected cells (`AreaFigures`).
public struct MapSet: Sendable {
    public let topology: MapTopology
    public let areas: AreaIndex
    public let illustrative: Bool
    /// Villages without a boundary and polygons of no village (`BoundaryMatch.problems`).
    public let problems: [Bilingual]
    public let layers: [MapLayer]
    /// The formula of each layer's value per village, for the profiles' sidecars.
    public let formulas: [String: [Int: FigureFormula]]

    public init(match: BoundaryMatch, figures: AreaFigures) {
        let areas = figures.cubes.areas
        self.areas = areas
        topology = MapTopology(villages: match.rings, kecamatanOf: { areas.villages[$0].kecamatan })
        illustrative = match.illustrative
        problems = match.problems(areas: areas)
        var layers: [MapLayer] = [], formulas: [String: [Int: FigureFormula]] = [:]
        func add(_ id: String, _ title: Bilingual, _ definition: Bilingual, _ style: NumberStyle, _ f: (AreaRef) -> FigureFormula?) {
            var values: [Int: FigureValue] = [:], fs: [Int: FigureFormula] = [:]
            for v in areas.villages.indices {
                let formula = f(AreaRef(.desa, v))
                values[v] = figures.value(formula)
                fs[v] = formula
            }
            guard values.values.contains(where: { $0.number != nil }) else { return }
            layers.append(MapLayer(id: id, title: title, definition: definition, style: style, values: values))
            formulas[id] = fs
        }
        add("map_poor_share", Bilingual(id: "Persentase keluarga desil 1–4 menurut desa", en: "Share of families in deciles 1–4 by village (%)"),
            Bilingual(id: "Keluarga desil 1–4 ÷ seluruh keluarga × 100 (tabel 3.2.1).", en: "Families in deciles 1–4 ÷ all families × 100 (table 3.2.1)."),
            .decimal(1), figures.poorShare)
        let by = figures.hasRoster ? Bilingual(id: "menurut daftar penerima", en: "according to the rosters") : Bilingual(id: "menurut pengakuan keluarga", en: "self-reported by families")
        add("map_exclusion", Bilingual(id: "Tingkat kesalahan eksklusi menurut desa, program apa pun (%)", en: "Exclusion error rate by village, any programme (%)"),
            Bilingual(id: "Layak tetapi tidak menerima ÷ layak × 100, \(by.id).", en: "Eligible non-recipients ÷ eligible × 100, \(by.en)."),
            .decimal(1)) { figures.targeting($0, "ANY", "exclusion_pct") }
        if figures.hasRoster {
            add("map_duplicates", Bilingual(id: "Baris NIK ganda per 1.000 baris daftar penerima menurut desa", en: "Duplicate-NIK rows per 1,000 roster rows by village"),
                Bilingual(id: "Baris NIK ganda dalam satu periode ÷ baris daftar penerima × 1.000, semua program.", en: "Duplicate-NIK rows within a period ÷ roster rows × 1,000, all programmes."),
                .decimal(1), figures.duplicatesPer1000)
        }
        self.layers = layers
        self.formulas = formulas
    }

    /// All maps for `report.html`.
    public func reportHTML(language: Language) -> String {
        layers.enumerated().map { MapHTML.figure($1, maps: self, language: language, idPrefix: "map\($0 + 1)") }.joined(separator: "\n")
    }

    /// The first map, small and without its table, for the one-page briefing.
    public func briefingHTML(language: Language) -> String {
        layers.first.map { MapHTML.figure($0, maps: self, language: language, idPrefix: "bmap", compact: true) } ?? ""
    }
}
