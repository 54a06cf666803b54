/// A rule that cannot be compiled: where (offset, line, column) and why.
///
/// Rules are written by statisticians in YAML, so an error must point at the exact place in the rule text
/// (the YAML loader's line numbers do not help inside a one-line string). `description` therefore repeats
/// the rule's line and puts a caret under the offending character, like a compiler does.
public struct RuleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, so tests and callers can react without parsing the message.
    public enum Kind: String, Sendable, Equatable {
        case emptyRule
        case unexpectedCharacter
        case invalidNumber
        case unexpectedEnd
        case unexpectedToken
        case unterminatedList
        case emptyList
        case chainedComparison
        case unknownVariable
        case memberVariableOutsideQuantifier
        case nestedQuantifier
        case quantifierNotAllowed
        case typeMismatch
        case nestedTooDeeply
    }

    /// Name of the rule (e.g. `PKH`), empty if it has none.
    public let ruleName: String
    /// The whole rule text as written.
    public let text: String
    /// 0-based position in `text`, counted in Unicode scalars (the unit the lexer works in).
    public let offset: Int
    /// 1-based line of `offset` (rules from YAML block scalars may span lines).
    public let line: Int
    /// 1-based column of `offset` within its line.
    public let column: Int
    public let kind: Kind
    /// The human-readable reason, without position.
    public let message: String
    /// For unknown names: the closest known names, best first.
    public let suggestions: [String]

    init(_ kind: Kind, _ message: String, at offset: Int, in text: String, ruleName: String = "", suggestions: [String] = []) {
        self.kind = kind
        self.message = message
        self.text = text
        self.ruleName = ruleName
        self.suggestions = suggestions
        let scalars = Array(text.unicodeScalars)
        let clamped = max(0, min(offset, scalars.count))
        self.offset = clamped
        var line = 1, lineStart = 0
        for i in 0..<clamped where scalars[i] == "\n" { line += 1; lineStart = i + 1 }
        self.line = line
        self.column = clamped - lineStart + 1
    }

    /// The same error attributed to a named rule (the parser does not know rule names).
    func named(_ name: String) -> RuleError {
        RuleError(kind, message, at: offset, in: text, ruleName: name, suggestions: suggestions)
    }

    public var description: String {
        let head = ruleName.isEmpty ? "rule: \(message)" : "rule '\(ruleName)': \(message)"
        // Show the line holding the error; keep tabs in the caret line so the caret stays aligned.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        let lineScalars = line - 1 < lines.count ? Array(lines[line - 1]) : []
        var shown = String.UnicodeScalarView()
        for s in lineScalars where s != "\r" { shown.append(s) }
        var caret = String.UnicodeScalarView()
        for s in lineScalars.prefix(column - 1) { caret.append(s == "\t" ? "\t" : " ") }
        caret.append("^")
        return "\(head)\n  \(String(shown))\n  \(String(caret))"
    }
}
