import Microdata
import Profile

/// The HTML around a choropleth: caption, the SVG, an HTML legend (text scales with the page, unlike text inside
/// a shrunk SVG), notes, and the table behind the map for screen readers and anyone who wants the numbers.
/// Data text is escaped here (the fragment goes into the page as it is).
public enum MapHTML {
    static func escape(_ s: String) -> String {
        // Most text (numbers, codes, labels) has nothing to escape.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") })
        else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func valueText(_ v: FigureValue?, style: NumberStyle, language: Language) -> String {
        NumberFormatting.format((v ?? .notAvailable).displayCell, style: style, language: language)
    }

    static func cellHTML(_ v: FigureValue?, style: NumberStyle, language: Language) -> String {
        let cell = (v ?? .notAvailable).displayCell
        let text = NumberFormatting.format(cell, style: style, language: language)
        guard CellSymbols.symbol(for: cell) != nil, let meaning = CellSymbols.meaning(of: text) else { return escape(text) }
        return "<abbr title=\"\(escape(LabelText.line(meaning, language)))\">\(escape(text))</abbr>"
    }

    static func label(_ b: Bilingual, _ language: Language) -> String {
        let (primary, secondary) = LabelText.parts(b, language)
        return escape(primary) + (secondary.map { " <span lang=\"en\" class=\"en\">\(escape($0))</span>" } ?? "")
    }

    /// A class limit: zero as "0" (the table dash would read as a range sign in "- – 13,6").
    static func number(_ v: Double, _ style: NumberStyle, _ language: Language) -> String {
        v == 0 ? "0" : NumberFormatting.format(v, style: style, language: language)
    }

    /// Legend items: the classes (colour and range), then the hatch and the grey.
    static func legend(_ layer: MapLayer, language: Language) -> String {
        let limits = layer.classLimits(), colours = Choropleth.colours(limits.count)
        let low = layer.values.values.compactMap(\.number).min() ?? 0
        var out = "<ul class=\"map-legend\">"
        for (i, limit) in limits.enumerated() {
            let from = i == 0 ? low : limits[i - 1]
            let range = from == limit ? number(limit, layer.style, language) : "\(number(from, layer.style, language)) – \(number(limit, layer.style, language))"
            out += "<li><span class=\"swatch\" style=\"background:\(colours[i])\"></span>\(escape(range))</li>"
        }
        out += "<li><span class=\"swatch hatch\"></span>x \(label(Bilingual(id: "dirahasiakan", en: "confidential"), language))</li>"
        out += "<li><span class=\"swatch\" style=\"background:\(Choropleth.notAvailableFill)\"></span>… \(label(Bilingual(id: "tidak tersedia", en: "not available"), language))</li>"
        return out + "</ul>"
    }

    static func classesNote(_ layer: MapLayer) -> Bilingual {
        let n = layer.classLimits().count
        return Bilingual(id: "Kelas kuantil: \(n) kelas dengan jumlah desa yang kira-kira sama (batas atas termasuk dalam kelas).",
                         en: "Quantile classes: \(n) classes of about equal numbers of villages (upper limit included).")
    }

    /// The whole figure for the report or the briefing. `compact` (the briefing) leaves out the table and notes
    /// other than the illustrative label.
    public static func figure(_ layer: MapLayer, maps: MapSet, language: Language, idPrefix: String, compact: Bool = false) -> String {
        let areas = maps.areas
        let caption = label(layer.title, language)
        var out = "<figure class=\"map\(compact ? " map-compact" : "")\" id=\"\(idPrefix)\"><figcaption>\(caption)</figcaption>"
        let describe = compact ? LabelText.line(Bilingual(id: "Peta desa; angkanya ada di laporan lengkap.", en: "Map of the villages; its numbers are in the full report."), language)
            : LabelText.line(Bilingual(id: "Peta desa; tabel angkanya ada di bawah peta.", en: "Map of the villages; the table of its numbers follows the map."), language)
        out += Choropleth.svg(layer, topology: maps.topology, areas: areas, language: language, idPrefix: idPrefix,
                              illustrative: maps.illustrative, description: describe)
        out += legend(layer, language: language)
        // The briefing keeps the classes and the illustrative label; the definition is in the full report.
        var notes = compact ? [classesNote(layer)] : [layer.definition, classesNote(layer)]
        if maps.illustrative { notes.append(Choropleth.illustrativeLabel) }
        if !compact { notes += maps.problems }
        out += notes.map { "<p class=\"map-note\">\(label($0, language))</p>" }.joined()
        if !compact { out += table(layer, maps: maps, language: language) }
        return out + "</figure>"
    }

    /// The map's numbers as a table: kecamatan, village, figure, class.
    static func table(_ layer: MapLayer, maps: MapSet, language: Language) -> String {
        let areas = maps.areas, limits = layer.classLimits()
        var out = "<details class=\"map-table\"><summary>\(label(Bilingual(id: "Tabel angka peta", en: "Table of the map's numbers"), language))</summary>"
        out += "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">\(label(Bilingual(id: "Kecamatan", en: "Subdistrict"), language))</th>"
        out += "<th scope=\"col\">\(label(Bilingual(id: "Desa/Kelurahan", en: "Village"), language))</th>"
        out += "<th scope=\"col\" class=\"num\">\(label(layer.title, language))</th><th scope=\"col\" class=\"num\">\(label(Bilingual(id: "Kelas", en: "Class"), language))</th></tr></thead><tbody>"
        for (v, village) in areas.villages.enumerated() {
            let value = layer.values[v]
            let cls = value?.number.flatMap { Choropleth.classIndex($0, limits) }.map { String($0 + 1) } ?? ""
            out += "<tr><td>\(escape(areas.kecamatans[village.kecamatan].name))</td><th scope=\"row\">\(escape(village.name))</th>"
            out += "<td class=\"num\">\(cellHTML(value, style: layer.style, language: language))</td><td class=\"num\">\(cls)</td></tr>"
        }
        return out + "</tbody></table></div></details>"
    }
}
