import CLibPQ
import Foundation
import Microdata
import Profile
import Tabulation

/// `regtab load`: copies the contract's input files (CSV, SPSS, Stata — whatever `regtab run --data` reads)
/// into PostgreSQL with `COPY`, so an office can move its registry into a database and run the same report
/// with `--source`.
///
/// Tables get the input's columns (names in lower case) plus:
/// - `line_no bigint`: the line of the record in its file (the CSV reader's line), which orders duplicate
///   family keys ("the first row is tabulated") and dates the record accounting as in a CSV run;
/// - `family_key text` (keluarga, anggota): the family key as `kode_desa/sls/building/family`
///   (`FamilyKey.text`), NULL when invalid — the distribution column for Citus and the join key.
///
/// Values are read exactly as the engine reads them: a code that parses as an integer is stored in its
/// canonical form (`01` → `1`), a number in Swift's round-trip form (a decimal comma becomes a point),
/// anything else as written (so the run counts it as not stated, as from CSV). A column whose values
/// are then all integers becomes `integer`/`bigint`, all numbers `double precision`; the rest stays
/// `text`, which the compiler casts safely.
public struct Loader {
    public let profile: Profile
    public var inputOptions = InputOptions()
    /// Drop and re-create tables that exist.
    public var replace = false
    /// Called with progress lines.
    public var progress: ((String) -> Void)?

    public init(profile: Profile) { self.profile = profile }

    public struct Summary: Sendable {
        public var tables: [(name: String, rows: Int, typed: [String])]
        public var distributed: Bool
    }

    public func load(directory: String, into session: PostgresSession) throws -> Summary {
        let schema = session.url.schema
        guard !schema.contains("\""), !schema.isEmpty else { throw PostgresSession.Failure(message: "invalid schema name '\(schema)'") }
        let layout = profile.layout
        guard !layout.isFlat else {
            throw PostgresSession.Failure(message: "the report definition's layout is flat (one file of members with their families' columns); `regtab load` and `--source` read the two-file layout only")
        }
        let inputs = InputSet(layout: layout, directory: directory)
        if let problem = inputs.problems.values.first { throw problem }
        let present = inputs.files
        for required in [layout.familyFileName, layout.memberFileName, layout.areaFileName] where !present.contains(where: { $0.name == required }) {
            throw InputError(file: required, line: 0, expected: "a file \(required) (or .sav/.dta) in \(directory)")
        }
        try session.execute("CREATE SCHEMA IF NOT EXISTS \(SQLText.ident(schema))")
        let citus = try !session.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'").isEmpty
        var summary = Summary(tables: [], distributed: citus)
        // Reference tables first, then the family table, then members co-located with it.
        for name in layout.fileNames {
            guard let file = present.first(where: { $0.name == name }) else { continue }
            let table = RecordSources.stem(name)
            progress?("loading \(file.path) into \(SQLText.table(schema, table))")
            summary.tables.append(try loadTable(table, path: file.path, session: session, citus: citus))
        }
        return summary
    }

    /// How one input column is written.
    enum Normalise { case raw, integer, number, integerOrNumber }

    func loadTable(_ table: String, path: String, session: PostgresSession, citus: Bool) throws -> (name: String, rows: Int, typed: [String]) {
        let schema = session.url.schema
        let qualified = SQLText.table(schema, table)
        let source = try RecordSources.open(path: path, options: inputOptions)
        // Column names: the header in lower case, unique, never one of ours.
        var names: [String] = []
        for (i, h) in source.header.enumerated() {
            var n = h.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\"", with: "")
            if n.isEmpty { n = "column_\(i + 1)" }
            if ["line_no", "family_key"].contains(n) { n += "_input" }
            var candidate = n, k = 2
            while names.contains(candidate) { candidate = "\(n)_\(k)"; k += 1 }
            names.append(candidate)
        }
        var normalise = [Normalise](repeating: .raw, count: names.count)
        var keys: FamilyKeyReader?
        let layout = profile.layout, keyNames = layout.familyIDNames
        if let file: SourceFile = table == layout.familyFile ? .keluarga : table == layout.memberFile ? .anggota : nil {
            let map = try ColumnMap(source: source, codebook: profile.codebook, file: file, keys: keyNames)
            keys = try FamilyKeyReader(layout: layout, codebook: profile.codebook, map: map)
            for k in keyNames { if let c = map.column(k) { normalise[c] = .integerOrNumber } }
            for v in profile.codebook.variables where v.file == file || keyNames.contains(v.name) {
                guard let c = map.column(v.name), !keyNames.contains(v.name) else { continue }
                switch v.type {
                case .code: normalise[c] = v.values.isEmpty ? .integerOrNumber : .integer
                case .number: normalise[c] = .number
                default: break
                }
            }
        }
        if replace { try session.execute("DROP TABLE IF EXISTS \(qualified)") }
        var columns = ["line_no bigint NOT NULL"]
        if keys != nil { columns.append("family_key text") }
        columns += names.map { "\(SQLText.ident($0)) text" }
        do {
            try session.execute("CREATE TABLE \(qualified) (\n  " + columns.joined(separator: ",\n  ") + "\n)")
        } catch {
            throw PostgresSession.Failure(message: "\(error) (use --replace to drop and re-create existing tables)")
        }
        if citus {
            // Citus: families and members on the same shards by family key; reference data on every node.
            switch table {
            case layout.familyFile: try session.execute("SELECT create_distributed_table(\(SQLText.literal(qualified)), 'family_key')")
            case layout.memberFile:
                let families = SQLText.literal(SQLText.table(schema, layout.familyFile))
                try session.execute("SELECT create_distributed_table(\(SQLText.literal(qualified)), 'family_key', colocate_with => \(families))")
            default: try session.execute("SELECT create_reference_table(\(SQLText.literal(qualified)))")
            }
        }
        let copyColumns = ["line_no"] + (keys != nil ? ["family_key"] : []) + names
        let rows = try copy(source: source, table: table, columns: copyColumns, normalise: normalise, keys: keys, session: session)

