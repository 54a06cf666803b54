import Foundation
import Testing
@testable import Database
import DemoData
@testable import Microdata
@testable import Profile
@testable import Reporting
@testable import Tabulation

/// The report pushed down to PostgreSQL (issue 8) against a real server: `.ci/with-postgres` starts a throwaway
/// cluster and exports its URL as `REGTAB_TEST_PG_URL` (and `PGPASSWORD`). Every test loads contract CSVs with
/// `regtab load`'s loader, runs the report from CSV and from the database, and requires byte-identical
/// `data/*.csv` twins. Locally without a server the suite is skipped with the reason; in CI (`CI=true`) it runs
/// and a missing server fails every test.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["REGTAB_TEST_PG_URL"] != nil
                                 || ProcessInfo.processInfo.environment["CI"] == "true",
                             "no REGTAB_TEST_PG_URL (run `bash .ci/with-postgres swift test` to start a throwaway server)"))
struct PostgresTests {
    static let baseURL = ProcessInfo.processInfo.environment["REGTAB_TEST_PG_URL"]
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    struct NoServer: Error, CustomStringConvertible {
        var description: String { "REGTAB_TEST_PG_URL is not set: CI must run the tests through .ci/with-postgres" }
    }

    /// The server's URL with `schema` set.
    static func url(schema: String) throws -> String {
        guard let base = baseURL else { throw NoServer() }
        var c = try #require(URLComponents(string: base))
        c.queryItems = (c.queryItems ?? []).filter { $0.name != "schema" } + [URLQueryItem(name: "schema", value: schema)]
        return try #require(c.string)
    }

    static func load(_ directory: String, schema: String, profile: String = Repo.profile) throws -> String {
        let url = try url(schema: schema)
        _ = try DatabaseRun.load(directory: directory, target: url, profileDirectory: profile, input: InputOptions(), replace: true)
        return url
    }

    /// Runs the report from CSV and from the database into two folders; returns both summaries and folders.
    /// With `restricted`, both runs also write the record-level lists (to `csv-restricted/`, `db-restricted/`).
    static func runBoth(data: String, source: String, name: String, restricted: Bool = false, profile: String = Repo.profile)
        throws -> (csv: RunSummary, db: RunSummary, csvOut: String, dbOut: String) {
        let root = Repo.temporaryDirectory(name)
        let csvOut = root + "/csv", dbOut = root + "/db"
        let csv = try ReportRun.run(RunOptions(profileDirectory: profile, dataDirectory: data, outputDirectory: csvOut,
                                               templatesDirectory: Repo.templates, restrictedDirectory: restricted ? csvOut + "-restricted" : nil))
        var options = RunOptions(profileDirectory: profile, dataDirectory: "", outputDirectory: dbOut, templatesDirectory: Repo.templates,
                                 restrictedDirectory: restricted ? dbOut + "-restricted" : nil)
        options.source = source
        options.allowErrors = true
        let db = try ReportRun.run(options)
        return (csv, db, csvOut, dbOut)
    }

    /// Every `data/*.csv` twin byte-identical; at least `minimum` of them (a run without a roster publishes no
    /// roster-only tables: 17).
    static func expectIdenticalTwins(_ a: String, _ b: String, minimum: Int = 20) throws {
        let fm = FileManager.default
        let left = try fm.contentsOfDirectory(atPath: a + "/data").sorted()
        let right = try fm.contentsOfDirectory(atPath: b + "/data").sorted()
        #expect(left == right)
        #expect(left.count >= minimum)
        for file in left where right.contains(file) {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/data/" + file))
            let y = try Data(contentsOf: URL(fileURLWithPath: b + "/data/" + file))
            if x != y {
                let lx = String(decoding: x, as: UTF8.self).split(separator: "\n"), ly = String(decoding: y, as: UTF8.self).split(separator: "\n")
                let first = zip(lx, ly).first { $0 != $1 }.map { "CSV: \($0)\nSQL: \($1)" } ?? "\(lx.count) vs \(ly.count) lines"
                Issue.record("data/\(file) differs between the CSV and the database run; first difference:\n\(first)")
            }
        }
    }

