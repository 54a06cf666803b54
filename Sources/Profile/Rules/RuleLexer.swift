/// Words with a meaning in the rule language. Matched case-insensitively (`AND`, `Any Member:`), because
/// rules are typed by hand in YAML and SQL habits vary; variable names, by contrast, are case-sensitive.
enum RuleKeyword: String, CaseIterable, Sendable {
    case and, or, not, `in`, any, count, member, members, `is`, missing, `true`, `false`
}

/// One lexical unit. Offsets are in Unicode scalars of the rule text, `end` exclusive.
struct RuleToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        /// `"desa"`: a text, compared with a variable that has text values (`area.jenis = "desa"`).
        case text(String)
        case identifier(String)
        case keyword(RuleKeyword)
        case plus, minus, star, slash, percent
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case leftParen, rightParen, leftBracket, rightBracket, comma, colon
        case end
    }
    var kind: Kind
    var start: Int
    var end: Int
}

/// Splits a rule into tokens in one forward pass (no recursion, so any input length is safe).
///
/// Characters that people commonly reach for from other languages (`==`, `&&`, `||`, `!`, `≤`, `≥`, `≠`)
/// are rejected with a hint naming the rule-language spelling rather than a bare "unexpected character".
struct RuleLexer {
    static func tokenize(_ text: String) throws(RuleError) -> [RuleToken] {
        let s = Array(text.unicodeScalars)
        var tokens: [RuleToken] = []
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_"
        }
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        func fail(_ kind: RuleError.Kind, _ message: String, _ at: Int) -> RuleError { RuleError(kind, message, at: at, in: text) }

        while i < s.count {
            let c = s[i]
            let start = i
            // Any Unicode white space, so a non-breaking space pasted from a spreadsheet is harmless.
            if c.properties.isWhitespace { i += 1; continue }
            if isDigit(c) {
                while i < s.count, isDigit(s[i]) { i += 1 }
                if i < s.count, s[i] == "." {
                    i += 1
                    guard i < s.count, isDigit(s[i]) else {
                        throw fail(.invalidNumber, "expected digits after the decimal point", i)
                    }
                    while i < s.count, isDigit(s[i]) { i += 1 }
                }
                if i < s.count, isIdentStart(s[i]) {
                    throw fail(.invalidNumber, "a number cannot be followed directly by a letter (variable names start with a letter)", start)
                }
                var literal = ""
                literal.unicodeScalars.append(contentsOf: s[start..<i])
                // Digits with at most one '.' always parse; the guard only keeps the lexer trap-free.
                guard let value = Double(literal), value.isFinite else {
                    throw fail(.invalidNumber, "'\(literal)' is not a usable number", start)
                }
                tokens.append(RuleToken(kind: .number(value), start: start, end: i))
                continue
            }
            if isIdentStart(c) {
                // A dot joins name parts (`area.jenis`: attribute `jenis` of the family's area).
                while i < s.count, isIdentStart(s[i]) || isDigit(s[i])
                        || (s[i] == "." && i + 1 < s.count && isIdentStart(s[i + 1])) { i += 1 }
                var word = ""
                word.unicodeScalars.append(contentsOf: s[start..<i])
                if let kw = RuleKeyword(rawValue: word.lowercased()) {
                    tokens.append(RuleToken(kind: .keyword(kw), start: start, end: i))
                } else {
                    tokens.append(RuleToken(kind: .identifier(word), start: start, end: i))
                }
                continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                while j < s.count, s[j] != c { j += 1 }
                guard j < s.count else { throw fail(.unexpectedCharacter, "the text opened here is not closed: expected \(c)", start) }
                var literal = ""
                literal.unicodeScalars.append(contentsOf: s[(i + 1)..<j])
                i = j + 1
                tokens.append(RuleToken(kind: .text(literal), start: start, end: i))
                continue
            }
            let kind: RuleToken.Kind
            var width = 1
            switch c {
            case "+": kind = .plus
            case "-": kind = .minus
            case "*": kind = .star
            case "/": kind = .slash
            case "%": kind = .percent
            case "(": kind = .leftParen
            case ")": kind = .rightParen
            case "[": kind = .leftBracket
            case "]": kind = .rightBracket
            case ",": kind = .comma
            case ":": kind = .colon
            case "=":
                if peek(1) == "=" { throw fail(.unexpectedCharacter, "'==' is written '=' in rules", start) }
                kind = .equal
            case "!":
                guard peek(1) == "=" else { throw fail(.unexpectedCharacter, "unexpected character '!' (use 'not' for negation, '!=' for 'not equal')", start) }
                kind = .notEqual; width = 2
            case "<":
                if peek(1) == "=" { kind = .lessEqual; width = 2 } else if peek(1) == ">" { kind = .notEqual; width = 2 } else { kind = .less }
            case ">":
                if peek(1) == "=" { kind = .greaterEqual; width = 2 } else { kind = .greater }
            case "&": throw fail(.unexpectedCharacter, "unexpected character '&' (use 'and')", start)
            case "|": throw fail(.unexpectedCharacter, "unexpected character '|' (use 'or')", start)
            case "\u{2264}": throw fail(.unexpectedCharacter, "unexpected character '\u{2264}' (use '<=')", start)
            case "\u{2265}": throw fail(.unexpectedCharacter, "unexpected character '\u{2265}' (use '>=')", start)
            case "\u{2260}": throw fail(.unexpectedCharacter, "unexpected character '\u{2260}' (use '!=')", start)
            default:
                throw fail(.unexpectedCharacter, "unexpected character '\(Self.printable(c))'", start)
            }
            i += width
            tokens.append(RuleToken(kind: kind, start: start, end: i))
        }
        tokens.append(RuleToken(kind: .end, start: s.count, end: s.count))
        return tokens
    }

    /// Control and invisible characters are shown as `U+XXXX` so the message itself stays readable.
    static func printable(_ c: Unicode.Scalar) -> String {
        if c.value < 32 || c.value == 127 || (c.value >= 0x80 && c.value < 0xA0) || c.properties.isWhitespace
            || c.properties.generalCategory == .format {
            let hex = String(c.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return String(c)
    }
}
