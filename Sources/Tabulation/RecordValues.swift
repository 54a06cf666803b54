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
public final class RecordValues {
    public let file: SourceFile
    let scope: ScopePlan
    let familyScope: ScopePlan
    let columns: [(slot: Int, column: Int, name: String)]
    private var values: [Double]
    private var familyValues: [Double]
    private let current: CompiledRule?

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
        values = [Double](repeating: .nan, count: scope.slots.count)
        familyValues = [Double](repeating: .nan, count: family.slots.count)
        if file == .anggota {
            do { current = try CompiledRule.compile(profile.rules.currentMember, name: "current_member", schema: schema, level: .member) }
            catch { throw PlanError.rule(error) }
        } else {
            current = nil
        }
    }

    /// Reads a record's values; `problem` is called for every value the engine would not accept, with
    /// the variable, the column position, the kind of problem and what was expected.
    public func read(_ r: borrowing DataRecord, problem: (_ variable: String, _ column: Int, _ kind: ValueProblem, _ expected: String) -> Void) {
        for (s, c, name) in columns {
            guard !r.isEmpty(c) else { values[s] = .nan; continue }
            let slot = scope.slots[s]
            let v: Double? = slot.isCategorical ? r.int(c).map(Double.init) : r.double(c)
            if let v, slot.accepts(v) { values[s] = v; continue }
            values[s] = .nan
            if slot.isCategorical {
                problem(name, c, .notACode, "a code of \(name) (\(slot.categories.joined(separator: ", ")))")
            } else if v == nil {
                problem(name, c, .notANumber, "a number")
            } else {
                problem(name, c, .outOfRange, slot.range.map { "a number from \(Engine.num($0.lowerBound)) to \(Engine.num($0.upperBound))" } ?? "a number")
            }
        }
    }

    /// Whether the member record last `read` is a current member under the profile's rule (family
    /// variables read as missing: the rule of the Regsosek profile, `r404 in [1, 4]`, needs none).
    public func isCurrentMember() -> Bool {
        guard let current else { return false }
        return familyValues.withUnsafeBufferPointer { fv in
            values.withUnsafeMutableBufferPointer { mv in
                for (s, slot) in scope.slots.enumerated() {
                    if case .column = slot.source { continue }
                    mv[s] = deriveValue(slot, values: UnsafeBufferPointer(mv), member: UnsafeBufferPointer(mv), family: fv)
                }
                return current.matches(family: fv, member: UnsafeBufferPointer(mv))
            }
        }
    }
}
