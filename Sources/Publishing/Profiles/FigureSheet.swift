import Profile

/// The numbers of one profile page as they are shown, each with the formula it came from. Every number on a
/// profile is registered here and carries its id in the page (`data-fig`), and the sheet is written beside the
/// page (`profiles/<code>.json`): the tests recompute every figure from the CSV twins.
public struct FigureSheet: Sendable, Codable {
    public struct Entry: Sendable, Codable, Hashable {
        public var id: String
        /// Stable meaning of the figure, e.g. `poor_share.desa` (what a reader or a test looks it up by).
        public var key: String
        /// The text shown on the page.
        public var text: String
        /// The number (nil when confidential or not available).
        public var value: Double?
        /// `""` value, `C` confidential, `M` not available (contract §3 `obs_status`).
        public var status: String
        /// Formula over twin cells; nil for a rank.
        public var formula: FigureFormula?
        /// A rank: the key of the ranked figure (its `.desa` figure in every village's sheet) and the number of villages ranked.
        public var rankOf: String?
        public var rankedAmong: Int?
    }
    public var village: String
    public var figures: [Entry] = []
    /// Upper limits of the map's classes (values of villages' `mapLayer` figures).
    public var mapLayer: String?
    public var mapLimits: [Double] = []

    public init(village: String) { self.village = village }

    /// Registers a figure and returns the cell the page shows (`text`, `fig`, symbol fields for the template).
    mutating func add(_ key: String, _ formula: FigureFormula?, _ value: FigureValue, style: NumberStyle, language: Language) -> ProfileHTML.Cell {
        let cell = value.displayCell
        let text = NumberFormatting.format(cell, style: style, language: language)
        let id = "f\(figures.count + 1)"
        let status: String = switch value { case .value: ""; case .confidential: "C"; case .notAvailable: "M" }
        figures.append(Entry(id: id, key: key, text: text, value: value.number, status: status, formula: formula))
        return Self.cellModel(id: id, text: text, cell: cell, language: language)
    }

    mutating func addRank(_ key: String, rank: Int, of: String, among: Int, language: Language) -> ProfileHTML.Cell {
        let id = "f\(figures.count + 1)"
        let text = NumberFormatting.format(Double(rank), style: .integer, language: language)
        figures.append(Entry(id: id, key: key, text: text, value: Double(rank), status: "", formula: nil, rankOf: of, rankedAmong: among))
        return Self.cellModel(id: id, text: text, cell: DisplayCell(value: Double(rank), status: .value), language: language)
    }

    static func cellModel(id: String, text: String, cell: DisplayCell, language: Language) -> ProfileHTML.Cell {
        let meaning = CellSymbols.symbol(for: cell) != nil ? CellSymbols.meaning(of: text) : nil
        return ProfileHTML.Cell(fig: id, text: text, symbolTitle: meaning.map { LabelText.line($0, language) })
    }

    /// The same cell as HTML (for findings, which are sentences built in Swift).
    static func html(_ cell: ProfileHTML.Cell) -> String {
        let text = MapHTML.escape(cell.text)
        if let title = cell.symbolTitle {
            return "<abbr data-fig=\"\(cell.fig)\" title=\"\(MapHTML.escape(title))\">\(text)</abbr>"
        }
        return "<span data-fig=\"\(cell.fig)\">\(text)</span>"
    }
}

extension FigureSheet {
    /// The sheet as JSON, written by hand into bytes: Foundation's JSONEncoder took about as long as rendering
    /// the pages, and string interpolation per cell reference still took a third of a national run's profile
    /// time (issue 19). Same keys as the `Codable` form (a `JSONDecoder` reads it back), keys in sorted order,
    /// numbers in Swift's shortest round-trip form, so the bytes are the same on every run.
    public func json() -> String { String(decoding: jsonBytes(), as: UTF8.self) }

    /// `json()` as UTF-8 bytes, as the profile pages write it (no String made of 61 KB and checked again).
    public func jsonBytes() -> [UInt8] {
        var o = JSONBytes()
        func ref(_ r: TwinCellRef) {
            o.raw("{\"area_code\":"); o.string(r.areaCode)
            o.raw(",\"area_level\":"); o.string(r.areaLevel.rawValue)
            o.raw(",\"codes\":{")
            if r.codes.count == 1, let (key, code) = r.codes.first {
                o.string(key); o.raw(":"); o.string(code)
            } else {
                for (i, key) in r.codes.keys.sorted().enumerated() {
                    if i > 0 { o.raw(",") }
                    o.string(key); o.raw(":"); o.string(r.codes[key]!)
                }
            }
            o.raw("},\"measure\":"); o.string(r.measure)
            o.raw(",\"table\":"); o.string(r.table); o.raw("}")
        }
        func refs(_ list: [TwinCellRef]) {
            for (i, r) in list.enumerated() { if i > 0 { o.raw(",") }; ref(r) }
        }
        o.raw("{\"figures\":[\n")
        for (i, e) in figures.enumerated() {
            o.raw("{")
            if let f = e.formula {
                o.raw("\"formula\":{\"denominator\":["); refs(f.denominator)
                o.raw("],\"numerator\":["); refs(f.numerator)
                o.raw("],\"scale\":"); o.number(f.scale); o.raw("},")
            }
            o.raw("\"id\":"); o.string(e.id)
            o.raw(",\"key\":"); o.string(e.key)
            if let r = e.rankOf { o.raw(",\"rankOf\":"); o.string(r) }
            if let n = e.rankedAmong { o.raw(",\"rankedAmong\":"); o.text(String(n)) }
            o.raw(",\"status\":"); o.string(e.status)
            o.raw(",\"text\":"); o.string(e.text)
            if let v = e.value { o.raw(",\"value\":"); o.number(v) }
            o.raw(i + 1 < figures.count ? "},\n" : "}\n")
        }
        o.raw("],\"mapLayer\":")
        if let layer = mapLayer { o.string(layer) } else { o.raw("null") }
        o.raw(",\"mapLimits\":[")
        for (i, v) in mapLimits.enumerated() { if i > 0 { o.raw(",") }; o.number(v) }
        o.raw("],\"village\":"); o.string(village); o.raw("}\n")
        return o.bytes
    }
}

/// JSON text built as UTF-8 bytes.
struct JSONBytes {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(80_000) }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A JSON string; most (codes, keys, numbers as text) need no escaping: appended as they are, then the
    /// appended bytes checked (and replaced by the escaped form when one needs it).
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        bytes.append(contentsOf: s.utf8)
        let clean = bytes.withUnsafeBufferPointer { !$0[start...].contains(where: GeoJSONBoundaries.needsJSONEscaping) }
        if clean {
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.removeSubrange((start - 1)...)
            text(GeoJSONBoundaries.jsonString(s))
        }
    }

    /// Whole numbers without a decimal point (their digits written directly), others in Swift's shortest
    /// round-trip form (`GeoJSONBoundaries.jsonNumber`).
    mutating func number(_ v: Double) {
        guard TwinWriter.isWhole(v) else { text(GeoJSONBoundaries.jsonNumber(v)); return }
        var n = Int64(v)
        if n < 0 { bytes.append(UInt8(ascii: "-")); n = -n }
        let start = bytes.count
        repeat { bytes.append(UInt8(n % 10) + 48); n /= 10 } while n > 0
        bytes[start...].reverse()
    }
}
