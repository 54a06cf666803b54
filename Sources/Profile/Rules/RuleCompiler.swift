/// Where a rule is evaluated, which decides whether member variables may appear outside quantifiers.
public enum RuleLevel: Sendable, Hashable {
    /// Decided by the rule itself: with a quantifier it is a family rule (member variables only inside
    /// `any member:`/`count members:`); without one, member variables may appear anywhere and the rule
    /// can be evaluated per member with `matches`. Convenient, but cannot catch a forgotten
    /// `any member:` in a quantifier-free eligibility rule — pass `.family` where you know the level.
    case automatic
    /// Evaluated once per family: member variables only inside quantifiers.
    case family
    /// Evaluated once per member record (current-member condition, person-table universe, member-level
    /// derived variables): both scopes visible, quantifiers not allowed.
    case member
}

/// A type-checked rule with variables resolved to buffer positions: the input of code generation.
indirect enum RuleIR {
    case constant(Double)
    /// A variable's raw value; `truth` reads a boolean variable as a condition (0 false, else true, missing unknown).
    case load(RuleScope, Int, truth: Bool)
    /// The family-level result of quantifier `q`: a 0/1 flag (`any`) or a member count (`count`).
    case quantifier(Int, QuantifierKind)
    case negate(RuleIR)
    case arithmetic(RuleArithmeticOperator, RuleIR, RuleIR)
    /// Comparison of two numbers.
    case comparison(RuleComparisonOperator, RuleIR, RuleIR)
    /// `=` (or `!=` when negated) between two conditions: unknown if either is.
    case truthEquality(negated: Bool, RuleIR, RuleIR)
    case logical(RuleLogicalOperator, [RuleIR])
    case not(RuleIR)
    case membership(RuleIR, [Double], negated: Bool)
    /// `is missing` on a number (NaN).
    case missingTest(RuleIR, negated: Bool)
    /// `is missing` on a condition (unknown).
    case unknownTest(RuleIR, negated: Bool)
    /// A range test on one variable; produced by the emitter from `x >= lo and x <= hi`.
    case between(RuleScope, Int, low: Double, lowStrict: Bool, high: Double, highStrict: Bool)
}

/// Type checking and name resolution (number vs condition, scopes, quantifier placement).
///
/// Typing rules:
/// - Arithmetic, ordering comparisons and `in` need numbers; `and`/`or`/`not`, a quantifier body and the
///   rule as a whole need conditions.
/// - A **boolean variable** (schema type `.boolean`, stored 0/1) is a condition, and may also be used as
///   a number (its stored value) — so `disability`, `disability = 1` and `disability + x` all work. Other
///   conditions are never numbers: `(age > 5) + 1` is an error, because a silent 0/1 there is almost
///   always a misplaced parenthesis.
/// - `=`/`!=` between two conditions compare their truth values (`disability = true`).
/// - `is missing` accepts either type (an unknown condition is missing).
struct RuleChecker {
    let text: String
    let schema: RuleSchema
    /// Member variables may appear outside quantifiers (member-level rule).
    let memberLevel: Bool
    /// Quantifiers allowed at all (false for member-level rules).
    let quantifiersAllowed: Bool
    private let scalars: [Unicode.Scalar]
    private(set) var quantifiers: [(kind: QuantifierKind, body: RuleIR)] = []
    private(set) var familyUsed: Set<Int> = []
    private(set) var memberUsed: Set<Int> = []

    init(text: String, schema: RuleSchema, memberLevel: Bool, quantifiersAllowed: Bool) {
        self.text = text
        self.schema = schema
        self.memberLevel = memberLevel
        self.quantifiersAllowed = quantifiersAllowed
        self.scalars = Array(text.unicodeScalars)
    }

    private struct Checked {
        var ir: RuleIR
        var type: RuleValueType
        /// For boolean variables: the raw numeric load, so they can stand where a number is needed.
        var numeric: RuleIR?
    }

