import Microdata
import Profile

/// One choropleth: a figure per village drawn over the topology.
public struct MapLayer: Sendable {
    public var id: String
    public var title: Bilingual
    /// How the figure is defined (shown under the map).
    public var definition: Bilingual
    public var style: NumberStyle
    /// Per village index.
    public var values: [Int: FigureValue]
    public init(id: String, title: Bilingual, definition: Bilingual, style: NumberStyle, values: [Int: FigureValue]) {
        self.id = id; self.title = title; self.definition = definition; self.style = style; self.values = values
    }

    /// Quantile classes of the published values: upper limits, strictly increasing, at most `count` of them
    /// (fewer when values repeat). Class i holds the values in (limit[i-1], limit[i]]; the first starts at the minimum.
    /// Limits are values of villages (nearest rank), so every number in a legend is a village's figure.
    public func classLimits(count: Int = 5) -> [Double] {
        let sorted = values.values.compactMap(\.number).sorted()
        guard !sorted.isEmpty else { return [] }
        var limits: [Double] = []
        for i in 1...count {
            let rank = Int((Double(i * sorted.count) / Double(count)).rounded(.up)) - 1
            let v = sorted[max(0, min(sorted.count - 1, rank))]
            if limits.last.map({ v > $0 }) ?? true { limits.append(v) }
        }
        return limits
    }
}

/// Draws choropleths as inline SVG with an HTML legend, notes and the table behind the map (the text alternative).
/// No script, no network: one self-contained fragment per map.
///
/// Colours: viridis in five steps, light to dark — readable with every common colour-vision deficiency and in
/// greyscale print. Confidential figures (x) are hatched; figures not available (…) are plain light grey.
public enum Choropleth {
    public static let palette = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
    static let notAvailableFill = "#d9d9d9"

    static let illustrativeLabel = Bilingual(id: "Batas wilayah ilustratif, bukan batas resmi", en: "Illustrative boundaries, not official ones")

    /// The class of a value (index into the limits), or nil.
    static func classIndex(_ v: Double, _ limits: [Double]) -> Int? { limits.firstIndex { v <= $0 } ?? (limits.isEmpty ? nil : limits.count - 1) }

    /// Colours of `n` classes: spread over the palette so that 3 classes use light, middle and dark.
    static func colours(_ n: Int) -> [String] {
        guard n > 1 else { return n == 1 ? [palette[2]] : [] }
        return (0..<n).map { palette[Int((Double($0) * Double(palette.count - 1) / Double(n - 1)).rounded())] }
    }

    static func fill(_ value: FigureValue?, limits: [Double], colours: [String], hatch: String) -> String {
        switch value {
        case .value(let v)?: return classIndex(v, limits).map { colours[$0] } ?? notAvailableFill
        case .confidential?: return "url(#\(hatch))"
        default: return notAvailableFill
        }
    }

    /// The village shapes with their fills and tooltips, and the outlines: the bulk of a map, the same on every
    /// profile (`VillageProfiles` builds it once and passes it as `group`).
    static func group(_ layer: MapLayer, topology: MapTopology, areas: AreaIndex, language: Language, idPrefix: String) -> String {
        let limits = layer.classLimits(), colours = colours(limits.count)
        let hatch = "\(idPrefix)-hatch"
        let u = Int(MapTopology.unitsPerPixel)
        var out = "<g stroke=\"#ffffff\" stroke-width=\"\(u / 2)\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">"
        for v in topology.villages {
            let village = areas.villages[v]
            let text = MapHTML.valueText(layer.values[v], style: layer.style, language: language)
            out += "<path d=\"\(topology.path(village: v))\" fill=\"\(fill(layer.values[v], limits: limits, colours: colours, hatch: hatch))\">"
            out += "<title>\(MapHTML.escape(village.name)): \(MapHTML.escape(text))</title></path>"
        }
        return out + "</g><path d=\"\(topology.outlinePath())\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"\(u * 3 / 2)\" stroke-linejoin=\"round\"/>"
    }

    /// The SVG alone. `highlight` outlines one village (its profile); `idPrefix` keeps ids unique in a page.
    public static func svg(_ layer: MapLayer, topology: MapTopology, areas: AreaIndex, language: Language, idPrefix: String,
                           highlight: Int? = nil, illustrative: Bool, description: String, group: String? = nil) -> String {
        let hatch = "\(idPrefix)-hatch"
        let u = Int(MapTopology.unitsPerPixel)
        let w = topology.width * u, h = topology.height * u
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"choropleth\" viewBox=\"0 0 \(w) \(h + (illustrative ? 20 * u : 0))\" role=\"img\" aria-labelledby=\"\(idPrefix)-t \(idPrefix)-d\">"
        out += "<title id=\"\(idPrefix)-t\">\(MapHTML.escape(LabelText.line(layer.title, language)))</title>"
        out += "<desc id=\"\(idPrefix)-d\">\(MapHTML.escape(description))</desc>"
        out += "<defs><pattern id=\"\(hatch)\" patternUnits=\"userSpaceOnUse\" width=\"\(6 * u)\" height=\"\(6 * u)\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"\(6 * u)\" height=\"\(6 * u)\" fill=\"#ffffff\"/><rect width=\"\(2 * u)\" height=\"\(6 * u)\" fill=\"#737373\"/></pattern></defs>"
        out += group ?? Self.group(layer, topology: topology, areas: areas, language: language, idPrefix: idPrefix)
        if let highlight, topology.rings[highlight] != nil {
            out += "<path d=\"\(topology.path(village: highlight))\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"\(u * 6)\" stroke-linejoin=\"round\"/>"
            out += "<path d=\"\(topology.path(village: highlight))\" fill=\"none\" stroke=\"#d7301f\" stroke-width=\"\(u * 3)\" stroke-linejoin=\"round\"/>"
        }
        if illustrative {
            out += "<text x=\"\(4 * u)\" y=\"\(h + 16 * u)\" font-size=\"\(13 * u)\" font-family=\"sans-serif\" fill=\"#1a1a1a\">\(MapHTML.escape(LabelText.line(illustrativeLabel, language)))</text>"
        }
        return out + "</svg>"
    }
}
