import Foundation
import Microdata
import Profile

/// How one variable's value is obtained for a record, resolved once from the codebook so the hot loops
/// only index memory. Values are Doubles (NaN = missing) because that is what rules read; categorical
/// variables additionally map each code to a dense category index (dictionary encoding).
/// A class with an unsafe code table, not a struct of arrays: the per-record loops would otherwise copy
/// (retain and release) three arrays for every field they touch.
final class VariableSlot: @unchecked Sendable {
    enum Source {
        /// An input column of the variable's file.
        case column(name: String)
        /// Same value as another slot of the same scope.
        case alias(Int)
        /// Group index of a number slot of the same scope (value = group index, codes from `categories`).
        case bins(source: Int, breaks: [Double], upper: Double?)
        /// 1 when the rule holds for the record, 0 otherwise.
        case rule(CompiledRule)
        /// Attribute `index` of the family's village (`RulesSpec.areaAttributes`): position + 1 of its text in
        /// `values`, missing otherwise. Family scope only; the family store fills it from the village.
        case area(index: Int, values: [String])
    }
    let name: String
    let type: VariableType
    let source: Source
    /// Codes of a categorical slot, in display order; `_Z` is index `categories.count`.
    let categories: [String]
    /// Numeric code → category index, for codes 0..<256 (most questionnaire codes); -1 = not a code.
    let smallCodeIndex: UnsafeMutablePointer<Int16>
    /// Other numeric codes → category index.
    let largeCodeIndex: [Int: Int]
    let range: ClosedRange<Double>?
    /// Input codes read as other codes (`Variable.recode`), as lower-case bytes; empty for most variables.
    var recode: [(bytes: [UInt8], value: Double)] = []

    let isCategorical: Bool
    let notStatedIndex: Int
    let isBins: Bool
    let isRule: Bool

    init(name: String, type: VariableType, source: Source, categories: [String], smallCodes: [Int16],
         largeCodeIndex: [Int: Int], range: ClosedRange<Double>?) {
        self.name = name; self.type = type; self.source = source; self.categories = categories
        self.largeCodeIndex = largeCodeIndex; self.range = range
        smallCodeIndex = .allocate(capacity: 256)
        smallCodeIndex.initialize(repeating: -1, count: 256)
        for (i, v) in smallCodes.prefix(256).enumerated() { smallCodeIndex[i] = v }
        isCategorical = !categories.isEmpty
        notStatedIndex = categories.count
        if case .bins = source { isBins = true } else { isBins = false }
        if case .rule = source { isRule = true } else { isRule = false }
    }

    deinit { smallCodeIndex.deallocate() }

    /// Category index of a value; `notStatedIndex` when missing or not a labelled code (`CategoryCoder`).
    @inline(__always) func categoryIndex(of value: Double) -> Int { coder.index(of: value) }

    /// Whether an input value is acceptable for this variable (a labelled code, or a number in range).
    @inline(__always) func accepts(_ value: Double) -> Bool {
        if isCategorical { return categoryIndex(of: value) != notStatedIndex }
        if let range { return range.contains(value) }
        return true
    }

    /// What an input value of this variable must be, for messages: one of its codes, or a number in its range.
    var expectation: String {
        if isCategorical { return "a code of \(name) (\(categories.joined(separator: ", ")))" }
        return range.map { "a number from \(Engine.num($0.lowerBound)) to \(Engine.num($0.upperBound))" } ?? "a number"
    }

    /// `categoryIndex` as a plain value for the per-record loops: no reference counting on each use.
    /// Valid while the slot lives (the plan holds every slot for the whole run).
    var coder: CategoryCoder { CategoryCoder(slot: self) }
}

/// The category lookup of a `VariableSlot` without the class reference: the hot loops (tables, the family
/// store, reading values) call it per record and field, and each class access there cost a retain/release.
struct CategoryCoder {
    let isBins: Bool
    let isRule: Bool
    let notStated: Int
    let small: UnsafeMutablePointer<Int16>
    /// Codes from 256 up (rare) go through the slot's dictionary.
    unowned(unsafe) let slot: VariableSlot

