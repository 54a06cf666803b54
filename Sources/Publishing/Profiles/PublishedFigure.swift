import Microdata
import Tabulation

/// One cell of a published (protected) table, named the way its CSV twin names it: table, area level and code,
/// dimension codes, measure. Profiles and maps show only figures built from such cells.
public struct TwinCellRef: Sendable, Hashable, Codable {
    public var table: String { didSet { resolved = nil } }
    public var areaLevel: AreaLevel { didSet { resolved = nil } }
    public var areaCode: String { didSet { resolved = nil } }
    /// Dimension id → code, for every dimension of the table.
    public var codes: [String: String] { didSet { resolved = nil } }
    public var measure: String { didSet { resolved = nil } }
    /// Where `PublishedCubes.ref` found the cell, so that evaluating the reference does not look its names up
    /// again (a profile page evaluates about 400): not part of the reference's identity or of its JSON, and
    /// dropped when a name changes.
    var resolved: ResolvedCell?

    enum CodingKeys: String, CodingKey { case table, areaLevel = "area_level", areaCode = "area_code", codes, measure }

    public static func == (a: TwinCellRef, b: TwinCellRef) -> Bool {
        a.table == b.table && a.areaLevel == b.areaLevel && a.areaCode == b.areaCode && a.codes == b.codes && a.measure == b.measure
    }

    public func hash(into h: inout Hasher) {
        h.combine(table); h.combine(areaLevel); h.combine(areaCode); h.combine(codes); h.combine(measure)
    }
}

/// A cell's position in the `PublishedCubes` that named it (`owner`: a position means nothing in another set).
struct ResolvedCell: Sendable {
    let owner: PublishedCubes.Owner
    let cube: Int32, slot: Int32, cell: Int32, measure: Int32
}

/// What a figure on a profile or map shows, and how a reader of the twins gets it back: the sum of `numerator`
/// cells, or, with a `denominator`, their sum over the denominator's sum times `scale` (a share in per cent, a rate
/// per 1,000). Written beside every profile (`profiles/<code>.json`) so the derivation can be checked.
public struct FigureFormula: Sendable, Hashable, Codable {
    public var numerator: [TwinCellRef]
    public var denominator: [TwinCellRef]
    public var scale: Double

    public init(numerator: [TwinCellRef], denominator: [TwinCellRef] = [], scale: Double = 1) {
        self.numerator = numerator; self.denominator = denominator; self.scale = scale
    }
    public static func cell(_ ref: TwinCellRef) -> FigureFormula { FigureFormula(numerator: [ref]) }
}

/// A figure's outcome: a number, or why there is none. A figure with any confidential cell is confidential (it
/// could reveal the hidden cell); with a cell not published, not applicable or a zero denominator it is not available.
public enum FigureValue: Sendable, Hashable {
    case value(Double)
    case confidential
    case notAvailable

    public var number: Double? { if case .value(let v) = self { v } else { nil } }

    public var displayCell: DisplayCell {
        switch self {
        case .value(let v): DisplayCell(value: v, status: .value)
        case .confidential: DisplayCell(value: nil, status: .confidential)
        case .notAvailable: DisplayCell(value: nil, status: .notApplicable)
        }
    }
}

/// The protected cubes by table id, read by profiles and maps. Never the unprotected result.
public struct PublishedCubes: Sendable {
    public let areas: AreaIndex
    /// Kecamatan and kabupaten by code: a figure names its area by code, and a national run has thousands.
    private let kecamatanByCode: [String: Int]
    private let kabupatenByCode: [String: Int]

    /// A cube behind a reference, found through `tableIndex` (the first of a table id): a profile page reads about
    /// 400 cells, and taking a cube out of a dictionary or an array of cubes copied the struct (a retain and release
    /// per field) each time; through a final class its fields and cells are read in place.
    private final class Entry: Sendable {
        let cube: ResultCube
        init(_ cube: ResultCube) { self.cube = cube }

        /// The cell at `area` named by dimension id → code, or nil when a code or the measure does not exist.
        func cell(_ area: AreaRef, codes: [String: String], measure: String) -> Cell? {
            guard let m = cube.measureIndex(measure) else { return nil }
            var i = 0
            for d in cube.dimensions {
                guard let code = codes[d.id], let c = d.index(of: code) else { return nil }
                i = i * d.codes.count + c
            }
            return cube[slot: cube.areas.slot(area), cell: i, measure: m]
        }

