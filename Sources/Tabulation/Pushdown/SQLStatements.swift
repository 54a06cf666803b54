import Foundation
import Microdata
import Profile

/// How to read back one table statement's rows.
struct SQLTableLayout {
    let spec: TableSpec
    let isPerson: Bool
    /// Dimension variables: scope, slot index.
    let dims: [(scope: RuleScope, slot: Int)]
    /// Summed variables (sum/mean measures), in measure order of first appearance.
    let sumVars: [String]
}

extension SQLPlan {
    // MARK: reference data

    /// `wilayah` as `Engine.readAreas` reads `wilayah.csv` (cells trimmed of spaces and tabs).
    /// - Parameter attributes: more text columns to read after `line_no` (`RulesSpec.areaAttributes` other than
    ///   `jenis`, which is always read); each must exist, as in `Engine.readAreas`.
    static func wilayahSQL(_ table: SQLTable, columns names: Layout.AreaColumns, attributes: [String] = []) throws -> String {
        func col(_ n: String, required: Bool = true) throws -> String {
            guard let c = table.column(n) else {
                if !required { return "''" }
                throw InputError(file: table.name, line: 1, column: n, expected: "a column named '\(n)' in table \(table.qualified)")
            }
            return "coalesce(btrim(w.\(SQLText.ident(c.name))::text, \(SQLText.cellBlanks)), '')"
        }
        let line = table.lineColumn.map { "w.\(SQLText.ident($0.name))" } ?? "NULL::bigint"
        return """
            SELECT \(try col(names.villageCode)) AS village_code, \(try col(names.villageName)) AS village_name,
                   \(try col(names.villageKemendagri)) AS village_kemendagri, \(try names.kind.map { try col($0, required: false) } ?? "''") AS village_kind,
                   \(try col(names.kecamatanName)) AS kecamatan_name, \(try col(names.kecamatanKemendagri)) AS kecamatan_kemendagri,
                   \(line) AS line_no\(try attributes.map { ", \(try col($0, required: $0 != names.kind)) AS \(SQLText.ident("attribute_" + $0))" }.joined())
            FROM \(table.qualified) w
            ORDER BY line_no
            """
    }

    /// Roster programme names with their number of rows (an aggregate: no record leaves the server).
    static func programmeNamesSQL(_ table: SQLTable, columns names: Layout.RosterColumns) throws -> String {
        guard let program = table.column(names.program) else {
            throw InputError(file: table.name, line: 1, column: names.program, expected: "a column named '\(names.program)' in table \(table.qualified)")
        }
        for n in [names.nik, names.familyCard, names.village] where table.column(n) == nil {
            throw InputError(file: table.name, line: 1, column: n, expected: "a column named '\(n)' in table \(table.qualified)")
        }
        let line = table.lineColumn.map { "min(r.\(SQLText.ident($0.name)))" } ?? "NULL::bigint"
        return """
            -- roster programmes by name (as stored, trimmed of spaces and tabs) and their number of rows
            SELECT coalesce(btrim(r.\(SQLText.ident(program.name))::text, \(SQLText.cellBlanks)), '') AS program, count(*) AS rows, \(line) AS first_line
            FROM \(table.qualified) r
            GROUP BY 1
            ORDER BY 1
            """
    }

    // MARK: profile tables

