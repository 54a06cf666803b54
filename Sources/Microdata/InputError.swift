/// An input problem located precisely enough for a BPS staff member to open the file and fix it:
/// file, physical line (1-based, the header is line 1), column (name and 1-based position) and what
/// was expected versus what was found.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// Column name from the header, when known.
    public var column: String?
    /// 1-based column position, when known.
    public var columnNumber: Int?
    public var expected: String
    public var found: String?

    public init(file: String, line: Int, column: String? = nil, columnNumber: Int? = nil,
                expected: String, found: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.columnNumber = columnNumber
        self.expected = expected; self.found = found
    }

    public var description: String {
        var s = "\(file):\(line)"
        if let columnNumber { s += ":\(columnNumber)" }
        if let column { s += " column '\(column)'" }
        s += ": expected \(expected)"
        if let found { s += ", found '\(Self.shorten(found))'" }
        return s
    }

    /// Found values are echoed back to the user; keep them short and printable.
    static func shorten(_ s: String) -> String {
        let cleaned = String(s.unicodeScalars.map { $0.value < 32 ? "?" : Character($0) })
        return cleaned.count > 60 ? String(cleaned.prefix(57)) + "..." : cleaned
    }
}
