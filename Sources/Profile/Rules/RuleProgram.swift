/// Immutable compiled code of one rule, in manually allocated memory so the hot loop reads instructions
/// through plain pointers (no array bounds checks, no retain/release per call).
///
/// `@unchecked Sendable`: every stored property is set once in `init` and never written again; the
/// buffers are freed only in `deinit`, when no other reference can exist.
final class RuleProgram: @unchecked Sendable {
    let text: String
    let name: String
    let familyVariablesUsed: [Int]
    let memberVariablesUsed: [Int]
    let readsMemberVariablesOutsideQuantifiers: Bool
    let parenthesized: String
    let code: UnsafeMutablePointer<RuleInstruction>
    let codeCount: Int
    let sets: UnsafeMutablePointer<Double>
    /// NaN-filled stand-in for a member buffer that is absent or too short: member variables read as missing.
    let missingMember: UnsafeMutablePointer<Double>
    /// Stand-in quantifier counts for an empty counts buffer (only used when there are no quantifiers).
    let noCounts: UnsafeMutablePointer<Int32>
    let stackSize: Int
    /// Entry of the rule as a whole, reading quantifier results from the counts buffer.
    let familyEntry: Int
    /// Entry of the rule as a whole with quantifiers unknown (for `matches`).
    let memberEntry: Int
    /// Entry of each quantifier body (pointer, not array: no bounds check or uniqueness bookkeeping per call).
    let quantifierEntries: UnsafeMutablePointer<Int>
    let quantifierKinds: [QuantifierKind]
    /// Buffer lengths the code needs: 1 + the largest index read.
    let familyLength: Int
    let memberLength: Int

    init(text: String, name: String, familyVariablesUsed: [Int], memberVariablesUsed: [Int],
         readsMemberVariablesOutsideQuantifiers: Bool, parenthesized: String,
         code instructions: [RuleInstruction], sets values: [Double], stackSize: Int, familyEntry: Int, memberEntry: Int,
         quantifierEntries entries: [Int], quantifierKinds: [QuantifierKind]) {
        self.text = text
        self.name = name
        self.familyVariablesUsed = familyVariablesUsed
        self.memberVariablesUsed = memberVariablesUsed
        self.readsMemberVariablesOutsideQuantifiers = readsMemberVariablesOutsideQuantifiers
        self.parenthesized = parenthesized
        familyLength = (familyVariablesUsed.max() ?? -1) + 1
        memberLength = (memberVariablesUsed.max() ?? -1) + 1
        code = .allocate(capacity: max(1, instructions.count))
        code.initialize(from: instructions, count: instructions.count)
        codeCount = instructions.count
        sets = .allocate(capacity: max(1, values.count))
        sets.initialize(repeating: 0, count: max(1, values.count))
        for (i, v) in values.enumerated() { sets[i] = v }
        missingMember = .allocate(capacity: max(1, memberLength))
        missingMember.initialize(repeating: .nan, count: max(1, memberLength))
        noCounts = .allocate(capacity: max(1, quantifierKinds.count))
        noCounts.initialize(repeating: 0, count: max(1, quantifierKinds.count))
        self.stackSize = stackSize
        self.familyEntry = familyEntry
        self.memberEntry = memberEntry
        quantifierEntries = .allocate(capacity: max(1, entries.count))
        quantifierEntries.initialize(repeating: 0, count: max(1, entries.count))
        for (i, e) in entries.enumerated() { quantifierEntries[i] = e }
        self.quantifierKinds = quantifierKinds
    }

    deinit {
        code.deinitialize(count: codeCount)
        code.deallocate()
        sets.deallocate()
        missingMember.deallocate()
        noCounts.deallocate()
        quantifierEntries.deallocate()
    }