    func tableStatement(_ t: Int) throws -> (SQLStatement, SQLTableLayout) {
        let spec = profile.tables[t]
        let isPerson = spec.unit == .person
        var needs = Needs()
        needs.members = isPerson
        var dims: [(scope: RuleScope, slot: Int)] = []
        for name in spec.dimensions {
            if isPerson, let i = memberScope.index(of: name) { dims.append((.member, i)); needs.member.insert(i) }
            else if let i = familyScope.index(of: name) { dims.append((.family, i)); needs.family.insert(i) }
            else { throw PlanError.unknownVariable(name, context: "table '\(spec.id)'") }
        }
        var sumVars: [String] = []
        var sumRefs: [(scope: RuleScope, slot: Int)] = []
        for m in spec.measures {
            switch m.kind {
            case .sum(let v), .mean(let v):
                if isPerson, let i = memberScope.index(of: v) { sumRefs.append((.member, i)); needs.member.insert(i) }
                else if let i = familyScope.index(of: v) { sumRefs.append((.family, i)); needs.family.insert(i) }
                else { throw PlanError.unknownVariable(v, context: "table '\(spec.id)'") }
                sumVars.append(v)
            default: continue
            }
        }
        var conditions: [String] = []
        var from: String
        if isPerson {
            from = "mem m JOIN fam f ON f.family_key = m.family_key"
            conditions.append("m.is_current")
            if let u = spec.universe {
                let rule: CompiledRule
                do { rule = try CompiledRule.compile(u, name: "\(spec.id).universe", schema: ruleSchema, level: .member) } catch { throw PlanError.rule(error) }
                add(rule, to: &needs, members: true)
                conditions.append("(\(ruleSQL(rule, level: .member, .outer).condition))")
            }
        } else {
            from = "fam f"
            if let u = spec.universe {
                let rule: CompiledRule
                do { rule = try CompiledRule.compile(u, name: "\(spec.id).universe", schema: ruleSchema, level: .family) } catch { throw PlanError.rule(error) }
                let fr = FamilyRule(id: Self.sqlName(spec.id) + "_universe", compiled: rule)
                needsFor([fr], &needs)
                if rule.quantifierCount > 0 { from += " LEFT JOIN qa q ON q.family_key = f.family_key" }
                conditions.append("(\(ruleSQL(rule, level: .family, .outer, quantifierPrefix: fr.id).condition))")
            }
        }
        let dimNames = spec.dimensions.map { Self.dimensionAlias($0) }
        var select = ["f.village_code"]
        for (k, d) in dims.enumerated() { select.append("\(try dimensionSQL(d.scope, d.slot, table: spec.id)) AS \(dimNames[k])") }
        select.append("count(*) AS units")
        for (k, r) in sumRefs.enumerated() {
            let v = value(r.scope, r.slot, .outer)
            select.append("sum(\(v)) AS sum_\(k + 1)")
            select.append("count(\(v)) AS valued_\(k + 1)")
        }
        let groupBy = (["f.village_code"] + dims.indices.map { "\($0 + 2)" }).joined(separator: ", ")
        let base = """
            base AS MATERIALIZED (  -- per village and category: \(isPerson ? "current members of tabulated families" : "tabulated families")\(spec.universe.map { " with \($0)" } ?? "")
              SELECT \(select.joined(separator: ",\n         "))
              FROM \(from)\(conditions.isEmpty ? "" : "\n  WHERE " + conditions.joined(separator: " AND "))
              GROUP BY \(groupBy)
            )
            """
        var outer = [Self.areaCode]
        for n in dimNames { outer.append("CASE WHEN GROUPING(\(n)) = 1 THEN '_T' ELSE \(n) END AS \(n)") }
        outer.append("sum(units)::bigint AS units")
        for k in sumRefs.indices { outer += ["sum(sum_\(k + 1)) AS sum_\(k + 1)", "sum(valued_\(k + 1))::bigint AS valued_\(k + 1)"] }
        let cube = dimNames.isEmpty ? "" : ", CUBE (\(dimNames.joined(separator: ", ")))"
        let sql = """
            -- table \(spec.id): \(isPerson ? "persons" : "families") by \(spec.dimensions.isEmpty ? "area" : spec.dimensions.joined(separator: " × ")); every area level and every total in one statement
            \(with(try ctes(needs, extra: [base])))
            SELECT \(outer.joined(separator: ",\n       "))
            FROM (SELECT \(Self.areaColumns), base.* FROM base) b
            GROUP BY \(Self.areaSets)\(cube)
            """
        return (SQLStatement(title: "table \(spec.id)", sql: sql),
                SQLTableLayout(spec: spec, isPerson: isPerson, dims: dims, sumVars: sumVars))
    }

    func needsFor(_ rules: [FamilyRule], _ needs: inout Needs) { self.needs(forFamilyRules: rules, into: &needs) }

    static func dimensionAlias(_ name: String) -> String {
        internalNames.contains(name.lowercased()) || ["area", "base", "units"].contains(name.lowercased())
            ? SQLText.ident("dim_" + name) : SQLText.ident(name)
    }

    /// A dimension's code as text: the category code, or `_Z` (not stated).
    func dimensionSQL(_ scope: RuleScope, _ i: Int, table: String) throws -> String {
        let s = slot(scope, i)
        let v = value(scope, i, .outer)
        if s.isRule {
            return "CASE WHEN \(v) = 1 THEN \(SQLText.literal(s.categories[0])) ELSE \(SQLText.literal(s.categories.count > 1 ? s.categories[1] : "_Z")) END"
        }
        if s.isBins {
            return "coalesce((ARRAY[\(s.categories.map(SQLText.literal).joined(separator: ", "))])[\(v) + 1], '_Z')"
        }
        guard s.isCategorical else {
            throw PlanError.unknownVariable(s.name, context: "table '\(table)' (a dimension must be a variable with value labels)")
        }
        return "coalesce(\(v)::text, '_Z')"
    }

