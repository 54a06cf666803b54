/// One VM instruction (32 bytes). Operands are positional so the VM never touches a String or a
/// dictionary.
struct RuleInstruction: Sendable {
    var op: RuleOpcode
    /// 1 = negate the test (`!=`, `not in`, `is not missing`), or the comparison code of `compare`.
    var flag: UInt8 = 0
    /// For leaves: push the truth value (0), or fold it into the top of the stack with `and` (1) or
    /// `or` (2). Folding saves one instruction per operand of an `and`/`or` list.
    var mode: UInt8 = 0
    /// For leaves reading a variable: 0 = family buffer, 1 = member buffer.
    var scope: UInt8 = 0
    /// 1 for `rangeTest`, 2 for `maskTest`, else 0: the two common leaves, marked in a field of their
    /// own so that testing for them cannot be merged by the optimiser into the dispatch switch on `op`
    /// (which would bring back the indirect jump this is meant to avoid).
    var common: UInt8 = 0
    /// On the first instruction of a program made only of leaves (the first pushing, the rest
    /// folding): the number of leaves. Such a program runs as a counted loop with one accumulator and
    /// no stack. 0 = not flat.
    var flatLength: UInt16 = 0
    /// Variable index or quantifier index.
    var a: Int32 = 0
    /// Start of a value set in the set table.
    var b: Int32 = 0
    /// Constant operand; the lower bound of `rangeTest`.
    var k: Double = 0
    /// Upper bound of `rangeTest` (bit pattern), bit mask of `maskTest`, or length of a `setTest` table.
    var bits: UInt64 = 0
}

/// Opcodes of the stack VM.
///
/// Stack values are Doubles. Numbers use NaN for missing. Truth values are ordered
/// false = 0 < unknown = 0.5 < true = 1, which makes Kleene logic branch-free: `and` is `min`, `or` is
/// `max`, `not` is `1 - x`. Programs are therefore straight-line code without short-circuit jumps.
///
/// Nearly every test in a real rule compares one variable with constants, and all such tests are one
/// opcode, `rangeTest` (`lo <= x <= hi`, possibly negated): `=`, `!=`, `<`, `<=`, `>`, `>=`, ranges and
/// boolean variables differ only in their operands. The VM evaluates it inline without a dispatch
/// jump; measured on the PKH member condition this roughly halves the cost per member, because
/// indirect jumps, not arithmetic, dominate an interpreter's time.
enum RuleOpcode: UInt8, Sendable {
    // Leaves: one truth value from a variable or a quantifier result; honour `mode`.
    case rangeTest          // lo <= x <= hi (flag 1: negated); missing → unknown
    case maskTest           // x in a set of integer codes 0..<64 (bit mask)
    case setTest            // x in a sorted table of values
    case missingTest        // x is missing (flag 1: is not missing)
    case remainderTest      // lo <= x % b <= hi, b an integer constant (`r431a % 2 = 1`: summed codes)
    case constant           // true/false literal
    case quantifierAny      // counts[a] > 0
    case quantifierUnknownTruth
    // Number leaves (always push).
    case loadFamily, loadMember, quantifierCount, quantifierUnknownCount
    // Stack operations.
    case negate, add, subtract, multiply, divide, remainder
    case compare, truthEqual
    case inMask, inSet, isMissing, isUnknown
    case not, and, or
    case ret

    /// Leaves produce one truth value from variables and constants and honour `mode`.
    @inline(__always) var isLeaf: Bool { rawValue <= RuleOpcode.quantifierUnknownTruth.rawValue }
}

/// Turns checked IR into flat code: one entry point per program (family-level rule, per-member rule,
/// each quantifier body), each ending in `ret`.
struct RuleEmitter {
    private(set) var code: [RuleInstruction] = []
    private(set) var sets: [Double] = []
    private(set) var maxStack = 1
    private var stack = 0

    /// How the program sees quantifiers: as per-family results, or not at all (unknown).
    enum QuantifierView { case counts, unknown }

