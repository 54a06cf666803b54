import Foundation
import Database
import Microdata
import Profile
import Protection
import Publishing
import Tabulation

/// `regtab run --source postgres://…` and `regtab load`: the report computed in the database (see
/// `PushdownEngine`), everything after the engine unchanged.
public enum DatabaseRun {
    /// Reasons of exclusion that `regtab check` reports as errors; a database run refuses them unless
    /// `--allow-errors`, as a CSV run does.
    static let errorReasons: Set<String> = ["invalid_family_key", "unknown_village", "duplicate_family_key", "family_not_tabulated",
                                            "programme_missing", "programme_reserved"]

    public struct Refused: Error, CustomStringConvertible {
        public var records: Int
        public var description: String {
            "refusing to tabulate: the database's record accounting shows \(records) record(s) with errors (invalid or duplicate family keys, "
                + "unknown villages, members without a tabulated family, unusable programme names). Fix them, or run with --allow-errors "
                + "to tabulate anyway: they are then excluded and counted in the report's record accounting."
        }
    }

    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    /// What crossed the wire in the last run (for the terminal summary and the benchmark).
    public struct Traffic: Sendable {
        public var statements: Int
        public var rows: Int
        public var bytes: Int
        /// Of `bytes`, those of the record-level lists (`--restricted` only).
        public var restrictedBytes: Int
        public var line: String {
            "database: \(statements) statements, \(rows) result rows, \(bytes - restrictedBytes) bytes of aggregates received"
                + (restrictedBytes > 0 ? " (+ \(restrictedBytes) bytes of restricted record lists)" : "")
        }
    }

    /// The engine result computed by the database, and the notes the report needs.
    static func engineResult(profile: Profile, options: RunOptions, source: String) throws -> (EngineResult, [Bilingual], Traffic) {
        if Protection.needsSalt(profile.report.protection, tables: profile.tables) {
            throw Unsupported(description: "the cell key method needs a key for every record, which a database run does not compute; "
                              + "use method: suppression in report.yml, or run from CSV (--data)")
        }
        let url = try PostgresURL(source)
        let session = try PostgresSession.connect(url)
        defer { session.close() }
        var engine = PushdownEngine(profile: profile)
        engine.progress = options.progress
        var result = try engine.run(session, recordLists: false)
        let aggregateBytes = session.receivedBytes
        if options.restrictedDirectory != nil { try engine.addRecordLists(session, to: &result) }
        let errors = result.accounting.excluded.filter { errorReasons.contains($0.reason) }.reduce(0) { $0 + $1.count }
        var notes: [Bilingual] = []
        if errors > 0 {
            guard options.allowErrors else { throw Refused(records: errors) }
            notes.append(Bilingual(
                id: "Data di basis data memuat \(errors) record dengan kesalahan; record tersebut dikecualikan dan dihitung dalam catatan record (dijalankan dengan --allow-errors).",
                en: "The data in the database hold \(errors) records with errors; they are excluded and counted in the record accounting (run with --allow-errors)."))
        }
        return (result, notes, Traffic(statements: session.statements.count, rows: session.receivedRows, bytes: session.receivedBytes,
                                       restrictedBytes: session.receivedBytes - aggregateBytes))
    }

    /// Provenance of a database run: the source (without password) and the tables read, no file hashes.
    static func provenance(_ source: String, layout: Layout) -> [InputFileInfo] {
        let url = (try? PostgresURL(source))?.description ?? "postgres"
        return [layout.familyFile, layout.memberFile, layout.rosterFile, layout.areaFile].map { InputFileInfo(name: "\(url)#\($0)", bytes: 0, sha256: "") }
    }

    /// Every statement a run would send, with its title, for `--explain-sql` (connects to read the schema's
    /// shape, `wilayah` and the roster's programme names; tabulates nothing).
    public static func explain(profileDirectory: String, source: String) throws -> String {
        let profile = try Profile.load(directory: profileDirectory)
        let session = try PostgresSession.connect(try PostgresURL(source))
        defer { session.close() }
        let statements = try PushdownEngine(profile: profile).explain(session)
        return statements.enumerated().map { "-- [\($0.offset + 1)/\(statements.count)] \($0.element.title)\n\($0.element.sql);\n" }
            .joined(separator: "\n")
    }

    /// `regtab load`: the contract files of `directory` into the database (see `Loader`).
    public static func load(directory: String, target: String, profileDirectory: String, input: InputOptions, replace: Bool,
                            progress: ((String) -> Void)? = nil) throws -> String {
        let profile = try Profile.load(directory: profileDirectory)
        let session = try PostgresSession.connect(try PostgresURL(target))
        defer { session.close() }
        var loader = Loader(profile: profile)
        loader.inputOptions = input
        loader.replace = replace
        loader.progress = progress
        let summary = try loader.load(directory: directory, into: session)
        var lines = summary.tables.map { t in
            "  \(session.url.schema).\(t.name): \(t.rows) rows" + (t.typed.isEmpty ? "" : "; typed: \(t.typed.joined(separator: ", "))")
        }
        if summary.distributed {
            lines.append("  Citus: keluarga and anggota distributed by family_key (co-located), wilayah and penerima reference tables")
        }
        return "Loaded into \(session.url):\n" + lines.joined(separator: "\n")
    }
}