    /// Runs the code at `entry` and reports whether the result is true (unknown counts as false).
    /// Deliberately out of line: inlined into the public entry points, the optimiser laid out the fold
    /// loop worse (measured 12 vs 22 ns per PKH member condition).
    @inline(never)
    func run(_ entry: Int, family: UnsafePointer<Double>, member: UnsafePointer<Double>, counts: UnsafePointer<Int32>) -> Bool {
        // Most rules and quantifier bodies are one test or an and/or list of tests (`desil <= 4`,
        // `r404 in [1, 4]`, PKH's member condition): fold them into one accumulator, without a stack.
        let flatLength = Int(code[entry].flatLength)
        if flatLength > 0 { return Self.fold(code + entry, flatLength, sets, family, member, counts) }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: stackSize) { buffer in
            // capacity >= 1 always, so baseAddress is non-nil.
            Self.execute(code, entry, sets, family, member, counts, buffer.baseAddress.unsafelyUnwrapped)
        }
    }

    // Truth values: false 0, unknown 0.5, true 1 (see `RuleOpcode`).
    @inline(__always) private static func truth(_ b: Bool) -> Double { b ? 1 : 0 }
    private static let unknown = 0.5

    /// Comparison of two numbers under missing values: unknown when either is missing.
    @inline(__always) private static func compare(_ op: UInt8, _ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return unknown }
        switch op {
        case 0: return truth(x == y)
        case 1: return truth(x != y)
        case 2: return truth(x < y)
        case 3: return truth(x <= y)
        case 4: return truth(x > y)
        default: return truth(x >= y)
        }
    }

    /// Three-valued result from "matched" (false when missing), a negation flag (0/1) and "missing".
    /// (A branch-free integer formulation was measured 1.8x slower on the PKH condition: it lengthens
    /// the dependency chain through the accumulator more than the branches cost.)
    @inline(__always) private static func threeValued(_ hit: Bool, _ negated: UInt8, _ missing: Bool) -> Double {
        return missing ? unknown : truth(hit != (negated != 0))
    }

    /// `lo <= x <= hi`, negated when `flag` is 1; unknown when `x` is missing.
    @inline(__always) private static func rangeTest(_ ins: RuleInstruction, _ family: UnsafePointer<Double>,
                                                   _ member: UnsafePointer<Double>) -> Double {
        let x = (ins.scope == 0 ? family : member)[Int(ins.a)]
        return threeValued(x >= ins.k && x <= Double(bitPattern: ins.bits), ins.flag, x.isNaN)
    }

    @inline(__always) private static func inMask(_ x: Double, _ mask: UInt64, _ negated: UInt8) -> Double {
        let inRange = x >= 0 && x < 64                  // false for NaN
        let i = Int(inRange ? x : 0)                   // cannot trap: clamped first
        let hit = inRange && Double(i) == x && (mask >> UInt64(i & 63)) & 1 == 1  // fractional values are in no code set
        return threeValued(hit, negated, x.isNaN)
    }

    @inline(__always) private static func inSet(_ x: Double, _ set: UnsafePointer<Double>, _ count: Int, _ negated: UInt8) -> Double {
        if x.isNaN { return unknown }
        // Sorted values: bisection, so a long code list costs little more than a short one.
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if set[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        let hit = lo < count && set[lo] == x
        return truth(hit != (negated != 0))
    }

    /// Truncating remainder (as in SQL and C: `-3 % 2` is -1). Integer operands — the usual codes — take
    /// an integer path; others fall back to `fmod`. `% 0` and missing operands give NaN (missing).
    @inline(__always) private static func remainder(_ x: Double, _ y: Double) -> Double {
        if abs(x) < 9.0e15 && abs(y) < 9.0e15 {
            let a = Int64(x), b = Int64(y)
            if Double(a) == x && Double(b) == y { return b == 0 ? .nan : Double(a % b) }
        }
        return x.truncatingRemainder(dividingBy: y)
    }

    /// The truth value of a leaf instruction (`op.isLeaf`).
    @inline(__always)
    private static func leaf(_ ins: RuleInstruction, _ sets: UnsafePointer<Double>, _ family: UnsafePointer<Double>,
                             _ member: UnsafePointer<Double>, _ counts: UnsafePointer<Int32>) -> Double {
        switch ins.op {
        case .rangeTest: return rangeTest(ins, family, member)
        case .maskTest: return inMask((ins.scope == 0 ? family : member)[Int(ins.a)], ins.bits, ins.flag)
        case .setTest: return inSet((ins.scope == 0 ? family : member)[Int(ins.a)], sets + Int(ins.b), Int(ins.bits), ins.flag)
        case .missingTest: return truth((ins.scope == 0 ? family : member)[Int(ins.a)].isNaN != (ins.flag != 0))
        case .remainderTest:
            let x = remainder((ins.scope == 0 ? family : member)[Int(ins.a)], Double(ins.b))
            return threeValued(x >= ins.k && x <= Double(bitPattern: ins.bits), ins.flag, x.isNaN)
        case .constant: return ins.k
        case .quantifierAny: return truth(counts[Int(ins.a)] > 0)
        default: return unknown // .quantifierUnknownTruth (other opcodes are not leaves)
        }
    }

    /// Runs a flat program: `count` leaves folded into one accumulator. The common range and code-set
    /// tests are picked out by ordinary branches on a field of their own, which the CPU predicts from the
    /// fixed instruction sequence, instead of an indirect dispatch jump.
    @inline(__always)
    private static func fold(_ code: UnsafePointer<RuleInstruction>, _ count: Int, _ sets: UnsafePointer<Double>,
                             _ family: UnsafePointer<Double>, _ member: UnsafePointer<Double>, _ counts: UnsafePointer<Int32>) -> Bool {
        var acc = 0.0
        for pc in 0..<count {
            let ins = code[pc]
            let t: Double
            if ins.common == 1 {
                t = rangeTest(ins, family, member)
            } else if ins.common == 2 {
                t = inMask((ins.scope == 0 ? family : member)[Int(ins.a)], ins.bits, ins.flag)
            } else {
                t = leaf(ins, sets, family, member, counts)
            }
            acc = ins.mode == 0 ? t : (ins.mode == 1 ? min(acc, t) : max(acc, t))
        }
        return acc == 1
    }

    private static func execute(_ code: UnsafePointer<RuleInstruction>, _ entry: Int, _ sets: UnsafePointer<Double>,
                                _ family: UnsafePointer<Double>, _ member: UnsafePointer<Double>, _ counts: UnsafePointer<Int32>,
                                _ stack: UnsafeMutablePointer<Double>) -> Bool {
        var pc = entry
        var sp = 0 // number of values on the stack; the top is stack[sp - 1]
        while true {
            let ins = code[pc]
            pc &+= 1
            if ins.op.isLeaf {
                // Push the truth value, or fold it into the top with `and` (min) / `or` (max).
                let t = ins.common == 1 ? rangeTest(ins, family, member) : leaf(ins, sets, family, member, counts)
                switch ins.mode {
                case 0: stack[sp] = t; sp &+= 1
                case 1: stack[sp &- 1] = min(stack[sp &- 1], t)
                default: stack[sp &- 1] = max(stack[sp &- 1], t)
                }
                continue
            }
            switch ins.op {
            case .loadFamily: stack[sp] = family[Int(ins.a)]; sp &+= 1
            case .loadMember: stack[sp] = member[Int(ins.a)]; sp &+= 1
            case .quantifierCount: stack[sp] = Double(counts[Int(ins.a)]); sp &+= 1
            case .quantifierUnknownCount: stack[sp] = .nan; sp &+= 1
            case .negate: stack[sp &- 1] = -stack[sp &- 1]
            case .add: sp &-= 1; stack[sp &- 1] += stack[sp]
            case .subtract: sp &-= 1; stack[sp &- 1] -= stack[sp]
            case .multiply: sp &-= 1; stack[sp &- 1] *= stack[sp]
            case .divide:
                // Division by zero is missing, not ±infinity: a ratio with an empty denominator is unknown.
                sp &-= 1
                let d = stack[sp]
                stack[sp &- 1] = d == 0 ? .nan : stack[sp &- 1] / d
            case .remainder: sp &-= 1; stack[sp &- 1] = remainder(stack[sp &- 1], stack[sp])
            case .compare: sp &-= 1; stack[sp &- 1] = compare(ins.flag, stack[sp &- 1], stack[sp])
            case .truthEqual:
                sp &-= 1
                let l = stack[sp &- 1], r = stack[sp]
                stack[sp &- 1] = l == unknown || r == unknown ? unknown : truth((l == r) != (ins.flag != 0))
            case .inMask: stack[sp &- 1] = inMask(stack[sp &- 1], ins.bits, ins.flag)
            case .inSet: stack[sp &- 1] = inSet(stack[sp &- 1], sets + Int(ins.b), Int(ins.bits), ins.flag)
            case .isMissing: stack[sp &- 1] = truth(stack[sp &- 1].isNaN != (ins.flag != 0))
            case .isUnknown: stack[sp &- 1] = truth((stack[sp &- 1] == unknown) != (ins.flag != 0))
            case .not: stack[sp &- 1] = 1 - stack[sp &- 1]
            case .and: sp &-= 1; stack[sp &- 1] = min(stack[sp &- 1], stack[sp])
            case .or: sp &-= 1; stack[sp &- 1] = max(stack[sp &- 1], stack[sp])
            case .ret: return stack[sp &- 1] == 1
            default: break // leaves are handled above
            }
        }
    }
}

