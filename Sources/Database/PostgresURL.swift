import Foundation

/// `postgres://USER@HOST:PORT/DB?schema=S&sslmode=require` — where the contract's tables are.
///
/// The password is never part of the URL (it would end up in shell histories and process lists): it comes
/// from `PGPASSWORD` or an interactive prompt. `sslmode` follows libpq: `disable`, `allow`/`prefer`
/// (TLS when the server offers it, unverified), `require` (TLS, certificate not verified), `verify-ca`
/// (certificate chain verified), `verify-full` (chain and host name verified). Default: `prefer`.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var schema: String
    public var sslMode: SSLMode

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let c = URLComponents(string: text), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw Invalid(message: "--source/--target: expected postgres://USER@HOST:PORT/DATABASE?schema=SCHEMA, got '\(Self.redact(text))'")
        }
        if c.password != nil {
            throw Invalid(message: "the URL holds a password: remove it and set PGPASSWORD, or let regtab ask for it (a password on the command line ends up in shell histories and process lists)")
        }
        user = c.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        host = c.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "localhost"
        port = c.port ?? environment["PGPORT"].flatMap { Int($0) } ?? 5432
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        database = path.isEmpty ? (environment["PGDATABASE"] ?? user) : (path.removingPercentEncoding ?? path)
        var schema = "public", ssl = SSLMode.prefer
        for item in c.queryItems ?? [] {
            switch item.name.lowercased() {
            case "schema", "search_path", "currentschema":
                guard let v = item.value, !v.isEmpty else { throw Invalid(message: "schema= needs a name") }
                schema = v
            case "sslmode":
                guard let v = item.value, let m = SSLMode(rawValue: v.lowercased()) else {
                    throw Invalid(message: "sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                ssl = m
            default:
                throw Invalid(message: "unknown URL parameter '\(item.name)' (known: schema, sslmode)")
            }
        }
        self.schema = schema
        sslMode = ssl
    }

    /// The URL as given minus any password, for messages and the manifest.
    public var description: String {
        var c = URLComponents()
        c.scheme = "postgres"; c.user = user; c.host = host; c.port = port; c.path = "/" + database
        c.queryItems = [URLQueryItem(name: "schema", value: schema), URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
        return c.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    static func redact(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? "(url)"
    }
}

/// The password for a connection: `PGPASSWORD`, else a prompt on the terminal (echo off), else none (the
/// server may trust the connection; if it asks for a password the error says how to give one).
public enum PasswordSource {
    public static func password(for url: PostgresURL, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = environment["PGPASSWORD"] { return p }
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        return prompt("Password for \(url.user)@\(url.host):\(url.port)/\(url.database): ")
    }

    /// Reads a line from the terminal with echo switched off.
    static func prompt(_ text: String) -> String? {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        guard tcgetattr(STDIN_FILENO, &old) == 0 else { return readLine(strippingNewline: true) }
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
