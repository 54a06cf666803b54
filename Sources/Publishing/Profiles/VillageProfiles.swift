import Microdata
import Profile
import Tabulation

/// One printable page per village (`profiles/<BPS code>.html`) for the village head and the village deliberation:
/// key figures beside the kecamatan and the regency, population pyramid, welfare deciles, targeting per programme,
/// housing at a glance where published, roster problems, ranks among the villages, plain-language findings and
/// — with boundaries — the village on the map. Every number is a formula over protected cells (`AreaFigures`),
/// registered in the page's `FigureSheet`; nothing is computed from the microdata here.
public struct VillageProfiles: Sendable {
    /// Unchecked: `TableBuilder` (codebook and report spec, plain values, read only here) does not declare Sendable.
    public struct Context: @unchecked Sendable {
        public var figures: AreaFigures
        public var builder: TableBuilder
        public var tables: [TableSpec]
        public var programmes: [ProgrammeSpec]
        public var survey: Bilingual
        public var source: Bilingual
        public var language: Language
        public var provenance: String
        public var maps: MapSet?
        public init(figures: AreaFigures, builder: TableBuilder, tables: [TableSpec], programmes: [ProgrammeSpec], survey: Bilingual,
                    source: Bilingual, language: Language, provenance: String, maps: MapSet?) {
            self.figures = figures; self.builder = builder; self.tables = tables; self.programmes = programmes; self.survey = survey
            self.source = source; self.language = language; self.provenance = provenance; self.maps = maps
        }
    }

    /// An exclusion rate is ranked only with at least this many eligible units (as the report's rankings).
    static let minimumEligible = 30.0

    let context: Context
    /// Villages ranked by the share in deciles 1–4 and by the exclusion rate: index → rank (1 = highest), and how many.
    let poorRanks: (ranks: [Int: Int], count: Int)
    let exclusionRanks: (ranks: [Int: Int], count: Int)

    /// The profile map's village shapes and legend, the same on every page (built once).
    let mapGroup: String
    let mapLegend: String
    let mapLimits: [Double]

    /// The housing tables a page shows (one dimension, a `pct` measure), each with its most common category per
    /// kabupaten (the same on all the regency's villages' pages; nil when the table has no category).
    let housing: [(id: String, dimension: CubeDimension, modal: [Int?])]

    /// `headings`, level headers and the symbols' legend in the report's language: the same on every page.
    let headingLabels: [String: ProfileHTML.Label]
    let levelHeaders: [ProfileHTML.Label]
    let symbols: [ProfileHTML.Label]

    public init(_ context: Context) {
        self.context = context
        let language = context.language
        headingLabels = Self.headings.mapValues { ProfileHTML.Label($0, language) }
        levelHeaders = [Bilingual(id: "Desa", en: "Village"), Bilingual(id: "Kecamatan", en: "Subdistrict"), Bilingual(id: "Kabupaten", en: "Regency")]
            .map { ProfileHTML.Label($0, language) }
        symbols = CellSymbols.legend.map { ProfileHTML.Label($0, language) }
        let figures = context.figures
        housing = context.tables.compactMap { spec in
            guard spec.section == "housing", let cube = figures.cubes.cube(spec.id), cube.dimensions.count == 1,
                  cube.measureIndex("pct") != nil else { return nil }
            let dim = cube.dimensions[0]
            let modal = figures.cubes.areas.kabupatens.indices.map { b -> Int? in
                let share = { (i: Int) in
                    figures.value(figures.cubes.ref(spec.id, AreaRef(.kabupaten, b), [dim.codes[i]], "pct").map(FigureFormula.cell)).number ?? -1
                }
                return dim.codes.indices.filter { !["_T", "_Z"].contains(dim.codes[$0]) }
                    .max { a, b in (share(a), dim.codes[b]) < (share(b), dim.codes[a]) }
            }
            return (spec.id, dim, modal)
        }
        if let maps = context.maps, let layer = maps.layers.first {
            mapGroup = Choropleth.group(layer, topology: maps.topology, areas: maps.areas, language: context.language, idPrefix: "pmap")
            mapLegend = MapHTML.legend(layer, language: context.language)
            mapLimits = layer.classLimits()
        } else {
            mapGroup = ""; mapLegend = ""; mapLimits = []
        }
        let f = context.figures, areas = f.cubes.areas
        func rank(_ score: (Int) -> Double?) -> ([Int: Int], Int) {
            let scored = areas.villages.indices.compactMap { v in score(v).map { (v, $0) } }
                .sorted { ($0.1, areas.villages[$1.0].code) > ($1.1, areas.villages[$0.0].code) }
            return (Dictionary(uniqueKeysWithValues: scored.enumerated().map { ($1.0, $0 + 1) }), scored.count)
        }
        poorRanks = rank { f.value(f.poorShare(AreaRef(.desa, $0))).number }
        exclusionRanks = rank { v in
            let a = AreaRef(.desa, v)
            guard let e = f.value(f.targeting(a, "ANY", "eligible")).number, e >= Self.minimumEligible else { return nil }
            return f.value(f.targeting(a, "ANY", "exclusion_pct")).number
        }
    }

