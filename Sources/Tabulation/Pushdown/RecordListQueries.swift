import Foundation
import Microdata
import Profile

/// The record-level lists behind `--restricted` (eligible families without assistance, the records behind the
/// duplicate measures), fetched from the database only when asked for, and put into the `EngineResult` in
/// exactly the shape and order the CSV engine gives them (`Targeting.eligibleNonRecipients`,
/// `DuplicateMeasures` records): families numbered in `line_no` order, roster rows by their line.
struct RecordListQueries {
    let plan: SQLPlan
    let areas: AreaIndex
    let progress: (@Sendable (String) -> Void)?

    /// Extra `mem` columns: the name and NIK as written, for the family heads.
    var headColumns: [String] {
        func text(_ v: String) -> String {
            plan.anggota.columns[v].map { "coalesce(btrim(a.\(SQLText.ident($0.name))::text, \(SQLText.cellBlanks)), '')" } ?? "''"
        }
        let layout = plan.profile.layout
        return ["\(layout.name.map(text) ?? "''") AS head_name", "\(layout.nik.map(text) ?? "''") AS head_nik"]
    }

    /// The family slot of the welfare rank (`RulesSpec.welfareRank`), shown in the verification list.
    var rankSlot: Int? { plan.profile.rules.welfareRank.flatMap { plan.familyScope.index(of: $0) } }

    func ctes(_ extra: [String]) throws -> String {
        var needs = plan.rosterNeeds
        needs.departed = true
        plan.needsFor(plan.eligible + plan.registry, &needs)
        let layout = plan.profile.layout
        let relationSlot = layout.relation.flatMap { plan.memberScope.index(of: $0) }
        if let relationSlot { needs.member.insert(relationSlot) }
        if let rank = rankSlot { needs.family.insert(rank) }
        plan.close(&needs)
        var list = [plan.wilCTE, try plan.famCTE(needs), try plan.memCTE(needs, extra: headColumns)]
        if let qa = plan.qaCTE(needs.familyRules) { list.append(qa) }
        let relation = relationSlot.map { "m.\(SQLText.ident(plan.memberScope.slots[$0].name)) = \(layout.headCode)" } ?? "false"
        list += plan.rosterCTEs() + ["""
            heads AS (  -- family head: the first current member whose relation is the head's code that has a name
              SELECT DISTINCT ON (m.family_key) m.family_key, m.head_name, m.head_nik
              FROM mem m WHERE m.is_current AND \(relation)
              ORDER BY m.family_key, (m.head_name <> '') DESC, CASE WHEN m.head_name <> '' THEN m.line_no ELSE -m.line_no END
            )
            """] + extra
        return plan.with(list)
    }