    // MARK: targeting (contract §2)

    var profileCount: Int { programmes.profileCount }
    var programmeCount: Int { programmes.all.count }

    /// `pen`, `member_nik`, `link`: roster rows linked to families (contract §2 "Linking a roster row").
    func rosterCTEs() -> [String] {
        let values = programmeIndex.map { "(\(SQLText.literal($0.name)), \($0.index))" }
        guard let penerima, !values.isEmpty else {
            return ["""
                pen AS (  -- no usable roster rows
                  SELECT NULL::bigint AS row_id, NULL::int AS program, NULL::bigint AS nik_value, false AS invalid_nik, ''::text AS kk_number, ''::text AS kemendagri,
                         ''::text AS periode
                  WHERE false
                )
                """] + linkCTEs
        }
        func text(_ n: String, _ blanks: String) -> String {
            "coalesce(btrim(r.\(SQLText.ident(penerima.column(n)!.name))::text, \(blanks)), '')"
        }
        let rowID = penerima.lineColumn.map { "r.\(SQLText.ident($0.name))" } ?? "row_number() OVER ()"
        // The payment period, trimmed as `RosterPeriods` trims it; no column: one (empty) period.
        let roster = profile.layout.roster
        let periode = roster.period.flatMap { penerima.column($0) } == nil ? "''::text" : text(roster.period!, SQLText.blanks)
        let pen = """
            pen AS (  -- usable roster rows: programme resolved by name, NIK validity, No. KK and Kemendagri code normalised, periode trimmed
              SELECT r2.*, (r2.nik_text <> '' AND r2.nik_value IS NULL) AS invalid_nik
              FROM (
                SELECT r1.row_id, p.program, r1.nik_text, \(SQLValue.validNIK("r1.nik_text")) AS nik_value, r1.kk_number, r1.kemendagri, r1.periode
                FROM (
                  SELECT \(rowID) AS row_id, \(text(roster.program, SQLText.cellBlanks)) AS name,
                         \(text(roster.nik, SQLText.blanks)) AS nik_text, \(text(roster.familyCard, SQLText.blanks)) AS kk_number,
                         replace(replace(\(text(roster.village, SQLText.blanks)), '.', ''), ' ', '') AS kemendagri,
                         \(periode) AS periode
                  FROM \(penerima.qualified) r
                ) r1
                JOIN (VALUES \(values.joined(separator: ", "))) AS p(name, program) ON p.name = r1.name
              ) r2
            )
            """
        return [pen] + linkCTEs
    }

    private var linkCTEs: [String] {
        ["""
        member_nik AS (  -- valid NIKs of current members of tabulated families (two members of a family may share one)
          SELECT m.nik_value, m.family_key FROM mem m JOIN fam f ON f.family_key = m.family_key
          WHERE m.is_current AND m.nik_value IS NOT NULL
        )
        """,
        """
        link_nik AS (  -- a valid NIK held by a current member links the row to every family holding it
          SELECT DISTINCT p.row_id, p.program, p.periode, n.family_key FROM pen p JOIN member_nik n ON n.nik_value = p.nik_value
        )
        """,
        """
        link AS (  -- otherwise a non-empty No. KK equal to a family's r114 links it to every such family (kk_only)
          SELECT row_id, program, periode, family_key, false AS kk_only FROM link_nik
          UNION ALL
          SELECT p.row_id, p.program, p.periode, f.family_key, true
          FROM pen p JOIN fam f ON f.kk_number = p.kk_number
               LEFT JOIN (SELECT DISTINCT row_id FROM link_nik) n ON n.row_id = p.row_id
          WHERE p.kk_number <> '' AND n.row_id IS NULL
        )
        """]
    }

    var kmdCTE: String {
        let kmd = wilayah.column(profile.layout.areas.villageKemendagri).map { "w.\(SQLText.ident($0.name))" } ?? "''"
        return """
            kmd AS (  -- Kemendagri village code (without dots and spaces) → village; the last by BPS code wins, as in AreaIndex
              SELECT DISTINCT ON (kemendagri) kemendagri, village_code
              FROM (SELECT replace(replace(coalesce(btrim(\(kmd)::text, \(SQLText.cellBlanks)), ''), '.', ''), ' ', '') AS kemendagri,
                           btrim(w.\(villageCodeColumn)::text, \(SQLText.cellBlanks)) AS village_code
                    FROM \(wilayah.qualified) w) x
              ORDER BY kemendagri, village_code DESC
            )
            """
    }

