/// Recursive-descent parser for the rule language. Grammar (EBNF; keywords case-insensitive):
///
/// ```
/// rule        = expression END ;
/// expression  = disjunction ;
/// disjunction = conjunction { "or" conjunction } ;
/// conjunction = negation { "and" negation } ;
/// negation    = "not" negation | predicate ;
/// predicate   = sum [ compare sum
///                   | [ "not" ] "in" list
///                   | "is" [ "not" ] "missing" ] ;
/// compare     = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
/// sum         = product { ( "+" | "-" ) product } ;
/// product     = unary { ( "*" | "/" | "%" ) unary } ;
/// unary       = "-" unary | primary ;
/// primary     = NUMBER | "true" | "false" | IDENTIFIER | "(" expression ")" | quantifier ;
/// quantifier  = ( "any" ( "member" | "members" ) | "count" ( "members" | "member" ) ) ":" expression ;
/// list        = "[" [ "-" ] NUMBER { "," [ "-" ] NUMBER } "]" ;
/// NUMBER      = DIGIT { DIGIT } [ "." DIGIT { DIGIT } ] ;
/// IDENTIFIER  = ( LETTER | "_" ) { LETTER | DIGIT | "_" } ;   (not a keyword)
/// ```
///
/// Choices worth knowing:
/// - `not` binds looser than comparisons and tighter than `and` (as in SQL), so
///   `not a = 1 and b = 2` is `(not (a = 1)) and (b = 2)`.
/// - A quantifier body is an `expression` and so extends as far right as possible, like a lambda:
///   `any member: a and b` is one quantifier over `a and b`; to compare a count write
///   `(count members: c) >= 2`.
/// - Comparisons do not chain (`1 < age < 5` is an error that suggests `and`): the SQL reading
///   would silently compare a truth value with 5.
/// - List elements are number literals only: lists are code sets, and literals let the compiler turn
///   small code sets into a bit mask.
struct RuleParser {
    /// Maximum nesting (parentheses, `not`, unary minus, quantifiers) and maximum tree height. Bounds every
    /// recursion over the tree; real rules stay below 10.
    static let maxDepth = 200

    private let text: String
    private let scalars: [Unicode.Scalar]
    private let tokens: [RuleToken]
    private var position = 0
    private var depth = 0