    /// Push a value, or fold a truth value into the top of the stack.
    private enum Mode: UInt8 { case push = 0, and = 1, or = 2 }

    mutating func program(_ ir: RuleIR, quantifiers: QuantifierView) -> Int {
        let entry = code.count
        stack = 0
        emit(ir, quantifiers, .push)
        append(RuleInstruction(op: .ret), effect: -1)
        let body = code[entry..<(code.count - 1)]
        if body.count <= Int(UInt16.max), body.allSatisfy(\.op.isLeaf), body.dropFirst().allSatisfy({ $0.mode != 0 }) {
            code[entry].flatLength = UInt16(body.count)
        }
        return entry
    }

    private mutating func append(_ ins: RuleInstruction, effect: Int) {
        var ins = ins
        ins.common = ins.op == .rangeTest ? 1 : (ins.op == .maskTest ? 2 : 0)
        code.append(ins)
        stack += effect
        maxStack = max(maxStack, stack)
    }

    private static func scopeCode(_ s: RuleScope) -> UInt8 { s == .family ? 0 : 1 }

    /// `x op k` as the closed interval the comparison accepts, plus negation (for `!=`). Strict bounds
    /// become inclusive ones via `nextUp`/`nextDown`, exact for doubles.
    private static func interval(_ op: RuleComparisonOperator, _ k: Double) -> (low: Double, high: Double, negated: Bool) {
        switch op {
        case .equal: return (k, k, false)
        case .notEqual: return (k, k, true)
        case .less: return (-.infinity, k.nextDown, false)
        case .lessEqual: return (-.infinity, k, false)
        case .greater: return (k.nextUp, .infinity, false)
        case .greaterEqual: return (k, .infinity, false)
        }
    }

    private static func rangeTest(_ scope: RuleScope, _ i: Int, _ low: Double, _ high: Double, negated: Bool) -> RuleInstruction {
        RuleInstruction(op: .rangeTest, flag: negated ? 1 : 0, scope: scopeCode(scope), a: Int32(i), k: low, bits: high.bitPattern)
    }

