import Microdata
import Profile

/// The composite family key of contract §1 (`r101 r102 r103 r104 r105 r109 r110`), parsed to integers so
/// `01` and `1` are the same code and hashing never touches strings.
public struct FamilyKey: Hashable, Sendable {
    public var desa: Int64
    public var sls: Int32
    public var building: Int32
    public var family: Int32

    /// `kode_desa/r105/r109/r110`, for restricted lists that field staff look up.
    public var text: String { "\(Engine.pad(desa, 10))/\(Engine.pad(Int64(sls), 6))/\(building)/\(family)" }
}

/// Column positions of the key in a file.
public struct KeyColumns: Sendable {
    public let r101, r102, r103, r104, r105, r109, r110: Int
    /// The key variables, in key order (the member file repeats them).
    public static let names = ["r101", "r102", "r103", "r104", "r105", "r109", "r110"]

    /// Key columns found by name or codebook alias (`ColumnMap` has already required them).
    public init(map: ColumnMap) throws {
        func col(_ n: String) throws -> Int {
            guard let i = map.column(n) else {
                throw InputError(file: map.fileName, line: map.headerLine, column: n, expected: "a column named '\(n)' in the header")
            }
            return i
        }
        r101 = try col("r101"); r102 = try col("r102"); r103 = try col("r103"); r104 = try col("r104")
        r105 = try col("r105"); r109 = try col("r109"); r110 = try col("r110")
    }

    /// Largest code of each key column, in key order (`r101` … `r110`).
    static let maxima = [99, 99, 999, 999, 999_999, Int(Int32.max), Int(Int32.max)]

    /// The key of a record when every key column holds a valid code, else nil — the per-record path of the
    /// engine and the data check: no array, no String (the limits are `maxima`, written out).
    @inline(__always)
    public func validKey(_ r: borrowing CSVRecord) -> FamilyKey? {
        guard let a = r.int(r101), a >= 0, a <= 99, let b = r.int(r102), b >= 0, b <= 99,
              let c = r.int(r103), c >= 0, c <= 999, let d = r.int(r104), d >= 0, d <= 999,
              let e = r.int(r105), e >= 0, e <= 999_999,
              let f = r.int(r109), f >= 0, f <= Int(Int32.max), let g = r.int(r110), g >= 0, g <= Int(Int32.max)
        else { return nil }
        let desa = Int64(a) * 100_000_000 + Int64(b) * 1_000_000 + Int64(c) * 1_000 + Int64(d)
        return FamilyKey(desa: desa, sls: Int32(e), building: Int32(f), family: Int32(g))
    }

    /// The key of a record, or the error naming the first key column that is not a valid code.
    public func key(_ r: borrowing CSVRecord, file: String, header: [String]) -> Result<FamilyKey, InputError> {
        if let key = validKey(r) { return .success(key) }
        for (col, maxValue) in zip([r101, r102, r103, r104, r105, r109, r110], Self.maxima) {
            guard let x = r.int(col), x >= 0, x <= maxValue else { return .failure(Self.bad(r, col, maxValue, file, header)) }
        }
        // Unreachable while `validKey` and `maxima` agree; an input problem must never trap.
        return .failure(Self.bad(r, r110, Self.maxima[6], file, header))
    }

    private static func bad(_ r: borrowing CSVRecord, _ col: Int, _ maxValue: Int, _ file: String, _ header: [String]) -> InputError {
        InputError(file: file, line: r.line, column: col < header.count ? header[col] : nil, columnNumber: col + 1,
                   expected: "a code of at most \(String(maxValue).count) digits (family key)", found: r.string(col))
    }
}