    /// The same record accounting (file names differ: `keluarga.csv` vs table `keluarga`).
    static func expectSameAccounting(_ csv: RecordAccounting, _ db: RecordAccounting) {
        func table(_ f: String) -> String { RecordSources.stem(f) }
        #expect(csv.read.map { "\(table($0.file)) \($0.count)" } == db.read.map { "\(table($0.file)) \($0.count)" })
        #expect(csv.tabulated.map { "\(table($0.file)) \($0.count)" } == db.tabulated.map { "\(table($0.file)) \($0.count)" })
        #expect(csv.excluded.map { "\(table($0.file)) \($0.reason) \($0.count)" } == db.excluded.map { "\(table($0.file)) \($0.reason) \($0.count)" })
        #expect(csv.warnings.map { "\(table($0.file)) \($0.reason) \($0.count)" } == db.warnings.map { "\(table($0.file)) \($0.reason) \($0.count)" })
    }

    // MARK: identical twins

    @Test func handCountFixtureGivesIdenticalTwins() throws {
        let url = try Self.load(Repo.fixture("handcount"), schema: "t_handcount")
        let r = try Self.runBoth(data: Repo.fixture("handcount"), source: url, name: "pgHandCount")
        try Self.expectIdenticalTwins(r.csvOut, r.dbOut)
        Self.expectSameAccounting(r.csv.accounting, r.db.accounting)
        #expect(r.db.families == r.csv.families && r.db.persons == r.csv.persons)
        #expect(r.db.database.first?.hasPrefix("database: ") == true)
    }

