import Profile
import Tabulation

/// How a number is shown in presentation outputs (the CSV twins always use a plain decimal point).
public enum NumberStyle: Sendable, Hashable {
    /// Whole numbers: 1.234 (Indonesian) / 1,234 (English).
    case integer
    /// Fixed decimals: 12,5 (Indonesian) / 12.5 (English).
    case decimal(Int)
}

/// One body cell as the renderers see it: a value and the status every renderer must respect.
public struct DisplayCell: Sendable, Hashable {
    public var value: Double?
    public var status: CellStatus
    public init(value: Double?, status: CellStatus) { self.value = value; self.status = status }
}

/// A leaf column of the body. `spanners` are the header labels above it, outermost first; renderers merge
/// neighbouring columns whose spanner at the same depth is equal.
public struct DisplayColumn: Sendable, Hashable {
    public var label: Bilingual
    public var spanners: [Bilingual]
    public var style: NumberStyle
    public init(label: Bilingual, spanners: [Bilingual] = [], style: NumberStyle = .integer) {
        self.label = label; self.spanners = spanners; self.style = style
    }
}

/// A stub row. `heading` rows carry no cells (a kecamatan name above its villages);
/// `subtotal` and `total` rows are emphasised by every renderer.
public struct DisplayRow: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case heading, detail, subtotal, total }
    public var label: Bilingual
    public var kind: Kind
    /// Indentation level of the stub label (0 = flush left).
    public var level: Int
    public var cells: [DisplayCell]
    public init(label: Bilingual, kind: Kind, level: Int = 0, cells: [DisplayCell]) {
        self.label = label; self.kind = kind; self.level = level; self.cells = cells
    }
}

/// A table ready to render (gt's "built" table): every label resolved, every cell a value + status.
/// Renderers only lay this out; they never compute.
public struct DisplayTable: Sendable, Hashable {
    /// Stable id, also the name of the CSV twin (`data/<id>.csv`) and of the Excel sheet.
    public var id: String
    /// BPS table number, e.g. "3.1.2".
    public var number: String
    public var title: Bilingual
    /// Unit shown under the title, e.g. "(jiwa)" / "(persons)"; empty when columns carry their own units.
    public var unit: Bilingual?
    public var stubHeader: Bilingual
    public var columns: [DisplayColumn]
    public var rows: [DisplayRow]
    public var notes: [Bilingual]
    public var source: Bilingual
    /// Section of the report the table belongs to (for the contents list).
    public var section: Bilingual
    /// The CSV twin (`data/<twin>.csv`) holding the table's numbers when it is not `id`: several presentation
    /// tables are laid out from one cube (the targeting tables all come from `targeting`).
    public var twin: String?

    public init(id: String, number: String, title: Bilingual, unit: Bilingual? = nil, stubHeader: Bilingual,
                columns: [DisplayColumn], rows: [DisplayRow], notes: [Bilingual] = [], source: Bilingual,
                section: Bilingual, twin: String? = nil) {
        self.id = id; self.number = number; self.title = title; self.unit = unit; self.stubHeader = stubHeader
        self.columns = columns; self.rows = rows; self.notes = notes; self.source = source; self.section = section
        self.twin = twin
    }

    /// The twin's table id: `twin`, else `id`.
    public var twinID: String { twin ?? id }
    /// The stub lists villages under kecamatan headings (`StubSpec.desa`): heading, villages, kecamatan subtotal.
    public var villageStub = false

    /// The table at kecamatan level: each kecamatan's heading, villages and subtotal become one row with the
    /// subtotal's cells under the kecamatan's name, the kabupaten totals stay, `note` is added. Tables without
    /// villages are returned as they are. For report.html over many villages (`ReportSpec.htmlVillageLimit`).
    public func atKecamatanLevel(note: Bilingual) -> DisplayTable {
        guard villageStub else { return self }
        var t = self
        t.rows = []
        var kecamatan: Bilingual? = nil
        for row in rows {
            switch row.kind {
            case .heading: kecamatan = row.label
            case .detail: continue
            case .subtotal:
                t.rows.append(DisplayRow(label: kecamatan ?? row.label, kind: .detail, level: 0, cells: row.cells))
                kecamatan = nil
            case .total: t.rows.append(row)
            }
        }
        t.stubHeader = Bilingual(id: "Kecamatan", en: "Subdistrict")
        t.notes.append(note)
        t.villageStub = false
        return t
    }
}
