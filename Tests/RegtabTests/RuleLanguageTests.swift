import Testing
@testable import Profile

// MARK: - Fixtures

/// A small schema in the shape the engine builds: family variables first, then member variables.
private let schema = RuleSchema(variables: [
    (name: "desil", scope: .family, type: .number),
    (name: "r301a", scope: .family, type: .number),
    (name: "r302", scope: .family, type: .number),
    (name: "r308", scope: .family, type: .number),
    (name: "r501b", scope: .family, type: .number),
    (name: "x", scope: .family, type: .number),
    (name: "y", scope: .family, type: .number),
    (name: "r404", scope: .member, type: .number),
    (name: "r405", scope: .member, type: .number),
    (name: "age", scope: .member, type: .number),
    (name: "r410", scope: .member, type: .number),
    (name: "r412", scope: .member, type: .number),
    (name: "r431a", scope: .member, type: .number),
    (name: "r431e", scope: .member, type: .number),
    (name: "disability", scope: .member, type: .boolean),
])

/// The contract's (data-contract §2) default rules, as written in `reports/regsosek/rules.yml`.
private enum Contract {
    static let pkh = "desil <= 4 and any member: (r410 = 1 or age <= 6 or (age >= 6 and age <= 21 and r412 = 2) or age >= 60 or disability)"
    static let bpnt = "desil <= 4"
    static let pbiEligible = "desil <= 5"
    static let pbiRegistry = "any member: r431a % 2 = 1 and r431a != 99"
    static let pip = "desil <= 4 and any member: age >= 6 and age <= 21 and r412 = 2"
    static let example = "(count members: r405 = 2 and age >= 15) >= 2 and r308 in [7, 10] and not (r301a = 1)"
}

private typealias Record = [String: Double]

/// Values of one scope in schema order; NaN where a variable is not given (= missing).
private func values(_ scope: RuleScope, _ record: Record) -> [Double] {
    let entries = schema.entries.filter { $0.scope == scope }
    for key in record.keys { precondition(entries.contains { $0.name == key }, "test fixture: no \(scope) variable \(key)") }
    return entries.map { record[$0.name] ?? .nan }
}

/// Runs a rule the way the engine does: stream the members once into per-quantifier counters, then
/// evaluate the family-level part.
private func evaluate(_ text: String, family: Record = [:], members: [Record] = [], level: RuleLevel = .automatic) throws -> Bool {
    let rule = try CompiledRule.compile(text, name: "test", schema: schema, level: level)
    let fv = values(.family, family)
    var counts = [Int32](repeating: 0, count: rule.quantifierCount)
    for m in members {
        let mv = values(.member, m)
        fv.withUnsafeBufferPointer { f in
            mv.withUnsafeBufferPointer { mb in
                for q in 0..<rule.quantifierCount where rule.memberMatches(q, family: f, member: mb) { counts[q] += 1 }
            }
        }
    }
    return fv.withUnsafeBufferPointer { f in counts.withUnsafeBufferPointer { rule.familyMatches(family: f, quantifierCounts: $0) } }
}

/// Evaluates a quantifier-free rule for one member record with `matches`.
private func matches(_ text: String, family: Record = [:], member: Record = [:]) throws -> Bool {
    let rule = try CompiledRule.compile(text, name: "test", schema: schema)
    let fv = values(.family, family), mv = values(.member, member)
    return fv.withUnsafeBufferPointer { f in mv.withUnsafeBufferPointer { rule.matches(family: f, member: $0) } }
}

/// Three-valued result of a condition: `nil` = unknown. Uses `is missing`, which is never unknown and
/// is true exactly when its operand is unknown.
private func tri(_ condition: String, family: Record) throws -> Bool? {
    if try evaluate(condition, family: family) { return true }
    if try evaluate("(\(condition)) is missing", family: family) { return nil }
    return false
}

private func compileError(_ text: String, name: String = "r", level: RuleLevel = .automatic) -> RuleError? {
    do {
        _ = try CompiledRule.compile(text, name: name, schema: schema, level: level)
        return nil
    } catch {
        return error
    }
}

private func parsed(_ text: String) throws -> String { try RuleParser.parse(text).parenthesized }

// MARK: - Parsing and precedence

@Suite struct RuleParsingTests {
    @Test func arithmeticPrecedenceAndAssociativity() throws {
        #expect(try parsed("1 + 2 * 3 = 7") == "((1 + (2 * 3)) = 7)")
        #expect(try parsed("10 - 4 - 3 = 3") == "(((10 - 4) - 3) = 3)")
        #expect(try parsed("x * 2 % 3 / 4 > 0") == "((((x * 2) % 3) / 4) > 0)")
        #expect(try parsed("-x + 1 = -2") == "(((-x) + 1) = -2)")
        #expect(try parsed("(1 + 2) * 3 = 9") == "(((1 + 2) * 3) = 9)")
        #expect(try evaluate("1 + 2 * 3 = 7"))
        #expect(try evaluate("(1 + 2) * 3 = 9"))
        #expect(try evaluate("10 - 4 - 3 = 3"))
        #expect(try evaluate("7 % 2 = 1 and -3 % 2 = -1 and 10 / 4 = 2.5 and 7.2 > 7"))
        #expect(try evaluate("- -2 = 2"))
    }