    @Test func generatedRegistryOf20000FamiliesGivesIdenticalTwins() throws {
        let data = Repo.temporaryDirectory("pg20k") + "/microdata"
        _ = try DemoRun.generate(families: 20_000, seed: 3, directory: data)
        let url = try Self.load(data, schema: "t_demo20k")
        let r = try Self.runBoth(data: data, source: url, name: "pg20k", restricted: true)
        try Self.expectIdenticalTwins(r.csvOut, r.dbOut)
        // The restricted lists (only with --restricted) are the same records in the same order.
        for list in ["eligible_non_recipients.csv", "duplicate_records.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: r.csvOut + "-restricted/" + list))
            let b = try Data(contentsOf: URL(fileURLWithPath: r.dbOut + "-restricted/" + list))
            #expect(a == b, "restricted \(list) differs")
            #expect(a.count > 1000, "restricted \(list) has records")
        }
        Self.expectSameAccounting(r.csv.accounting, r.db.accounting)
        #expect(r.db.families == r.csv.families && r.db.persons == r.csv.persons)
        #expect(r.db.warnings == r.csv.warnings)
        // Only aggregates crossed the wire: far fewer bytes than the CSV files.
        let line = try #require(r.db.database.first)
        let bytes = Int(line.split(separator: ",")[2].split(separator: " ")[0]) ?? Int.max
        let csvBytes = try FileManager.default.contentsOfDirectory(atPath: data).reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: data + "/" + $1)[.size] as? Int) ?? 0)
        }
        #expect(bytes < csvBytes / 5, "\(bytes) bytes received for \(csvBytes) bytes of CSV")
    }

    /// Contract revision 2 (`Benchmarks/reference/make_rev2_cases.py`: a kelurahan's BLT_DESA, PBI_JKN and PIP
    /// counted in persons, roster NIKs of departed members, duplicates within a periode, KK-only rows, a roster
    /// without NIKs, no roster and an empty one): the database run gives the CSV run's twins and restricted
    /// lists byte for byte, without disclosure control so that no cell hides behind a `C`.
    @Test func revisionTwoCasesGiveIdenticalTwins() throws {
        let root = Repo.temporaryDirectory("pgRev2")
        let made = try DuckDBCrossTests.execute("python3", [Repo.root + "/Benchmarks/reference/make_rev2_cases.py", root + "/cases"])
        try #require(made.status == 0, "make_rev2_cases.py failed:\n\(made.output)")
        let profile = root + "/report"
        try FileManager.default.copyItem(atPath: Repo.profile, toPath: profile)
        try DuckDBCrossTests.disableProtection(profile + "/report.yml")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root + "/cases").sorted()
        #expect(cases.count >= 9)
        for name in cases {
            let data = root + "/cases/" + name
            let url = try Self.load(data, schema: "t_rev2_" + name, profile: profile)
            let r = try Self.runBoth(data: data, source: url, name: "pgRev2-" + name, restricted: true, profile: profile)
            let hasRoster = FileManager.default.fileExists(atPath: data + "/penerima.csv")
            try Self.expectIdenticalTwins(r.csvOut, r.dbOut, minimum: hasRoster ? 20 : 17)
            // Without a roster: no roster-only table, and no roster source in `targeting` (contract §2 "No rosters").
            let published = try FileManager.default.contentsOfDirectory(atPath: r.dbOut + "/data")
            #expect(published.contains("duplicates.csv") == hasRoster, "\(name)")
            let targeting = try String(contentsOfFile: r.dbOut + "/data/targeting.csv", encoding: .utf8)
            #expect(targeting.contains(",roster,") == hasRoster, "\(name)")
            Self.expectSameAccounting(r.csv.accounting, r.db.accounting)
            #expect(r.db.families == r.csv.families && r.db.persons == r.csv.persons, "\(name)")
            #expect(r.db.warnings == r.csv.warnings, "\(name)")
            func csvFiles(_ folder: String) -> [String] {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
            }
            let lists = csvFiles(r.csvOut + "-restricted")
            #expect(lists == csvFiles(r.dbOut + "-restricted"), "\(name)")
            for list in lists {
                let a = try Data(contentsOf: URL(fileURLWithPath: r.csvOut + "-restricted/" + list))
                let b = try Data(contentsOf: URL(fileURLWithPath: r.dbOut + "-restricted/" + list))
                #expect(a == b, "\(name): restricted \(list) differs")
            }
        }
    }

    /// Rev. 2 inputs the hand-made cases do not vary: `jenis` written in other cases and with blanks (the area
    /// attribute compares trimmed, case-insensitively; an unknown text is missing), no `jenis` column at all (no
    /// village is a desa: nobody is BLT_DESA-eligible), and a roster without a `periode` column (one period).
    @Test func revisionTwoVariantsGiveIdenticalTwins() throws {
        let root = Repo.temporaryDirectory("pgRev2Variants")
        let made = try DuckDBCrossTests.execute("python3", [Repo.root + "/Benchmarks/reference/make_rev2_cases.py", root + "/cases"])
        try #require(made.status == 0, "make_rev2_cases.py failed:\n\(made.output)")
        let profile = root + "/report"
        try FileManager.default.copyItem(atPath: Repo.profile, toPath: profile)
        try DuckDBCrossTests.disableProtection(profile + "/report.yml")
        /// A copy of case `name` with `file`'s lines (header first, without line ends) rewritten.
        func variant(_ name: String, of base: String, _ file: String, _ rewrite: ([String]) -> [String]) throws -> String {
            let data = root + "/" + name
            try FileManager.default.copyItem(atPath: root + "/cases/" + base, toPath: data)
            let lines = try String(contentsOfFile: data + "/" + file, encoding: .utf8)
                .split(separator: "\n").map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
            try (rewrite(lines).joined(separator: "\n") + "\n").write(toFile: data + "/" + file, atomically: true, encoding: .utf8)
            return data
        }
        func dropLastColumn(_ lines: [String]) -> [String] {
            lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        }
        var spellings = ["\" DESA\"", "\"Kelurahan \"", "desa\u{00A0}"].makeIterator()
        let variants = [
            try variant("jenis_spelling", of: "kelurahan_blt", "wilayah.csv") { lines in
                [lines[0]] + lines.dropFirst().map { line in
                    var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    fields[fields.count - 1] = spellings.next() ?? fields[fields.count - 1]
                    return fields.joined(separator: ",")
                }
            },
            try variant("jenis_unknown", of: "no_nik_roster", "wilayah.csv") { lines in
                [lines[0]] + lines.dropFirst().map { $0.replacingOccurrences(of: ",desa", with: ",dusun") }
            },
            try variant("no_jenis", of: "kelurahan_blt", "wilayah.csv", dropLastColumn),
            try variant("no_periode", of: "periods", "penerima.csv", dropLastColumn),
        ]
        for data in variants {
            let name = (data as NSString).lastPathComponent
            let url = try Self.load(data, schema: "t_rev2v_" + name, profile: profile)
            let r = try Self.runBoth(data: data, source: url, name: "pgRev2v-" + name, restricted: true, profile: profile)
            try Self.expectIdenticalTwins(r.csvOut, r.dbOut)
            Self.expectSameAccounting(r.csv.accounting, r.db.accounting)
            for list in ["eligible_non_recipients.csv", "duplicate_records.csv"] {
                let a = try Data(contentsOf: URL(fileURLWithPath: r.csvOut + "-restricted/" + list))
                let b = try Data(contentsOf: URL(fileURLWithPath: r.dbOut + "-restricted/" + list))
                #expect(a == b, "\(name): restricted \(list) differs")
            }
            let targeting = try String(contentsOfFile: r.dbOut + "/data/targeting.csv", encoding: .utf8)
            let eligibleBLT = targeting.split(separator: "\n").first { $0.hasPrefix("targeting,kabupaten,1505,BLT_DESA,registry,eligible,") }
            switch name {
            case "jenis_spelling": #expect(eligibleBLT == "targeting,kabupaten,1505,BLT_DESA,registry,eligible,1,", "desa written ' DESA'")
            case "no_jenis", "jenis_unknown": #expect(eligibleBLT == "targeting,kabupaten,1505,BLT_DESA,registry,eligible,0,", "\(name)")
            default: break
            }
        }
    }

    /// Tables not made by `regtab load`: no `family_key` column (the compiler builds the key from r101…r110)
    /// and every code stored as text, with blanks and leading zeros (the compiler parses like the CSV reader).
    @Test func textColumnsWithoutFamilyKeyGiveIdenticalTwins() throws {
        let url = try Self.load(Repo.fixture("handcount"), schema: "t_handcount_text")
        let session = try PostgresSession.connect(try PostgresURL(url))
        defer { session.close() }
        for table in ["keluarga", "anggota"] {
            let columns = try #require(try session.columns(ofTable: table))
            var alters = ["DROP COLUMN family_key"]
            for c in columns where c.type != "text" && c.name != "line_no" && c.name != "family_key" {
                // '7' becomes ' 07' — same code for the CSV reader.
                alters.append("ALTER COLUMN \(c.name) TYPE text USING CASE WHEN \(c.name) IS NULL THEN NULL ELSE ' 0' || \(c.name)::text END")
            }
            try session.execute("ALTER TABLE t_handcount_text.\(table) " + alters.joined(separator: ", "))
        }
        let r = try Self.runBoth(data: Repo.fixture("handcount"), source: url, name: "pgHandCountText")
        try Self.expectIdenticalTwins(r.csvOut, r.dbOut)
        Self.expectSameAccounting(r.csv.accounting, r.db.accounting)
    }

    @Test func errorsInTheDatabaseRefuseTheRunUnlessAllowed() throws {
        let url = try Self.load(Repo.fixture("handcount"), schema: "t_handcount_refuse")
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: "", outputDirectory: Repo.temporaryDirectory("pgRefuse"),
                                 templatesDirectory: Repo.templates)
        options.source = url
        #expect(throws: DatabaseRun.Refused.self) { try ReportRun.run(options) }
    }

    @Test func explainSQLShowsOneStatementPerTableWithGroupingSets() throws {
        let url = try Self.load(Repo.fixture("handcount"), schema: "t_handcount_explain")
        let sql = try DatabaseRun.explain(profileDirectory: Repo.profile, source: url)
        let profile = try Profile.load(directory: Repo.profile)
        for t in profile.tables { #expect(sql.contains("-- table \(t.id):"), "statement for \(t.id)") }
        #expect(sql.contains("GROUP BY GROUPING SETS ((area_kabupaten), (area_kecamatan), (area_desa)), CUBE (age_group, r405)"))
        #expect(sql.contains("bool_or("))
        #expect(sql.contains("count(DISTINCT row_id)"))
        // Contract rev. 2: area.jenis from wilayah, person programmes in their own statement, departed members' NIKs.
        #expect(sql.contains("WHEN 'desa' THEN 1"))
        #expect(sql.contains("-- targeting: person programmes"))
        #expect(sql.contains("AS is_departed"))
        #expect(!sql.lowercased().contains("create temp"))
    }

    // MARK: the rule compiler against the VM

    /// Three-valued logic, arithmetic, `%`, `/` by zero, `in`, `is missing` and `=` between conditions give the
    /// same truth in SQL as in the rule VM, for values including missing ones.
    @Test func ruleSQLMatchesTheVirtualMachine() throws {
        let url = try Self.url(schema: "public")
        let session = try PostgresSession.connect(try PostgresURL(url))
        defer { session.close() }
        let schema = RuleSchema(variables: [("a", .family, .number), ("b", .family, .number), ("c", .family, .number)])
        let names = RuleSQL.Names(value: { "v.\($0.name)" }, isInteger: { $0.name != "c" }, truth: { "(v.\($0.name) <> 0)" },
                                  quantifier: { _, _ in "NULL" })
        let rules = [
            "a = 1 or b > 2", "not (a < b)", "a in [1, 2] and not (b in [3])", "a is missing or b is not missing",
            "(a + b) / c >= 1", "a % 2 = 1", "(a = 1) = (b = 2)", "not (a != b and c < 0.5)", "a * 2 - b < c or not (c is missing)",
            "-a <= b % c", "a % b = 0", "c % 2 > 0.25", "(a > 0) != (c > 1) or a / b < 0", "not (a in [0, 3]) and not (c = 0.5)",
        ]
        let values: [Double] = [.nan, -1, 0, 1, 2, 3]
        let floats: [Double] = [.nan, -1, 0, 0.5, 1, 2.5]
        var rows: [(Double, Double, Double)] = []
        for a in values { for b in values { for c in floats { rows.append((a, b, c)) } } }
        func lit(_ x: Double, _ type: String) -> String { x.isNaN ? "NULL::\(type)" : "\(RuleSQL.literal(x))::\(type)" }
        let table = rows.enumerated().map { "(\($0.offset), \(lit($0.element.0, "int")), \(lit($0.element.1, "int")), \(lit($0.element.2, "float8")))" }
            .joined(separator: ", ")
        for text in rules {
            let vm = try CompiledRule.compile(text, name: "t", schema: schema, level: .member)
            let sql = try RuleSQL.compile(text, name: "t", schema: schema, level: .member, names: names)
            let answer = try session.query("SELECT id, coalesce(\(sql.condition), false) FROM (VALUES \(table)) AS v(id, a, b, c) ORDER BY id")
            for row in answer {
                let i = Int(row[0]!)!
                let r = rows[i]
                let expected = [r.0, r.1, r.2].withUnsafeBufferPointer { vm.matches(family: $0, member: UnsafeBufferPointer(start: nil, count: 0)) }
                #expect((row[1] == "t") == expected, "\(text) with a=\(r.0) b=\(r.1) c=\(r.2): SQL \(row[1] ?? "NULL"), VM \(expected); SQL: \(sql.condition)")
            }
        }
    }
}