    init(slot: VariableSlot) {
        isBins = slot.isBins; isRule = slot.isRule; notStated = slot.notStatedIndex; small = slot.smallCodeIndex
        self.slot = slot
    }

    @inline(__always) func index(of value: Double) -> Int {
        if isBins { return value.isNaN ? notStated : Int(value) }
        if isRule { return value == 1 ? 0 : 1 }
        if value >= 0 && value < 256 {
            let n = Int(value)
            guard Double(n) == value else { return notStated }
            let i = small[n]
            return i < 0 ? notStated : Int(i)
        }
        // Below 2⁶³: `Int(value)` would trap on a code column holding 9223372036854775806.
        guard value.isFinite, value >= 0, value < 9.2e18, value == value.rounded() else { return notStated }
        return slot.largeCodeIndex[Int(value)] ?? notStated
    }
}

/// The variables of one scope (family or member), in rule-schema order.
struct ScopePlan {
    var slots: [VariableSlot] = []
    /// Slots the run needs (`markUsed`); nil: all of them. The engine parses, stores and derives only these —
    /// a projection, as a database scans only the columns a query names: a report of three tables does
    /// not pay for the thirty variables only other tables read.
    var used: [Bool]? = nil
    func index(of name: String) -> Int? { slots.firstIndex { $0.name == name } }
    func isUsed(_ s: Int) -> Bool { used?[s] ?? true }

    /// `direct` and every slot a derived slot among them reads, transitively (aliases, bins, the variables
    /// of its rule). Derived slots come after their sources, so one backward pass closes the set. In the
    /// member scope (`isMember`) a rule may also read family variables: those are returned apart.
    func withSources(of direct: Set<Int>, isMember: Bool) -> (own: Set<Int>, family: Set<Int>) {
        var own = direct, family = Set<Int>()
        for s in slots.indices.reversed() where own.contains(s) {
            switch slots[s].source {
            case .column, .area: break
            case .alias(let j), .bins(let j, _, _): own.insert(j)
            case .rule(let r):
                if isMember { own.formUnion(r.memberVariablesUsed); family.formUnion(r.familyVariablesUsed) }
                else { own.formUnion(r.familyVariablesUsed) }
            }
        }
        return (own, family)
    }

    /// Marks what the run reads: `family` and `member` are slot positions read directly (table
    /// dimensions and sums, rule variables, r404), with their sources (`withSources`). Member rules may
    /// read family variables, so the member scope is closed first.
    static func markUsed(family: inout ScopePlan, member: inout ScopePlan, family direct: Set<Int>, member memberDirect: Set<Int>) {
        let memberUsed = member.withSources(of: memberDirect, isMember: true)
        let familyUsed = family.withSources(of: direct.union(memberUsed.family), isMember: false).own
        family.used = family.slots.indices.map { familyUsed.contains($0) }
        member.used = member.slots.indices.map { memberUsed.own.contains($0) }
    }
}

enum PlanError: Error, CustomStringConvertible {
    /// A rule that does not parse or type-check; `RuleError` already names the rule and points at the place.
    case rule(RuleError)
    case unknownVariable(String, context: String)
    var description: String {
        switch self {
        case .rule(let error): return error.description
        case .unknownVariable(let v, let c): return "\(c): unknown variable '\(v)'"
        }
    }
}

extension VariableSlot {
    static func categorical(name: String, type: VariableType, source: Source, codes: [String], range: ClosedRange<Double>? = nil) -> VariableSlot {
        var small = [Int16](repeating: -1, count: 256)
        var large: [Int: Int] = [:]
        for (i, c) in codes.enumerated() {
            guard let n = Int(c) else { continue }
            if n >= 0 && n < 256 { small[n] = Int16(i) } else { large[n] = i }
        }
        return VariableSlot(name: name, type: type, source: source, categories: codes, smallCodes: small,
                            largeCodeIndex: large, range: range)
    }

    static func plain(name: String, type: VariableType, source: Source, range: ClosedRange<Double>?) -> VariableSlot {
        VariableSlot(name: name, type: type, source: source, categories: [], smallCodes: [], largeCodeIndex: [:], range: range)
    }
}