        // Type the columns whose every value is now an integer or a number.
        let candidates = names.indices.filter { normalise[$0] != .raw }
        var typed: [String] = []
        if !candidates.isEmpty, rows > 0 {
            var checks: [String] = []
            for i in candidates {
                let c = SQLText.ident(names[i])
                checks.append("bool_and(\(c) IS NULL OR \(c) ~ '^-?[0-9]{1,9}$')")
                checks.append("bool_and(\(c) IS NULL OR \(c) ~ '^-?[0-9]{1,18}$')")
                checks.append("bool_and(\(c) IS NULL OR \(c) ~ '^-?[0-9]+(\\.[0-9]+)?(e[+-][0-9]+)?$')")
            }
            let answer = try session.query("SELECT \(checks.joined(separator: ", ")) FROM \(qualified)")[0]
            var alters: [String] = []
            for (j, i) in candidates.enumerated() {
                let c = SQLText.ident(names[i])
                let int = answer[3 * j] == "t", big = answer[3 * j + 1] == "t", num = answer[3 * j + 2] == "t"
                if int && normalise[i] != .number { alters.append("ALTER COLUMN \(c) TYPE integer USING \(c)::integer"); typed.append(names[i]) }
                else if big && normalise[i] != .number { alters.append("ALTER COLUMN \(c) TYPE bigint USING \(c)::bigint"); typed.append(names[i]) }
                else if num && normalise[i] != .integer { alters.append("ALTER COLUMN \(c) TYPE double precision USING \(c)::float8"); typed.append(names[i]) }
            }
            if !alters.isEmpty { try session.execute("ALTER TABLE \(qualified) " + alters.joined(separator: ", ")) }
        }
        // Indexes the queries use: the family key (joins, the first-row window) and the line.
        if keys != nil {
            try session.execute("CREATE INDEX ON \(qualified) (family_key, line_no)")
        }
        try session.execute("ANALYZE \(qualified)")
        return (table, rows, typed)
    }

    /// Streams the records into `COPY table FROM STDIN` (text format) with libpq's `PQputCopyData`, 1 MiB at
    /// a time. A server error (a value the column refuses) arrives after the end of the data, with the
    /// server's SQLSTATE and message; an input error aborts the copy (`PQputCopyEnd` with a reason) and is
    /// thrown as it is.
    func copy(source: any RecordSource, table: String, columns: [String], normalise: [Normalise], keys: FamilyKeyReader?,
              session: PostgresSession) throws -> Int {
        let connection = session.connection
        let list = columns.map(SQLText.ident).joined(separator: ", ")
        let start = PQexec(connection, "COPY \(SQLText.table(session.url.schema, table)) (\(list)) FROM STDIN")
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            throw PostgresSession.Failure(message: "COPY into \(table) failed: \(PostgresSession.describe(start, connection: connection))")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 4096)
        var rows = 0
        func send() throws {
            let sent = buffer.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
            }
            buffer.removeAll(keepingCapacity: true)
            if sent != 1 {
                throw PostgresSession.Failure(message: "COPY into \(table) failed: \(PostgresSession.connectionMessage(connection))")
            }
        }
        var inputError: (any Error)?
        do {
            try source.forEachRecord(repeatedHeader: { _ in }) { r in
                rows += 1
                buffer.append(contentsOf: String(r.line).utf8)
                if let keys {
                    buffer.append(UInt8(ascii: "\t"))
                    if case .success(let key) = keys.key(r, file: source.fileName, header: source.header) {
                        buffer.append(contentsOf: keys.text(key).utf8)
                    } else {
                        buffer.append(contentsOf: "\\N".utf8)
                    }
                }
                for c in 0..<normalise.count {
                    buffer.append(UInt8(ascii: "\t"))
                    if r.isEmpty(c) { buffer.append(contentsOf: "\\N".utf8); continue }
                    var value: String?
                    switch normalise[c] {
                    case .raw: value = nil
                    case .integer: value = r.int(c).map(String.init)
                    case .number: value = r.double(c).map { "\($0)" }
                    case .integerOrNumber: value = r.int(c).map(String.init) ?? r.double(c).map { "\($0)" }
                    }
                    Self.writeEscaped(value ?? r.string(c), into: &buffer)
                }
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= 1 << 20 { try send() }
            }
            if !buffer.isEmpty { try send() }
        } catch {
            inputError = error
        }
        let reason = inputError.map { "regtab stopped reading the input: \($0)" }
        _ = PQputCopyEnd(connection, reason)
        // The COPY's outcome, then the end of the results (libpq needs them all read before the next statement).
        var failure: String?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil {
                failure = PostgresSession.describe(result, connection: connection)
            }
            PQclear(result)
        }
        if let inputError { throw inputError }
        if let failure { throw PostgresSession.Failure(message: "COPY into \(table) failed: \(failure)") }
        return rows
    }

    /// COPY text format: backslash, tab, line feed and carriage return escaped.
    static func writeEscaped(_ s: String, into buffer: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\t"): buffer.append(contentsOf: "\\t".utf8)
            case UInt8(ascii: "\n"): buffer.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): buffer.append(contentsOf: "\\r".utf8)
            default: buffer.append(b)
            }
        }
    }
}
