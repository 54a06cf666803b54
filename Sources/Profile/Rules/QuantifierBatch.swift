/// The quantifier bodies of all family-level rules, evaluated together for one current member: the engine's
/// per-member hot loop (contract §2's eligibility rules count members with `any member:`/`count members:`).
///
/// Why a batch: reading a `CompiledRule` out of an array for every quantifier of every member retains and
/// releases its program (about 4 % of a run's CPU at 3 M members per second). The batch holds
/// `RuleHandle`s — the rules it was made from keep them alive — and counters as flat offsets.
public struct QuantifierBatch: @unchecked Sendable {
    private let rules: [CompiledRule]   // keeps the handles' programs alive
    private let handles: [RuleHandle]
    /// (program index, quantifier, counter offset) per quantifier, in rule order.
    private let items: [(program: Int, q: Int, offset: Int)]

    /// - Parameters: `rules[r]`'s counters start at `bases[r]` within a family's block of counters.
    public init(rules: [CompiledRule], bases: [Int]) {
        precondition(rules.count == bases.count, "QuantifierBatch: one counter base per rule")
        self.rules = rules
        handles = rules.map(\.handle)
        var items: [(Int, Int, Int)] = []
        for (r, rule) in rules.enumerated() {
            for q in 0..<rule.quantifierCount { items.append((r, q, bases[r] + q)) }
        }
        self.items = items
    }

    public var isEmpty: Bool { items.isEmpty }

    /// Adds 1 to `counters[offset]` for every quantifier whose body the member matches. `counters` is the
    /// member's family's block; `family` and `member` are the schema buffers (as `CompiledRule.memberMatches`).
    @inline(__always)
    public func count(family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>,
                      into counters: UnsafeMutablePointer<MemberCount>) {
        for item in items {
            let hit = handles[item.program].memberMatches(item.q, family: family, member: member)
            if hit { counters[item.offset] = MemberCount.adding(counters[item.offset], 1) }
        }
    }
}

/// A family's count of members matching one quantifier body, as the engine stores it: one per family and
/// quantifier for every family of the registry until the family rules have run (10 M families × 5
/// quantifiers in `reports/regsosek`). Two bytes, not the four of the `Int32` the rules read, and
/// saturating at 65,535 — a count no family reaches (a Kartu Keluarga lists its household), so every
/// comparison a rule can make with a count below that bound is exact.
public typealias MemberCount = UInt16

extension MemberCount {
    /// `a + b`, held at `MemberCount.max` instead of wrapping (the merge of the member file's two parts).
    @inline(__always)
    public static func adding(_ a: MemberCount, _ b: MemberCount) -> MemberCount {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
