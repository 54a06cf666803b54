/// Which input file a variable comes from (contract §1).
public enum SourceFile: String, Sendable, Hashable, Codable {
    case keluarga, anggota
    public var fileName: String { rawValue + ".csv" }
}

/// How a variable's values are read and shown.
public enum VariableType: String, Sendable, Hashable, Codable {
    /// Categorical with value labels; `1` and `01` are the same code.
    case code
    /// Integer or decimal quantity.
    case number
    /// Free text (names): read only for restricted lists, never tabulated.
    case text
    /// `YYYY-MM-DD`.
    case date
    /// Identifiers (NIK, No. KK): kept as text, never published.
    case id
}

/// One labelled code of a categorical variable.
public struct ValueLabel: Sendable, Hashable {
    public var code: String
    public var label: Bilingual
}

/// A variable of the input files, as described in `codebook.yml`.
public struct Variable: Sendable, Hashable {
    public var name: String
    public var file: SourceFile
    public var type: VariableType
    public var label: Bilingual
    /// Value labels in display order (numeric codes sorted numerically).
    public var values: [ValueLabel]
    /// Label of the `_Z` category; defaults to "Tidak diketahui / Not stated".
    public var missingLabel: Bilingual
    /// Valid range of a number variable; values outside are treated as not stated.
    public var range: ClosedRange<Double>?
    /// Other column names the variable may have in an input (last year's header, a ministry's
    /// export: `aliases: [R403, nik]`); matched like the name, ignoring case.
    public var aliases: [String] = []
    /// The input column, when it is not named like the variable (a flat export's `jenis_kelamin` read as
    /// `r405`): the definition's tables and rules use the variable's name, the reader the column's.
    public var column: String? = nil
    /// Input codes read as other codes (`L` → 1, `P` → 2), so output code lists stay the same whatever
    /// codes the input uses. Matched ignoring case and surrounding blanks, before the numeric code.
    public var recode: [(from: String, to: Double)] = []

    /// Column names that hold the variable, in the order they are tried.
    public var columnCandidates: [String] { [column ?? name] + aliases }

    public static func == (a: Variable, b: Variable) -> Bool {
        a.name == b.name && a.file == b.file && a.type == b.type && a.label == b.label && a.values == b.values
            && a.missingLabel == b.missingLabel && a.range == b.range && a.aliases == b.aliases && a.column == b.column
            && a.recode.map(\.from) == b.recode.map(\.from) && a.recode.map(\.to) == b.recode.map(\.to)
    }
    public func hash(into h: inout Hasher) { h.combine(name); h.combine(file); h.combine(type); h.combine(column) }
}

/// How a derived variable is computed from the input variables.
public enum Derivation: Sendable, Hashable {
    /// Another name for an input variable (e.g. `age` for `r407`).
    case alias(String)
    /// Cut a number into groups: value v falls in group i when breaks[i] <= v < breaks[i+1];
    /// the last group is open up to `upper` (values above are not stated).
    case bins(of: String, breaks: [Double], codes: [String], upper: Double?)
    /// A condition in the rule language over one record: code "1" when true, "2" otherwise.
    case rule(String)
}

/// A variable computed by regtab, usable in tables and rules like an input variable.
public struct DerivedVariable: Sendable, Hashable {
    public var name: String
    public var scope: SourceFile
    public var label: Bilingual
    public var derivation: Derivation
    public var values: [ValueLabel]
    public var missingLabel: Bilingual
}

public extension Bilingual {
    static let notStated = Bilingual(id: "Tidak diketahui", en: "Not stated")
    static let total = Bilingual(id: "Jumlah", en: "Total")
}

/// The codebook: every input and derived variable the profile knows.
public struct Codebook: Sendable {
    public var variables: [Variable]
    public var derived: [DerivedVariable]
    /// The roles of the input columns (`layout:`); nil only for a codebook read on its own (the import's
    /// check), never in a loaded report definition.
    public var layout: Layout?

    public init(variables: [Variable], derived: [DerivedVariable], layout: Layout? = nil) {
        self.variables = variables; self.derived = derived; self.layout = layout
    }

    public func variable(_ name: String) -> Variable? { variables.first { $0.name == name } }
    public func derivedVariable(_ name: String) -> DerivedVariable? { derived.first { $0.name == name } }

    /// Codes and labels of a categorical (input or derived) variable, or nil if it is not categorical.
    public func categories(of name: String) -> (values: [ValueLabel], missing: Bilingual)? {
        if let v = variable(name), v.type == .code { return (v.values, v.missingLabel) }
        if let d = derivedVariable(name), !d.values.isEmpty { return (d.values, d.missingLabel) }
        return nil
    }

    /// Label of a variable or derived variable.
    public func label(of name: String) -> Bilingual? { variable(name)?.label ?? derivedVariable(name)?.label }

    /// The file a variable or derived variable belongs to.
    public func scope(of name: String) -> SourceFile? {
        if let v = variable(name) { return v.file }
        return derivedVariable(name)?.scope
    }
}
