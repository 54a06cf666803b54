import Profile

/// The village's population pyramid as inline SVG: men to the left, women to the right, one bar per age group,
/// youngest at the bottom. The bars carry no numbers (they are in the table beside it, the pyramid's text
/// alternative); a confidential count is drawn as a hatched stub.
enum PopulationPyramid {
    /// `rows`: age group label and the two counts (men, women), youngest first.
    static func svg(rows: [(label: String, men: FigureValue, women: FigureValue)], idPrefix: String, title: String,
                    menLabel: String, womenLabel: String) -> String {
        let barHeight = 11, gap = 2, labelWidth = 46, half = 130, top = 16
        let width = 2 * half + labelWidth, height = top + rows.count * (barHeight + gap) + 4
        let largest = max(1, rows.flatMap { [$0.men.number ?? 0, $0.women.number ?? 0] }.max() ?? 1)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pyramid\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(idPrefix)-t\">"
        out += "<title id=\"\(idPrefix)-t\">\(MapHTML.escape(title))</title>"
        out += "<defs><pattern id=\"\(idPrefix)-hatch\" patternUnits=\"userSpaceOnUse\" width=\"4\" height=\"4\" patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#ffffff\"/><rect width=\"1.5\" height=\"4\" fill=\"#737373\"/></pattern></defs>"
        out += "<text x=\"\(half - 4)\" y=\"11\" text-anchor=\"end\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#1a1a1a\">\(MapHTML.escape(menLabel))</text>"
        out += "<text x=\"\(half + labelWidth + 4)\" y=\"11\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#1a1a1a\">\(MapHTML.escape(womenLabel))</text>"
        for (i, row) in rows.reversed().enumerated() {
            let y = top + i * (barHeight + gap)
            func bar(_ v: FigureValue, left: Bool, colour: String) -> String {
                let length: Double
                let fill: String
                switch v {
                case .value(let n): length = n / largest * Double(half - 4); fill = colour
                case .confidential: length = 10; fill = "url(#\(idPrefix)-hatch)"
                case .notAvailable: return ""
                }
                let x = left ? Double(half) - length : Double(half + labelWidth)
                return "<rect x=\"\(fmt(x))\" y=\"\(y)\" width=\"\(fmt(length))\" height=\"\(barHeight)\" fill=\"\(fill)\"/>"
            }
            out += bar(row.men, left: true, colour: "#3b528b") + bar(row.women, left: false, colour: "#21918c")
            out += "<text x=\"\(half + labelWidth / 2)\" y=\"\(y + barHeight - 2)\" text-anchor=\"middle\" font-size=\"9\" font-family=\"sans-serif\" fill=\"#1a1a1a\">\(MapHTML.escape(row.label))</text>"
        }
        return out + "</svg>"
    }

    static func fmt(_ v: Double) -> String { String(Double(Int((v * 10).rounded())) / 10) }
}