    /// A set test: a 64-bit mask for small non-negative integer codes (the usual case), else a sorted
    /// table searched by bisection.
    private mutating func setInstruction(_ list: [Double], negated: Bool) -> RuleInstruction {
        var ins = RuleInstruction(op: .inSet, flag: negated ? 1 : 0)
        if list.allSatisfy({ $0 >= 0 && $0 < 64 && Double(Int($0)) == $0 }) {
            ins.op = .inMask
            ins.bits = list.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64(Int($1))) }
        } else {
            let values = Array(Set(list)).sorted()
            ins.b = Int32(sets.count)
            ins.bits = UInt64(values.count)
            sets.append(contentsOf: values)
        }
        return ins
    }

    /// `x % m` with `x` a variable and `m` a non-zero integer constant that fits an instruction.
    private static func remainderOperand(_ ir: RuleIR) -> (scope: RuleScope, index: Int, modulus: Int32)? {
        guard case .arithmetic(.remainder, .load(let s, let i, false), .constant(let m)) = ir,
              m != 0, abs(m) <= Double(Int32.max), Double(Int32(m)) == m else { return nil }
        return (s, i, Int32(m))
    }

    /// `x % m op c` as one instruction: a range test on the remainder.
    private static func remainderTest(_ op: RuleComparisonOperator, _ x: RuleIR, _ c: Double) -> RuleInstruction? {
        guard let (scope, i, m) = remainderOperand(x) else { return nil }
        let r = interval(op, c)
        var ins = rangeTest(scope, i, r.low, r.high, negated: r.negated)
        ins.op = .remainderTest
        ins.b = m
        return ins
    }

    /// Whether `leaf(_:_:)` turns `ir` into one instruction (kept in step with it).
    static func isLeaf(_ ir: RuleIR) -> Bool {
        switch ir {
        case .comparison(_, let x, .constant) where remainderOperand(x) != nil: return true
        case .comparison(_, .constant, let x) where remainderOperand(x) != nil: return true
        case .constant, .load(_, _, true), .quantifier(_, .any), .between: return true
        case .comparison(_, .load(_, _, false), .constant), .comparison(_, .constant, .load(_, _, false)): return true
        case .membership(.load(_, _, false), _, _), .missingTest(.load, _): return true
        default: return false
        }
    }

    /// The single instruction computing a truth-valued leaf, if `ir` is one.
    private mutating func leaf(_ ir: RuleIR, _ view: QuantifierView) -> RuleInstruction? {
        guard Self.isLeaf(ir) else { return nil }
        switch ir {
        case .comparison(let op, let x, .constant(let c)) where Self.remainderOperand(x) != nil:
            return Self.remainderTest(op, x, c)
        case .comparison(let op, .constant(let c), let x) where Self.remainderOperand(x) != nil:
            return Self.remainderTest(op.swapped, x, c)
        case .constant(let v):
            return RuleInstruction(op: .constant, k: v)
        case .load(let scope, let i, true):
            // A boolean variable as a condition: true unless 0 (missing → unknown).
            return Self.rangeTest(scope, i, 0, 0, negated: true)
        case .quantifier(let q, .any):
            return RuleInstruction(op: view == .unknown ? .quantifierUnknownTruth : .quantifierAny, a: Int32(q))
        case .comparison(let op, .load(let scope, let i, false), .constant(let c)):
            let r = Self.interval(op, c)
            return Self.rangeTest(scope, i, r.low, r.high, negated: r.negated)
        case .comparison(let op, .constant(let c), .load(let scope, let i, false)):
            let r = Self.interval(op.swapped, c) // `4 >= desil` is `desil <= 4`
            return Self.rangeTest(scope, i, r.low, r.high, negated: r.negated)
        case .between(let scope, let i, let low, let lowStrict, let high, let highStrict):
            return Self.rangeTest(scope, i, lowStrict ? low.nextUp : low, highStrict ? high.nextDown : high, negated: false)
        case .membership(.load(let scope, let i, false), let list, let negated):
            var ins = setInstruction(list, negated: negated)
            ins.op = ins.op == .inMask ? .maskTest : .setTest
            ins.scope = Self.scopeCode(scope)
            ins.a = Int32(i)
            return ins
        case .missingTest(.load(let scope, let i, _), let negated):
            return RuleInstruction(op: .missingTest, flag: negated ? 1 : 0, scope: Self.scopeCode(scope), a: Int32(i))
        default:
            return nil
        }
    }

    private mutating func emit(_ ir: RuleIR, _ view: QuantifierView, _ mode: Mode) {
        if var ins = leaf(ir, view) {
            ins.mode = mode.rawValue
            append(ins, effect: mode == .push ? 1 : 0)
            return
        }
        if case .logical(let op, let given) = ir {
            let fused = op == .and ? Self.fusingRanges(given) : given
            // Compound items first, then leaves: leaves fold into whatever is on top, so a list with one
            // compound item (`a or b or (c and d)`) needs no second stack slot and often stays flat.
            // Reordering is sound because `and`/`or` are commutative and evaluation has no side effects.
            let items = fused.filter { !Self.isLeaf($0) } + fused.filter(Self.isLeaf)
            let fold: Mode = op == .and ? .and : .or
            // Same operator as the enclosing fold: associativity lets the items fold straight in.
            if mode == fold {
                for item in items { emit(item, view, fold) }
                return
            }
            emit(items[0], view, .push)
            for item in items.dropFirst() { emit(item, view, fold) }
        } else {
            emitValue(ir, view)
        }
        switch mode {
        case .push: break
        case .and: append(RuleInstruction(op: .and), effect: -1)
        case .or: append(RuleInstruction(op: .or), effect: -1)
        }
    }

    /// A comparison of a variable with a constant, as (variable, operator, constant).
    private static func bound(_ ir: RuleIR) -> (scope: RuleScope, index: Int, op: RuleComparisonOperator, k: Double)? {
        switch ir {
        case .comparison(let op, .load(let s, let i, false), .constant(let c)): return (s, i, op, c)
        case .comparison(let op, .constant(let c), .load(let s, let i, false)): return (s, i, op.swapped, c)
        default: return nil
        }
    }

    /// Merges a lower and an upper bound on the same variable within one `and` list into a single range
    /// test (`age >= 6 and age <= 21`): age ranges are everywhere in eligibility rules, and this saves an
    /// instruction each. Sound because `and` is commutative and evaluation has no side effects; a
    /// missing value makes both bounds and the range unknown alike.
    private static func fusingRanges(_ items: [RuleIR]) -> [RuleIR] {
        func isLower(_ op: RuleComparisonOperator) -> Bool { op == .greater || op == .greaterEqual }
        func isUpper(_ op: RuleComparisonOperator) -> Bool { op == .less || op == .lessEqual }
        var result: [RuleIR] = []
        var used = [Bool](repeating: false, count: items.count)
        for i in items.indices where !used[i] {
            guard let b = bound(items[i]), isLower(b.op) || isUpper(b.op),
                  let j = items.indices.first(where: { j in
                      guard j > i, !used[j], let c = bound(items[j]) else { return false }
                      return c.scope == b.scope && c.index == b.index && (isLower(b.op) ? isUpper(c.op) : isLower(c.op))
                  }), let c = bound(items[j])
            else { result.append(items[i]); continue }
            used[j] = true
            let (low, high) = isLower(b.op) ? (b, c) : (c, b)
            result.append(.between(b.scope, b.index, low: low.k, lowStrict: low.op == .greater,
                                   high: high.k, highStrict: high.op == .less))
        }
        return result
    }

    /// Pushes the value of a node that is not a leaf (or a number leaf).
    private mutating func emitValue(_ ir: RuleIR, _ view: QuantifierView) {
        switch ir {
        case .constant(let v):
            append(RuleInstruction(op: .constant, k: v), effect: 1)
        case .load(let scope, let i, _):
            append(RuleInstruction(op: scope == .family ? .loadFamily : .loadMember, a: Int32(i)), effect: 1)
        case .quantifier(let q, _):
            append(RuleInstruction(op: view == .unknown ? .quantifierUnknownCount : .quantifierCount, a: Int32(q)), effect: 1)
        case .negate(let x):
            emit(x, view, .push)
            append(RuleInstruction(op: .negate), effect: 0)
        case .arithmetic(let op, let l, let r):
            emit(l, view, .push)
            emit(r, view, .push)
            let code: RuleOpcode
            switch op {
            case .add: code = .add
            case .subtract: code = .subtract
            case .multiply: code = .multiply
            case .divide: code = .divide
            case .remainder: code = .remainder
            }
            append(RuleInstruction(op: code), effect: -1)
        case .comparison(let op, let l, let r):
            emit(l, view, .push)
            emit(r, view, .push)
            append(RuleInstruction(op: .compare, flag: op.rawValue), effect: -1)
        case .truthEquality(let negated, let l, let r):
            emit(l, view, .push)
            emit(r, view, .push)
            append(RuleInstruction(op: .truthEqual, flag: negated ? 1 : 0), effect: -1)
        case .logical:
            emit(ir, view, .push)
        case .not(let x):
            emit(x, view, .push)
            append(RuleInstruction(op: .not), effect: 0)
        case .membership(let x, let list, let negated):
            emit(x, view, .push)
            append(setInstruction(list, negated: negated), effect: 0)
        case .missingTest(let x, let negated):
            emit(x, view, .push)
            append(RuleInstruction(op: .isMissing, flag: negated ? 1 : 0), effect: 0)
        case .unknownTest(let x, let negated):
            emit(x, view, .push)
            append(RuleInstruction(op: .isUnknown, flag: negated ? 1 : 0), effect: 0)
        case .between:
            if let ins = leaf(ir, view) { append(ins, effect: 1) }
        }
    }
}
