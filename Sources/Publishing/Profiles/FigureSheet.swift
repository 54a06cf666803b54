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
    mutating func add(_ key: String, _ formula: FigureFormula?, _ value: FigureValue, style: NumberStyle, language: Language) -> [String: Any] {
        let cell = value.displayCell
        let text = NumberFormatting.format(cell, style: style, language: language)
        let id = "f\(figures.count + 1)"
        let status: String = switch value { case .value: ""; case .confidential: "C"; case .notAvailable: "M" }
        figures.append(Entry(id: id, key: key, text: text, value: value.number, status: status, formula: formula))
        return Self.cellModel(id: id, text: text, cell: cell, language: language)
    }

    mutating func addRank(_ key: String, rank: Int, of: String, among: Int, language: Language) -> [String: Any] {
        let id = "f\(figures.count + 1)"
        let text = NumberFormatting.format(Double(rank), style: .integer, language: language)
        figures.append(Entry(id: id, key: key, text: text, value: Double(rank), status: "", formula: nil, rankOf: of, rankedAmong: among))
        return Self.cellModel(id: id, text: text, cell: DisplayCell(value: Double(rank), status: .value), language: language)
    }

    static func cellModel(id: String, text: String, cell: DisplayCell, language: Language) -> [String: Any] {
        let meaning = CellSymbols.symbol(for: cell) != nil ? CellSymbols.meaning(of: text) : nil
        return ["fig": id, "text": text, "isSymbol": meaning != nil,
                "symbolTitle": meaning.map { LabelText.line($0, language) } ?? ""]
    }

    /// The same cell as HTML (for findings, which are sentences built in Swift).
    static func html(_ cell: [String: Any]) -> String {
        let text = MapHTML.escape(cell["text"] as! String), fig = cell["fig"] as! String
        if cell["isSymbol"] as! Bool {
            return "<abbr data-fig=\"\(fig)\" title=\"\(MapHTML.escape(cell["symbolTitle"] as! String))\">\(text)</abbr>"
        }
        return "<span data-fig=\"\(fig)\">\(text)</span>"
    }
}

extension FigureSheet {
    /// The sheet as JSON, written by hand: Foundation's JSONEncoder took about as long as rendering the pages.
    /// Same keys as the `Codable` form (a `JSONDecoder` reads it back), keys in sorted order, numbers in Swift's
    /// shortest round-trip form, so the bytes are the same on every run.
    public func json() -> String {
        func str(_ s: String) -> String { GeoJSONBoundaries.jsonString(s) }
        func num(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)" }
        func ref(_ r: TwinCellRef) -> String {
            let codes = r.codes.keys.sorted().map { "\(str($0)):\(str(r.codes[$0]!))" }.joined(separator: ",")
            return "{\"area_code\":\(str(r.areaCode)),\"area_level\":\(str(r.areaLevel.rawValue)),\"codes\":{\(codes)},\"measure\":\(str(r.measure)),\"table\":\(str(r.table))}"
        }
        var out = "{\"figures\":[\n"
        for (i, e) in figures.enumerated() {
            var parts: [String] = []
            if let f = e.formula {
                parts.append("\"formula\":{\"denominator\":[\(f.denominator.map(ref).joined(separator: ","))],\"numerator\":[\(f.numerator.map(ref).joined(separator: ","))],\"scale\":\(num(f.scale))}")
            }
            parts.append("\"id\":\(str(e.id))")
            parts.append("\"key\":\(str(e.key))")
            if let r = e.rankOf { parts.append("\"rankOf\":\(str(r))") }
            if let n = e.rankedAmong { parts.append("\"rankedAmong\":\(n)") }
            parts.append("\"status\":\(str(e.status))")
            parts.append("\"text\":\(str(e.text))")
            if let v = e.value { parts.append("\"value\":\(num(v))") }
            out += "{" + parts.joined(separator: ",") + "}" + (i + 1 < figures.count ? ",\n" : "\n")
        }
        out += "],\"mapLayer\":\(mapLayer.map(str) ?? "null"),\"mapLimits\":[\(mapLimits.map(num).joined(separator: ","))],\"village\":\(str(village))}\n"
        return out
    }
}