    func fetch(_ db: SQLConnection, into result: inout EngineResult) throws {
        let k = plan.profileCount
        // 1. Families eligible for any programme, with their flags (restricted: family keys leave the server).
        var fact = ["f.family_key", "f.village_code", "f.kk_text", "f.line_no", "coalesce(h.head_name, '')", "coalesce(h.head_nik, '')"]
        for p in 0..<k {
            fact.append("coalesce(\(plan.ruleSQL(plan.eligible[p].compiled, level: .family, .outer, quantifierPrefix: plan.eligible[p].id).condition), false)")
            fact.append("coalesce(\(plan.ruleSQL(plan.registry[p].compiled, level: .family, .outer, quantifierPrefix: plan.registry[p].id).condition), false)")
        }
        for p in 0..<k { fact.append("coalesce(r.rows_\(p), 0)") }
        fact.append(rankSlot.map { plan.value(.family, $0, .outer) } ?? "NULL::integer")   // at 6 + 3k
        let perFamily = (0..<k).map { "count(*) FILTER (WHERE program = \($0)) AS rows_\($0)" }
        let qaJoin = plan.qaCTE(plan.eligible + plan.registry) == nil ? "" : " LEFT JOIN qa q ON q.family_key = f.family_key"
        progress?("restricted: eligible families")
        let eligibleRows = try db.query(eligibleStatement(fact: fact, perFamily: perFamily, qaJoin: qaJoin))

        // 2. The records behind the duplicate measures.
        progress?("restricted: duplicate records")
        let duplicateRows = try db.query(try duplicatesStatement())

        // Families referenced by either list, numbered in line order (the CSV engine's family order).
        var familyLine: [String: (line: Int, village: String, kk: String, name: String, nik: String, rank: Double)] = [:]
        for r in eligibleRows {
            familyLine[r[0]!] = (Int(r[3] ?? "") ?? Int.max, r[1] ?? "", r[2] ?? "", r[4] ?? "", r[5] ?? "",
                                 r[6 + 3 * k].flatMap { Double($0) } ?? .nan)
        }
        for r in duplicateRows where r[3] != nil && familyLine[r[3]!] == nil {
            familyLine[r[3]!] = (Int(r[4] ?? "") ?? Int.max, r[5] ?? "", r[6] ?? "", r[7] ?? "", r[8] ?? "", .nan)
        }
        let keys = familyLine.keys.sorted { (familyLine[$0]!.line, $0) < (familyLine[$1]!.line, $1) }
        var index: [String: Int32] = [:]
        for (i, key) in keys.enumerated() { index[key] = Int32(i) }
        result.familyKeys = keys
        result.familyVillage = keys.map { Int32(areas.village(code: familyLine[$0]!.village) ?? 0) }
        result.familyKK = PackedTextColumn(keys.map { familyLine[$0]!.kk })
        result.headName = keys.map { familyLine[$0]!.name }
        result.headNIK = keys.map { familyLine[$0]!.nik }
        // The welfare rank of the families the verification list shows (those eligible for a programme).
        if rankSlot != nil { result.familyRank = keys.map { familyLine[$0]!.rank } }

        // Eligible non-recipients, in the CSV engine's order: per programme registry then roster, then ANY.
        struct Flags { var family: Int32; var eligible: [Bool]; var registry: [Bool]; var rows: [Int] }
        let flags = eligibleRows.map { r -> Flags in
            Flags(family: index[r[0]!]!, eligible: (0..<k).map { r[6 + 2 * $0] == "t" }, registry: (0..<k).map { r[7 + 2 * $0] == "t" },
                  rows: (0..<k).map { Int(r[6 + 2 * k + $0] ?? "0") ?? 0 })
        }.sorted { $0.family < $1.family }
        var nonRecipients: [(programme: String, source: String, family: Int32)] = []
        let registry = TargetingResult.sources[0], roster = TargetingResult.sources[1]
        // Without a roster there is no roster source (contract §2 "No rosters", rev. 2).
        let hasRoster = plan.penerima != nil
        for p in 0..<k {
            for f in flags where f.eligible[p] && !f.registry[p] { nonRecipients.append((plan.programmes.all[p], registry, f.family)) }
            for f in flags where hasRoster && f.eligible[p] && f.rows[p] == 0 { nonRecipients.append((plan.programmes.all[p], roster, f.family)) }
        }
        for f in flags where f.eligible.contains(true) && !f.registry.contains(true) {
            nonRecipients.append((TargetingResult.anyProgramme, registry, f.family))
        }
        for f in flags where hasRoster && f.eligible.contains(true) && !f.rows.contains(where: { $0 > 0 }) {
            nonRecipients.append((TargetingResult.anyProgramme, roster, f.family))
        }
        result.targeting.eligibleNonRecipients = nonRecipients

        // Duplicate records: rows as (category, programme, row line, family, NIK), roster rows for the lists.
        var rosterRows: [Int: RosterRow] = [:]
        var byCategory: [String: [(program: Int, line: Int, family: Int32?, nik: String)]] = [:]
        for r in duplicateRows {
            let category = r[0]!
            let family = r[3].flatMap { index[$0] }
            if category == "multi_family_nik" {
                byCategory[category, default: []].append((-1, 0, family, r[9] ?? ""))
                continue
            }
            let program = Int(r[1] ?? "") ?? 0, line = Int(r[2] ?? "") ?? 0
            byCategory[category, default: []].append((program, line, family, r[10] ?? ""))
            if rosterRows[line] == nil {
                rosterRows[line] = RosterRow(program: plan.programmes.all[program], nik: r[10] ?? "", noKK: r[11] ?? "", name: r[12] ?? "",
                                         kemendagriVillage: "", period: "", line: line)
            }
        }
        func ordered(_ c: String) -> [(program: Int, line: Int, family: Int32?, nik: String)] {
            (byCategory[c] ?? []).sorted { ($0.program, $0.line, $0.family ?? -1) < ($1.program, $1.line, $1.family ?? -1) }
        }
        var records: [(category: String, programme: String, rosterLine: Int?, family: Int32?, nik: String)] = []
        for c in ["duplicate_nik", "duplicate_family", "non_current_nik"] {
            for x in ordered(c) { records.append((c, plan.programmes.all[x.program], x.line, x.family, x.nik)) }
        }
        for (p, _) in plan.exclusivePartners.sorted(by: { $0.key < $1.key }) {
            for x in ordered("exclusive_overlap:\(p)") { records.append(("exclusive_overlap", plan.programmes.all[x.program], x.line, x.family, x.nik)) }
        }
        for x in (byCategory["multi_family_nik"] ?? []).sorted(by: { (UInt64($0.nik) ?? 0, $0.family ?? -1) < (UInt64($1.nik) ?? 0, $1.family ?? -1) }) {
            records.append(("multi_family_nik", TargetingResult.totalCode, nil, x.family, NIK.text(UInt64(x.nik) ?? 0)))
        }
        result.targeting.duplicateRecords = records
        result.roster = RosterTable(rosterRows.keys.sorted().map { rosterRows[$0]! })
    }

