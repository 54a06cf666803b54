import Profile

/// Which language(s) presentation outputs use. `both` puts Indonesian first and English after a slash
/// or on the line beneath, as BPS publications do.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case id, en, both
}

/// A line of the record accounting shown at the end of every report: every input record is tabulated or
/// excluded with a reason.
public struct AccountingLine: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case read, tabulated, excluded, warning }
    /// Input file the line is about, e.g. `anggota.csv`.
    public var file: String
    public var kind: Kind
    public var label: Bilingual
    public var count: Int
    public init(file: String, kind: Kind, label: Bilingual, count: Int) {
        self.file = file; self.kind = kind; self.label = label; self.count = count
    }
}

/// A headline number shown first in the HTML report ("key figures"), already computed by the engine.
public struct KeyFigure: Sendable, Hashable {
    public var label: Bilingual
    public var value: Double
    public var style: NumberStyle
    public init(label: Bilingual, value: Double, style: NumberStyle) { self.label = label; self.value = value; self.style = style }
}

/// A group of tables with a heading, e.g. "Kependudukan / Population".
public struct ReportSection: Sendable, Hashable {
    public var id: String
    public var title: Bilingual
    public var tables: [DisplayTable]
    public init(id: String, title: Bilingual, tables: [DisplayTable]) { self.id = id; self.title = title; self.tables = tables }
}

/// Everything a renderer needs for one report, in presentation order. Built once per run and language;
/// every renderer (Excel, Markdown, HTML) lays out this same value, so the formats cannot disagree.
public struct ReportDocument: Sendable, Hashable {
    public var title: Bilingual
    /// E.g. "Kabupaten Muaro Jambi — Registrasi Sosial Ekonomi 2022".
    public var subtitle: Bilingual
    public var keyFigures: [KeyFigure]
    public var sections: [ReportSection]
    public var accounting: [AccountingLine]
    /// General notes (symbols, definitions) shown once, after the tables.
    public var notes: [Bilingual]
    public var source: Bilingual
    public var language: Language
    /// Short provenance line, e.g. "regtab 0.1.0 · spec 3f2a9c1 · data 8be01d2". Never a timestamp.
    public var provenance: String
    /// Charts of the report (inline SVG in the HTML, native charts in the workbook), each placed after the table
    /// whose numbers it draws (`ChartSpec.tableID`).
    public var charts: [ChartSpec]
    /// The one-page Forkopimda briefing (`briefing.html`, the workbook's "Ringkasan-Briefing" sheet); nil = none.
    public var briefing: Briefing?
    /// Maps (`MapSet`, with `--boundaries`): the HTML fragments of the report's maps and of the briefing's small map,
    /// built and escaped by `MapHTML`; empty = no maps.
    public var mapsHTML = ""
    public var briefingMapHTML = ""

    public init(title: Bilingual, subtitle: Bilingual, keyFigures: [KeyFigure] = [], sections: [ReportSection],
                accounting: [AccountingLine], notes: [Bilingual] = [], source: Bilingual, language: Language,
                provenance: String, charts: [ChartSpec] = [], briefing: Briefing? = nil) {
        self.title = title; self.subtitle = subtitle; self.keyFigures = keyFigures; self.sections = sections
        self.accounting = accounting; self.notes = notes; self.source = source; self.language = language
        self.provenance = provenance; self.charts = charts; self.briefing = briefing
    }

    public var allTables: [DisplayTable] { sections.flatMap(\.tables) }
}