    private func quote(_ n: RuleNode) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars[max(0, n.start)..<min(n.end, scalars.count)])
        return s.count > 40 ? String(s.prefix(37)) + "..." : s
    }

    private func mismatch(_ n: RuleNode, _ message: String) -> RuleError {
        RuleError(.typeMismatch, message, at: n.start, in: text)
    }

    private func condition(_ c: Checked, _ n: RuleNode, _ context: String) throws(RuleError) -> RuleIR {
        guard c.type == .boolean else {
            var hint = ""
            if case .variable(let name) = n.kind { hint = " (compare it, e.g. '\(name) = 1')" }
            throw mismatch(n, "'\(quote(n))' is a number, but \(context) must be a condition\(hint)")
        }
        return c.ir
    }

    private func number(_ c: Checked, _ n: RuleNode, _ context: String) throws(RuleError) -> RuleIR {
        if c.type == .number { return c.ir }
        if let numeric = c.numeric { return numeric }
        throw mismatch(n, "'\(quote(n))' is a condition, but \(context) must be a number")
    }

    /// Checks the whole rule; it must be a condition.
    mutating func checkRule(_ root: RuleNode) throws(RuleError) -> RuleIR {
        let c = try check(root, quantifier: nil)
        guard c.type == .boolean else {
            throw mismatch(root, "the rule must be a condition (true/false), but '\(quote(root))' is a number")
        }
        return c.ir
    }

    private mutating func check(_ n: RuleNode, quantifier: QuantifierKind?) throws(RuleError) -> Checked {
        switch n.kind {
        case .number(let v):
            return Checked(ir: .constant(v), type: .number)
        case .boolean(let b):
            return Checked(ir: .constant(b ? 1 : 0), type: .boolean)
        case .variable(let name):
            let membersInView = quantifier != nil || memberLevel
            guard let e = schema.lookup(name, preferMember: membersInView) else {
                let suggestions = RuleNames.closest(to: name, among: schema.entries.map(\.name))
                let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
                throw RuleError(.unknownVariable, "unknown variable '\(name)'\(hint)", at: n.start, in: text, suggestions: suggestions)
            }
            if e.scope == .member && !membersInView {
                throw RuleError(.memberVariableOutsideQuantifier,
                                "member variable '\(name)' used outside 'any member:' / 'count members:'", at: n.start, in: text)
            }
            if e.scope == .family { familyUsed.insert(e.index) } else { memberUsed.insert(e.index) }
            if e.type == .boolean {
                return Checked(ir: .load(e.scope, e.index, truth: true), type: .boolean, numeric: .load(e.scope, e.index, truth: false))
            }
            return Checked(ir: .load(e.scope, e.index, truth: false), type: .number)
        case .negate(let x):
            let c = try check(x, quantifier: quantifier)
            return Checked(ir: .negate(try number(c, x, "the operand of '-'")), type: .number)
        case .arithmetic(let op, let l, let r):
            let cl = try check(l, quantifier: quantifier), cr = try check(r, quantifier: quantifier)
            let context = "each side of '\(op.rawValue)'"
            return Checked(ir: .arithmetic(op, try number(cl, l, context), try number(cr, r, context)), type: .number)
        case .text(let value):
            throw mismatch(n, "the text '\(value)' can only be compared with '=' or '!=' to a variable that has text values (e.g. 'area.jenis = \"desa\"')")
        case .comparison(let op, let l, let r):
            if case .text = r.kind, case .text = l.kind {
                throw mismatch(n, "'\(quote(n))' compares two texts; compare a variable with a text")
            }
            if case .text(let value) = r.kind { return try textComparison(op, l, value, r, quantifier: quantifier) }
            if case .text(let value) = l.kind { return try textComparison(op, r, value, l, quantifier: quantifier) }
            let cl = try check(l, quantifier: quantifier), cr = try check(r, quantifier: quantifier)
            if (op == .equal || op == .notEqual) && cl.type == .boolean && cr.type == .boolean {
                return Checked(ir: .truthEquality(negated: op == .notEqual, cl.ir, cr.ir), type: .boolean)
            }
            let context = "each side of '\(op.symbol)'"
            return Checked(ir: .comparison(op, try number(cl, l, context), try number(cr, r, context)), type: .boolean)
        case .logical(let op, let items):
            var irs: [RuleIR] = []
            for item in items {
                irs.append(try condition(try check(item, quantifier: quantifier), item, "each side of '\(op.rawValue)'"))
            }
            return Checked(ir: .logical(op, irs), type: .boolean)
        case .not(let x):
            let c = try check(x, quantifier: quantifier)
            return Checked(ir: .not(try condition(c, x, "the operand of 'not'")), type: .boolean)
        case .membership(let x, let list, let negated):
            let c = try check(x, quantifier: quantifier)
            return Checked(ir: .membership(try number(c, x, "the value tested with '\(negated ? "not in" : "in")'"), list, negated: negated),
                           type: .boolean)
        case .missingTest(let x, let negated):
            let c = try check(x, quantifier: quantifier)
            if let numeric = c.numeric { return Checked(ir: .missingTest(numeric, negated: negated), type: .boolean) }
            return Checked(ir: c.type == .number ? .missingTest(c.ir, negated: negated) : .unknownTest(c.ir, negated: negated),
                           type: .boolean)
        case .quantifier(let kind, let body):
            let spelled = kind == .any ? "'any member:'" : "'count members:'"
            if let outer = quantifier {
                throw RuleError(.nestedQuantifier,
                                "nested quantifier: \(spelled) inside '\(outer == .any ? "any member:" : "count members:")' "
                                + "(a member condition cannot look at other members)", at: n.start, in: text)
            }
            guard quantifiersAllowed else {
                throw RuleError(.quantifierNotAllowed,
                                "\(spelled) cannot be used in a rule evaluated for one member at a time", at: n.start, in: text)
            }
            let c = try check(body, quantifier: kind)
            let ir = try condition(c, body, "the body of \(spelled)")
            quantifiers.append((kind, ir))
            return Checked(ir: .quantifier(quantifiers.count - 1, kind), type: kind == .any ? .boolean : .number)
        }
    }
}