    var rosterNeeds: Needs {
        var n = Needs()
        n.members = true; n.memberNIK = true; n.familyCard = true
        return n
    }

    /// The counters of `FamilyTallies`, in order: column name, condition over `fact` (nil = every family),
    /// and the tally and counter the column fills.
    var familyTallyColumns: [(name: String, condition: String?, tally: WritableKeyPath<FamilyTallies, AreaTally>, counter: Int)] {
        let k = profileCount, n = programmeCount
        func id(_ p: Int) -> String { p < k ? Self.sqlName(programmes.all[p]) : "p\(p)" }
        let eligibleAny = "(" + (0..<k).map { "eligible_\($0)" }.joined(separator: " OR ") + ")"
        let registryAny = "(" + (0..<k).map { "registry_\($0)" }.joined(separator: " OR ") + ")"
        let rosterAny = "(" + (0..<k).map { "rows_\($0) > 0" }.joined(separator: " OR ") + ")"
        var out: [(String, String?, WritableKeyPath<FamilyTallies, AreaTally>, Int)] = [("families", nil, \.families, 0)]
        for q in 0...k { out.append(("eligible_\(q < k ? id(q) : "any")", q < k ? "eligible_\(q)" : eligibleAny, \.eligible, q)) }
        for q in 0...k {
            let e = q < k ? "eligible_\(q)" : eligibleAny
            let reg = q < k ? "registry_\(q)" : registryAny
            let ros = q < k ? "rows_\(q) > 0" : rosterAny
            let name = q < k ? id(q) : "any"
            out.append(("registry_recipients_\(name)", reg, \.recipients, q * 2))
            out.append(("roster_recipients_\(name)", ros, \.recipients, q * 2 + 1))
            out.append(("eligible_registry_recipients_\(name)", "\(e) AND \(reg)", \.eligibleRecipients, q * 2))
            out.append(("eligible_roster_recipients_\(name)", "\(e) AND \(ros)", \.eligibleRecipients, q * 2 + 1))
        }
        for p in k..<n { out.append(("roster_recipients_\(id(p))", "rows_\(p) > 0", \.unknownRecipients, p - k)) }
        for p in 0..<k {
            out.append(("both_\(id(p))", "registry_\(p) AND rows_\(p) > 0", \.agreement, p * 4))
            out.append(("registry_only_\(id(p))", "registry_\(p) AND rows_\(p) = 0", \.agreement, p * 4 + 1))
            out.append(("roster_only_\(id(p))", "NOT registry_\(p) AND rows_\(p) > 0", \.agreement, p * 4 + 2))
            out.append(("neither_\(id(p))", "NOT registry_\(p) AND rows_\(p) = 0", \.agreement, p * 4 + 3))
        }
        for p in 0..<n { out.append(("duplicate_families_\(id(p))", "twice_\(p)", \.duplicateFamilies, p)) }
        for (p, partners) in exclusivePartners.sorted(by: { $0.key < $1.key }) {
            out.append(("exclusive_overlap_\(id(p))", "rows_\(p) > 0 AND (" + partners.map { "rows_\($0) > 0" }.joined(separator: " OR ") + ")",
                        \.exclusiveOverlap, p))
        }
        out.append(("multi_family_nik", "shares_nik", \.multiFamilyNIK, 0))
        if overlapInFamilyCounts {
            for a in 0..<n { for b in 0..<n { out.append(("overlap_\(id(a))_\(id(b))", "rows_\(a) > 0 AND rows_\(b) > 0", \.overlap, a * n + b)) } }
        }
        return out
    }

