/// The unit a table counts.
public enum TableUnit: String, Sendable, Hashable, Codable {
    /// Current family members (contract §2).
    case person
    case family
}

/// What a measure computes in every cell.
public enum MeasureKind: Sendable, Hashable {
    /// Number of units in the cell.
    case count
    /// Number of (tabulated) families in the area; defined only where every dimension is `_T`.
    case families
    /// count ÷ count at this dimension's `_T` × 100 (a distribution over that dimension).
    case percentOver(String)
    /// Sum of a number variable over the units in the cell.
    case sum(String)
    /// Mean of a number variable over the units in the cell with a value.
    case mean(String)
    /// Computed by a specialised engine part (targeting, duplicates); shown with `decimals` decimals.
    case computed(decimals: Int)
}

public struct MeasureSpec: Sendable, Hashable {
    public var id: String
    public var kind: MeasureKind
    public var label: Bilingual
    public init(id: String, kind: MeasureKind, label: Bilingual) { self.id = id; self.kind = kind; self.label = label }
}

/// A block of columns of the presentation table: one measure, spread over zero, one or two dimensions.
public struct ColumnBlock: Sendable, Hashable {
    public var measure: String
    public var by: [String]
    /// Whether the block shows the `_T` column(s) of its dimensions.
    public var total: Bool
    /// Codes fixed for dimensions that are neither in `by` nor the stub (default: their `_T`).
    public var fixed: [String: String]
    public init(measure: String, by: [String], total: Bool = true, fixed: [String: String] = [:]) {
        self.measure = measure; self.by = by; self.total = total; self.fixed = fixed
    }
}

/// The rows of a presentation table.
public enum StubSpec: Sendable, Hashable {
    /// Villages under kecamatan headings, with kecamatan subtotals and the kabupaten total.
    case desa
    /// Kecamatan rows and the kabupaten total.
    case kecamatan
    /// The codes of a dimension as rows, for the kabupaten.
    case dimension(String)
}

/// One table of the report definition (`tables.yml`).
public struct TableSpec: Sendable, Hashable {
    public var id: String
    public var number: String
    public var section: String
    public var title: Bilingual
    public var unit: TableUnit
    /// A rule every counted unit satisfies (nil = all units).
    public var universe: String?
    public var dimensions: [String]
    public var measures: [MeasureSpec]
    public var stub: StubSpec
    public var columns: [ColumnBlock]
    public var notes: [Bilingual]
    /// Disclosure control of this table (`protect`, `publish_levels`, `protection` in `tables.yml`);
    /// empty = the report-wide rule, every area level published.
    public var protection = TableProtectionSpec()

    public init(id: String, number: String, section: String, title: Bilingual, unit: TableUnit, universe: String? = nil,
                dimensions: [String], measures: [MeasureSpec], stub: StubSpec, columns: [ColumnBlock], notes: [Bilingual] = []) {
        self.id = id; self.number = number; self.section = section; self.title = title; self.unit = unit
        self.universe = universe; self.dimensions = dimensions; self.measures = measures; self.stub = stub
        self.columns = columns; self.notes = notes
    }
}