/// A rule compiled for the one-pass engine.
///
/// The engine streams members and never keeps them, so a rule with member quantifiers is split in two:
/// each quantifier body is evaluated once per current member (`memberMatches`) and folded by the engine
/// into one Int32 counter per family per quantifier; the rest of the rule is evaluated once per family
/// from the family's variables and those counters (`familyMatches`). Quantifier-free rules can also be
/// evaluated per member record with both scopes visible (`matches`).
///
/// Values are Doubles, NaN = missing. Logic is three-valued (SQL/Kleene): comparisons and arithmetic with
/// a missing operand are unknown, `false and unknown` is false, `true or unknown` is true, and a rule
/// whose final value is unknown is **false** — so a family with an empty `desil` is never eligible. A
/// member whose quantifier body is unknown does not match. `is missing` is never unknown. Division and
/// remainder by zero give missing.
///
/// A `CompiledRule` is one class reference: copying it (the engine iterates arrays of rules in its
/// per-member loop) costs one retain, not one per field.
public struct CompiledRule: Sendable {
    private let program: RuleProgram

    public var text: String { program.text }
    public var name: String { program.name }
    /// Variables the rule reads, as positions in the schema's family/member buffers (sorted), so the
    /// engine reads only those columns.
    public var familyVariablesUsed: [Int] { program.familyVariablesUsed }
    public var memberVariablesUsed: [Int] { program.memberVariablesUsed }
    /// True when member variables appear outside quantifiers (a member-level rule): such a rule is meant
    /// for `matches`; `familyMatches` would see those variables as missing.
    public var readsMemberVariablesOutsideQuantifiers: Bool { program.readsMemberVariablesOutsideQuantifiers }
    /// The rule fully parenthesised, as parsed (for logs and tests of precedence).
    public var parenthesized: String { program.parenthesized }