    /// Every family-level targeting count per area: eligibility and registry receipt from rules, roster
    /// receipt from linking, agreement, duplicate families, exclusive overlap, multi-family NIKs.
    func familyTalliesStatement() throws -> SQLStatement {
        let k = profileCount, n = programmeCount
        var needs = rosterNeeds
        needsFor(eligible + registry, &needs)
        var factColumns = ["f.village_code"]
        for p in 0..<k {
            factColumns.append("coalesce(\(ruleSQL(eligible[p].compiled, level: .family, .outer, quantifierPrefix: eligible[p].id).condition), false) AS eligible_\(p)")
            factColumns.append("coalesce(\(ruleSQL(registry[p].compiled, level: .family, .outer, quantifierPrefix: registry[p].id).condition), false) AS registry_\(p)")
        }
        for p in 0..<n { factColumns.append("coalesce(r.rows_\(p), 0) AS rows_\(p)") }
        for p in 0..<n { factColumns.append("coalesce(r.twice_\(p), false) AS twice_\(p)") }
        factColumns.append("(s.family_key IS NOT NULL) AS shares_nik")
        let perFamily = (0..<n).map { "sum(rows) FILTER (WHERE program = \($0)) AS rows_\($0)" }
            + (0..<n).map { "bool_or(rows > 1) FILTER (WHERE program = \($0)) AS twice_\($0)" }
        let qaJoin = needs.familyRules.isEmpty ? "" : "\n       LEFT JOIN qa q ON q.family_key = f.family_key"
        let extra = rosterCTEs() + ["""
            per_period AS (  -- roster rows linked to each family, per programme and periode
              SELECT family_key, program, periode, count(*) AS rows FROM link GROUP BY family_key, program, periode
            )
            """, """
            per_family AS (  -- per programme: rows linked to each family, and whether two of them share a periode (duplicate_families)
              SELECT family_key, \(perFamily.joined(separator: ", ")) FROM per_period GROUP BY family_key
            )
            """, """
            sharing AS (  -- families holding a current member's valid NIK that a current member of another family also holds
              SELECT DISTINCT n.family_key FROM member_nik n
              JOIN (SELECT nik_value FROM member_nik GROUP BY nik_value HAVING min(family_key) <> max(family_key)) s ON s.nik_value = n.nik_value
            )
            """, """
            fact AS (  -- per family: eligibility and registry receipt (rules.yml), roster rows per programme
              SELECT \(factColumns.joined(separator: ",\n         "))
              FROM fam f\(qaJoin)
                   LEFT JOIN per_family r ON r.family_key = f.family_key
                   LEFT JOIN sharing s ON s.family_key = f.family_key
            )
            """, """
            base AS MATERIALIZED (  -- per village
              SELECT village_code,
                     \(familyTallyColumns.map { c in c.condition.map { "count(*) FILTER (WHERE \($0)) AS \(c.name)" } ?? "count(*) AS \(c.name)" }.joined(separator: ",\n         "))
              FROM fact
              GROUP BY village_code
            )
            """]
        let sums = familyTallyColumns.map { "sum(\($0.name))::bigint AS \($0.name)" }
        let sql = """
            -- targeting: family counts per area (eligible, recipients by source, agreement, duplicates, overlaps)
            \(with(try ctes(needs, extra: extra)))
            SELECT \(Self.areaCode),
                   \(sums.joined(separator: ",\n       "))
            FROM (SELECT \(Self.areaColumns), base.* FROM base) b
            GROUP BY \(Self.areaSets)
            """
        return SQLStatement(title: "targeting family counts", sql: sql)
    }

    /// `targeting_overlap` as columns of the family counts (one column per pair of programmes) unless the
    /// roster names so many programmes that a statement of its own is better.
    var overlapInFamilyCounts: Bool { programmeCount * programmeCount <= 400 }

    /// Families that are roster recipients of both programmes, per area (`targeting_overlap`), when there are
    /// too many programmes for columns of the family counts.
    func overlapStatement() throws -> SQLStatement {
        let extra = rosterCTEs() + ["""
            recv AS (SELECT DISTINCT family_key, program FROM link)
            """, """
            base AS MATERIALIZED (  -- per village and pair of programmes
              SELECT f.village_code, a.program AS program_a, b.program AS program_b, count(*) AS families
              FROM recv a JOIN recv b ON b.family_key = a.family_key JOIN fam f ON f.family_key = a.family_key
              GROUP BY 1, 2, 3
            )
            """]
        let sql = """
            -- targeting_overlap: families on the rosters of both programmes, per area
            \(with(try ctes(rosterNeeds, extra: extra)))
            SELECT \(Self.areaCode), program_a, program_b, sum(families)::bigint AS families
            FROM (SELECT \(Self.areaColumns), base.* FROM base) b
            GROUP BY \(Self.areaSets), program_a, program_b
            """
        return SQLStatement(title: "targeting overlap", sql: sql)
    }

