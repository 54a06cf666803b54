import Profile

/// The one-page Forkopimda briefing: the few numbers the regional leadership forum needs before a meeting, read
/// from the protected cubes (built in `Reporting/Briefing.swift`) and laid out by the renderers as `briefing.html`
/// and the workbook sheet "Ringkasan-Briefing". Renderers only place these values; they never compute.
public struct Briefing: Sendable, Hashable {
    /// A short list of villages, e.g. the ten with the most eligible non-recipients: each row names the village and
    /// its kecamatan, then one cell per column.
    public struct VillageList: Sendable, Hashable {
        public struct Row: Sendable, Hashable {
            public var village: String
            public var kecamatan: String
            public var cells: [DisplayCell]
            public init(village: String, kecamatan: String, cells: [DisplayCell]) {
                self.village = village; self.kecamatan = kecamatan; self.cells = cells
            }
        }
        public var id: String
        public var title: Bilingual
        public var columns: [DisplayColumn]
        public var rows: [Row]
        /// Shown when `rows` is empty ("no village has …").
        public var emptyText: Bilingual
        public var note: Bilingual?
        public init(id: String, title: Bilingual, columns: [DisplayColumn], rows: [Row], emptyText: Bilingual, note: Bilingual? = nil) {
            self.id = id; self.title = title; self.columns = columns; self.rows = rows; self.emptyText = emptyText; self.note = note
        }
    }

    /// A labelled count that may be confidential (shown as x).
    public struct Line: Sendable, Hashable {
        public var label: Bilingual
        public var cell: DisplayCell
        public var style: NumberStyle
        public init(label: Bilingual, cell: DisplayCell, style: NumberStyle = .integer) {
            self.label = label; self.cell = cell; self.style = style
        }
    }

    /// Findings of one kind, each line its own count: audits keep payment problems, linkage quality and registry
    /// quality apart, so the briefing never adds them up (contract §2, rev. 2).
    public struct LineGroup: Sendable, Hashable {
        public var title: Bilingual
        /// What these findings mean, in one plain sentence.
        public var meaning: Bilingual
        public var lines: [Line]
        public init(title: Bilingual, meaning: Bilingual, lines: [Line]) { self.title = title; self.meaning = meaning; self.lines = lines }
    }

    public var title: Bilingual
    /// Area and period, e.g. "Kabupaten Muaro Jambi — Registrasi Sosial Ekonomi (Regsosek) 2022".
    public var subtitle: Bilingual
    /// Population, families, share in desil 1–4 and the like: the cards at the top.
    public var figures: [KeyFigure]
    /// The findings in plain sentences, numbers already in the report's number format.
    public var findings: [Bilingual]
    /// Per programme (rows) coverage and exclusion, roster source, at regency level.
    public var programmes: DisplayTable
    /// Roster findings, regency totals, in groups that are never summed; empty when no roster was supplied.
    public var duplicates: [LineGroup]
    public var topExclusion: VillageList
    /// Nil when no roster was supplied (nothing was measured).
    public var topDuplicates: VillageList?
    /// Definitions a reader needs (what "eligible" and "coverage" mean), shortest first.
    public var notes: [Bilingual]
    public var source: Bilingual
    public var language: Language
    public var provenance: String

    public init(title: Bilingual, subtitle: Bilingual, figures: [KeyFigure], findings: [Bilingual], programmes: DisplayTable,
                duplicates: [LineGroup], topExclusion: VillageList, topDuplicates: VillageList?, notes: [Bilingual],
                source: Bilingual, language: Language, provenance: String) {
        self.title = title; self.subtitle = subtitle; self.figures = figures; self.findings = findings
        self.programmes = programmes; self.duplicates = duplicates; self.topExclusion = topExclusion
        self.topDuplicates = topDuplicates; self.notes = notes; self.source = source; self.language = language
        self.provenance = provenance
    }

    /// Fixed captions of the briefing (kept here so the HTML page and the sheet use the same words).
    public enum Labels {
        public static let sheet = Bilingual(id: "Ringkasan", en: "Briefing")
        public static let title = Bilingual(id: "Ringkasan untuk Forum Koordinasi Pimpinan Daerah (Forkopimda)", en: "Briefing for the Regional Leadership Forum (Forum Koordinasi Pimpinan Daerah, Forkopimda)")
        public static let keyNumbers = Bilingual(id: "Angka utama", en: "Key numbers")
        public static let findings = Bilingual(id: "Temuan utama", en: "Main findings")
        public static let programmes = Bilingual(id: "Cakupan dan kesalahan eksklusi menurut program (daftar penerima)", en: "Coverage and exclusion errors by programme (rosters)")
        public static let programmesRegistry = Bilingual(id: "Cakupan dan kesalahan eksklusi menurut program (pengakuan keluarga)", en: "Coverage and exclusion errors by programme (self-reported)")
        public static let duplicates = Bilingual(id: "Temuan dalam daftar penerima", en: "Findings on the rosters")
        public static let village = Bilingual(id: "Desa/Kelurahan", en: "Village")
        public static let kecamatan = Bilingual(id: "Kecamatan", en: "Subdistrict")
        public static let rank = Bilingual(id: "No.", en: "No.")
        public static let fullReport = Bilingual(id: "Tabel lengkap: report.html dan report.xlsx", en: "Full tables: report.html and report.xlsx")
    }
}