    /// Parses, type-checks and compiles `text` against `schema`. Errors carry `name`.
    public static func compile(_ text: String, name: String, schema: RuleSchema, level: RuleLevel = .automatic) throws(RuleError) -> CompiledRule {
        do {
            let (ast, memberLevel, checker, ir) = try RuleChecker.check(text, schema: schema, level: level)
            var emitter = RuleEmitter()
            let familyEntry = emitter.program(ir, quantifiers: .counts)
            let memberEntry = checker.quantifiers.isEmpty ? familyEntry : emitter.program(ir, quantifiers: .unknown)
            let quantifierEntries = checker.quantifiers.map { emitter.program($0.body, quantifiers: .unknown) }
            let familyUsed = checker.familyUsed.sorted(), memberUsed = checker.memberUsed.sorted()
            return CompiledRule(program: RuleProgram(
                text: text, name: name, familyVariablesUsed: familyUsed, memberVariablesUsed: memberUsed,
                readsMemberVariablesOutsideQuantifiers: memberLevel && !memberUsed.isEmpty, parenthesized: ast.parenthesized,
                code: emitter.code, sets: emitter.sets, stackSize: emitter.maxStack, familyEntry: familyEntry, memberEntry: memberEntry,
                quantifierEntries: quantifierEntries, quantifierKinds: checker.quantifiers.map(\.kind)))
        } catch {
            throw error.named(name)
        }
    }