    var language: Language { context.language }
    func label(_ b: Bilingual) -> ProfileHTML.Label { ProfileHTML.Label(b, language) }
    func line(_ b: Bilingual) -> String { LabelText.line(b, language) }

    /// The kecamatan and kabupaten figures of the last pages, by figure key: every village of a kecamatan shows
    /// the same ones, and pages are rendered in village order, a kecamatan's villages one after another. One per
    /// thread.
    final class UpperLevels {
        @exclusivity(unchecked) var kecamatan = -1, kabupaten = -1
        /// Unchecked: one per thread; the run-time exclusivity check cost more than the lookup.
        @exclusivity(unchecked) var figures: [AreaLevel: [String: (formula: FigureFormula?, value: FigureValue)]] = [:]
    }

    /// The view model of village `v`'s page (`ProfileHTML`), and the page's figures.
    func page(village v: Int, upper: UpperLevels = UpperLevels()) -> (model: ProfileHTML.Page, sheet: FigureSheet) {
        let f = context.figures, areas = f.cubes.areas
        let village = areas.villages[v], kecIndex = village.kecamatan, kecamatan = areas.kecamatans[kecIndex]
        let levels = [AreaRef(.desa, v), AreaRef(.kecamatan, kecIndex), AreaRef(.kabupaten, kecamatan.kabupaten)]
        if upper.kecamatan != kecIndex { upper.kecamatan = kecIndex; upper.figures[.kecamatan] = [:] }
        if upper.kabupaten != kecamatan.kabupaten { upper.kabupaten = kecamatan.kabupaten; upper.figures[.kabupaten] = [:] }
        var sheet = FigureSheet(village: village.code)
        func fig(_ key: String, _ formula: FigureFormula?, _ style: NumberStyle = .integer) -> ProfileHTML.Cell {
            sheet.add(key, formula, f.value(formula), style: style, language: language)
        }
        /// The figure `key` at `area` (a village's own, or its kecamatan's or kabupaten's from `upper`).
        func fig(_ key: String, at area: AreaRef, _ style: NumberStyle = .integer, _ formula: (AreaRef) -> FigureFormula?) -> ProfileHTML.Cell {
            guard area.level != .desa else { return fig(key, formula(area), style) }
            if let known = upper.figures[area.level]?[key] {
                return sheet.add(key, known.formula, known.value, style: style, language: language)
            }
            let made = formula(area), value = f.value(made)
            upper.figures[area.level]?[key] = (made, value)
            return sheet.add(key, made, value, style: style, language: language)
        }
        func row(_ key: String, _ title: Bilingual, _ style: NumberStyle = .integer, _ formula: (AreaRef) -> FigureFormula?) -> ProfileHTML.Row {
            ProfileHTML.Row(label: label(title), cells: levels.map { fig("\(key).\($0.level.rawValue)", at: $0, style, formula) })
        }

        let programmeLabel: (String) -> Bilingual = { code in
            code == "ANY" ? Bilingual(id: "Program apa pun", en: "Any programme")
                : self.context.programmes.first { $0.id == code }?.label ?? Bilingual(code)
        }
        // Key figures.
        var keyRows = [
            row("persons", Bilingual(id: "Penduduk (jiwa)", en: "Population (persons)")) { f.persons($0) },
            row("persons_male", Bilingual(id: "Laki-laki", en: "Male")) { f.persons($0, sex: "1") },
            row("persons_female", Bilingual(id: "Perempuan", en: "Female")) { f.persons($0, sex: "2") },
            row("families", Bilingual(id: "Keluarga", en: "Families")) { f.families($0) },
            row("poor_families", Bilingual(id: "Keluarga desil 1–4", en: "Families in deciles 1–4")) { f.poorFamilies($0) },
            row("poor_share", Bilingual(id: "Keluarga desil 1–4 (%)", en: "Families in deciles 1–4 (%)"), .decimal(1)) { f.poorShare($0) },
            row("disabled", Bilingual(id: "Penyandang disabilitas (jiwa)", en: "Persons with disability")) { f.disabled($0) },
        ]
        if !f.programmeCodes.isEmpty {
            keyRows += [
                row("eligible_any", Bilingual(id: "Keluarga layak bantuan apa pun", en: "Families eligible for any programme")) { f.targeting($0, "ANY", "eligible") },
                row("excluded_any", Bilingual(id: "Keluarga layak tanpa bantuan", en: "Eligible families without assistance")) { f.targeting($0, "ANY", "eligible_non_recipients") },
                row("exclusion_any", Bilingual(id: "Tingkat kesalahan eksklusi (%)", en: "Exclusion error rate (%)"), .decimal(1)) { f.targeting($0, "ANY", "exclusion_pct") },
            ]
        }

        // Population pyramid (village), with its table.
        var pyramidRows: [(label: String, men: FigureValue, women: FigureValue)] = []
        var pyramidTable: [(name: String, cells: [ProfileHTML.Cell])] = []
        if let cube = f.cubes.cube(AreaFigures.ageSex), cube.dimensions.count == 2 {
            let ages = cube.dimensions[0]
            for (i, code) in ages.codes.enumerated() where code != "_T" && code != "_Z" {
                let name = line(context.builder.label(dimension: ages, code: i))
                let men = f.cubes.ref(AreaFigures.ageSex, levels[0], [code, "1"], "persons").map(FigureFormula.cell)
                let women = f.cubes.ref(AreaFigures.ageSex, levels[0], [code, "2"], "persons").map(FigureFormula.cell)
                pyramidRows.append((name, f.value(men), f.value(women)))
                pyramidTable.append((name, [fig("age_male.\(code)", men), fig("age_female.\(code)", women)]))
            }
        }
        let pyramidTitle = Bilingual(id: "Piramida penduduk \(village.name)", en: "Population pyramid of \(village.name)")
        let pyramid = pyramidRows.isEmpty ? "" : PopulationPyramid.svg(rows: pyramidRows, idPrefix: "pyr", title: line(pyramidTitle),
                                                                     menLabel: line(Bilingual(id: "Laki-laki", en: "Male")),
                                                                     womenLabel: line(Bilingual(id: "Perempuan", en: "Female")))

        // Welfare deciles.
        var desilRows: [ProfileHTML.Row] = []
        if let cube = f.cubes.cube(AreaFigures.desil) {
            for code in f.desilCodes {
                desilRows.append(ProfileHTML.Row(
                    label: label(context.builder.label(dimension: cube.dimensions[0], code: cube.dimensions[0].index(of: code)!)),
                    cells: [fig("desil_families.\(code).desa", f.desilFamilies(levels[0], code))]
                        + levels.map { fig("desil_share.\(code).\($0.level.rawValue)", at: $0, .decimal(1)) { f.desilShare($0, code) } }))
            }
        }

        // Targeting per programme (village counts, rates at the three levels).
        let targetingRows = f.programmeCodes.map { p -> ProfileHTML.Row in
            let d = levels[0]
            return ProfileHTML.Row(label: label(programmeLabel(p)),
                                   cells: [fig("units.\(p).desa", f.targetingUnits(d, p)), fig("eligible.\(p).desa", f.targeting(d, p, "eligible")),
                                           fig("recipients.\(p).desa", f.targeting(d, p, "recipients")),
                                           fig("eligible_non_recipients.\(p).desa", f.targeting(d, p, "eligible_non_recipients"))]
                                       + levels.map { fig("exclusion_pct.\(p).\($0.level.rawValue)", at: $0, .decimal(1)) { f.targeting($0, p, "exclusion_pct") } },
                                   isTotal: p == "ANY")
        }

        // Housing at a glance: per housing table the regency's most common category, at the three levels.
        var housingRows: [ProfileHTML.HousingRow] = []
        for table in housing {
            guard let modal = table.modal[kecamatan.kabupaten] else { continue }
            let dim = table.dimension, code = dim.codes[modal]
            housingRows.append(ProfileHTML.HousingRow(
                topic: label(context.builder.codebook.label(of: dim.id) ?? Bilingual(dim.id)),
                category: label(context.builder.label(dimension: dim, code: modal)),
                cells: levels.map { fig("\(table.id).\(code).\($0.level.rawValue)", at: $0, .decimal(1)) { f.cubes.ref(table.id, $0, [code], "pct").map(FigureFormula.cell) } }))
        }

        // Roster problems in the village, per programme and over all programmes. A sum with a confidential
        // programme is confidential too (it would reveal that programme's count), hence the programme rows.
        var problemRows: [ProfileHTML.Row] = []
        var perThousand: ProfileHTML.Cell?
        if f.hasRoster {
            let measures = ["roster_rows", "duplicate_nik_rows", "non_current_nik_rows"]
            for p in f.duplicateProgrammes {
                problemRows.append(ProfileHTML.Row(label: label(programmeLabel(p)), cells: measures.map { m in
                    fig("\(m).\(p).desa", f.cubes.ref(AreaFigures.duplicates, levels[0], [p], m).map(FigureFormula.cell))
                }))
            }
            problemRows.append(ProfileHTML.Row(label: label(Bilingual(id: "Semua program", en: "All programmes")),
                                               cells: measures.map { fig("\($0).desa", f.duplicateSum(levels[0], $0)) }, isTotal: true))
            perThousand = fig("duplicates_per_1000.desa", f.duplicatesPer1000(levels[0]), .decimal(1))
        }

        // Ranks among the villages.
        var rankRows: [ProfileHTML.RankRow] = []
        func rankRow(_ title: Bilingual, _ of: String, _ ranks: (ranks: [Int: Int], count: Int)) {
            guard let r = ranks.ranks[v] else {
                rankRows.append(ProfileHTML.RankRow(label: label(title), rank: nil, count: ""))
                return
            }
            // The number of ranked villages is part of the rank (`rankedAmong` in the sheet), not a figure of its own.
            rankRows.append(ProfileHTML.RankRow(label: label(title),
                                                rank: sheet.addRank("rank.\(of)", rank: r, of: of, among: ranks.count, language: language),
                                                count: NumberFormatting.format(Double(ranks.count), style: .integer, language: language)))
        }
        rankRow(Bilingual(id: "Persentase keluarga desil 1–4", en: "Share of families in deciles 1–4"), "poor_share.desa", poorRanks)
        rankRow(Bilingual(id: "Tingkat kesalahan eksklusi (desa dengan ≥ 30 keluarga layak)", en: "Exclusion error rate (villages with ≥ 30 eligible families)"), "exclusion_pct.ANY.desa", exclusionRanks)

        // Findings: sentences built around the figures already on the page (the same ids).
        let findings = ProfileFindings.make(sheet: sheet, villageName: village.name, kecamatanName: kecamatan.name,
                                            programmeLabel: programmeLabel, ranks: (poorRanks.ranks[v], poorRanks.count), language: language)

        // The map, the village outlined.
        var mapHTML = ""
        if let maps = context.maps, let layer = maps.layers.first {
            let value = MapHTML.valueText(layer.values[v], style: layer.style, language: language)
            let description = line(Bilingual(id: "\(village.name) ditandai dengan garis merah; nilainya \(value).",
                                             en: "\(village.name) is outlined in red; its figure is \(value)."))
            mapHTML = "<figure class=\"map map-profile\"><figcaption>\(MapHTML.label(layer.title, language))</figcaption>"
            mapHTML += Choropleth.svg(layer, topology: maps.topology, areas: areas, language: language, idPrefix: "pmap", highlight: v,
                                      illustrative: maps.illustrative, description: description, group: mapGroup)
            mapHTML += mapLegend
            if maps.topology.rings[v] == nil {
                mapHTML += "<p class=\"map-note\">\(MapHTML.label(Bilingual(id: "Desa ini tidak ada di berkas batas wilayah.", en: "This village is not in the boundary file."), language))</p>"
            }
            mapHTML += "<p class=\"map-note\">\(MapHTML.label(MapHTML.classesNote(layer), language))</p>"
            if maps.illustrative { mapHTML += "<p class=\"map-note\">\(MapHTML.label(Choropleth.illustrativeLabel, language))</p>" }
            mapHTML += "</figure>"
            sheet.mapLayer = layer.id
            sheet.mapLimits = mapLimits
        }

        let kindLabel = village.kind == "kelurahan" ? Bilingual(id: "Kelurahan", en: "Urban village") : Bilingual(id: "Desa", en: "Village")
        let kabName = context.builder.kabupatenName(areas.kabupatens[kecamatan.kabupaten].code)
        let model = ProfileHTML.Page(
            lang: language == .en ? "en" : "id",
            documentTitle: "\(line(kindLabel)) \(village.name) — \(line(Bilingual(id: "Kec. \(kecamatan.name)", en: "\(kecamatan.name) Subdistrict"))) — \(line(Bilingual(id: "Profil", en: "Profile")))",
            kind: label(kindLabel), name: village.name,
            place: label(Bilingual(id: "Kecamatan \(kecamatan.name), \(kabName.id)", en: "\(kecamatan.name) Subdistrict, \(kabName.en)")),
            codes: "BPS \(village.code) · Kemendagri \(village.kemendagriCode)",
            survey: label(context.survey),
            levelHeaders: levelHeaders,
            keyRows: keyRows,
            pyramid: pyramid, pyramidTable: pyramidTable,
            desilRows: desilRows,
            targetingRows: targetingRows,
            targetingNote: label(f.hasRoster ? Bilingual(id: "Menurut daftar penerima kementerian. Unit: keluarga; jiwa untuk PBI JKN dan PIP.", en: "According to the ministries' rosters. Units: families; persons for PBI JKN and PIP.")
                                 : Bilingual(id: "Menurut pengakuan keluarga (tanpa daftar penerima). Unit: keluarga; jiwa untuk PBI JKN dan PIP.", en: "Self-reported by families (no rosters). Units: families; persons for PBI JKN and PIP.")),
            housingRows: housingRows,
            problemRows: problemRows, perThousand: perThousand,
            rankRows: rankRows,
            findings: findings,
            map: mapHTML,
            symbols: symbols,
            source: line(context.source),
            provenance: context.provenance)
        return (model, sheet)
    }

