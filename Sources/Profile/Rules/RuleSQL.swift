/// A rule translated to SQL (PostgreSQL dialect), for running a report where the data live in a database.
///
/// The translation keeps the rule language's semantics exactly where SQL allows it:
/// - **Three-valued logic** maps one to one: a missing value is SQL `NULL`, a comparison with it is
///   `NULL` (unknown), `AND`/`OR`/`NOT` are Kleene's, and the caller treats a rule that ends `NULL` as
///   false (`WHERE` and `FILTER` do exactly that; a value column uses `coalesce(rule, false)`).
/// - `x in [...]` is `x IN (...)`, `x is missing` is `x IS NULL` (never unknown), `=` between two
///   conditions is SQL's boolean `=` (unknown when either side is).
/// - Division and remainder by zero give missing: `a / NULLIF(b, 0)`. Remainders truncate like SQL's
///   and C's (`-3 % 2` is -1): `%` on two integer operands, else `mod(a::numeric, b::numeric)`.
/// - Arithmetic is done in `double precision`, as the engine does (`age / 2` is 2.5 for 5, not 2).
/// - `any member: c` and `count members: c` are not expressions of one row: each becomes a column of ONE
///   aggregate over the family's current members, grouped by the family key (`bool_or(c)` and
///   `count(*) FILTER (WHERE c)`); the family-level condition reads those columns through
///   `RuleSQL.Names.quantifier`. `bool_or` ignores members whose condition is unknown, as the engine does.
public struct RuleSQL: Sendable {
    /// The whole rule as an SQL boolean expression (quantifiers as references to their aggregate columns).
    public var condition: String
    /// Each quantifier's member condition (an SQL boolean over one member row) and its kind, in source order.
    public var quantifiers: [(kind: QuantifierKind, body: String)]

    /// How the caller's query names things.
    public struct Names: Sendable {
        /// SQL of a variable's value: a number (`integer` or `double precision`), NULL when missing.
        public var value: @Sendable (RuleSchema.Entry) -> String
        /// Whether `value` of this variable is an SQL integer (codes are; numbers may not be).
        public var isInteger: @Sendable (RuleSchema.Entry) -> Bool
        /// SQL of a boolean variable (a rule-derived flag) read as a condition.
        public var truth: @Sendable (RuleSchema.Entry) -> String
        /// SQL of the family-level result of quantifier `q`: a boolean (`any`) or a count (`count`).
        public var quantifier: @Sendable (_ q: Int, _ kind: QuantifierKind) -> String

        public init(value: @escaping @Sendable (RuleSchema.Entry) -> String, isInteger: @escaping @Sendable (RuleSchema.Entry) -> Bool,
                    truth: @escaping @Sendable (RuleSchema.Entry) -> String,
                    quantifier: @escaping @Sendable (_ q: Int, _ kind: QuantifierKind) -> String) {
            self.value = value; self.isInteger = isInteger; self.truth = truth; self.quantifier = quantifier
        }
    }

    /// Parses and type-checks `text` exactly as `CompiledRule.compile` does (same errors), then translates it.
    public static func compile(_ text: String, name: String, schema: RuleSchema, level: RuleLevel,
                               names: Names) throws(RuleError) -> RuleSQL {
        do {
            let (_, _, checker, ir) = try RuleChecker.check(text, schema: schema, level: level)
            let writer = RuleSQLWriter(schema: schema, names: names)
            return RuleSQL(condition: writer.sql(ir).text,
                           quantifiers: checker.quantifiers.map { ($0.kind, writer.sql($0.body).text) })
        } catch {
            throw error.named(name)
        }
    }

    /// A number as an SQL literal that reads back as the same `double` (Swift prints the shortest
    /// round-trip form, which PostgreSQL's `float8` input rounds correctly). Integers are plain.
    public static func literal(_ v: Double) -> String {
        if abs(v) < 1e15 && Double(Int64(v)) == v { return String(Int64(v)) }
        if v.isNaN { return "NULL" }
        if v.isInfinite { return v > 0 ? "'Infinity'::float8" : "'-Infinity'::float8" }
        return "\(v)::float8"
    }
}

/// Turns checked IR into SQL text. Every node says whether it is an integer number, so `%` can stay exact
/// and `/` can force `double precision`, and what kind of expression it is, so parentheses appear only where
/// SQL's precedence needs them (`a = 1 OR b > 2`, not `(a = 1) OR (b > 2)`).
private struct RuleSQLWriter {
    let schema: RuleSchema
    let names: RuleSQL.Names

    /// SQL precedence classes, tightest first.
    enum Kind: Int { case primary, arithmetic, predicate, not, and, or }

    struct Fragment {
        var text: String
        /// An integer-valued SQL expression (integer type): safe for `%`, must be cast before `/`.
        var isInteger: Bool
        var kind: Kind
    }

