import Microdata
import Profile
import Tabulation

/// Builds the presentation table of a profile table from its cube (gt's "build" step): resolves every label
/// from the codebook, lays out the stub (villages under kecamatan, kecamatan, or a dimension's codes) and the
/// column blocks, and copies each cell's value and status. No number is computed here.
public struct TableBuilder {
    public let codebook: Codebook
    public let report: ReportSpec
    /// Labels of dimensions that are not codebook variables (e.g. `program`, `source`), by dimension and code.
    public var extraLabels: [String: [String: Bilingual]]

    public init(codebook: Codebook, report: ReportSpec, extraLabels: [String: [String: Bilingual]] = [:]) {
        self.codebook = codebook; self.report = report; self.extraLabels = extraLabels
    }

    public func build(_ cube: ResultCube, spec: TableSpec) -> DisplayTable {
        let areas = cube.areas
        // The code a dimension takes when it is neither spread nor the stub: its `_T`, else its first code.
        let total = { (d: Int) in cube.dimensions[d].index(of: "_T") ?? 0 }
        // Column plan: per leaf column, the measure and the code index of every dimension (nil = stub dimension).
        var columns: [DisplayColumn] = []
        var columnCodes: [(measure: Int, codes: [Int?])] = []
        let stubDim: Int? = { if case .dimension(let d) = spec.stub { return spec.dimensions.firstIndex(of: d) }; return nil }()
        for block in spec.columns {
            let m = cube.measureIndex(block.measure)!
            let measure = spec.measures[m]
            let byIdx = block.by.map { spec.dimensions.firstIndex(of: $0)! }
            let style: NumberStyle
            switch measure.kind {
            case .count, .families: style = .integer
            case .computed(let decimals): style = decimals == 0 ? .integer : .decimal(decimals)
            default: style = .decimal(1)
            }
            let shown: [[Int]] = byIdx.map { shownCodes(cube, dimension: $0, withTotal: block.total) }
            var combos: [[Int]] = [[]]
            for list in shown { combos = combos.flatMap { c in list.map { c + [$0] } } }
            for combo in combos {
                var codes = [Int?](repeating: nil, count: cube.dimensions.count)
                for d in cube.dimensions.indices where d != stubDim {
                    codes[d] = block.fixed[cube.dimensions[d].id].flatMap { cube.dimensions[d].index(of: $0) } ?? total(d)
                }
                for (k, d) in byIdx.enumerated() { codes[d] = combo[k] }
                let labels = zip(byIdx, combo).map { label(dimension: cube.dimensions[$0.0], code: $0.1) }
                if labels.isEmpty {
                    columns.append(DisplayColumn(label: measure.label, spanners: [], style: style))
                } else {
                    columns.append(DisplayColumn(label: labels.last!, spanners: [measure.label] + labels.dropLast(), style: style))
                }
                columnCodes.append((m, codes))
            }
        }
        func cells(slot: Int, stubCode: Int?) -> [DisplayCell] {
            columnCodes.map { col in
                var codes = col.codes
                if let stubDim, let stubCode { codes[stubDim] = stubCode }
                let cell = cube[slot: slot, cell: cube.cellIndex(codes.map { $0 ?? 0 }), measure: col.measure]
                return DisplayCell(value: cell?.value, status: cell?.status ?? .notApplicable)
            }
        }
        var rows: [DisplayRow] = []
        let stubHeader: Bilingual
        switch spec.stub {
        case .desa:
            stubHeader = Bilingual(id: "Kecamatan/Desa/Kelurahan", en: "Subdistrict/Village")
            for (b, kab) in areas.kabupatens.enumerated() {
                for k in kab.kecamatans {
                    let kec = areas.kecamatans[k]
                    rows.append(DisplayRow(label: Bilingual(kec.name), kind: .heading, level: 0, cells: []))
                    for v in kec.villages {
                        rows.append(DisplayRow(label: Bilingual(areas.villages[v].name), kind: .detail, level: 1,
                                               cells: cells(slot: areas.slot(AreaRef(.desa, v)), stubCode: nil)))
                    }
                    rows.append(DisplayRow(label: Bilingual(id: "Jumlah \(kec.name)", en: "Total \(kec.name)"), kind: .subtotal, level: 0,
                                           cells: cells(slot: areas.slot(AreaRef(.kecamatan, k)), stubCode: nil)))
                }
                rows.append(DisplayRow(label: kabupatenTotalLabel(kab.code), kind: .total, level: 0,
                                       cells: cells(slot: areas.slot(AreaRef(.kabupaten, b)), stubCode: nil)))
            }
        case .kecamatan:
            stubHeader = Bilingual(id: "Kecamatan", en: "Subdistrict")
            for (b, kab) in areas.kabupatens.enumerated() {
                for k in kab.kecamatans {
                    rows.append(DisplayRow(label: Bilingual(areas.kecamatans[k].name), kind: .detail, level: 0,
                                           cells: cells(slot: areas.slot(AreaRef(.kecamatan, k)), stubCode: nil)))
                }
                rows.append(DisplayRow(label: kabupatenTotalLabel(kab.code), kind: .total, level: 0,
                                       cells: cells(slot: areas.slot(AreaRef(.kabupaten, b)), stubCode: nil)))
            }
        case .dimension(let name):
            let d = stubDim!
            stubHeader = codebook.label(of: name) ?? Bilingual(name)
            let dim = cube.dimensions[d]
            let codes = shownCodes(cube, dimension: d, withTotal: false)
            let totalCode = dim.index(of: "_T")
            for (b, kab) in areas.kabupatens.enumerated() {
                let slot = areas.slot(AreaRef(.kabupaten, b))
                if areas.kabupatens.count > 1 { rows.append(DisplayRow(label: kabupatenName(kab.code), kind: .heading, cells: [])) }
                for c in codes {
                    rows.append(DisplayRow(label: label(dimension: dim, code: c), kind: .detail, level: areas.kabupatens.count > 1 ? 1 : 0,
                                           cells: cells(slot: slot, stubCode: c)))
                }
                if let totalCode { rows.append(DisplayRow(label: .total, kind: .total, cells: cells(slot: slot, stubCode: totalCode))) }
            }
        }
        let section = report.sections.first { $0.id == spec.section }?.title ?? Bilingual(spec.section)
        var table = DisplayTable(id: spec.id, number: spec.number, title: titleWithArea(spec.title), stubHeader: stubHeader,
                                 columns: columns, rows: rows, notes: spec.notes, source: report.source, section: section,
                                 twin: cube.table == spec.id ? nil : cube.table)
        if case .desa = spec.stub { table.villageStub = true }
        return table
    }