/// The SQL translation and the URL rules, which need no server.
@Suite struct PostgresSQLTests {
    @Test func quantifiersBecomeOneAggregate() throws {
        let profile = try Profile.load(directory: Repo.profile)
        let (_, _, schema) = try makeScopes(codebook: profile.codebook)
        let names = RuleSQL.Names(value: { ($0.scope == .family ? "f." : "m.") + $0.name }, isInteger: { _ in true },
                                  truth: { "(m.\($0.name) = 1)" }, quantifier: { q, k in k == .any ? "coalesce(q.pkh_\(q + 1), false)" : "q.n\(q + 1)" })
        let pkh = try RuleSQL.compile(profile.rules.programmes[0].eligible, name: "PKH", schema: schema, level: .family, names: names)
        #expect(pkh.condition == "f.desil <= 4 AND coalesce(q.pkh_1, false)")
        #expect(pkh.quantifiers.count == 1)
        #expect(pkh.quantifiers[0].body == "m.r410 = 1 OR m.age <= 6 OR (m.age >= 6 AND m.age <= 21 AND m.r412 = 2) OR m.age >= 60 OR (m.disability = 1)")
        let pbi = try RuleSQL.compile("any member: r431a % 2 = 1 and r431a != 99", name: "PBI", schema: schema, level: .family, names: names)
        #expect(pbi.quantifiers[0].body == "(m.r431a % NULLIF(2, 0)) = 1 AND m.r431a <> 99")
        let count = try RuleSQL.compile("(count members: age >= 60) >= 2", name: "c", schema: schema, level: .family, names: names)
        #expect(count.condition == "q.n1 >= 2")
    }

    // MARK: URLs and passwords

    @Test func urlsNeverHoldPasswords() throws {
        let u = try PostgresURL("postgres://bps@db.example:6432/regsosek?schema=kab1505&sslmode=verify-full", environment: [:])
        #expect(u.user == "bps" && u.host == "db.example" && u.port == 6432 && u.database == "regsosek")
        #expect(u.schema == "kab1505" && u.sslMode == .verifyFull)
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL("postgres://bps:secret@db/regsosek", environment: [:]) }
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL("postgres://bps@db/regsosek?sslmode=maybe", environment: [:]) }
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL("mysql://bps@db/regsosek", environment: [:]) }
        let d = try PostgresURL("postgresql://db", environment: ["USER": "statistik"])
        #expect(d.user == "statistik" && d.database == "statistik" && d.schema == "public" && d.port == 5432 && d.sslMode == .prefer)
        #expect(!u.description.contains("secret"))
        #expect(PasswordSource.password(for: u, environment: ["PGPASSWORD": "pw"]) == "pw")
    }
}
