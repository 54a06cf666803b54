import Microdata

/// A dimension of a results cube: its id (the twin's column name) and its codes, in display order.
/// By convention the last codes are `_Z` (not stated) where the dimension has one, then `_T` (total).
public struct CubeDimension: Sendable, Hashable {
    public var id: String
    public var codes: [String]
    public init(id: String, codes: [String]) { self.id = id; self.codes = codes }
    public func index(of code: String) -> Int? { codes.firstIndex(of: code) }
}

/// One cell of a cube: a value and its status. `value` is nil for suppressed and not-applicable cells.
public struct Cell: Sendable, Hashable {
    public var value: Double?
    public var status: CellStatus
    public init(value: Double?, status: CellStatus = .value) { self.value = value; self.status = status }
    public static func number(_ v: Double) -> Cell { Cell(value: v, status: .value) }
    public static let notApplicable = Cell(value: nil, status: .notApplicable)
}

/// The result of one table: area (every level) × dimension codes × measure → cell.
/// Cells that a table does not define (e.g. `families` by sex, which only exists at `r405 = _T`) are absent
/// and appear nowhere. Protection rewrites statuses; publishing only reads.
public struct ResultCube: Sendable {
    public let table: String
    public let dimensions: [CubeDimension]
    public let measures: [String]
    public let areas: AreaIndex
    /// Cells per area = product of the dimension code counts.
    public let cellsPerArea: Int
    private var cells: [Cell?]
    /// Cell key method: per area slot and cell (`slot * cellsPerArea + cell`), the sum mod 2⁶⁴ of the record
    /// keys of the units counted in the cell (`RecordKeys`). Nil when the engine ran without a salt, and for
    /// cubes whose units carry no record keys (targeting). Never published.
    public var cellKeys: [UInt64]?

    public init(table: String, dimensions: [CubeDimension], measures: [String], areas: AreaIndex) {
        self.table = table; self.dimensions = dimensions; self.measures = measures; self.areas = areas
        cellsPerArea = dimensions.reduce(1) { $0 * $1.codes.count }
        cells = Array(repeating: nil, count: areas.slotCount * cellsPerArea * measures.count)
    }

    /// Flat position of the dimension codes (row-major, first dimension outermost).
    public func cellIndex(_ codes: [Int]) -> Int {
        var i = 0
        for (d, c) in codes.enumerated() { i = i * dimensions[d].codes.count + c }
        return i
    }

    /// The code indices of a flat cell position (inverse of `cellIndex`).
    public func codes(ofCell index: Int) -> [Int] {
        var rest = index
        var out = Array(repeating: 0, count: dimensions.count)
        for d in dimensions.indices.reversed() {
            let n = dimensions[d].codes.count
            out[d] = rest % n; rest /= n
        }
        return out
    }

    public func measureIndex(_ id: String) -> Int? { measures.firstIndex(of: id) }

    /// The record-key sum of a cell (see `cellKeys`), or nil when the cube has none.
    public func cellKey(slot: Int, cell: Int) -> UInt64? { cellKeys.map { $0[slot * cellsPerArea + cell] } }

    private func position(slot: Int, cell: Int, measure: Int) -> Int { (slot * cellsPerArea + cell) * measures.count + measure }

    public subscript(area: AreaRef, codes: [Int], measure: Int) -> Cell? {
        get { cells[position(slot: areas.slot(area), cell: cellIndex(codes), measure: measure)] }
        set { cells[position(slot: areas.slot(area), cell: cellIndex(codes), measure: measure)] = newValue }
    }

    public subscript(slot slot: Int, cell cell: Int, measure measure: Int) -> Cell? {
        get { cells[position(slot: slot, cell: cell, measure: measure)] }
        set { cells[position(slot: slot, cell: cell, measure: measure)] = newValue }
    }

    /// The cells of `slots` (each with all its cells and measures), one slot after the other: a block of
    /// areas to work on apart from the rest (disclosure control per kabupaten).
    public func cells(ofSlots slots: [Int]) -> [Cell?] {
        let n = cellsPerArea * measures.count
        var out: [Cell?] = []
        out.reserveCapacity(slots.count * n)
        for s in slots { out += cells[(s * n)..<((s + 1) * n)] }
        return out
    }

    /// Writes back cells read with `cells(ofSlots:)` (same slots, same layout).
    public mutating func replaceCells(ofSlots slots: [Int], with values: [Cell?]) {
        let n = cellsPerArea * measures.count
        precondition(values.count == slots.count * n)
        for (i, s) in slots.enumerated() { cells.replaceSubrange((s * n)..<((s + 1) * n), with: values[(i * n)..<((i + 1) * n)]) }
    }

    /// Convenience lookup by codes as strings, e.g. `cube.cell(AreaRef(.kabupaten, 0), ["2"], "persons")`.
    public func cell(_ area: AreaRef, _ codes: [String], _ measure: String) -> Cell? {
        guard let m = measureIndex(measure) else { return nil }
        var idx: [Int] = []
        for (d, c) in codes.enumerated() {
            guard let i = dimensions[d].index(of: c) else { return nil }
            idx.append(i)
        }
        return self[area, idx, m]
    }
}
