import Microdata
import Profile

/// Why an input value is not usable (the engine tabulates it as "not stated").
public enum ValueProblem: String, Sendable, Hashable {
    /// A categorical variable's value that is not one of its labelled codes (or not a code at all).
    case notACode
    /// A number variable's value that is not a number.
    case notANumber
    /// A number outside the variable's `range` (e.g. age 120 with range [0, 98]).
    case outOfRange
}

/// Reads the values of one input file's records exactly as the engine does — same variables, same
/// columns (names or aliases), same acceptance of codes and ranges — so that `regtab check` reports
/// precisely the values the engine will tabulate as "not stated", and evaluates the profile's
/// current-member rule the same way.
///
/// Used once per record of a file with millions of records: `accepts(_:)` is the hot path (no closure,
/// no allocation, no reference counting: a flat plan of plain values and raw pointers); `read(_:problem:)`
/// is only called again for a record that has a problem, to describe it.
public final class RecordValues {
    public let file: SourceFile
    let scope: ScopePlan
    let familyScope: ScopePlan
    let columns: [(slot: Int, column: Int, name: String)]
    /// Current values of the scope's slots (NaN = missing), and of the family scope (all missing).
    private let values: UnsafeMutablePointer<Double>
    private let valueCount: Int
    private let familyValues: UnsafeMutablePointer<Double>
    private let familyValueCount: Int
    private let current: CompiledRule?
    /// `columns` as the engine reads them (`InputColumn`), for `accepts`.
    private let plan: [InputColumn]
    /// Slots that are not input columns (aliases, bins, rule flags) that the current-member rule needs, in
    /// scope order, with their index.
    private let derived: [(Int, VariableSlot)]
    private let derivedCount: Int

    /// - Parameter map: the input's columns (`ColumnMap` for `file`).
    public init(profile: Profile, file: SourceFile, map: ColumnMap) throws {
        let (family, member, schema) = try makeScopes(codebook: profile.codebook)
        self.file = file
        scope = file == .keluarga ? family : member
        familyScope = family
        var cols: [(Int, Int, String)] = []
        for (s, slot) in scope.slots.enumerated() {
            guard case .column(let name) = slot.source, let c = map.column(name) else { continue }
            cols.append((s, c, name))
        }
        columns = cols
        valueCount = scope.slots.count
        values = .allocate(capacity: max(1, valueCount))
        values.initialize(repeating: .nan, count: max(1, valueCount))
        familyValueCount = family.slots.count
        familyValues = .allocate(capacity: max(1, familyValueCount))
        familyValues.initialize(repeating: .nan, count: max(1, familyValueCount))
        let slots = scope.slots
        plan = cols.map { s, c, _ in InputColumn(slot: s, column: c, variable: slots[s]) }
        let current: CompiledRule?
        if file == .anggota {
            do { current = try CompiledRule.compile(profile.rules.currentMember, name: "current_member", schema: schema, level: .member) }
            catch { throw PlanError.rule(error) }
        } else {
            current = nil
        }
        self.current = current
        // The derived member slots the rule reads, directly or through other derived slots. Family values are
        // all missing here, so family-scope derivations never matter. The others are never read: they are
        // not computed.
        let needed = scope.withSources(of: Set(current?.memberVariablesUsed ?? []), isMember: file == .anggota).own
        derived = scope.slots.enumerated().compactMap { s, slot in
            if case .column = slot.source { return nil }
            return needed.contains(s) ? (s, slot) : nil
        }
        derivedCount = derived.count
    }

    deinit {
        values.deallocate(); familyValues.deallocate()
    }

    /// Reads a record's values (as `read` does) and tells whether the engine accepts all of them; when it
    /// does not, `read(_:problem:)` on the same record says which and why.
    @inline(__always)
    public func accepts(_ r: borrowing DataRecord) -> Bool {
        var ok = true
        for input in plan {
            if let v = input.read(r) { values[input.slot] = v; continue }
            values[input.slot] = .nan
            if !r.isEmpty(input.column) { ok = false }
        }
        return ok
    }

    /// Reads a record's values; `problem` is called for every value the engine would not accept, with
    /// the variable, the column position, the kind of problem and what was expected.
    public func read(_ r: borrowing DataRecord, problem: (_ variable: String, _ column: Int, _ kind: ValueProblem, _ expected: String) -> Void) {
        for (s, c, name) in columns {
            guard !r.isEmpty(c) else { values[s] = .nan; continue }
            let slot = scope.slots[s]
            var v: Double? = nil
            if !slot.recode.isEmpty, let input = plan.first(where: { $0.slot == s }) { v = input.recoded(r) }
            if v == nil { v = slot.isCategorical ? r.int(c).map(Double.init) : r.double(c) }
            if let v, slot.accepts(v) { values[s] = v; continue }
            values[s] = .nan
            if slot.isCategorical {
                problem(name, c, .notACode, slot.expectation)
            } else if v == nil {
                problem(name, c, .notANumber, "a number")
            } else {
                problem(name, c, .outOfRange, slot.expectation)
            }
        }
    }

    /// Whether the member record last `read` (or `accepts`) is a current member under the profile's rule
    /// (family variables read as missing: the rule of the Regsosek profile, `r404 in [1, 4]`, needs none).
    public func isCurrentMember() -> Bool {
        guard let current else { return false }
        let mv = UnsafeBufferPointer(start: values, count: valueCount)
        let fv = UnsafeBufferPointer(start: familyValues, count: familyValueCount)
        if derivedCount > 0 {
            for (s, slot) in derived {
                values[s] = deriveValue(slot, values: mv, member: mv, family: fv)
            }
        }
        return current.matches(family: fv, member: mv)
    }
}