    /// The roster-row measures of `duplicates` (`DuplicateMeasures.rowMeasures`, in order: roster rows, unmatched,
    /// invalid NIK, duplicate NIK, KK only, non-current NIK): each row counts once in every area of its families
    /// (or of its Kemendagri village when unmatched) — `count(DISTINCT row_id)` per grouping set, which no sum of
    /// villages could give. A row whose valid NIK links to no current member but is a departed member's counts
    /// as `non_current_nik_rows` once in every area of that member's families (contract §2, rev. 2). A last row
    /// (area NULL) carries the roster facts: rows placed in no area (unmatched, Kemendagri village unknown) and
    /// rows linked to families in several villages.
    func rosterRowsStatement() throws -> SQLStatement {
        var needs = rosterNeeds
        needs.departed = true
        let extra = rosterCTEs() + [kmdCTE, """
            placed AS (  -- every usable roster row in each village it counts in
              SELECT l.row_id, l.program, f.village_code, false AS unmatched, bool_or(l.kk_only) AS kk_only
              FROM link l JOIN fam f ON f.family_key = l.family_key
              GROUP BY 1, 2, 3
              UNION ALL
              SELECT p.row_id, p.program, k.village_code, true, false
              FROM pen p JOIN kmd k ON k.kemendagri = p.kemendagri
                   LEFT JOIN (SELECT DISTINCT row_id FROM link) l ON l.row_id = p.row_id
              WHERE l.row_id IS NULL
            )
            """, """
            departed_nik AS (  -- valid NIKs of members who died, moved or were not found (rules.yml departed_member), by village
              SELECT DISTINCT m.nik_value, f.village_code FROM mem m JOIN fam f ON f.family_key = m.family_key
              WHERE m.is_departed AND m.nik_value IS NOT NULL
            )
            """, """
            non_current AS (  -- rows whose valid NIK is no current member's but a departed member's, in that member's villages
              SELECT DISTINCT p.row_id, p.program, d.village_code
              FROM pen p JOIN departed_nik d ON d.nik_value = p.nik_value
                   LEFT JOIN (SELECT DISTINCT row_id FROM link_nik) n ON n.row_id = p.row_id
              WHERE n.row_id IS NULL
            )
            """, """
            base AS MATERIALIZED (
              SELECT x.row_id, x.program, x.village_code, false AS non_current, x.unmatched, x.kk_only, p.invalid_nik, p.nik_value, p.periode
              FROM placed x JOIN pen p ON p.row_id = x.row_id
              UNION ALL
              SELECT row_id, program, village_code, true, false, false, false, NULL::bigint, NULL::text FROM non_current
            )
            """]
        let sql = """
            -- duplicates: roster rows, unmatched rows, invalid NIKs, NIKs repeated within a periode, KK-only and non-current NIK rows per programme and area
            \(with(try ctes(needs, extra: extra)))
            SELECT \(Self.areaCode), program,
                   count(DISTINCT row_id) FILTER (WHERE NOT non_current) AS roster_rows,
                   count(DISTINCT row_id) FILTER (WHERE unmatched) AS unmatched_rows,
                   count(DISTINCT row_id) FILTER (WHERE invalid_nik) AS invalid_nik_rows,
                   count(DISTINCT row_id) FILTER (WHERE nik_value IS NOT NULL) - count(DISTINCT nik_value::text || '/' || periode) AS duplicate_nik_rows,
                   count(DISTINCT row_id) FILTER (WHERE kk_only) AS kk_only_rows,
                   count(DISTINCT row_id) FILTER (WHERE non_current) AS non_current_nik_rows,
                   NULL::bigint AS unplaceable_rows, NULL::bigint AS multi_area_rows
            FROM (SELECT \(Self.areaColumns), base.* FROM base) b
            GROUP BY \(Self.areaSets), program
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   (SELECT count(*) FROM pen p LEFT JOIN (SELECT DISTINCT row_id FROM link) l ON l.row_id = p.row_id
                    WHERE l.row_id IS NULL AND p.kemendagri NOT IN (SELECT kemendagri FROM kmd)),
                   (SELECT count(*) FROM (SELECT row_id FROM (SELECT DISTINCT l.row_id, f.village_code FROM link l JOIN fam f ON f.family_key = l.family_key) v
                                          GROUP BY row_id HAVING count(*) > 1) x)
            """
        return SQLStatement(title: "duplicate roster rows and roster facts", sql: sql)
    }