    /// `not` binds looser than comparisons and tighter than `and` (SQL).
    @Test func notPrecedence() throws {
        #expect(try parsed("not x = 1 and y = 2") == "((not (x = 1)) and (y = 2))")
        #expect(try parsed("not not x = 1") == "(not (not (x = 1)))")
        #expect(try parsed("x = 1 or y = 2 and x = 3") == "((x = 1) or ((y = 2) and (x = 3)))")
        #expect(try parsed("x = 1 and y = 2 and x = 3 or y = 4") == "(((x = 1) and (y = 2) and (x = 3)) or (y = 4))")
        #expect(try evaluate("not x = 1 and y = 2", family: ["x": 0, "y": 2]))
        #expect(try !evaluate("not x = 1 and y = 2", family: ["x": 1, "y": 2]))
    }

    /// A quantifier body extends as far right as possible.
    @Test func quantifierBodyExtendsRight() throws {
        #expect(try parsed("any member: age = 1 and r410 = 2") == "(any member: ((age = 1) and (r410 = 2)))")
        #expect(try parsed(Contract.bpnt + " and any member: r410 = 1 or age <= 6")
            == "((desil <= 4) and (any member: ((r410 = 1) or (age <= 6))))")
        #expect(try parsed("(count members: r405 = 2) >= 2") == "((count members: (r405 = 2)) >= 2)")
        #expect(try parsed("not any member: disability") == "(not (any member: disability))")
        #expect(try parsed("2 <= count members: age >= 15") == "(2 <= (count members: (age >= 15)))")
    }

    @Test func membershipMissingAndSpellings() throws {
        #expect(try parsed("r308 in [7, 10]") == "(r308 in [7, 10])")
        #expect(try parsed("r308 not in [7, -1, 2.5]") == "(r308 not in [7, -1, 2.5])")
        #expect(try parsed("not r308 in [7]") == "(not (r308 in [7]))")
        #expect(try parsed("r302 is missing or r302 is not missing") == "((r302 is missing) or (r302 is not missing))")
        #expect(try parsed("x <> 1") == "(x != 1)")
        #expect(try parsed("DESIL <= 4 AND Any Member: AGE <= 6") == "((DESIL <= 4) and (any member: (AGE <= 6)))")
        #expect(try parsed("any members: true") == "(any member: true)")
        #expect(try parsed("x\n  >=\t1") == "(x >= 1)")
        #expect(try parsed("x\u{00A0}=\u{00A0}1") == "(x = 1)")
    }
}

// MARK: - Evaluation

@Suite struct RuleEvaluationTests {
    @Test func inAndNotIn() throws {
        #expect(try evaluate("r308 in [7, 10]", family: ["r308": 10]))
        #expect(try !evaluate("r308 in [7, 10]", family: ["r308": 4]))
        #expect(try evaluate("r308 not in [7, 10]", family: ["r308": 4]))
        #expect(try !evaluate("r308 not in [7, 10]", family: ["r308": 7]))
        // A missing value is neither in nor out of a list.
        #expect(try tri("r308 in [7, 10]", family: [:]) == nil)
        #expect(try tri("r308 not in [7, 10]", family: [:]) == nil)
        // Non-integer and large values use the sorted-set path rather than the bit mask.
        #expect(try evaluate("r302 in [250, 7.5, 100]", family: ["r302": 7.5]))
        #expect(try evaluate("r302 in [250, 7.5, 100]", family: ["r302": 250]))
        #expect(try !evaluate("r302 in [250, 7.5, 100]", family: ["r302": 7]))
        #expect(try evaluate("r302 not in [250, 7.5, 100]", family: ["r302": 7]))
        #expect(try evaluate("r302 in [63, 0]", family: ["r302": 63]))
        #expect(try !evaluate("r302 in [63, 0]", family: ["r302": 64]))
        #expect(try !evaluate("r302 in [1, 2]", family: ["r302": 1.5]))
        #expect(try evaluate("r302 in [-1, 2]", family: ["r302": -1]))
        #expect(try evaluate("r302 - 1 in [6, 9]", family: ["r302": 10]))
    }

    @Test func isMissingIsNeverUnknown() throws {
        #expect(try tri("x is missing", family: [:]) == true)
        #expect(try tri("x is missing", family: ["x": 0]) == false)
        #expect(try tri("x is not missing", family: [:]) == false)
        #expect(try tri("x is not missing", family: ["x": 3]) == true)
        #expect(try tri("x + y is missing", family: ["x": 1]) == true)
        #expect(try tri("x / y is missing", family: ["x": 1, "y": 0]) == true)
        #expect(try tri("x % y is missing", family: ["x": 1, "y": 0]) == true)
    }

    /// Kleene truth tables: T = `x = 1` with x = 1, F with x = 0, U (unknown) with x missing.
    @Test(arguments: [1.0, 0.0, Double.nan], [1.0, 0.0, Double.nan])
    func threeValuedLogic(x: Double, y: Double) throws {
        func truth(_ v: Double) -> Bool? { v.isNaN ? nil : v == 1 }
        let a = truth(x), b = truth(y)
        let family: Record = ["x": x, "y": y]
        let and: Bool? = (a == false || b == false) ? false : (a == nil || b == nil ? nil : true)
        let or: Bool? = (a == true || b == true) ? true : (a == nil || b == nil ? nil : false)
        #expect(try tri("x = 1 and y = 1", family: family) == and)
        #expect(try tri("x = 1 or y = 1", family: family) == or)
        #expect(try tri("not x = 1", family: family) == a.map { !$0 })
        // Short-circuit order must not matter.
        #expect(try tri("y = 1 and x = 1", family: family) == and)
        #expect(try tri("y = 1 or x = 1", family: family) == or)
    }

