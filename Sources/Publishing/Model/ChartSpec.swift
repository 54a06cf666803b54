import Profile
import Tabulation

/// A chart as the renderers see it: bars already read from the protected cubes, labels resolved. Like a
/// `DisplayTable`, it is built once per run and laid out by every renderer (inline SVG in the HTML report, a native
/// chart in the workbook), so the formats cannot disagree.
///
/// Every series holds one point per category, in category order. A point is drawn only when its status is `.value`
/// and it has a finite value: a confidential (`x`) or not-applicable (`…`) point is left out — no bar, its symbol
/// printed instead — never drawn as zero.
public struct ChartSpec: Sendable, Hashable {
    /// How the series are laid out.
    public enum Layout: String, Sendable, Hashable {
        /// One panel per series, each a horizontal bar chart over the categories (small multiples): readable on a
        /// phone, where one grouped chart with many series would not be.
        case smallMultiples
    }

    public struct Series: Sendable, Hashable {
        /// Code of the series, e.g. the programme `PKH`.
        public var id: String
        public var label: Bilingual
        /// One point per category; `DisplayCell` carries the same value + status as a table cell.
        public var points: [DisplayCell]
        public init(id: String, label: Bilingual, points: [DisplayCell]) {
            self.id = id; self.label = label; self.points = points
        }
    }

    /// Stable id, used for element ids and the workbook's chart data block.
    public var id: String
    /// Figure number, e.g. "6.1" (shown as "Gambar 6.1" / "Figure 6.1").
    public var number: String
    public var title: Bilingual
    /// What the bars measure, with unit, e.g. "Cakupan (%)" / "Coverage (%)".
    public var valueLabel: Bilingual
    /// The stub of the categories, e.g. "Kecamatan" / "Subdistrict".
    public var categoryLabel: Bilingual
    public var categories: [Bilingual]
    public var series: [Series]
    public var style: NumberStyle
    /// Fixed end of the value axis (100 for percentages); nil = from the data.
    public var maximum: Double?
    public var layout: Layout
    /// The display table holding the same numbers (the chart's data table), and the CSV twin they come from.
    public var tableID: String
    public var twin: String
    public var notes: [Bilingual]
    public var source: Bilingual

    public init(id: String, number: String, title: Bilingual, valueLabel: Bilingual, categoryLabel: Bilingual,
                categories: [Bilingual], series: [Series], style: NumberStyle = .decimal(1), maximum: Double? = nil,
                layout: Layout = .smallMultiples, tableID: String, twin: String, notes: [Bilingual] = [],
                source: Bilingual) {
        self.id = id; self.number = number; self.title = title; self.valueLabel = valueLabel
        self.categoryLabel = categoryLabel; self.categories = categories; self.series = series; self.style = style
        self.maximum = maximum; self.layout = layout; self.tableID = tableID; self.twin = twin; self.notes = notes
        self.source = source
    }

    /// Whether a point is drawn (a published finite number); everything else is left out of the chart.
    public static func isDrawn(_ point: DisplayCell) -> Bool {
        point.status == .value && (point.value?.isFinite ?? false)
    }

    /// The end of the value axis: `maximum`, else the largest drawn value rounded up to a "nice" number.
    public var axisMaximum: Double {
        if let maximum { return maximum }
        let largest = series.flatMap(\.points).filter(Self.isDrawn).compactMap(\.value).max() ?? 0
        return Self.niceCeiling(largest)
    }

    /// 1, 2, 2.5 or 5 × 10^k at or above `v` (at least 1).
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 1 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= v { magnitude *= 10 }
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= v { return step * magnitude }
        return 10 * magnitude
    }

    /// Gridline positions: four equal steps from 0 to `axisMaximum`.
    public var ticks: [Double] {
        let top = axisMaximum
        return (0...4).map { top * Double($0) / 4 }
    }
}