    /// Person-programme counts per area (contract §2, rev. 2; `PersonTallies`): current members, then per person
    /// programme eligible, registry recipients, eligible registry recipients, roster recipients (the member's
    /// valid NIK is on a row of the programme), eligible roster recipients, and the agreement categories.
    func personTalliesStatement() throws -> SQLStatement {
        var needs = rosterNeeds
        for r in personRules {
            add(r.eligible, to: &needs, members: true)
            add(r.registry, to: &needs, members: true)
        }
        var fact = ["f.village_code"]
        for (j, r) in personRules.enumerated() {
            fact.append("coalesce(\(ruleSQL(r.eligible, level: .member, .outer).condition), false) AS e_\(j)")
            fact.append("coalesce(\(ruleSQL(r.registry, level: .member, .outer).condition), false) AS g_\(j)")
            fact.append("coalesce(n.o_\(j), false) AS o_\(j)")
        }
        let onRoster = personRules.enumerated().map { "bool_or(program = \($0.element.programme)) AS o_\($0.offset)" }
        let counters = Self.personCounters(personRules.count)
        let extra = rosterCTEs() + ["""
            roster_nik AS (  -- valid roster NIKs: on a row of which person programme (NIK only, any periode)
              SELECT nik_value, \(onRoster.joined(separator: ", ")) FROM pen WHERE nik_value IS NOT NULL GROUP BY nik_value
            )
            """, """
            pfact AS (  -- per current member: eligible, registry and roster recipient of each person programme
              SELECT \(fact.joined(separator: ",\n         "))
              FROM mem m JOIN fam f ON f.family_key = m.family_key
                   LEFT JOIN roster_nik n ON n.nik_value = m.nik_value
              WHERE m.is_current
            )
            """, """
            base AS MATERIALIZED (  -- per village
              SELECT village_code,
                     \(counters.map { "count(*) FILTER (WHERE \($0.condition)) AS \($0.name)" }.joined(separator: ",\n         "))
              FROM pfact
              GROUP BY village_code
            )
            """]
        let sql = """
            -- targeting: person programmes (PBI_JKN, PIP) count current members per area
            \(with(try ctes(needs, extra: extra)))
            SELECT \(Self.areaCode),
                   \(counters.map { "sum(\($0.name))::bigint AS \($0.name)" }.joined(separator: ",\n       "))
            FROM (SELECT \(Self.areaColumns), base.* FROM base) b
            GROUP BY \(Self.areaSets)
            """
        return SQLStatement(title: "targeting person counts", sql: sql)
    }

    /// The counters of `PersonTallies.tally` in order (`persons`, then per person programme `PersonTallies.width`
    /// counters), each a condition over `pfact`.
    static func personCounters(_ programmes: Int) -> [(name: String, condition: String)] {
        var out = [(name: "persons", condition: "true")]
        for j in 0..<programmes {
            let e = "e_\(j)", g = "g_\(j)", o = "o_\(j)"
            var c = [(String, String)](repeating: ("", ""), count: PersonTallies.width)
            c[PersonTallies.eligible] = ("eligible_\(j)", e)
            c[PersonTallies.registry] = ("registry_\(j)", g)
            c[PersonTallies.eligibleRegistry] = ("eligible_registry_\(j)", "\(e) AND \(g)")
            c[PersonTallies.roster] = ("roster_\(j)", o)
            c[PersonTallies.eligibleRoster] = ("eligible_roster_\(j)", "\(e) AND \(o)")
            c[PersonTallies.both] = ("both_\(j)", "\(g) AND \(o)")
            c[PersonTallies.registryOnly] = ("registry_only_\(j)", "\(g) AND NOT \(o)")
            c[PersonTallies.rosterOnly] = ("roster_only_\(j)", "NOT \(g) AND \(o)")
            c[PersonTallies.neither] = ("neither_\(j)", "NOT \(g) AND NOT \(o)")
            out += c.map { (name: $0.0, condition: $0.1) }
        }
        return out
    }

    // MARK: record accounting

    /// Input variables of a scope with their column, in slot order (the order the CSV engine checks them in).
    func inputColumns(_ scope: RuleScope) -> [(slot: Int, name: String, column: SQLColumn)] {
        let slots = scope == .family ? familyScope.slots : memberScope.slots
        let binding = scope == .family ? keluarga : anggota
        return slots.enumerated().compactMap { i, s in
            guard case .column(let name) = s.source, let c = binding.columns[name] else { return nil }
            return (i, name, c)
        }
    }