    @Test func unknownRuleIsFalse() throws {
        #expect(try !evaluate("x = 1", family: [:]))
        #expect(try !evaluate("not x = 1", family: [:]))
        #expect(try evaluate("x = 1 or true", family: [:]))
        #expect(try !evaluate("x = 1 and false", family: [:]))
        #expect(try tri("x != 1", family: [:]) == nil)
        #expect(try tri("x + 1 > 0", family: [:]) == nil)
        #expect(try tri("true = (x = 1)", family: [:]) == nil)
    }

    @Test func booleanVariables() throws {
        // A boolean variable is a condition and also its stored 0/1 number.
        #expect(try matches("disability", member: ["disability": 1]))
        #expect(try !matches("disability", member: ["disability": 0]))
        #expect(try matches("not disability", member: ["disability": 0]))
        #expect(try !matches("not disability", member: [:]))
        #expect(try matches("disability = 1", member: ["disability": 1]))
        #expect(try matches("disability < 2", member: ["disability": 0]))
        #expect(try matches("disability + 1 = 2", member: ["disability": 1]))
        #expect(try matches("disability = true", member: ["disability": 1]))
        #expect(try matches("disability != true", member: ["disability": 0]))
        #expect(try matches("disability is missing", member: [:]))
    }

    @Test func matchesForMemberLevelRules() throws {
        #expect(try matches("age >= 5", member: ["age": 5]))
        #expect(try !matches("age >= 5", member: ["age": 4]))
        #expect(try !matches("age >= 5", member: [:]))
        #expect(try matches("r404 in [1, 4]", member: ["r404": 4]))
        #expect(try !matches("r404 in [1, 4]", member: ["r404": 2]))
        #expect(try matches("desil <= 4 and age < 18", family: ["desil": 2], member: ["age": 10]))
        // Family-only rule evaluated with an empty member buffer (family-scope derived variables).
        let rule = try CompiledRule.compile("desil <= 4 or age = 3", name: "f", schema: schema)
        let fv = values(.family, ["desil": 9])
        let viaEmpty = fv.withUnsafeBufferPointer { f in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 0) { rule.matches(family: f, member: UnsafeBufferPointer($0)) }
        }
        #expect(!viaEmpty) // age reads as missing: false or unknown → false
    }
}

// MARK: - Contract rules (data-contract §2)

@Suite struct ContractRuleTests {
    private let adult: Record = ["age": 35, "r412": 3, "r410": 2, "disability": 0]

    @Test func pkh() throws {
        let child: Record = ["age": 5, "r412": 2, "disability": 0]
        #expect(try evaluate(Contract.pkh, family: ["desil": 3], members: [adult, child]))
        #expect(try !evaluate(Contract.pkh, family: [:], members: [adult, child]))        // desil empty: not ranked
        #expect(try !evaluate(Contract.pkh, family: ["desil": 5], members: [adult, child]))
        #expect(try !evaluate(Contract.pkh, family: ["desil": 3], members: [adult]))
        #expect(try !evaluate(Contract.pkh, family: ["desil": 3], members: []))
        #expect(try evaluate(Contract.pkh, family: ["desil": 4], members: [adult.merging(["r410": 1]) { $1 }]))
        #expect(try evaluate(Contract.pkh, family: ["desil": 1], members: [adult, ["age": 21, "r412": 2]]))
        #expect(try !evaluate(Contract.pkh, family: ["desil": 1], members: [adult, ["age": 21, "r412": 3]]))
        #expect(try evaluate(Contract.pkh, family: ["desil": 1], members: [["age": 60, "r412": 3]]))
        #expect(try evaluate(Contract.pkh, family: ["desil": 1], members: [adult.merging(["disability": 1]) { $1 }]))
        // Age unknown, nothing else known: unknown → does not count.
        #expect(try !evaluate(Contract.pkh, family: ["desil": 1], members: [[:]]))
    }

    @Test func bpntAndPbiEligibility() throws {
        #expect(try evaluate(Contract.bpnt, family: ["desil": 4]))
        #expect(try !evaluate(Contract.bpnt, family: ["desil": 5]))
        #expect(try !evaluate(Contract.bpnt, family: [:]))
        #expect(try evaluate(Contract.pbiEligible, family: ["desil": 5]))
        #expect(try !evaluate(Contract.pbiEligible, family: ["desil": 6]))
    }

    @Test func pbiRegistryRecipient() throws {
        #expect(try !evaluate(Contract.pbiRegistry, members: [["r431a": 99]]))
        #expect(try evaluate(Contract.pbiRegistry, members: [["r431a": 5]]))
        #expect(try evaluate(Contract.pbiRegistry, members: [["r431a": 1]]))
        #expect(try !evaluate(Contract.pbiRegistry, members: [["r431a": 4]]))
        #expect(try !evaluate(Contract.pbiRegistry, members: [["r431a": 0], [:]]))
        #expect(try evaluate(Contract.pbiRegistry, members: [["r431a": 2], ["r431a": 99], ["r431a": 9]]))
    }