    func eligibleStatement(fact: [String], perFamily: [String], qaJoin: String) throws -> String {
        let k = plan.profileCount
        let anyEligible = (0..<k).map { "e\($0)" }.joined(separator: " OR ")
        var named = ["family_key", "village_code", "kk_text", "line_no", "head_name", "head_nik"]
        for p in 0..<k { named += ["e\(p)", "g\(p)"] }
        for p in 0..<k { named.append("r\(p)") }
        named.append("welfare_rank")
        let columns = zip(fact, named).map { "\($0) AS \($1)" }
        return """
            -- restricted (--restricted only): families eligible for a programme, with registry receipt and roster rows per programme
            \(try ctes(["per_family AS (SELECT family_key, \(perFamily.joined(separator: ", ")) FROM link GROUP BY family_key)"]))
            SELECT * FROM (
              SELECT \(columns.joined(separator: ",\n         "))
              FROM fam f\(qaJoin)
                   LEFT JOIN per_family r ON r.family_key = f.family_key
                   LEFT JOIN heads h ON h.family_key = f.family_key
            ) x
            WHERE \(k == 0 ? "false" : anyEligible)
            """
    }

    func duplicatesStatement() throws -> String {
        let familyLevel = (0..<plan.profileCount).filter { p in
            plan.profile.rules.programmes.first { $0.id == plan.programmes.all[p] }?.unit == .family
        }
        var parts = ["""
            SELECT 'duplicate_nik' AS category, p.program, p.row_id, l.family_key, NULL::text AS nik_value
            FROM pen p LEFT JOIN link l ON l.row_id = p.row_id
            WHERE (p.program, p.periode, p.nik_value) IN (SELECT program, periode, nik_value FROM pen WHERE nik_value IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1)
            """]
        if !familyLevel.isEmpty {
            parts.append("""
                SELECT 'duplicate_family', l.program, l.row_id, l.family_key, NULL
                FROM link l JOIN (SELECT family_key, program, periode FROM link WHERE program IN (\(familyLevel.map(String.init).joined(separator: ", ")))
                                  GROUP BY 1, 2, 3 HAVING count(*) > 1) d
                     ON d.family_key = l.family_key AND d.program = l.program AND d.periode = l.periode
                """)
        }
        parts.append("""
            SELECT 'non_current_nik', p.program, p.row_id, NULL, NULL
            FROM pen p
            WHERE p.nik_value IN (SELECT m.nik_value FROM mem m JOIN fam f ON f.family_key = m.family_key WHERE m.is_departed AND m.nik_value IS NOT NULL)
              AND p.row_id NOT IN (SELECT row_id FROM link_nik)
            """)
        for (p, partners) in plan.exclusivePartners.sorted(by: { $0.key < $1.key }) {
            let involved = ([p] + partners).map(String.init).joined(separator: ", ")
            parts.append("""
                SELECT 'exclusive_overlap:\(p)', l.program, l.row_id, l.family_key, NULL
                FROM link l
                WHERE l.program IN (\(involved))
                  AND l.family_key IN (SELECT family_key FROM link WHERE program = \(p))
                  AND l.family_key IN (SELECT family_key FROM link WHERE program IN (\(partners.map(String.init).joined(separator: ", "))))
                """)
        }
        parts.append("""
            SELECT DISTINCT 'multi_family_nik', NULL::int, NULL::bigint, n.family_key, n.nik_value::text
            FROM member_nik n WHERE n.nik_value IN (SELECT nik_value FROM member_nik GROUP BY nik_value HAVING min(family_key) <> max(family_key))
            """)
        let roster = plan.profile.layout.roster
        let rosterText = plan.penerima.map { t -> String in
            func c(_ n: String, _ blanks: String) -> String { t.column(n).map { "coalesce(btrim(x.\(SQLText.ident($0.name))::text, \(blanks)), '')" } ?? "''" }
            let row = t.lineColumn.map { "x.\(SQLText.ident($0.name))" } ?? "NULL::bigint"
            return """
                raw AS (  -- the roster rows as written, for the lists
                  SELECT \(row) AS row_id, \(c(roster.nik, SQLText.blanks)) AS nik_as_given, \(c(roster.familyCard, SQLText.cellBlanks)) AS no_kk_as_given,
                         \(roster.name.map { c($0, SQLText.cellBlanks) } ?? "''") AS nama
                  FROM \(t.qualified) x
                )
                """
        } ?? "raw AS (SELECT NULL::bigint AS row_id, ''::text AS nik_as_given, ''::text AS no_kk_as_given, ''::text AS nama WHERE false)"
        return """
            -- restricted (--restricted only): roster rows and families behind the duplicate measures
            \(try ctes([rosterText, "records AS (\n" + parts.joined(separator: "\nUNION ALL\n") + "\n)"]))
            SELECT r.category, r.program, r.row_id, r.family_key, f.line_no, f.village_code, f.kk_text,
                   coalesce(h.head_name, ''), coalesce(h.head_nik, ''), r.nik_value, w.nik_as_given, w.no_kk_as_given, w.nama
            FROM records r
                 LEFT JOIN fam f ON f.family_key = r.family_key
                 LEFT JOIN heads h ON h.family_key = r.family_key
                 LEFT JOIN raw w ON w.row_id = r.row_id
            """
    }
}