/// Builds the family and member scopes from the codebook: every code/number input variable, then the
/// derived variables (aliases and bins first, rule-derived last since rules may read the others).
func makeScopes(codebook: Codebook, areaAttributes: [AreaAttributeSpec] = []) throws -> (family: ScopePlan, member: ScopePlan, schema: RuleSchema) {
    var family = ScopePlan(), member = ScopePlan()
    for v in codebook.variables where v.type == .code || v.type == .number {
        let slot: VariableSlot = v.type == .code
            ? .categorical(name: v.name, type: v.type, source: .column(name: v.name), codes: v.values.map(\.code))
            : .plain(name: v.name, type: v.type, source: .column(name: v.name), range: v.range)
        slot.recode = v.recode.map { (Array($0.from.lowercased().utf8), $0.to) }
        if v.file == .keluarga { family.slots.append(slot) } else { member.slots.append(slot) }
    }
    for (i, a) in areaAttributes.enumerated() {
        family.slots.append(.plain(name: a.variable, type: .number, source: .area(index: i, values: a.values), range: nil))
    }
    let ordered = codebook.derived.filter { if case .rule = $0.derivation { return false }; return true }
        + codebook.derived.filter { if case .rule = $0.derivation { return true }; return false }
    // Rule-derived variables are compiled against a schema holding everything declared before them.
    for d in ordered {
        let isFamily = d.scope == .keluarga
        let scope = isFamily ? family : member
        let slot: VariableSlot
        switch d.derivation {
        case .alias(let src):
            guard let i = scope.index(of: src) else { throw PlanError.unknownVariable(src, context: "derived '\(d.name)'") }
            let s = scope.slots[i]
            slot = VariableSlot(name: d.name, type: s.type, source: .alias(i), categories: s.categories,
                                smallCodes: (0..<256).map { s.smallCodeIndex[$0] }, largeCodeIndex: s.largeCodeIndex, range: s.range)
        case .bins(let of, let breaks, let codes, let upper):
            guard let i = scope.index(of: of) else { throw PlanError.unknownVariable(of, context: "derived '\(d.name)'") }
            slot = .categorical(name: d.name, type: .code, source: .bins(source: i, breaks: breaks, upper: upper), codes: codes)
        case .rule(let text):
            let schema = ruleSchema(family: family, member: member)
            let rule: CompiledRule
            do { rule = try CompiledRule.compile(text, name: d.name, schema: schema, level: isFamily ? .family : .member) } catch { throw PlanError.rule(error) }
            slot = .categorical(name: d.name, type: .code, source: .rule(rule), codes: d.values.map(\.code))
        }
        if isFamily { family.slots.append(slot) } else { member.slots.append(slot) }
    }
    return (family, member, ruleSchema(family: family, member: member))
}

/// Values of each area attribute slot per village (`VariableSlot.Source.area`): position + 1 of the village's
/// text among the attribute's values (case and surrounding blanks ignored), NaN when it is none of them.
/// `jenis` comes from the area file's `jenis` column (`AreaIndex.Village.kind`), any other attribute from
/// `AreaIndex.Village.attributes`.
func areaAttributeValues(_ scope: ScopePlan, areas: AreaIndex) -> [Int: [Double]] {
    var out: [Int: [Double]] = [:]
    for (s, slot) in scope.slots.enumerated() {
        guard case .area(_, let values) = slot.source else { continue }
        let name = String(slot.name.dropFirst("area.".count))
        let wanted = values.map { $0.lowercased() }
        out[s] = areas.villages.map { v in
            let text = (v.attributes[name] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            return wanted.firstIndex(of: text).map { Double($0 + 1) } ?? .nan
        }
    }
    return out
}

/// Rule variables: numbers, except rule-derived flags, which are booleans (1/0).
func ruleSchema(family: ScopePlan, member: ScopePlan) -> RuleSchema {
    func type(_ s: VariableSlot) -> RuleValueType { if case .rule = s.source { return .boolean }; return .number }
    var texts: [String: [String]] = [:]
    for s in family.slots { if case .area(_, let values) = s.source { texts[s.name] = values } }
    return RuleSchema(variables: family.slots.map { ($0.name, RuleScope.family, type($0)) }
                      + member.slots.map { ($0.name, RuleScope.member, type($0)) }, texts: texts)
}
