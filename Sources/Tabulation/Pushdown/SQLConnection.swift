/// A database that holds the contract's four tables (`keluarga`, `anggota`, `penerima`, `wilayah`) in one
/// schema, as the pushdown engine sees it. The `Database` module implements it for PostgreSQL (and Citus);
/// this module only writes SQL text and reads back aggregates, so it never depends on a driver.
public protocol SQLConnection: AnyObject {
    /// The schema holding the tables (`?schema=` of the URL; `public` by default).
    var schema: String { get }
    /// Columns of `table` in the schema, in table order, with their SQL type (`information_schema`'s
    /// `data_type`, e.g. `text`, `integer`, `double precision`); nil when the table does not exist.
    func columns(ofTable table: String) throws -> [SQLColumn]?
    /// Runs one statement and returns every row, each cell as text (integers in decimal, booleans `t`/`f`)
    /// or nil for SQL NULL.
    func query(_ sql: String) throws -> [[String?]]
}

/// One column of a database table.
public struct SQLColumn: Sendable, Hashable {
    public var name: String
    /// `information_schema.columns.data_type`.
    public var type: String
    public init(name: String, type: String) { self.name = name; self.type = type }

    /// How the compiler reads values of this column.
    var kind: SQLColumnKind {
        switch type.lowercased() {
        case "smallint", "integer", "bigint": return .integer
        case "numeric", "decimal": return .numeric
        case "real", "double precision": return .float
        case "text", "character varying", "character", "varchar", "char", "bpchar", "name": return .text
        default: return .other
        }
    }
}

enum SQLColumnKind { case text, integer, numeric, float, other }

/// SQL text helpers (PostgreSQL dialect).
public enum SQLText {
    /// Words that must be quoted as identifiers (the reserved key words of PostgreSQL that could be a
    /// variable name; anything else that is not a plain lower-case name is quoted too).
    static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
        "collate", "column", "constraint", "create", "current_date", "current_role", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
        "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral",
        "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
        "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "table",
        "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
    ]

    /// An identifier, quoted only when it has to be (so the generated SQL stays readable).
    public static func ident(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            && !(name.unicodeScalars.first! >= "0" && name.unicodeScalars.first! <= "9")
        if plain && !reserved.contains(name) { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A string literal (standard conforming strings: only `'` is doubled; the session sets
    /// `standard_conforming_strings = on`). NUL cannot occur in PostgreSQL text.
    public static func literal(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// `schema.table`, each part quoted when needed.
    public static func table(_ schema: String, _ table: String) -> String { ident(schema) + "." + ident(table) }

    /// White space the CSV reader trims around every cell (space and tab).
    static let cellBlanks = "E' \\t'"
    /// White space the roster linking trims (space, tab, line feed, vertical tab, form feed, carriage return).
    static let blanks = "E' \\t\\n\\r\\013\\f'"
}
