/// How a member quantifier folds its per-member condition into one family value.
public enum QuantifierKind: Sendable, Hashable {
    /// `any member: c` — true when at least one current member satisfies `c` (a flag per family).
    case any
    /// `count members: c` — the number of current members satisfying `c` (a counter per family).
    case count
}

enum RuleArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%" }

/// Raw values double as the VM's comparison codes, so keep them dense from 0.
enum RuleComparisonOperator: UInt8, Sendable {
    case equal, notEqual, less, lessEqual, greater, greaterEqual

    var symbol: String { ["=", "!=", "<", "<=", ">", ">="][Int(rawValue)] }
    /// The operator that gives the same result with the operands swapped (`4 >= desil` ≡ `desil <= 4`).
    var swapped: RuleComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        }
    }
}

enum RuleLogicalOperator: String, Sendable { case and, or }

/// A parsed rule, before variables are resolved against a schema.
///
/// Every node keeps its source span (for error carets and for quoting the operand in type errors) and
/// its height: the parser refuses trees taller than `RuleParser.maxDepth`, which bounds every later
/// recursive walk (type check, code generation, printing, even deinitialisation) and so keeps any
/// input, however adversarial, from overflowing the stack.
struct RuleNode: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case boolean(Bool)
        case variable(String)
        /// A text literal: only as one side of `=`/`!=` with a variable that has text values.
        case text(String)
        case negate(RuleNode)
        case arithmetic(RuleArithmeticOperator, RuleNode, RuleNode)
        case comparison(RuleComparisonOperator, RuleNode, RuleNode)
        /// `and`/`or` chains are kept flat (n-ary) so a long list of alternatives does not grow the height.
        case logical(RuleLogicalOperator, [RuleNode])
        case not(RuleNode)
        case membership(RuleNode, [Double], negated: Bool)
        case missingTest(RuleNode, negated: Bool)
        case quantifier(QuantifierKind, RuleNode)
    }
    var kind: Kind
    var start: Int
    var end: Int
    var height: Int

    /// Fully parenthesised form, used by tests to pin down precedence and by error messages.
    var parenthesized: String {
        func num(_ v: Double) -> String {
            // Range first, so the Int64 conversion cannot trap. (No `rounded()`: the module avoids libm.)
            abs(v) < 1e15 && Double(Int64(v)) == v ? String(Int64(v)) : String(v)
        }
        switch kind {
        case .number(let v): return num(v)
        case .boolean(let b): return b ? "true" : "false"
        case .variable(let n): return n
        case .text(let t): return "\"\(t)\""
        case .negate(let e): return "(-\(e.parenthesized))"
        case .arithmetic(let op, let l, let r): return "(\(l.parenthesized) \(op.rawValue) \(r.parenthesized))"
        case .comparison(let op, let l, let r): return "(\(l.parenthesized) \(op.symbol) \(r.parenthesized))"
        case .logical(let op, let items): return "(" + items.map(\.parenthesized).joined(separator: " \(op.rawValue) ") + ")"
        case .not(let e): return "(not \(e.parenthesized))"
        case .membership(let e, let list, let negated):
            return "(\(e.parenthesized) \(negated ? "not in" : "in") [\(list.map(num).joined(separator: ", "))])"
        case .missingTest(let e, let negated): return "(\(e.parenthesized) is \(negated ? "not missing" : "missing"))"
        case .quantifier(let q, let body): return "(\(q == .any ? "any member" : "count members"): \(body.parenthesized))"
        }
    }

    /// Whether a member quantifier occurs anywhere in the tree.
    var containsQuantifier: Bool {
        switch kind {
        case .number, .boolean, .variable, .text: return false
        case .quantifier: return true
        case .negate(let e), .not(let e), .membership(let e, _, _), .missingTest(let e, _): return e.containsQuantifier
        case .arithmetic(_, let l, let r), .comparison(_, let l, let r): return l.containsQuantifier || r.containsQuantifier
        case .logical(_, let items): return items.contains { $0.containsQuantifier }
        }
    }
}
