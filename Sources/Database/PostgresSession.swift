import Foundation
import Logging
import PostgresNIO
import Tabulation

/// One connection to PostgreSQL (or a Citus coordinator), used synchronously by the report run.
///
/// Queries go through postgres-nio's `EventLoopFuture` API and are waited for on the calling thread, so a
/// run never blocks Swift's cooperative thread pool; only `COPY` (async-only in postgres-nio) runs on a
/// dedicated executor (`BlockingExecutor`). Every value crossing the wire is counted (`receivedBytes`):
/// a run moves aggregates, not records.
public final class PostgresSession: SQLConnection, @unchecked Sendable {
    public let url: PostgresURL
    public var schema: String { url.schema }
    let connection: PostgresConnection
    let logger: Logger
    /// Bytes of the values of every row received (cell payloads; protocol framing not included).
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

    /// Connects; the password comes from `PGPASSWORD` or the terminal (`PasswordSource`).
    public static func connect(_ url: PostgresURL, password: String? = nil) throws -> PostgresSession {
        var logger = Logger(label: "regtab.postgres")
        logger.logLevel = .critical
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.sslMode {
            case .disable: tls = .disable
            case .allow, .prefer:
                var c = TLSConfiguration.makeClientConfiguration(); c.certificateVerification = .none
                tls = .prefer(try NIOSSLContext(configuration: c))
            case .require:
                var c = TLSConfiguration.makeClientConfiguration(); c.certificateVerification = .none
                tls = .require(try NIOSSLContext(configuration: c))
            case .verifyCA:
                var c = TLSConfiguration.makeClientConfiguration(); c.certificateVerification = .noHostnameVerification
                tls = .require(try NIOSSLContext(configuration: c))
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
            }
        } catch {
            throw Failure(message: "cannot set up TLS: \(error)")
        }
        let config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                      password: password ?? PasswordSource.password(for: url),
                                                      database: url.database, tls: tls)
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: config,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw Failure(message: "cannot connect to \(url): \(Self.describe(error))"
                          + (Self.asksForPassword(error) ? " (set PGPASSWORD or run from a terminal to be asked for it)" : ""))
        }
        let session = PostgresSession(url: url, connection: connection, logger: logger)
        try session.execute("SET standard_conforming_strings = on")
        try session.execute("SET search_path = pg_catalog")
        return session
    }

    init(url: PostgresURL, connection: PostgresConnection, logger: Logger) {
        self.url = url; self.connection = connection; self.logger = logger
    }

    /// Closes the connection (callers close explicitly; never from an event loop thread).
    public func close() { try? connection.close().wait() }

    /// A human-readable database error: SQLSTATE, message, detail and hint of the server's answer.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        if let info = e.serverInfo {
            var parts = ["\(info[.sqlState] ?? "?"): \(info[.message] ?? "")"]
            if let d = info[.detail] { parts.append("detail: \(d)") }
            if let h = info[.hint] { parts.append("hint: \(h)") }
            return parts.joined(separator: "; ")
        }
        if let underlying = e.underlying { return "\(e.code): \(underlying)" }
        return "\(e.code)"
    }

    static func asksForPassword(_ error: any Error) -> Bool {
        guard let e = error as? PSQLError else { return false }
        let state = e.serverInfo?[.sqlState]
        return state == "28P01" || state == "28000" || "\(e.code)".contains("authMechanismRequiresPassword")
    }

    /// Runs a statement that returns no rows.
    public func execute(_ sql: String) throws {
        _ = try query(sql)
    }

    public func query(_ sql: String) throws -> [[String?]] {
        statements.append(sql)
        onStatement?(sql)
        let result: PostgresQueryResult
        do {
            result = try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait()
        } catch {
            throw Failure(message: "database error \(Self.describe(error))")
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var out: [String?] = []
            for cell in row {
                receivedBytes += cell.bytes?.readableBytes ?? 0
                out.append(try Self.text(cell))
            }
            rows.append(out)
        }
        receivedRows += rows.count
        return rows
    }

    /// A cell as text: integers in decimal, doubles in Swift's shortest round-trip form, booleans t/f.
    static func text(_ cell: PostgresCell) throws -> String? {
        guard cell.bytes != nil else { return nil }
        switch cell.dataType {
        case .int8: return String(try cell.decode(Int64.self))
        case .int4: return String(try cell.decode(Int32.self))
        case .int2: return String(try cell.decode(Int16.self))
        case .float8: return String(try cell.decode(Double.self))
        case .float4: return String(try cell.decode(Float.self))
        case .bool: return try cell.decode(Bool.self) ? "t" : "f"
        case .numeric: return "\(try cell.decode(Decimal.self))"
        default: return try cell.decode(String.self)
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