    /// keluarga: rows read, invalid keys, unknown villages, duplicate keys, tabulated families, and per
    /// variable the values that are not accepted (with the first line of each).
    func keluargaAccountingStatement() throws -> (SQLStatement, [String]) {
        let inputs = inputColumns(.family)
        var checks: [String] = []
        for i in inputs {
            let ref = "k.\(SQLText.ident(i.column.name))"
            checks.append("(\(SQLValue.present(ref, i.column)) AND \(try SQLValue.accepted(ref, i.column, slot: familyScope.slots[i.slot])) IS NULL) AS bad_\(i.slot)")
        }
        var columns = ["count(*) AS read",
                       "count(*) FILTER (WHERE family_key IS NULL)", "min(line_no) FILTER (WHERE family_key IS NULL)",
                       "count(*) FILTER (WHERE family_key IS NOT NULL AND NOT known)", "min(line_no) FILTER (WHERE family_key IS NOT NULL AND NOT known)",
                       "count(*) FILTER (WHERE known AND nth > 1)", "min(line_no) FILTER (WHERE known AND nth > 1)",
                       "count(*) FILTER (WHERE known AND nth = 1) AS tabulated"]
        for i in inputs {
            columns.append("count(*) FILTER (WHERE known AND nth = 1 AND bad_\(i.slot))")
            columns.append("min(line_no) FILTER (WHERE known AND nth = 1 AND bad_\(i.slot))")
        }
        let sql = """
            -- record accounting of keluarga: read, excluded (invalid key, unknown village, duplicate key), values not accepted
            \(with([wilCTE, """
            k AS (
              SELECT \((["\(SQLValue.familyKey(alias: "k", binding: keluarga)) AS family_key", "\(lineNumber(keluarga.table, alias: "k")) AS line_no"] + checks).joined(separator: ",\n         "))
              FROM \(keluarga.table.qualified) k
            )
            """, """
            r AS (
              SELECT k.*, left(k.family_key, 10) IN (SELECT village_code FROM wil) AS known,
                     row_number() OVER (PARTITION BY k.family_key ORDER BY k.line_no) AS nth
              FROM k
            )
            """]))
            SELECT \(columns.joined(separator: ",\n       "))
            FROM r
            """
        return (SQLStatement(title: "accounting keluarga", sql: sql), inputs.map(\.name))
    }

    /// anggota: rows read, invalid keys, members of families not tabulated, not current / presence not
    /// stated, tabulated persons, values not accepted.
    func anggotaAccountingStatement() throws -> (SQLStatement, [String], Bool) {
        let inputs = inputColumns(.member)
        var checks: [String] = []
        for i in inputs {
            let ref = "a.\(SQLText.ident(i.column.name))"
            checks.append("(\(SQLValue.present(ref, i.column)) AND \(try SQLValue.accepted(ref, i.column, slot: memberScope.slots[i.slot])) IS NULL) AS bad_\(i.slot)")
        }
        var needs = Needs()
        needs.members = true
        close(&needs)
        let presence = profile.layout.presence.flatMap { memberScope.index(of: $0) }
        let tabulated = "f.family_key IS NOT NULL"
        var columns = ["count(*) AS read",
                       "count(*) FILTER (WHERE m.family_key IS NULL)", "min(m.line_no) FILTER (WHERE m.family_key IS NULL)",
                       "count(*) FILTER (WHERE m.family_key IS NOT NULL AND f.family_key IS NULL)",
                       "min(m.line_no) FILTER (WHERE m.family_key IS NOT NULL AND f.family_key IS NULL)"]
        let stated = presence.map { "m.\(SQLText.ident(memberScope.slots[$0].name)) IS NOT NULL" } ?? "true"
        columns += ["count(*) FILTER (WHERE \(tabulated) AND NOT m.is_current AND \(stated))",
                    "min(m.line_no) FILTER (WHERE \(tabulated) AND NOT m.is_current AND \(stated))",
                    "count(*) FILTER (WHERE \(tabulated) AND NOT m.is_current AND NOT (\(stated)))",
                    "min(m.line_no) FILTER (WHERE \(tabulated) AND NOT m.is_current AND NOT (\(stated)))",
                    "count(*) FILTER (WHERE \(tabulated) AND m.is_current) AS tabulated"]
        for i in inputs {
            columns.append("count(*) FILTER (WHERE \(tabulated) AND m.bad_\(i.slot))")
            columns.append("min(m.line_no) FILTER (WHERE \(tabulated) AND m.bad_\(i.slot))")
        }
        var familyNeeds = needs
        familyNeeds.members = false
        let sql = """
            -- record accounting of anggota: read, excluded (invalid key, family not tabulated, not current, presence not stated), values not accepted
            \(with([wilCTE, try famCTE(familyNeeds), try memCTE(needs, extra: checks, allInputs: true)]))
            SELECT \(columns.joined(separator: ",\n       "))
            FROM mem m LEFT JOIN fam f ON f.family_key = m.family_key
            """
        return (SQLStatement(title: "accounting anggota", sql: sql), inputs.map(\.name), presence != nil)
    }
}