    @Test func pip() throws {
        #expect(try !evaluate(Contract.pip, family: ["desil": 3], members: [adult, ["age": 21, "r412": 3]]))
        #expect(try evaluate(Contract.pip, family: ["desil": 3], members: [adult, ["age": 21, "r412": 2]]))
        #expect(try evaluate(Contract.pip, family: ["desil": 3], members: [adult, ["age": 6, "r412": 2]]))
        #expect(try !evaluate(Contract.pip, family: ["desil": 3], members: [adult, ["age": 22, "r412": 2]]))
        #expect(try !evaluate(Contract.pip, family: ["desil": 3], members: [adult, ["age": 5, "r412": 2]]))
        #expect(try !evaluate(Contract.pip, family: [:], members: [adult, ["age": 10, "r412": 2]]))
    }

    @Test func countMembersWithThreshold() throws {
        let woman: Record = ["r405": 2, "age": 40], girl: Record = ["r405": 2, "age": 15], boy: Record = ["r405": 1, "age": 16]
        let family: Record = ["r308": 10, "r301a": 2]
        #expect(try evaluate(Contract.example, family: family, members: [woman, girl, boy]))
        #expect(try !evaluate(Contract.example, family: family, members: [woman, boy]))
        #expect(try !evaluate(Contract.example, family: family, members: [woman, ["r405": 2, "age": 14]]))
        #expect(try !evaluate(Contract.example, family: ["r308": 4, "r301a": 2], members: [woman, girl]))
        #expect(try !evaluate(Contract.example, family: ["r308": 7, "r301a": 1], members: [woman, girl]))
        // Tenure missing: not (unknown) is unknown, so the rule is false.
        #expect(try !evaluate(Contract.example, family: ["r308": 7], members: [woman, girl]))
        // Members whose condition is unknown are not counted.
        #expect(try !evaluate(Contract.example, family: family, members: [woman, ["age": 30]]))
        #expect(try evaluate("(count members: age >= 0) = 0", members: []))
        #expect(try evaluate("(count members: age >= 0) = 3", members: [["age": 1], ["age": 2], ["age": 3], [:]]))
        #expect(try evaluate("(count members: r405 = 2) * 2 > count members: age >= 0",
                             members: [woman, girl, boy]))
    }

    @Test func compiledShape() throws {
        let pkh = try CompiledRule.compile(Contract.pkh, name: "PKH", schema: schema)
        #expect(pkh.quantifierCount == 1)
        #expect(pkh.quantifierKind(0) == .any)
        #expect(pkh.familyVariablesUsed == [0])                 // desil
        #expect(pkh.memberVariablesUsed == [2, 3, 4, 7])        // age, r410, r412, disability
        #expect(!pkh.readsMemberVariablesOutsideQuantifiers)
        let example = try CompiledRule.compile(Contract.example + " and any member: r410 = 1", name: "ex", schema: schema)
        #expect(example.quantifierCount == 2)
        #expect(example.quantifierKind(0) == .count)
        #expect(example.quantifierKind(1) == .any)
        #expect(example.familyVariablesUsed == [1, 3])
        let universe = try CompiledRule.compile("age >= 5", name: "u", schema: schema)
        #expect(universe.quantifierCount == 0)
        #expect(universe.readsMemberVariablesOutsideQuantifiers)
        #expect(universe.memberVariablesUsed == [2])
        // familyMatches reads counts directly.
        let fv = values(.family, ["desil": 2])
        let yes: [Int32] = [3], no: [Int32] = [0]
        fv.withUnsafeBufferPointer { f in
            #expect(yes.withUnsafeBufferPointer { pkh.familyMatches(family: f, quantifierCounts: $0) })
            #expect(!no.withUnsafeBufferPointer { pkh.familyMatches(family: f, quantifierCounts: $0) })
        }
    }

    @Test func nameInBothScopes() throws {
        let s = RuleSchema(variables: [(name: "v", scope: .family, type: .number), (name: "v", scope: .member, type: .number)])
        let rule = try CompiledRule.compile("v = 1 and any member: v = 2", name: "both", schema: s)
        #expect(rule.familyVariablesUsed == [0] && rule.memberVariablesUsed == [0])
        let f: [Double] = [1], m: [Double] = [2]
        let hit = f.withUnsafeBufferPointer { fb in m.withUnsafeBufferPointer { rule.memberMatches(0, family: fb, member: $0) } }
        #expect(hit)
    }
}

// MARK: - Errors