    /// Whether `text` is syntactically valid (no schema involved). Total: never traps, whatever the
    /// input — nesting and tree height are bounded by `RuleParser.maxDepth` — which makes it a fuzzing
    /// entry point.
    public static func parseOnly(_ text: String) -> Bool {
        do { _ = try RuleParser.parse(text); return true } catch { return false }
    }

    /// Number of `any member:`/`count members:` in the rule, in source order. The engine keeps one
    /// counter per family per quantifier.
    public var quantifierCount: Int { program.quantifierKinds.count }

    public func quantifierKind(_ q: Int) -> QuantifierKind { program.quantifierKinds[q] }

    /// The compiled code, one instruction per line with its entry points marked (for debugging rules
    /// and for tests that pin down the code shape).
    public var disassembly: String {
        let p = program
        var entries: [Int: String] = [p.familyEntry: "family"]
        if p.memberEntry != p.familyEntry { entries[p.memberEntry] = "member" }
        for q in 0..<p.quantifierKinds.count { entries[p.quantifierEntries[q]] = "quantifier \(q) (\(p.quantifierKinds[q]))" }
        var lines: [String] = []
        for i in 0..<p.codeCount {
            let ins = p.code[i]
            if let e = entries[i] { lines.append("\(e):\(ins.flatLength > 0 ? " flat" : "")") }
            let mode = ["", " and", " or"][Int(min(ins.mode, 2))]
            let operands: String
            switch ins.op {
            case .rangeTest:
                operands = " \(ins.scope == 0 ? "family" : "member")[\(ins.a)] in [\(ins.k), \(Double(bitPattern: ins.bits))]\(ins.flag == 1 ? " negated" : "")"
            case .remainderTest:
                operands = " \(ins.scope == 0 ? "family" : "member")[\(ins.a)] % \(ins.b) in [\(ins.k), \(Double(bitPattern: ins.bits))]\(ins.flag == 1 ? " negated" : "")"
            case .maskTest, .setTest, .missingTest:
                operands = " \(ins.scope == 0 ? "family" : "member")[\(ins.a)]\(ins.flag == 1 ? " negated" : "")"
            case .loadFamily, .loadMember, .quantifierAny, .quantifierCount: operands = " \(ins.a)"
            case .constant: operands = " \(ins.k)"
            case .compare: operands = " \(RuleComparisonOperator(rawValue: ins.flag)?.symbol ?? "?")"
            default: operands = ins.flag == 1 ? " negated" : ""
            }
            lines.append("  \(ins.op)\(mode)\(operands)")
        }
        return lines.joined(separator: "\n")
    }

    /// An unretained handle for per-record loops (see `RuleHandle`).
    public var handle: RuleHandle { RuleHandle(program) }

    /// Evaluates quantifier `q`'s body for one current member. `family` and `member` hold the variable
    /// values in schema order (NaN = missing). The engine adds 1 to the family's counter `q` when true.
    @inline(__always)
    public func memberMatches(_ q: Int, family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>) -> Bool {
        withExtendedLifetime(program) { handle.memberMatches(q, family: family, member: member) }
    }