    private func entry(_ scope: RuleScope, _ index: Int) -> RuleSchema.Entry {
        schema.entries.first { $0.scope == scope && $0.index == index }!
    }

    /// The fragment's text, parenthesised unless its kind binds at least as tightly as `limit`.
    private func operand(_ f: Fragment, _ limit: Kind) -> String { f.kind.rawValue <= limit.rawValue ? f.text : "(\(f.text))" }

    private func float(_ f: Fragment) -> String { f.isInteger ? "\(operand(f, .primary))::float8" : operand(f, .primary) }

    func sql(_ ir: RuleIR) -> Fragment {
        switch ir {
        case .constant(let v):
            let text = RuleSQL.literal(v)
            return Fragment(text: text, isInteger: abs(v) < 1e15 && Double(Int64(v)) == v, kind: v < 0 || text.contains("::") ? .arithmetic : .primary)
        case .load(let scope, let index, let truth):
            let e = entry(scope, index)
            if truth { return Fragment(text: names.truth(e), isInteger: false, kind: .primary) }
            return Fragment(text: names.value(e), isInteger: names.isInteger(e), kind: .primary)
        case .quantifier(let q, let kind):
            return Fragment(text: names.quantifier(q, kind), isInteger: kind == .count, kind: .primary)
        case .negate(let x):
            let f = sql(x)
            return Fragment(text: "-\(operand(f, .primary))", isInteger: f.isInteger, kind: .arithmetic)
        case .arithmetic(let op, let l, let r):
            let a = sql(l), b = sql(r)
            switch op {
            case .add, .subtract, .multiply:
                // Doubles, as the engine computes; integer codes would overflow or wrap differently.
                return Fragment(text: "\(float(a)) \(op.rawValue) \(float(b))", isInteger: false, kind: .arithmetic)
            case .divide:
                return Fragment(text: "\(float(a)) / NULLIF(\(float(b)), 0)", isInteger: false, kind: .arithmetic)
            case .remainder:
                if a.isInteger && b.isInteger {
                    return Fragment(text: "(\(operand(a, .primary)) % NULLIF(\(b.text), 0))", isInteger: true, kind: .primary)
                }
                return Fragment(text: "mod(\(operand(a, .primary))::numeric, NULLIF(\(operand(b, .primary))::numeric, 0))::float8",
                                isInteger: false, kind: .arithmetic)
            }
        case .comparison(let op, let l, let r):
            let sym = op == .notEqual ? "<>" : op.symbol
            return Fragment(text: "\(operand(sql(l), .arithmetic)) \(sym) \(operand(sql(r), .arithmetic))", isInteger: false, kind: .predicate)
        case .truthEquality(let negated, let l, let r):
            return Fragment(text: "\(operand(sql(l), .primary)) \(negated ? "<>" : "=") \(operand(sql(r), .primary))", isInteger: false, kind: .predicate)
        case .logical(let op, let items):
            if items.count == 1 { return sql(items[0]) }
            let kind: Kind = op == .and ? .and : .or
            // `AND` inside `OR` is parenthesised although SQL would not need it: that is how people read it.
            let parts = items.map { operand(sql($0), kind == .or ? .not : kind) }
            return Fragment(text: parts.joined(separator: op == .and ? " AND " : " OR "), isInteger: false, kind: kind)
        case .not(let x):
            return Fragment(text: "NOT \(operand(sql(x), .not))", isInteger: false, kind: .not)
        case .membership(let x, let list, let negated):
            let items = list.map(RuleSQL.literal).joined(separator: ", ")
            return Fragment(text: "\(operand(sql(x), .arithmetic)) \(negated ? "NOT IN" : "IN") (\(items))", isInteger: false, kind: .predicate)
        case .missingTest(let x, let negated), .unknownTest(let x, let negated):
            return Fragment(text: "\(operand(sql(x), .arithmetic)) IS \(negated ? "NOT NULL" : "NULL")", isInteger: false, kind: .predicate)
        case .between(let scope, let index, let low, let lowStrict, let high, let highStrict):
            // Not produced by the checker (only by the VM's emitter), but total for completeness.
            let v = names.value(entry(scope, index))
            var parts: [String] = []
            if low.isFinite { parts.append("\(v) \(lowStrict ? ">" : ">=") \(RuleSQL.literal(low))") }
            if high.isFinite { parts.append("\(v) \(highStrict ? "<" : "<=") \(RuleSQL.literal(high))") }
            return Fragment(text: parts.isEmpty ? "\(v) IS NOT NULL" : parts.joined(separator: " AND "), isInteger: false, kind: parts.count > 1 ? .and : .predicate)
        }
    }
}