    /// BPS titles name the area: "…, Kabupaten Muaro Jambi" / "…, Muaro Jambi Regency".
    public func titleWithArea(_ t: Bilingual) -> Bilingual {
        guard report.kabupatenNames.count == 1, let name = report.kabupatenNames.values.first else { return t }
        return Bilingual(id: "\(t.id) di \(name.id)", en: "\(t.en), \(name.en)")
    }

    public func kabupatenName(_ code: String) -> Bilingual {
        report.kabupatenNames[code] ?? Bilingual(id: "Kabupaten \(code)", en: "Regency \(code)")
    }

    func kabupatenTotalLabel(_ code: String) -> Bilingual {
        let n = kabupatenName(code)
        return Bilingual(id: "Jumlah \(n.id)", en: "Total \(n.en)")
    }

    public func label(dimension: CubeDimension, code: Int) -> Bilingual {
        let c = dimension.codes[code]
        if c == "_T" { return .total }
        if let extra = extraLabels[dimension.id]?[c] { return extra }
        let cats = codebook.categories(of: dimension.id)
        if c == "_Z" { return cats?.missing ?? .notStated }
        return cats?.values.first { $0.code == c }?.label ?? Bilingual(c)
    }

    /// Codes shown for a dimension: its categories, `_Z` only when some area has a non-zero value there
    /// (clean data shows no empty "not stated" column), and `_T` when asked and present.
    func shownCodes(_ cube: ResultCube, dimension d: Int, withTotal: Bool) -> [Int] {
        let dim = cube.dimensions[d]
        return dim.codes.indices.filter { i in
            switch dim.codes[i] {
            case "_Z": return hasNonZero(cube, dimension: d, code: i)
            case "_T": return withTotal
            default: return true
            }
        }
    }

    /// Whether any area has a non-zero first measure where `dimension` takes `code` (to hide empty `_Z` columns).
    func hasNonZero(_ cube: ResultCube, dimension: Int, code: Int) -> Bool {
        for slot in 0..<cube.areas.slotCount {
            for c in 0..<cube.cellsPerArea where cube.codes(ofCell: c)[dimension] == code {
                // A confidential cell (x) counts as non-zero: hiding its column would hide the x.
                if let cell = cube[slot: slot, cell: c, measure: 0], cell.status == .confidential || (cell.value ?? 0) != 0 { return true }
            }
        }
        return false
    }
}