extension RuleChecker {
    /// `variable = "text"` (or `!=`): the text becomes the variable's value for it (position + 1 in
    /// `RuleSchema.Entry.texts`, compared case-insensitively), so evaluation stays numeric everywhere.
    private mutating func textComparison(_ op: RuleComparisonOperator, _ variable: RuleNode, _ value: String,
                                         _ textNode: RuleNode, quantifier: QuantifierKind?) throws(RuleError) -> Checked {
        guard op == .equal || op == .notEqual else {
            throw mismatch(textNode, "a text can only be compared with '=' or '!=', not '\(op.symbol)'")
        }
        guard case .variable(let name) = variable.kind,
              let texts = schema.lookup(name, preferMember: quantifier != nil || memberLevel)?.texts else {
            throw mismatch(variable, "'\(quote(variable))' has no text values, so it cannot be compared with the text '\(value)'")
        }
        let wanted = value.lowercased()
        guard let position = texts.firstIndex(where: { $0.lowercased() == wanted }) else {
            throw mismatch(textNode, "'\(value)' is not a value of \(name) (\(texts.joined(separator: ", ")))")
        }
        let c = try check(variable, quantifier: quantifier)
        return Checked(ir: .comparison(op, c.ir, .constant(Double(position + 1))), type: .boolean)
    }

    /// The front end shared by the virtual machine (`CompiledRule.compile`) and the SQL writer (`RuleSQL`):
    /// parse, decide the rule's level, type-check. Returns the tree, whether it reads one member, the checker
    /// (its quantifiers and variables used) and the checked form.
    static func check(_ text: String, schema: RuleSchema, level: RuleLevel) throws(RuleError)
        -> (ast: RuleNode, memberLevel: Bool, checker: RuleChecker, ir: RuleIR) {
        let ast = try RuleParser.parse(text)
        let memberLevel: Bool
        switch level {
        case .automatic: memberLevel = !ast.containsQuantifier
        case .family: memberLevel = false
        case .member: memberLevel = true
        }
        var checker = RuleChecker(text: text, schema: schema, memberLevel: memberLevel, quantifiersAllowed: level != .member)
        let ir = try checker.checkRule(ast)
        return (ast, memberLevel, checker, ir)
    }
}