@Suite struct RuleErrorTests {
    @Test func unknownVariableWithSuggestion() throws {
        let e = try #require(compileError("dsil <= 4 and any member: age <= 6", name: "PKH"))
        #expect(e.kind == .unknownVariable)
        #expect(e.offset == 0 && e.line == 1 && e.column == 1)
        #expect(e.suggestions == ["desil"])
        #expect(e.description == """
            rule 'PKH': unknown variable 'dsil' (did you mean 'desil'?)
              dsil <= 4 and any member: age <= 6
              ^
            """)
        let f = try #require(compileError("desil <= 4 and any member: agee <= 6 and r41O = 1"))
        #expect(f.kind == .unknownVariable && f.column == 28 && f.suggestions == ["age"])
        let g = try #require(compileError("desil <= 4 and nothing_like_it = 1"))
        #expect(g.kind == .unknownVariable && g.column == 16 && g.suggestions.isEmpty)
        #expect(g.message == "unknown variable 'nothing_like_it'")
    }

    @Test func memberVariableOutsideQuantifier() throws {
        let e = try #require(compileError("age <= 6 and any member: r410 = 1"))
        #expect(e.kind == .memberVariableOutsideQuantifier && e.column == 1)
        #expect(e.message == "member variable 'age' used outside 'any member:' / 'count members:'")
        // Quantifier-free rule declared family-level: the forgotten `any member:` is caught.
        let f = try #require(compileError("desil <= 4 and age <= 6", level: .family))
        #expect(f.kind == .memberVariableOutsideQuantifier && f.column == 16)
    }

    @Test func nestedAndMisplacedQuantifiers() throws {
        let e = try #require(compileError("desil <= 4 and any member: count members: age < 5"))
        #expect(e.kind == .nestedQuantifier && e.column == 28)
        let f = try #require(compileError("any member: age > 1", level: .member))
        #expect(f.kind == .quantifierNotAllowed && f.column == 1)
    }

    @Test func typeMismatch() throws {
        let cases: [(String, Int)] = [
            ("desil and 3", 1),
            ("desil <= 4 and 3", 16),
            ("any member: age", 13),
            ("any member: (age > 5) + 1 = 2", 13),
            ("desil + 1", 1),
            ("not desil", 5),
            ("true < 1", 1),
            ("(count members: age > 5) and desil = 1", 1),
            ("-(desil = 1) = 1", 2),
            ("(desil = 1) in [1]", 1),
        ]
        for (text, column) in cases {
            let e = try #require(compileError(text), "\(text)")
            #expect(e.kind == .typeMismatch, "\(text): \(e)")
            #expect(e.column == column, "\(text): \(e)")
        }
        #expect(compileError("desil and 3")?.message == "'desil' is a number, but each side of 'and' must be a condition (compare it, e.g. 'desil = 1')")
    }

    @Test func syntaxErrors() throws {
        let cases: [(text: String, kind: RuleError.Kind, column: Int)] = [
            ("r308 in [1, 2", .unterminatedList, 9),
            ("r308 in [1, 2 3]", .unexpectedToken, 15),
            ("r308 in []", .emptyList, 9),
            ("r308 in 7", .unexpectedToken, 9),
            ("r308 in [x]", .unexpectedToken, 10),
            ("desil <=", .unexpectedEnd, 9),
            ("desil <= 4 and", .unexpectedEnd, 15),
            ("(desil <= 4", .unexpectedEnd, 12),
            ("any member", .unexpectedEnd, 11),
            ("desil # 4", .unexpectedCharacter, 7),
            ("desil == 4", .unexpectedCharacter, 7),
            ("desil <= 4 && x = 1", .unexpectedCharacter, 12),
            ("desil \u{2264} 4", .unexpectedCharacter, 7),
            ("desil 4", .unexpectedToken, 7),
            ("desil <= 4)", .unexpectedToken, 11),
            ("desil <= 4 adn x = 1", .unexpectedToken, 12),
            ("any x: age > 1", .unexpectedToken, 5),
            ("r308 not [1]", .unexpectedToken, 10),
            ("r302 is 3", .unexpectedToken, 9),
            ("1 < desil < 5", .chainedComparison, 11),
            ("4.", .invalidNumber, 3),
            ("4abc = 1", .invalidNumber, 1),
            ("", .emptyRule, 1),
            ("   ", .emptyRule, 1),
        ]
        for c in cases {
            let e = try #require(compileError(c.text), "\(c.text)")
            #expect(e.kind == c.kind, "\(c.text): \(e)")
            #expect(e.column == c.column, "\(c.text): \(e)")
        }
        #expect(compileError("desil <= 4 adn x = 1")?.message == "expected 'and', 'or' or the end of the rule, found 'adn' (did you mean 'and'?)")
        #expect(compileError("desil # 4")?.message == "unexpected character '#'")
        #expect(compileError("desil <=")?.message.hasPrefix("unexpected end of the rule: expected") == true)
        #expect(compileError("r308 in [1, 2", name: "ex")?.description == """
            rule 'ex': the list opened here is not closed: expected ']'
              r308 in [1, 2
                      ^
            """)
    }

    @Test func multiLineRulesReportLineAndColumn() throws {
        let e = try #require(compileError("desil <= 4\n  and dsil = 1", name: "m"))
        #expect(e.line == 2 && e.column == 7 && e.offset == 17)
        #expect(e.description == "rule 'm': unknown variable 'dsil' (did you mean 'desil'?)\n    and dsil = 1\n        ^")
    }

    @Test func nestingIsBounded() throws {
        let parens = String(repeating: "(", count: 300) + "x = 1" + String(repeating: ")", count: 300)
        #expect(compileError(parens)?.kind == .nestedTooDeeply)
        #expect(compileError(String(repeating: "not ", count: 300) + "x = 1")?.kind == .nestedTooDeeply)
        #expect(compileError(String(repeating: "-", count: 300) + "x = 1")?.kind == .nestedTooDeeply)
        #expect(compileError(Array(repeating: "x", count: 300).joined(separator: " + ") + " = 1")?.kind == .nestedTooDeeply)
        #expect(compileError("x = 1")?.kind == nil)
        // Wide but flat rules are fine: long `or` chains are n-ary.
        #expect(try evaluate(Array(repeating: "x = 2", count: 5000).joined(separator: " or ") + " or x = 1", family: ["x": 1]))
        let ok = String(repeating: "(", count: 150) + "x = 1" + String(repeating: ")", count: 150)
        #expect(try evaluate(ok, family: ["x": 1]))
        #expect(compileError(ok) == nil)
    }
}

// MARK: - Compiled code shape and optimisations

@Suite struct RuleCodeShapeTests {
    /// The contract's member conditions compile to straight-line folds of range tests (no stack).
    @Test func contractRulesAreFlat() throws {
        let pkh = try CompiledRule.compile(Contract.pkh, name: "PKH", schema: schema)
        #expect(pkh.disassembly == """
            family: flat
              rangeTest family[0] in [-inf, 4.0]
              quantifierAny and 0
              ret
            member: flat
              rangeTest family[0] in [-inf, 4.0]
              quantifierUnknownTruth and
              ret
            quantifier 0 (any): flat
              rangeTest member[2] in [6.0, 21.0]
              rangeTest and member[4] in [2.0, 2.0]
              rangeTest or member[3] in [1.0, 1.0]
              rangeTest or member[2] in [-inf, 6.0]
              rangeTest or member[2] in [60.0, inf]
              rangeTest or member[7] in [0.0, 0.0] negated
              ret
            """)
        let pbi = try CompiledRule.compile(Contract.pbiRegistry, name: "PBI", schema: schema)
        #expect(pbi.disassembly.contains("quantifier 0 (any): flat\n  remainderTest"))
    }

    /// Strict bounds, swapped operands and range fusion keep their meaning at the edges.
    @Test func boundsAndRanges() throws {
        for age in [-1.0, 5.0, 5.5, 6.0, 6.0.nextUp, 20.0, 21.0, 21.0.nextDown, 22.0] {
            let m: Record = ["age": age]
            #expect(try matches("age > 6 and age < 21", member: m) == (age > 6 && age < 21), "\(age)")
            #expect(try matches("age >= 6 and age <= 21", member: m) == (age >= 6 && age <= 21), "\(age)")
            #expect(try matches("21 > age and 6 < age", member: m) == (age > 6 && age < 21), "\(age)")
            #expect(try matches("age <= 21 and r410 = 1 and age >= 6", member: m.merging(["r410": 1]) { $1 }) == (age >= 6 && age <= 21))
            #expect(try matches("not (age >= 6 and age <= 21)", member: m) == !(age >= 6 && age <= 21), "\(age)")
        }
        #expect(try tri("x >= 1 and x <= 3", family: [:]) == nil)
        #expect(try tri("x >= 1 and x <= 3 and y = 1", family: ["y": 0]) == false)
    }

    @Test func remainderTests() throws {
        for v in [-3.0, -2, 0, 1, 2, 4, 5, 7.5, 99] {
            let m: Record = ["r431a": v]
            let odd = v.truncatingRemainder(dividingBy: 2) == 1
            #expect(try matches("r431a % 2 = 1", member: m) == odd, "\(v)")
            #expect(try matches("1 = r431a % 2", member: m) == odd, "\(v)")
            #expect(try matches("r431a % 2 != 1", member: m) == !odd, "\(v)")
            #expect(try matches("r431a % -4 >= 1", member: m) == (v.truncatingRemainder(dividingBy: -4) >= 1), "\(v)")
            #expect(try matches("r431a % 2.5 = 0", member: m) == (v.truncatingRemainder(dividingBy: 2.5) == 0), "\(v)")
        }
        #expect(try !matches("r431a % 2 = 1", member: [:]))
        #expect(try matches("(r431a % 0) is missing", member: ["r431a": 3]))
        #expect(try matches("r431a % 0 != 1 or true", member: ["r431a": 3]))
    }
}

// MARK: - Differential test against a direct interpreter of the parse tree

/// Reference semantics, written for clarity: numbers as `Double?` and truth values as `Bool?`
/// (nil = missing/unknown), quantifiers evaluated over the member list directly.
private struct Reference {
    let family: Record
    let members: [Record]

    enum Value { case number(Double?), truth(Bool?) }

    /// The stored value of a variable (member scope wins inside quantifiers).
    func raw(_ name: String, _ member: Record?) -> (value: Double, isBoolean: Bool) {
        let inMember = member != nil && schema.entries.contains { $0.name == name && $0.scope == .member }
        let e = schema.entries.first { $0.name == name && $0.scope == (inMember ? .member : .family) }!
        return (inMember ? (member?[name] ?? .nan) : (family[name] ?? .nan), e.type == .boolean)
    }

    func number(_ n: RuleNode, _ member: Record?) -> Double? {
        // A boolean variable used as a number is its stored value.
        if case .variable(let name) = n.kind { let v = raw(name, member).value; return v.isNaN ? nil : v }
        if case .number(let v) = eval(n, member) { return v }
        fatalError("type checker let a condition through as a number: \(n.parenthesized)")
    }

    func truth(_ n: RuleNode, _ member: Record?) -> Bool? {
        if case .truth(let t) = eval(n, member) { return t }
        fatalError("type checker let a number through as a condition: \(n.parenthesized)")
    }

    func eval(_ n: RuleNode, _ member: Record?) -> Value {
        switch n.kind {
        case .number(let v): return .number(v)
        case .boolean(let b): return .truth(b)
        case .text: fatalError("text literals are compared by the checker, never evaluated alone")
        case .variable(let name):
            let (v, isBoolean) = raw(name, member)
            if isBoolean { return .truth(v.isNaN ? nil : v != 0) }
            return .number(v.isNaN ? nil : v)
        case .negate(let x): return .number(number(x, member).map { -$0 })
        case .arithmetic(let op, let l, let r):
            guard let a = number(l, member), let b = number(r, member) else { return .number(nil) }
            switch op {
            case .add: return .number(a + b)
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide: return .number(b == 0 ? nil : a / b)
            case .remainder: return .number(b == 0 ? nil : a.truncatingRemainder(dividingBy: b))
            }
        case .comparison(let op, let l, let r):
            // Two conditions compared with = / != compare truth values.
            if op == .equal || op == .notEqual, case .truth(let a) = eval(l, member), case .truth(let b) = eval(r, member) {
                guard let a, let b else { return .truth(nil) }
                return .truth(op == .equal ? a == b : a != b)
            }
            guard let a = number(l, member), let b = number(r, member) else { return .truth(nil) }
            switch op {
            case .equal: return .truth(a == b)
            case .notEqual: return .truth(a != b)
            case .less: return .truth(a < b)
            case .lessEqual: return .truth(a <= b)
            case .greater: return .truth(a > b)
            case .greaterEqual: return .truth(a >= b)
            }
        case .logical(let op, let items):
            let values = items.map { truth($0, member) }
            if op == .and {
                if values.contains(false) { return .truth(false) }
                return .truth(values.contains { $0 == nil } ? nil : true)
            }
            if values.contains(true) { return .truth(true) }
            return .truth(values.contains { $0 == nil } ? nil : false)
        case .not(let x): return .truth(truth(x, member).map { !$0 })
        case .membership(let x, let list, let negated):
            guard let v = number(x, member) else { return .truth(nil) }
            return .truth(list.contains(v) != negated)
        case .missingTest(let x, let negated):
            let missing: Bool
            switch eval(x, member) {
            case .number(let v): missing = v == nil
            case .truth(let t): missing = t == nil
            }
            return .truth(missing != negated)
        case .quantifier(let kind, let body):
            let n = members.filter { truth(body, $0) == true }.count
            return kind == .any ? .truth(n > 0) : .number(Double(n))
        }
    }
}

/// Random well-typed rules over the test schema.
private struct RuleGenerator {
    var rng: RuleFuzzRandom
    let familyNumbers = ["desil", "x", "y", "r308", "r302"]
    let memberNumbers = ["age", "r410", "r412", "r431a", "r405"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    mutating func chance(_ n: UInt64) -> Bool { rng.next() % n == 0 }

    mutating func constant() -> String { pick(["0", "1", "2", "3", "4", "6", "21", "60", "2.5", "-1", "99"]) }

    mutating func number(_ depth: Int, member: Bool) -> String {
        let vars = member ? familyNumbers + memberNumbers + ["disability"] : familyNumbers
        if depth <= 0 || chance(2) { return chance(4) ? constant() : pick(vars) }
        switch rng.next() % 4 {
        case 0: return "\(number(depth - 1, member: member)) \(pick(["+", "-", "*", "/", "%"])) \(number(depth - 1, member: member))"
        case 1: return "\(pick(vars)) % \(pick(["2", "3", "-4", "2.5", "0"]))"
        case 2: return "(\(number(depth - 1, member: member)))"
        default: return member ? "-\(pick(vars))" : "(count members: \(condition(depth - 1, member: true, quantifiers: false)))"
        }
    }

    mutating func condition(_ depth: Int, member: Bool, quantifiers: Bool) -> String {
        if depth <= 0 || chance(3) {
            switch rng.next() % 6 {
            case 0: return member ? pick(["disability", "not disability"]) : "\(pick(familyNumbers)) is \(chance(2) ? "not " : "")missing"
            case 1: return "\(number(0, member: member)) \(pick(["in", "not in"])) [\(constant()), \(constant()), 7]"
            case 2: return pick(["true", "false"])
            default: return "\(number(1, member: member)) \(pick(["=", "!=", "<>", "<", "<=", ">", ">="])) \(number(1, member: member))"
            }
        }
        switch rng.next() % 7 {
        case 0: return "not \(condition(depth - 1, member: member, quantifiers: quantifiers))"
        case 1, 2: return "\(condition(depth - 1, member: member, quantifiers: quantifiers)) and \(condition(depth - 1, member: member, quantifiers: quantifiers))"
        case 3: return "\(condition(depth - 1, member: member, quantifiers: quantifiers)) or \(condition(depth - 1, member: member, quantifiers: quantifiers))"
        case 4: return "(\(condition(depth - 1, member: member, quantifiers: quantifiers)))"
        case 5 where quantifiers:
            return "(any member: \(condition(depth - 1, member: true, quantifiers: false)))"
        case 6 where quantifiers:
            return "(count members: \(condition(depth - 1, member: true, quantifiers: false))) \(pick([">=", "=", "<"])) \(pick(["0", "1", "2"]))"
        default: return "((\(condition(depth - 1, member: member, quantifiers: quantifiers))) is missing)"
        }
    }
}

@Suite struct RuleDifferentialTests {
    private func randomValue(_ rng: inout RuleFuzzRandom) -> Double {
        [Double.nan, .nan, 0, 1, 2, 3, 4, 5, 6, 7, 21, 60, 99, -1, 2.5][Int(rng.next() % 15)]
    }

    /// Thousands of random rules, each on random families: the compiled rule, run the way the engine
    /// runs it, must agree with the reference interpreter — including unknowns (checked via `is missing`).
    @Test func compiledRulesAgreeWithReference() throws {
        var gen = RuleGenerator(rng: RuleFuzzRandom(seed: 7))
        var rng = RuleFuzzRandom(seed: 11)
        var checked = 0
        for _ in 0..<3000 {
            let text = gen.condition(4, member: false, quantifiers: true)
            let node = try RuleParser.parse(text)
            let rule = try CompiledRule.compile(text, name: "gen", schema: schema)
            let unknownRule = try CompiledRule.compile("(\(text)) is missing", name: "gen?", schema: schema)
            for _ in 0..<8 {
                var family: Record = [:]
                for v in ["desil", "x", "y", "r308", "r302"] { family[v] = randomValue(&rng) }
                let members: [Record] = (0..<Int(rng.next() % 4)).map { _ in
                    var m: Record = [:]
                    for v in ["age", "r410", "r412", "r431a", "r405", "disability"] { m[v] = randomValue(&rng) }
                    return m
                }
                let expected = Reference(family: family, members: members).truth(node, nil)
                func run(_ r: CompiledRule) -> Bool {
                    let fv = values(.family, family)
                    var counts = [Int32](repeating: 0, count: r.quantifierCount)
                    for m in members {
                        let mv = values(.member, m)
                        fv.withUnsafeBufferPointer { f in mv.withUnsafeBufferPointer { mb in
                            for q in 0..<r.quantifierCount where r.memberMatches(q, family: f, member: mb) { counts[q] += 1 }
                        } }
                    }
                    return fv.withUnsafeBufferPointer { f in counts.withUnsafeBufferPointer { r.familyMatches(family: f, quantifierCounts: $0) } }
                }
                let got: Bool? = run(rule) ? true : (run(unknownRule) ? nil : false)
                #expect(got == expected, "\(text) on \(family) \(members)\n\(rule.disassembly)")
                if got != expected { return }
                checked += 1
            }
        }
        #expect(checked == 24000)
    }
}

// MARK: - parseOnly (fuzz entry)

@Suite struct RuleParseOnlyTests {
    @Test func acceptsAndRejects() {
        #expect(CompiledRule.parseOnly(Contract.pkh))
        #expect(CompiledRule.parseOnly(Contract.example))
        #expect(CompiledRule.parseOnly("unknown_names_are_fine_without_schema = 1"))
        #expect(!CompiledRule.parseOnly("desil <="))
        #expect(!CompiledRule.parseOnly(String(repeating: "(", count: 100_000)))
        #expect(!CompiledRule.parseOnly(String(repeating: "[", count: 100_000)))
        #expect(!CompiledRule.parseOnly("\u{0}\u{FFFF}\u{1F600}"))
    }

    /// Random token soup and single-character mutations of the contract rules: must never trap.
    @Test func fuzzNeverTraps() {
        var rng = RuleFuzzRandom(seed: 20240601)
        let pieces = ["desil", "age", "and", "or", "not", "in", "is", "missing", "any", "member", "count", "members", ":",
                      "(", ")", "[", "]", ",", "1", "4.5", "-", "+", "*", "/", "%", "=", "!=", "<>", "<", "<=", ">", ">=",
                      "true", "false", " ", "#", "\n", "é", "99999999999999999999999"]
        var accepted = 0
        for _ in 0..<5000 {
            let n = Int(rng.next() % 24)
            let text = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: rng.next() % 3 == 0 ? "" : " ")
            if CompiledRule.parseOnly(text) { accepted += 1 }
            _ = try? CompiledRule.compile(text, name: "fuzz", schema: schema)
        }
        let sources = Array(Contract.pkh.unicodeScalars) + Array(Contract.example.unicodeScalars)
        let base = Array(Contract.pkh.unicodeScalars)
        for _ in 0..<3000 {
            var s = base
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let i = Int(rng.next() % UInt64(s.count))
                switch rng.next() % 3 {
                case 0: s.remove(at: i)
                case 1: s.insert(sources[Int(rng.next() % UInt64(sources.count))], at: i)
                default: s[i] = sources[Int(rng.next() % UInt64(sources.count))]
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: s)
            _ = CompiledRule.parseOnly(text)
            _ = try? CompiledRule.compile(text, name: "fuzz", schema: schema)
        }
        #expect(accepted > 0)
    }
}

/// Deterministic generator so a fuzz failure reproduces.
private struct RuleFuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Member counts as the engine stores them

@Suite struct MemberCountTests {
    /// The engine keeps one two-byte count per family and quantifier (`MemberCount`, issue 19): the batch
    /// counts into it as the rules would count, and a count held at 65,535 stays there instead of wrapping.
    @Test func batchCountsInTwoBytesAndSaturates() throws {
        let rule = try CompiledRule.compile("(count members: age >= 60) >= 2", name: "c", schema: schema, level: .family)
        let batch = QuantifierBatch(rules: [rule], bases: [0])
        var counters = [MemberCount](repeating: 0, count: rule.quantifierCount)
        let fv = values(.family, [:])
        func add(age: Double) {
            let mv = values(.member, ["age": age])
            fv.withUnsafeBufferPointer { f in
                mv.withUnsafeBufferPointer { m in counters.withUnsafeMutableBufferPointer { batch.count(family: f, member: m, into: $0.baseAddress!) } }
            }
        }
        for age in [70.0, 20, 65] { add(age: age) }
        #expect(counters == [2])
        let widened = counters.map(Int32.init)
        #expect(fv.withUnsafeBufferPointer { f in widened.withUnsafeBufferPointer { rule.familyMatches(family: f, quantifierCounts: $0) } })
        counters[0] = .max
        add(age: 80)
        #expect(counters == [.max])
        #expect(MemberCount.adding(65_000, 1_000) == .max && MemberCount.adding(3, 4) == 7)
    }
}
