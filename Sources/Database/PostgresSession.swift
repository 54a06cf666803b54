import CLibPQ
import Foundation
import Tabulation

/// One connection to PostgreSQL (or a Citus coordinator), used synchronously by the report run.
///
/// Through libpq: every call blocks the calling thread until the server has answered, which is what a run
/// wants (one statement after another) and needs no event loop or task executor. Results come in libpq's
/// text format; `text(_:type:)` turns each value into the text the engine parses, the same for every
/// server version. Every value crossing the wire is counted (`receivedBytes`): a run moves aggregates,
/// not records.
public final class PostgresSession: SQLConnection, @unchecked Sendable {
    public let url: PostgresURL
    public var schema: String { url.schema }
    /// The libpq connection (`PGconn *`); used from one thread at a time.
    let connection: OpaquePointer
    /// Bytes of the values of every row received (the text of each cell; protocol framing not included).
    public private(set) var receivedBytes = 0
    public private(set) var receivedRows = 0
    /// Statements sent, in order (for `--explain-sql` and tests).
    public private(set) var statements: [String] = []
    /// Called with each statement before it is sent.
    public var onStatement: ((String) -> Void)?

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Connects; the password comes from `PGPASSWORD` or the terminal (`PasswordSource`). TLS is libpq's:
    /// the URL's `sslmode` is passed on as it is (certificates for `verify-ca`/`verify-full` from
    /// `~/.postgresql/root.crt` or `PGSSLROOTCERT`, as for psql).
    public static func connect(_ url: PostgresURL, password: String? = nil) throws -> PostgresSession {
        let info = conninfo(url, password: password ?? PasswordSource.password(for: url))
        guard let connection = PQconnectdb(info) else { throw Failure(message: "cannot connect to \(url): libpq is out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.connectionMessage(connection)
            let needsPassword = PQconnectionNeedsPassword(connection) == 1 || message.contains("password authentication failed")
            PQfinish(connection)
            throw Failure(message: "cannot connect to \(url): \(message)"
                          + (needsPassword ? " (set PGPASSWORD or run from a terminal to be asked for it)" : ""))
        }
        // Without this libpq prints the server's notices ("schema … already exists, skipping") on stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let session = PostgresSession(url: url, connection: connection)
        try session.execute("SET standard_conforming_strings = on")
        try session.execute("SET search_path = pg_catalog")
        return session
    }

    /// libpq's connection string: `key='value'` pairs, quotes and backslashes escaped. The server's own
    /// settings (`PGOPTIONS`, `~/.pgpass`, `PGSSLROOTCERT`) still apply as libpq reads them.
    static func conninfo(_ url: PostgresURL, password: String?) -> String {
        var pairs: [(String, String)] = [("host", url.host), ("port", String(url.port)), ("user", url.user), ("dbname", url.database),
                                         ("sslmode", url.sslMode.rawValue), ("client_encoding", "UTF8"), ("application_name", "regtab"),
                                         ("connect_timeout", "30")]
        if let password { pairs.append(("password", password)) }
        return pairs.map { key, value in
            "\(key)='" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }

    init(url: PostgresURL, connection: OpaquePointer) {
        self.url = url; self.connection = connection
    }

    private var isOpen = true

    deinit { close() }

    /// Closes the connection (callers close explicitly; a session that is simply released closes too).
    public func close() {
        if isOpen { PQfinish(connection); isOpen = false }
    }

    static func connectionMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A human-readable database error: SQLSTATE, message, detail and hint of the server's answer (or
    /// libpq's own message when the server did not answer, e.g. a lost connection).
    static func describe(_ result: OpaquePointer?, connection: OpaquePointer) -> String {
        func field(_ code: Character) -> String? {
            guard let result, let p = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: p)
        }
        guard let state = field("C") else { return connectionMessage(connection) }
        var parts = ["\(state): \(field("M") ?? "")"]
        if let d = field("D") { parts.append("detail: \(d)") }
        if let h = field("H") { parts.append("hint: \(h)") }
        return parts.joined(separator: "; ")
    }

    /// Runs a statement that returns no rows.
    public func execute(_ sql: String) throws {
        _ = try query(sql)
    }

    public func query(_ sql: String) throws -> [[String?]] {
        statements.append(sql)
        onStatement?(sql)
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard result != nil, status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw Failure(message: "database error \(Self.describe(result, connection: connection))")
        }
        let rowCount = Int(PQntuples(result)), columnCount = PQnfields(result)
        let types = (0..<columnCount).map { PQftype(result, $0) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<Int32(rowCount) {
            var row: [String?] = []
            row.reserveCapacity(Int(columnCount))
            for c in 0..<columnCount {
                if PQgetisnull(result, r, c) == 1 { row.append(nil); continue }
                receivedBytes += Int(PQgetlength(result, r, c))
                row.append(Self.text(String(cString: PQgetvalue(result, r, c)), type: types[Int(c)]))
            }
            rows.append(row)
        }
        receivedRows += rowCount
        return rows
    }

    /// A value as the engine reads it: integers in decimal and booleans `t`/`f` (libpq's text already),
    /// floating point in Swift's shortest round-trip form (`1.0`, not PostgreSQL's `1`), numeric as
    /// `Decimal` prints it (`2.5`, not `2.50`). The text of a report run from the database is then the
    /// same as from CSV, to the byte.
    static func text(_ value: String, type: Oid) -> String {
        switch type {
        case 701: return Double(value).map { String($0) } ?? value   // float8
        case 700: return Float(value).map { String($0) } ?? value    // float4
        case 1700: return Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")).map { "\($0)" } ?? value  // numeric
        default: return value
        }
    }

    public func columns(ofTable table: String) throws -> [SQLColumn]? {
        let rows = try query("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = \(SQLText.literal(url.schema)) AND table_name = \(SQLText.literal(table))
            ORDER BY ordinal_position
            """)
        guard !rows.isEmpty else { return nil }
        return rows.map { SQLColumn(name: $0[0] ?? "", type: $0[1] ?? "") }
    }
}
