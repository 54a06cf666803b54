import Foundation
import Yams

/// The look of `report.xlsx`, read at run time from `Templates/excel/layout.yml` so an office can restyle the workbook
/// (fonts, sizes, fills, header colours, column widths, chart colours) without rebuilding regtab.
///
/// Every key is optional: a missing key keeps the built-in value, and the built-in values are exactly the look the
/// workbook had before the file existed (`ExcelLayout.standard`). Colours are RGB hex, `"1F4E79"` or `"#1F4E79"`;
/// `none` (or leaving the key out) means no colour. An unknown key is an error that names the file and the key, so a
/// typo does not silently do nothing.
public struct ExcelLayout: Sendable, Hashable {
    /// A text style: every field optional, nil = the workbook default (or the built-in style of that element).
    public struct Text: Sendable, Hashable {
        public var size: Double?
        public var bold: Bool?
        public var italic: Bool?
        public var color: UInt32?
        /// Background fill (solid).
        public var fill: UInt32?
        public init(size: Double? = nil, bold: Bool? = nil, italic: Bool? = nil, color: UInt32? = nil, fill: UInt32? = nil) {
            self.size = size; self.bold = bold; self.italic = italic; self.color = color; self.fill = fill
        }
    }

    public struct Range: Sendable, Hashable {
        public var min: Double
        public var max: Double
        public init(min: Double, max: Double) { self.min = min; self.max = max }
    }

    /// Workbook font for every cell; nil = libxlsxwriter's default (Calibri 11).
    public var fontName: String?
    public var fontSize: Double?
    /// Report title on the cover, the notes and the briefing sheet.
    public var title = Text(size: 14, bold: true)
    /// Subtitle (area and period) on the cover and the briefing sheet.
    public var subtitle = Text(size: 12)
    /// Table title above each table (number + title).
    public var tableTitle = Text(size: 12, bold: true)
    /// Column header cells (stub header, spanners, leaf labels) and the header rows of small tables.
    public var header = Text(bold: true)
    /// Kecamatan subtotal and heading rows, and the regency total row.
    public var subtotal = Text(bold: true)
    public var total = Text(bold: true)
    /// Provenance and other secondary lines.
    public var muted = Text(italic: true, color: 0x595959)
    /// Height of one header text line in points (wrapped header rows get one per line).
    public var headerLineHeight = 15.0
    /// Column widths in Excel character units.
    public var stubWidth = Range(min: 12, max: 60)
    public var valueWidth = Range(min: 9, max: 24)
    public var contentsTitleWidth = 90.0
    /// Native charts: bar colour and the size of one chart in pixels, charts per row on the chart sheet.
    public var chartBar: UInt32 = 0x0B4F8A
    public var chartHighlight: UInt32 = 0xB35900
    public var chartWidth = 480
    public var chartHeight = 320
    public var chartsPerRow = 2

    public init() {}

    /// Today's look: what the workbook looks like without a layout file.
    public static let standard = ExcelLayout()