    static let headings: [String: Bilingual] = [
        "key": Bilingual(id: "Angka utama", en: "Key figures"),
        "figure": Bilingual(id: "Angka", en: "Figure"),
        "pyramid": Bilingual(id: "Piramida penduduk", en: "Population pyramid"),
        "pyramidTable": Bilingual(id: "Tabel piramida (jiwa)", en: "Pyramid table (persons)"),
        "age": Bilingual(id: "Umur", en: "Age"),
        "male": Bilingual(id: "Laki-laki", en: "Male"),
        "female": Bilingual(id: "Perempuan", en: "Female"),
        "deciles": Bilingual(id: "Keluarga menurut desil kesejahteraan", en: "Families by welfare decile"),
        "desilHeader": Bilingual(id: "Desil", en: "Decile"),
        "families": Bilingual(id: "Keluarga desa", en: "Village families"),
        "shareVillage": Bilingual(id: "% desa", en: "% village"),
        "shareKecamatan": Bilingual(id: "% kec.", en: "% subdistr."),
        "shareKabupaten": Bilingual(id: "% kab.", en: "% regency"),
        "targeting": Bilingual(id: "Ketepatan sasaran menurut program", en: "Targeting by programme"),
        "programme": Bilingual(id: "Program", en: "Programme"),
        "units": Bilingual(id: "Unit", en: "Units"),
        "eligible": Bilingual(id: "Layak", en: "Eligible"),
        "recipients": Bilingual(id: "Penerima", en: "Recipients"),
        "excluded": Bilingual(id: "Layak tidak menerima", en: "Eligible non-recipients"),
        "exclusionVillage": Bilingual(id: "Eksklusi desa (%)", en: "Exclusion, village (%)"),
        "exclusionKecamatan": Bilingual(id: "Kec. (%)", en: "Subdistr. (%)"),
        "exclusionKabupaten": Bilingual(id: "Kab. (%)", en: "Regency (%)"),
        "housing": Bilingual(id: "Perumahan sekilas (% keluarga)", en: "Housing at a glance (% of families)"),
        "housingNote": Bilingual(id: "Kategori terbanyak di kabupaten. Tabel perumahan diterbitkan per kecamatan, tidak per desa (…).", en: "The regency's most common category. Housing tables are published per subdistrict, not per village (…)."),
        "topic": Bilingual(id: "Topik", en: "Topic"),
        "category": Bilingual(id: "Kategori", en: "Category"),
        "problems": Bilingual(id: "Temuan daftar penerima di desa ini", en: "Roster findings in this village"),
        "rosterRows": Bilingual(id: "Baris daftar", en: "Roster rows"),
        "duplicateRows": Bilingual(id: "NIK ganda", en: "Duplicate NIK"),
        "departedRows": Bilingual(id: "NIK meninggal/pindah", en: "NIK died/moved"),
        "perThousand": Bilingual(id: "Baris NIK ganda per 1.000 baris daftar, semua program", en: "Duplicate-NIK rows per 1,000 roster rows, all programmes"),
        "count": Bilingual(id: "Jumlah", en: "Count"),
        "ranks": Bilingual(id: "Peringkat di antara desa", en: "Rank among villages"),
        "rank": Bilingual(id: "Peringkat", en: "Rank"),
        "of": Bilingual(id: "dari", en: "of"),
        "notRanked": Bilingual(id: "tidak diperingkat", en: "not ranked"),
        "findings": Bilingual(id: "Temuan utama", en: "Main findings"),
        "map": Bilingual(id: "Peta", en: "Map"),
        "notes": Bilingual(id: "Catatan", en: "Notes"),
        "index": Bilingual(id: "Semua profil desa", en: "All village profiles"),
        "report": Bilingual(id: "Laporan lengkap", en: "Full report"),
        "sourceCaption": Bilingual(id: "Sumber", en: "Source"),
        "producedWith": Bilingual(id: "Dibuat dengan", en: "Produced with"),
    ]
}