/// Families in columnar form: one entry per tabulated family, dense index 0..<count. Categorical variables
/// are dictionary-encoded (one byte: the category index, 255 = not stated); numbers are Float.
/// Memory grows with families and variables, never with members.
///
/// `@exclusivity(unchecked)`: the columns are appended to once per family from one thread, and the
/// run-time exclusivity check of a class property cost more than the append itself.
final class FamilyStore {
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) var village: [Int32] = []
    @exclusivity(unchecked) var kk = PackedTextColumn()
    @exclusivity(unchecked) var keys: [FamilyKey] = []
    let index = FamilyIndex()
    /// Per family-scope slot: codes (if categorical column) or numbers (if number column); derived slots are empty.
    @exclusivity(unchecked) var codes: [[UInt8]]
    @exclusivity(unchecked) var numbers: [[Float]]
    let slots: [VariableSlot]
    /// Numeric value of each category, per slot (to rebuild rule inputs).
    private let codeValues: [[Double]]

    /// Per slot, resolved once (the loops below run per family, twice): what it is, and its category lookup.
    private enum Kind { case code, number, derived, area, unused }
    private let kinds: [Kind]
    private let coders: [CategoryCoder]
    private let derived: [Unmanaged<VariableSlot>?]

    /// - Parameter used: per slot, whether the run reads it (`ScopePlan.used`); unused slots are not stored
    ///   and read as missing.
    /// Per area-attribute slot, its value in each village (`areaAttributeValues`).
    private let areaValues: [[Double]]

    init(slots: [VariableSlot], used: [Bool]? = nil, areaValues: [Int: [Double]] = [:]) {
        self.slots = slots
        self.areaValues = slots.indices.map { areaValues[$0] ?? [] }
        codes = Array(repeating: [], count: slots.count)
        numbers = Array(repeating: [], count: slots.count)
        codeValues = slots.map { $0.categories.map { Double($0) ?? .nan } }
        kinds = slots.enumerated().map { s, slot in
            guard used?[s] ?? true else { return .unused }
            if case .area = slot.source { return areaValues[s] == nil ? .unused : .area }
            guard case .column = slot.source else { return .derived }
            return slot.isCategorical ? .code : .number
        }
        coders = slots.map(\.coder)
        derived = slots.map { slot in
            if case .column = slot.source { return nil }
            return .passUnretained(slot)
        }
    }

    func append(key: FamilyKey, village v: Int32, kk k: UnsafeBufferPointer<UInt8>, values: UnsafeBufferPointer<Double>) {
        index.insert(key, Int32(count))
        village.append(v); kk.append(bytes: k); keys.append(key)
        for s in 0..<kinds.count {
            switch kinds[s] {
            case .code:
                let c = coders[s].index(of: values[s])
                codes[s].append(c == coders[s].notStated ? 255 : UInt8(c))
            case .number:
                numbers[s].append(Float(values[s]))
            case .derived, .area, .unused:
                continue
            }
        }
        count += 1
    }

    /// Rebuilds the family's variable values (input columns and derived slots) into `out` for rules and tables.
    func values(of f: Int, into out: UnsafeMutablePointer<Double>) {
        for s in 0..<kinds.count {
            switch kinds[s] {
            case .code:
                let c = codes[s][f]
                out[s] = c == 255 ? .nan : codeValues[s][Int(c)]
            case .number:
                out[s] = Double(numbers[s][f])
            case .unused:
                out[s] = .nan
            case .area:
                out[s] = areaValues[s][Int(village[f])]
            case .derived:
                out[s] = derived[s]!._withUnsafeGuaranteedRef {
                    deriveValue($0, values: UnsafeBufferPointer(start: out, count: kinds.count), member: nil)
                }
            }
        }
    }

    func values(of f: Int, into out: UnsafeMutableBufferPointer<Double>) { values(of: f, into: out.baseAddress!) }
}

/// Value of a derived slot given the already-filled values of its scope (derived slots come after their sources).
@inline(__always)
func deriveValue(_ slot: VariableSlot, values: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>?, family: UnsafeBufferPointer<Double>? = nil) -> Double {
    switch slot.source {
    case .column, .area: return .nan
    case .alias(let i): return values[i]
    case .bins(let i, let breaks, let upper):
        let x = values[i]
        guard !x.isNaN, x >= breaks[0] else { return .nan }
        if let upper, x > upper { return .nan }
        var g = 0
        while g + 1 < breaks.count && x >= breaks[g + 1] { g += 1 }
        return Double(g)
    case .rule(let rule):
        if let member, let family { return rule.matches(family: family, member: member) ? 1 : 0 }
        // Family-scope rule: no member values.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 1) { empty in
            rule.matches(family: values, member: UnsafeBufferPointer(empty)) ? 1 : 0
        }
    }
}