    private init(text: String, tokens: [RuleToken]) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.tokens = tokens
    }

    /// Parses a whole rule. Throws `RuleError` (without a rule name) on any syntax error.
    static func parse(_ text: String) throws(RuleError) -> RuleNode {
        let tokens = try RuleLexer.tokenize(text)
        var parser = RuleParser(text: text, tokens: tokens)
        if case .end = parser.current.kind { throw RuleError(.emptyRule, "the rule is empty", at: 0, in: text) }
        let expression = try parser.parseExpression()
        guard case .end = parser.current.kind else {
            throw parser.unexpected(expected: "'and', 'or' or the end of the rule")
        }
        return expression
    }

    // MARK: Token helpers

    private var current: RuleToken { tokens[position] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }
    private func isKeyword(_ k: RuleKeyword, _ t: RuleToken? = nil) -> Bool {
        if case .keyword(let kw) = (t ?? current).kind { return kw == k }
        return false
    }

    private func source(_ start: Int, _ end: Int) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars[max(0, start)..<min(end, scalars.count)])
        return s
    }

    private func column(of offset: Int) -> Int {
        var col = 1
        for i in 0..<min(offset, scalars.count) { col = scalars[i] == "\n" ? 1 : col + 1 }
        return col
    }

    private func describe(_ t: RuleToken) -> String {
        if case .end = t.kind { return "the end of the rule" }
        return "'\(source(t.start, t.end))'"
    }

    /// An error at the current token: "unexpected end" when input ran out, else "expected …, found …",
    /// with a keyword suggestion when the stray word looks like a misspelt keyword (`adn`, `memebr`).
    private func unexpected(expected: String) -> RuleError {
        let t = current
        if case .end = t.kind {
            return RuleError(.unexpectedEnd, "unexpected end of the rule: expected \(expected)", at: t.start, in: text)
        }
        var message = "expected \(expected), found \(describe(t))"
        if case .identifier(let word) = t.kind,
           let kw = RuleNames.closest(to: word.lowercased(), among: RuleKeyword.allCases.map(\.rawValue)).first {
            message += " (did you mean '\(kw)'?)"
        }
        return RuleError(.unexpectedToken, message, at: t.start, in: text)
    }

    private mutating func enter() throws(RuleError) {
        depth += 1
        if depth > Self.maxDepth { throw tooDeep(at: current.start) }
    }
    private mutating func leave() { depth -= 1 }

    private func tooDeep(at offset: Int) -> RuleError {
        RuleError(.nestedTooDeeply, "expression nested too deeply (more than \(Self.maxDepth) levels)", at: offset, in: text)
    }

    private func node(_ kind: RuleNode.Kind, _ start: Int, _ end: Int, _ children: RuleNode...) throws(RuleError) -> RuleNode {
        try node(kind, start, end, children: children)
    }
    private func node(_ kind: RuleNode.Kind, _ start: Int, _ end: Int, children: [RuleNode]) throws(RuleError) -> RuleNode {
        let height = 1 + children.reduce(0) { max($0, $1.height) }
        if height > Self.maxDepth { throw tooDeep(at: start) }
        return RuleNode(kind: kind, start: start, end: end, height: height)
    }

    // MARK: Grammar

    private mutating func parseExpression() throws(RuleError) -> RuleNode { try parseLogical(.or) }

    /// `or` over `and` over `not`: n-ary chains, kept flat.
    private mutating func parseLogical(_ op: RuleLogicalOperator) throws(RuleError) -> RuleNode {
        let keyword: RuleKeyword = op == .or ? .or : .and
        func operand(_ p: inout RuleParser) throws(RuleError) -> RuleNode {
            op == .or ? try p.parseLogical(.and) : try p.parseNegation()
        }
        let first = try operand(&self)
        guard isKeyword(keyword) else { return first }
        var items = [first]
        while isKeyword(keyword) {
            advance()
            items.append(try operand(&self))
        }
        return try node(.logical(op, items), first.start, items[items.count - 1].end, children: items)
    }

    private mutating func parseNegation() throws(RuleError) -> RuleNode {
        guard isKeyword(.not) else { return try parsePredicate() }
        let start = current.start
        advance()
        try enter()
        let operand = try parseNegation()
        leave()
        return try node(.not(operand), start, operand.end, operand)
    }

    private func comparisonOperator(_ t: RuleToken) -> RuleComparisonOperator? {
        switch t.kind {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    private mutating func parsePredicate() throws(RuleError) -> RuleNode {
        let lhs = try parseSum()
        if let op = comparisonOperator(current) {
            advance()
            let rhs = try parseSum()
            if comparisonOperator(current) != nil {
                throw RuleError(.chainedComparison,
                                "comparisons cannot be chained; join them with 'and' (e.g. 'age >= 6 and age <= 21')",
                                at: current.start, in: text)
            }
            return try node(.comparison(op, lhs, rhs), lhs.start, rhs.end, lhs, rhs)
        }
        if isKeyword(.in) {
            advance()
            let (list, end) = try parseList()
            return try node(.membership(lhs, list, negated: false), lhs.start, end, lhs)
        }
        if isKeyword(.not) {
            advance()
            guard isKeyword(.in) else { throw unexpected(expected: "'in' after 'not' (as in 'x not in [1, 2]')") }
            advance()
            let (list, end) = try parseList()
            return try node(.membership(lhs, list, negated: true), lhs.start, end, lhs)
        }
        if isKeyword(.is) {
            advance()
            var negated = false
            if isKeyword(.not) { negated = true; advance() }
            guard isKeyword(.missing) else { throw unexpected(expected: "'missing' after 'is'") }
            let end = current.end
            advance()
            return try node(.missingTest(lhs, negated: negated), lhs.start, end, lhs)
        }
        return lhs
    }

    private mutating func parseSum() throws(RuleError) -> RuleNode {
        var lhs = try parseProduct()
        while true {
            let op: RuleArithmeticOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return lhs
            }
            advance()
            let rhs = try parseProduct()
            lhs = try node(.arithmetic(op, lhs, rhs), lhs.start, rhs.end, lhs, rhs)
        }
    }

    private mutating func parseProduct() throws(RuleError) -> RuleNode {
        var lhs = try parseUnary()
        while true {
            let op: RuleArithmeticOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .remainder
            default: return lhs
            }
            advance()
            let rhs = try parseUnary()
            lhs = try node(.arithmetic(op, lhs, rhs), lhs.start, rhs.end, lhs, rhs)
        }
    }

    private mutating func parseUnary() throws(RuleError) -> RuleNode {
        guard case .minus = current.kind else { return try parsePrimary() }
        let start = current.start
        advance()
        try enter()
        let operand = try parseUnary()
        leave()
        // `-3` is a literal, not an operation on one.
        if case .number(let v) = operand.kind { return RuleNode(kind: .number(-v), start: start, end: operand.end, height: 1) }
        return try node(.negate(operand), start, operand.end, operand)
    }

    private mutating func parsePrimary() throws(RuleError) -> RuleNode {
        let t = current
        switch t.kind {
        case .number(let v):
            advance()
            return RuleNode(kind: .number(v), start: t.start, end: t.end, height: 1)
        case .identifier(let name):
            advance()
            return RuleNode(kind: .variable(name), start: t.start, end: t.end, height: 1)
        case .text(let value):
            advance()
            return RuleNode(kind: .text(value), start: t.start, end: t.end, height: 1)
        case .keyword(.true), .keyword(.false):
            advance()
            return RuleNode(kind: .boolean(isKeyword(.true, t)), start: t.start, end: t.end, height: 1)
        case .leftParen:
            advance()
            try enter()
            var inner = try parseExpression()
            leave()
            guard case .rightParen = current.kind else {
                throw unexpected(expected: "')' to close the '(' at column \(column(of: t.start))")
            }
            // The span includes the parentheses so type errors quote `(a = 1)` as written.
            inner.start = t.start
            inner.end = current.end
            advance()
            return inner
        case .keyword(.any), .keyword(.count):
            let kind: QuantifierKind = isKeyword(.any, t) ? .any : .count
            let spelled = kind == .any ? "any member" : "count members"
            advance()
            guard isKeyword(.member) || isKeyword(.members) else {
                throw unexpected(expected: "'\(kind == .any ? "member" : "members")' after '\(kind == .any ? "any" : "count")'")
            }
            advance()
            guard case .colon = current.kind else { throw unexpected(expected: "':' after '\(spelled)'") }
            advance()
            try enter()
            let body = try parseExpression()
            leave()
            return try node(.quantifier(kind, body), t.start, body.end, body)
        default:
            throw unexpected(expected: "a number, a variable, '(' or 'any member:'/'count members:'")
        }
    }

    /// `[` literal, … `]`; returns the values and the end offset (after `]`).
    private mutating func parseList() throws(RuleError) -> ([Double], Int) {
        guard case .leftBracket = current.kind else { throw unexpected(expected: "'[' to start a list (as in 'x in [1, 2]')") }
        let open = current.start
        let unterminated = RuleError(.unterminatedList, "the list opened here is not closed: expected ']'", at: open, in: text)
        advance()
        if case .rightBracket = current.kind {
            throw RuleError(.emptyList, "the list is empty; give at least one value", at: open, in: text)
        }
        var values: [Double] = []
        while true {
            var sign = 1.0
            if case .minus = current.kind { sign = -1; advance() }
            switch current.kind {
            case .number(let v): values.append(sign * v); advance()
            case .end: throw unterminated
            default: throw unexpected(expected: "a number in the list (lists hold number literals only)")
            }
            switch current.kind {
            case .comma: advance()
            case .rightBracket:
                let end = current.end
                advance()
                return (values, end)
            case .end: throw unterminated
            default: throw unexpected(expected: "',' or ']' in the list")
            }
        }
    }
}