    /// Reads `path`; a missing file gives `standard`.
    public static func load(path: String) throws -> ExcelLayout {
        guard FileManager.default.fileExists(atPath: path) else { return .standard }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PublishingError.templateInvalid(file: path, message: "\(error)")
        }
        return try parse(text, file: path)
    }

    static func parse(_ source: String, file: String) throws -> ExcelLayout {
        func fail(_ message: String) -> PublishingError { .templateInvalid(file: file, message: message) }
        let loaded: Any?
        do { loaded = try Yams.load(yaml: source) } catch { throw fail("not valid YAML: \(error)") }
        guard let loaded else { return .standard }
        guard let root = loaded as? [String: Any] else { throw fail("expected a mapping at the top level") }
        var layout = ExcelLayout()

        func map(_ value: Any, _ path: String, keys: Set<String>) throws -> [String: Any] {
            // A key with nothing under it (all children commented out) is an empty mapping.
            if value is NSNull { return [:] }
            guard let m = value as? [String: Any] else { throw fail("\(path): expected a mapping") }
            if let unknown = m.keys.filter({ !keys.contains($0) }).sorted().first {
                throw fail("\(path).\(unknown): unknown key (known: \(keys.sorted().joined(separator: ", ")))")
            }
            return m
        }
        func number(_ value: Any, _ path: String) throws -> Double {
            if let i = value as? Int { return Double(i) }
            if let d = value as? Double, d.isFinite { return d }
            throw fail("\(path): expected a number, found '\(value)'")
        }
        func bool(_ value: Any, _ path: String) throws -> Bool {
            guard let b = value as? Bool else { throw fail("\(path): expected true or false, found '\(value)'") }
            return b
        }
        func colour(_ value: Any, _ path: String) throws -> UInt32? {
            var s = "\(value)".trimmingCharacters(in: .whitespaces)
            if s.lowercased() == "none" || s.isEmpty { return nil }
            if s.hasPrefix("#") { s.removeFirst() }
            // YAML reads 000000 or 595959 as a number: take its decimal digits back as hex text.
            if let i = value as? Int { s = String(i).leftPadded(6) }
            guard s.count == 6, let rgb = UInt32(s, radix: 16) else { throw fail("\(path): expected an RGB colour like \"1F4E79\" or none, found '\(value)'") }
            return rgb
        }
        func text(_ value: Any, _ path: String, into t: inout Text) throws {
            let m = try map(value, path, keys: ["size", "bold", "italic", "color", "fill"])
            if let v = m["size"] { t.size = try number(v, path + ".size") }
            if let v = m["bold"] { t.bold = try bool(v, path + ".bold") }
            if let v = m["italic"] { t.italic = try bool(v, path + ".italic") }
            if let v = m["color"] { t.color = try colour(v, path + ".color") }
            if let v = m["fill"] { t.fill = try colour(v, path + ".fill") }
        }
        func range(_ value: Any, _ path: String, into r: inout Range) throws {
            let m = try map(value, path, keys: ["min", "max"])
            if let v = m["min"] { r.min = try number(v, path + ".min") }
            if let v = m["max"] { r.max = try number(v, path + ".max") }
            guard r.min > 0, r.max >= r.min else { throw fail("\(path): expected 0 < min ≤ max") }
        }

        let top = try map(root, "layout", keys: ["font", "title", "subtitle", "table_title", "header", "subtotal_row",
                                                 "total_row", "muted", "header_line_height", "column_widths", "charts"])
        if let v = top["font"] {
            let m = try map(v, "font", keys: ["name", "size"])
            if let name = m["name"] { layout.fontName = "\(name)" }
            if let size = m["size"] { layout.fontSize = try number(size, "font.size") }
        }
        if let v = top["title"] { try text(v, "title", into: &layout.title) }
        if let v = top["subtitle"] { try text(v, "subtitle", into: &layout.subtitle) }
        if let v = top["table_title"] { try text(v, "table_title", into: &layout.tableTitle) }
        if let v = top["header"] { try text(v, "header", into: &layout.header) }
        if let v = top["subtotal_row"] { try text(v, "subtotal_row", into: &layout.subtotal) }
        if let v = top["total_row"] { try text(v, "total_row", into: &layout.total) }
        if let v = top["muted"] { try text(v, "muted", into: &layout.muted) }
        if let v = top["header_line_height"] { layout.headerLineHeight = try number(v, "header_line_height") }
        if let v = top["column_widths"] {
            let m = try map(v, "column_widths", keys: ["stub", "value", "contents_title"])
            if let s = m["stub"] { try range(s, "column_widths.stub", into: &layout.stubWidth) }
            if let s = m["value"] { try range(s, "column_widths.value", into: &layout.valueWidth) }
            if let s = m["contents_title"] { layout.contentsTitleWidth = try number(s, "column_widths.contents_title") }
        }
        if let v = top["charts"] {
            let m = try map(v, "charts", keys: ["bar", "highlight", "width", "height", "per_row"])
            if let c = m["bar"] { layout.chartBar = try colour(c, "charts.bar") ?? layout.chartBar }
            if let c = m["highlight"] { layout.chartHighlight = try colour(c, "charts.highlight") ?? layout.chartHighlight }
            if let w = m["width"] { layout.chartWidth = max(120, Int(try number(w, "charts.width"))) }
            if let h = m["height"] { layout.chartHeight = max(120, Int(try number(h, "charts.height"))) }
            if let n = m["per_row"] { layout.chartsPerRow = max(1, Int(try number(n, "charts.per_row"))) }
        }
        return layout
    }

    /// `style` with this element's text settings applied on top (a nil field keeps what `style` has).
    func apply(_ text: Text, to style: XlsxStyle) -> XlsxStyle {
        var s = style
        if let v = text.size { s.fontSize = v }
        if let v = text.bold { s.bold = v }
        if let v = text.italic { s.italic = v }
        if let v = text.color { s.color = v }
        if let v = text.fill { s.fill = v }
        return s
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