    /// Evaluates the whole rule for a family, given its variables and, per quantifier, how many current
    /// members matched (`any` is true when its count is > 0).
    @inline(__always)
    public func familyMatches(family: UnsafeBufferPointer<Double>, quantifierCounts: UnsafeBufferPointer<Int32>) -> Bool {
        withExtendedLifetime(program) { handle.familyMatches(family: family, quantifierCounts: quantifierCounts) }
    }

    /// Evaluates the rule for one member record with both scopes visible (current-member condition,
    /// person-table universe such as `age >= 5`). Meant for rules without quantifiers; should one have
    /// any, each quantifier is unknown here. An empty or short `member` buffer reads as all missing, so
    /// a family-only rule may be evaluated with no member at all.
    @inline(__always)
    public func matches(family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>) -> Bool {
        withExtendedLifetime(program) { handle.matches(family: family, member: member) }
    }
}

/// A compiled rule without reference counting, for the engine's per-record loops: evaluating a rule read
/// out of an array retains and releases its program each time (several per cent of a run at millions of
/// records). Valid only while the `CompiledRule` it came from is alive — the engine keeps its rules for the
/// whole run. `CompiledRule`'s own evaluation methods go through it, so there is one implementation.
public struct RuleHandle: @unchecked Sendable {
    /// Unmanaged, read through `_withUnsafeGuaranteedRef`: an `unowned(unsafe)` reference is still retained
    /// when copied into a local.
    private let program: Unmanaged<RuleProgram>

    init(_ program: RuleProgram) { self.program = .passUnretained(program) }

    /// See `CompiledRule.memberMatches`.
    @inline(__always)
    public func memberMatches(_ q: Int, family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>) -> Bool {
        program._withUnsafeGuaranteedRef { p in
            precondition(q >= 0 && q < p.quantifierKinds.count, "rule '\(p.name)': no quantifier \(q)")
            precondition(family.count >= p.familyLength, "rule '\(p.name)': family buffer shorter than the schema")
            let m = member.count >= p.memberLength ? member.baseAddress ?? UnsafePointer(p.missingMember) : UnsafePointer(p.missingMember)
            return p.run(p.quantifierEntries[q], family: family.baseAddress ?? UnsafePointer(p.missingMember), member: m,
                         counts: UnsafePointer(p.noCounts))
        }
    }

    /// See `CompiledRule.familyMatches`.
    @inline(__always)
    public func familyMatches(family: UnsafeBufferPointer<Double>, quantifierCounts: UnsafeBufferPointer<Int32>) -> Bool {
        program._withUnsafeGuaranteedRef { p in
            precondition(family.count >= p.familyLength, "rule '\(p.name)': family buffer shorter than the schema")
            precondition(quantifierCounts.count >= p.quantifierKinds.count, "rule '\(p.name)': one count per quantifier needed")
            return p.run(p.familyEntry, family: family.baseAddress ?? UnsafePointer(p.missingMember), member: UnsafePointer(p.missingMember),
                         counts: quantifierCounts.baseAddress ?? UnsafePointer(p.noCounts))
        }
    }

    /// See `CompiledRule.matches`.
    @inline(__always)
    public func matches(family: UnsafeBufferPointer<Double>, member: UnsafeBufferPointer<Double>) -> Bool {
        program._withUnsafeGuaranteedRef { p in
            precondition(family.count >= p.familyLength, "rule '\(p.name)': family buffer shorter than the schema")
            let m = member.count >= p.memberLength ? member.baseAddress ?? UnsafePointer(p.missingMember) : UnsafePointer(p.missingMember)
            return p.run(p.memberEntry, family: family.baseAddress ?? UnsafePointer(p.missingMember), member: m,
                         counts: UnsafePointer(p.noCounts))
        }
    }
}
