import Microdata
import Profile

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
    /// The families' keys and the lookup by key (`FamilyIndex`; its lookup is released after the member pass).
    let index = FamilyIndex()
    /// Every family's key, in family order (a copy; the per-family paths read `index.key(_:)`).
    var keys: [FamilyKey] { index.keys }
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
        index.append(key)
        village.append(v); kk.append(bytes: k)
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

    /// Frees the variables' columns once the family rules and tables have read them: the roster linking,
    /// which runs after, needs only the villages and No. KK. `values(of:into:)` must not be called after this.
    func releaseValues() {
        codes = Array(repeating: [], count: codes.count)
        numbers = Array(repeating: [], count: numbers.count)
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