        /// The dimension codes named by id, in `cube`'s dimension order, and the cell they give (the flat position
        /// `cell(_:codes:measure:)` computes from the names), or nil when one does not exist.
        func named(_ codes: [String]) -> (codes: [String: String], cell: Int)? {
            guard cube.dimensions.count == codes.count else { return nil }
            var named: [String: String] = [:]
            named.reserveCapacity(codes.count)
            var i = 0
            for (d, code) in codes.enumerated() {
                guard let c = cube.dimensions[d].index(of: code) else { return nil }
                named[cube.dimensions[d].id] = code
                i = i * cube.dimensions[d].codes.count + c
            }
            return (named, i)
        }
    }
    private let list: [Entry]
    private let tableIndex: [String: Int]
    /// The identity of this set of cubes (and its copies), which the positions in its references name.
    final class Owner: Sendable {}
    private let owner = Owner()

    public init(cubes: [ResultCube], areas: AreaIndex) {
        list = cubes.map(Entry.init)
        tableIndex = Dictionary(cubes.enumerated().map { ($1.table, $0) }, uniquingKeysWith: { a, _ in a })
        self.areas = areas
        kecamatanByCode = Dictionary(areas.kecamatans.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        kabupatenByCode = Dictionary(areas.kabupatens.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The cube of `table`, or nil when this run has none.
    public func cube(_ table: String) -> ResultCube? { tableIndex[table].map { list[$0].cube } }

    /// A reference to a cell of `table` at `area`, or nil when the table or a code does not exist in this run.
    public func ref(_ table: String, _ area: AreaRef, _ codes: [String], _ measure: String) -> TwinCellRef? {
        guard let t = tableIndex[table], let m = list[t].cube.measureIndex(measure), let named = list[t].named(codes) else { return nil }
        var r = TwinCellRef(table: table, areaLevel: area.level, areaCode: areas.code(area), codes: named.codes, measure: measure)
        r.resolved = ResolvedCell(owner: owner, cube: Int32(t), slot: Int32(list[t].cube.areas.slot(area)), cell: Int32(named.cell), measure: Int32(m))
        return r
    }

    /// The cell `r` names: at its resolved position when this set made it, else found by its names.
    func cell(_ r: TwinCellRef) -> Cell? {
        if let p = r.resolved, p.owner === owner {
            return list[Int(p.cube)].cube[slot: Int(p.slot), cell: Int(p.cell), measure: Int(p.measure)]
        }
        guard let t = tableIndex[r.table], let area = area(r.areaLevel, r.areaCode) else { return nil }
        return list[t].cell(area, codes: r.codes, measure: r.measure)
    }

    func area(_ level: AreaLevel, _ code: String) -> AreaRef? {
        switch level {
        case .desa: return areas.village(code: code).map { AreaRef(.desa, $0) }
        case .kecamatan: return kecamatanByCode[code].map { AreaRef(.kecamatan, $0) }
        case .kabupaten: return kabupatenByCode[code].map { AreaRef(.kabupaten, $0) }
        }
    }

    public func evaluate(_ f: FigureFormula) -> FigureValue {
        guard !f.numerator.isEmpty else { return .notAvailable }
        // A missing cell makes the figure not available, else a confidential one makes it confidential, else any
        // cell without a value makes it not available.
        var confidential = false, withoutValue = false, missing = false
        func sum(_ refs: [TwinCellRef]) -> Double {
            var total = 0.0
            for r in refs where !missing {
                guard let c = cell(r) else { missing = true; break }
                if c.status == .confidential { confidential = true }
                // Each cell as its twin publishes it, so that a reader of the CSV twins gets exactly the page's figure.
                if c.status == .value, let v = c.value { total += TwinWriter.published(v) } else { withoutValue = true }
            }
            return total
        }
        let num = sum(f.numerator), den = sum(f.denominator)
        if missing { return .notAvailable }
        if confidential { return .confidential }
        if withoutValue { return .notAvailable }
        guard !f.denominator.isEmpty else { return .value(num * f.scale) }
        return den > 0 ? .value(num / den * f.scale) : .notAvailable
    }
}
