import Foundation
import Microdata
import Profile

/// One statement of the pushdown plan: what it computes (for `--explain-sql` and errors) and its SQL.
public struct SQLStatement: Sendable {
    public var title: String
    public var sql: String
}

/// The report definition compiled to SQL against one database schema.
///
/// Every statement is self-contained (common table expressions, no temporary objects), so the plan also runs
/// on a read-only replica, and returns aggregates only. The building blocks:
///
/// - `wil`: the villages of `wilayah`;
/// - `fam`: the tabulated families — valid key, village in `wil`, the first row (lowest `line_no`) of each
///   key — with the family variables the statement needs (codes outside the value labels are NULL, which
///   the tables show as `_Z`);
/// - `mem`: the members with their variables, derived variables and `is_current` (rules.yml
///   `current_member`);
/// - `qa`: ONE aggregate over each family's current members, grouped by the family key, holding every
///   `any member:` (`bool_or`) and `count members:` (`count(*) FILTER`) the statement's family rules use;
/// - `base`: the statement's per-village counts (materialised), from which the final `GROUP BY GROUPING
///   SETS ((kabupaten), (kecamatan), (desa)), CUBE (dimensions…)` builds every area level and every `_T`
///   margin in the same statement.
///
/// With Citus, `keluarga` and `anggota` distributed by `family_key` and `wilayah` a reference table, every
/// join and window of `fam`, `mem` and `qa` is on the distribution column (pushed down to the shards), the
/// per-village `base` is a distributed aggregate, and the grouping sets — which Citus cannot run on
/// distributed tables — only read `base`'s materialised result on the coordinator.
final class SQLPlan: @unchecked Sendable {
    let profile: Profile
    let schema: String
    let familyScope: ScopePlan
    let memberScope: ScopePlan
    let ruleSchema: RuleSchema
    let keluarga: SQLColumnBinding
    let anggota: SQLColumnBinding
    let penerima: SQLTable?
    let wilayah: SQLTable
    /// Profile programmes, then programmes only the roster names (sorted), as in `RosterProgrammes`.
    let programmes: RosterProgrammes
    /// Roster programme names as stored (trimmed of spaces and tabs) → programme index, for usable names.
    let programmeIndex: [(name: String, index: Int)]
    let exclusivePartners: [Int: [Int]]
    /// The database is a Citus coordinator (`citus` extension installed): see `with(_:)`.
    var citus = false

    struct FamilyRule {
        /// SQL-safe prefix of the rule's quantifier columns in `qa`.
        let id: String
        let compiled: CompiledRule
    }
    let current: CompiledRule
    /// rules.yml `departed_member`: a member who died, moved or was not found (contract §2, rev. 2).
    let departed: CompiledRule
    /// Per profile programme, the family rules (as `ProgrammeRules`): a family programme's rules as written,
    /// a person programme's as `any member: (…)` (does the family hold such a member? — for `ANY`).
    let eligible: [FamilyRule]
    let registry: [FamilyRule]
    /// Person programmes (contract §2, rev. 2): profile index, and the member rules as written.
    struct PersonRule {
        let programme: Int
        let eligible: CompiledRule
        let registry: CompiledRule
    }
    let personRules: [PersonRule]
    /// Profile indices of the person programmes (`TargetingInput.personProgrammes`).
    var personProgrammes: [Int] { personRules.map(\.programme) }
    /// Per area-attribute family slot (`VariableSlot.Source.area`): its value per village as an SQL
    /// expression over `wilayah w` (position + 1 of the text in the attribute's values), from the texts
    /// the area table holds (`areaAttributeValues`).
    let areaAttributeSQL: [Int: String]

    /// Names of the columns the plan adds; a variable may not use them.
    static let internalNames: Set<String> = ["family_key", "village_code", "kk_number", "line_no", "nth", "is_current", "nik_value", "nik_text",
                                             "area_kabupaten", "area_kecamatan", "area_desa", "units"]

    /// - Parameter areas: the villages as read from `wilayah` (with the area attributes' texts), for the
    ///   area attributes rules read.
    init(profile: Profile, schema: String, keluarga: SQLTable, anggota: SQLTable, penerima: SQLTable?, wilayah: SQLTable,
         rosterNames: [String], areas: AreaIndex? = nil) throws {
        self.profile = profile
        self.schema = schema
        let scopes = try makeScopes(codebook: profile.codebook, areaAttributes: profile.rules.areaAttributes)
        familyScope = scopes.family; memberScope = scopes.member; ruleSchema = scopes.schema
        for s in familyScope.slots + memberScope.slots where Self.internalNames.contains(s.name.lowercased()) {
            throw PlanError.unknownVariable(s.name, context: "the database plan (the name is used by regtab's SQL; rename the variable)")
        }
        self.keluarga = try SQLColumnBinding(table: keluarga, codebook: profile.codebook, file: .keluarga)
        self.anggota = try SQLColumnBinding(table: anggota, codebook: profile.codebook, file: .anggota)
        self.penerima = penerima
        self.wilayah = wilayah
        let names = RosterProgrammes(profile: profile.rules.programmes.map(\.id), names: rosterNames)
        programmes = names
        programmeIndex = zip(rosterNames, names.rowProgramme).compactMap { n, p in p.map { (n, Int($0)) } }
        exclusivePartners = Targeting.exclusivePartners(profile.rules.exclusivePairs.map { ($0[0], $0[1]) }, programmes: names)

        let schema = scopes.schema
        func compile(_ text: String, _ name: String, _ level: RuleLevel) throws -> CompiledRule {
            do { return try CompiledRule.compile(text, name: name, schema: schema, level: level) } catch { throw PlanError.rule(error) }
        }
        current = try compile(profile.rules.currentMember, "current_member", .member)
        departed = try compile(profile.rules.departedMember, "departed_member", .member)
        // As `ProgrammeRules` (Engine.swift): a person programme's rules are member rules, compiled as written
        // first (so an error points into the rule the user wrote); its family rules ask for such a member.
        var eligible: [FamilyRule] = [], registry: [FamilyRule] = [], personRules: [PersonRule] = []
        for (i, p) in profile.rules.programmes.enumerated() {
            let e = Self.sqlName(p.id) + "_eligible", r = Self.sqlName(p.id) + "_registry"
            switch p.unit {
            case .family:
                eligible.append(FamilyRule(id: e, compiled: try compile(p.eligible, "\(p.id).eligible", .family)))
                registry.append(FamilyRule(id: r, compiled: try compile(p.registryRecipient, "\(p.id).registry_recipient", .family)))
            case .person:
                personRules.append(PersonRule(programme: i, eligible: try compile(p.eligible, "\(p.id).eligible", .member),
                                              registry: try compile(p.registryRecipient, "\(p.id).registry_recipient", .member)))
                eligible.append(FamilyRule(id: e, compiled: try compile("any member: (\(p.eligible))", "\(p.id).eligible", .family)))
                registry.append(FamilyRule(id: r, compiled: try compile("any member: (\(p.registryRecipient))", "\(p.id).registry_recipient", .family)))
            }
        }
        self.eligible = eligible; self.registry = registry; self.personRules = personRules
        var attributeSQL: [Int: String] = [:]
        for (s, slot) in familyScope.slots.enumerated() {
            guard case .area(_, let values) = slot.source else { continue }
            attributeSQL[s] = Self.areaAttributeSQL(name: String(slot.name.dropFirst("area.".count)), values: values,
                                                    wilayah: wilayah, areas: areas)
        }
        areaAttributeSQL = attributeSQL
    }

    /// An area attribute's value (`areaAttributeValues`: position + 1 of the trimmed, case-folded text in
    /// `values`, else NULL) as SQL over `wilayah w`: one `WHEN` per distinct text of the column that maps to a
    /// value, decided here in Swift (so case folding and trimming are exactly the CSV engine's).
    static func areaAttributeSQL(name: String, values: [String], wilayah: SQLTable, areas: AreaIndex?) -> String {
        guard let column = wilayah.column(name), let areas else { return "NULL::integer" }
        let wanted = values.map { $0.lowercased() }
        let texts = Set(areas.villages.map { $0.attributes[name] ?? "" })
        let cases = texts.sorted().compactMap { text -> String? in
            let t = text.trimmingCharacters(in: .whitespaces).lowercased()
            return wanted.firstIndex(of: t).map { "WHEN \(SQLText.literal(text)) THEN \($0 + 1)" }
        }
        guard !cases.isEmpty else { return "NULL::integer" }
        return "CASE coalesce(btrim(w.\(SQLText.ident(column.name))::text, \(SQLText.cellBlanks)), '') \(cases.joined(separator: " ")) END"
    }

    /// A lower-case SQL name made of letters, digits and `_`.
    static func sqlName(_ s: String) -> String {
        let mapped = s.lowercased().unicodeScalars.map { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") ? Character($0) : "_" }
        let name = String(mapped)
        return name.first.map { $0.isNumber } ?? true ? "x" + name : name
    }

    // MARK: variables

    enum Context {
        /// Inside `fam`'s definition: family input columns of the level below (`f2`).
        case familyDefinition
        /// Inside `mem`'s definition: member input columns of `m1`, family variables of `f`.
        case memberDefinition
        /// Statements over `mem m` and `fam f` (and `qa q`).
        case outer
    }

    func slot(_ scope: RuleScope, _ i: Int) -> VariableSlot {
        scope == .family ? familyScope.slots[i] : memberScope.slots[i]
    }

    func isInput(_ s: VariableSlot) -> Bool { if case .column = s.source { return true }; return false }

    /// SQL of a variable's value in a context.
    func value(_ scope: RuleScope, _ i: Int, _ ctx: Context) -> String {
        let s = slot(scope, i)
        switch (scope, ctx) {
        case (.family, .familyDefinition): return isInput(s) ? "f2.\(SQLText.ident(s.name))" : derived(scope, i, ctx)
        case (.member, .memberDefinition): return isInput(s) ? "m1.\(SQLText.ident(s.name))" : derived(scope, i, ctx)
        case (.family, _): return "f.\(SQLText.ident(s.name))"
        case (.member, _): return "m.\(SQLText.ident(s.name))"
        }
    }

    /// A derived variable computed inline (inside the definition of `fam` or `mem`).
    func derived(_ scope: RuleScope, _ i: Int, _ ctx: Context) -> String {
        let s = slot(scope, i)
        switch s.source {
        case .column: return value(scope, i, ctx)
        case .alias(let j): return value(scope, j, ctx)
        case .bins(let j, let breaks, let upper):
            let x = value(scope, j, ctx)
            var cases = ["WHEN \(x) IS NULL OR \(x) < \(RuleSQL.literal(breaks[0])) THEN NULL"]
            if let upper { cases.append("WHEN \(x) > \(RuleSQL.literal(upper)) THEN NULL") }
            for g in stride(from: breaks.count - 1, through: 1, by: -1) { cases.append("WHEN \(x) >= \(RuleSQL.literal(breaks[g])) THEN \(g)") }
            return "CASE " + cases.joined(separator: " ") + " ELSE 0 END"
        case .rule(let r):
            return "CASE WHEN \(ruleSQL(r, level: scope == .family ? .family : .member, ctx).condition) THEN 1 ELSE 0 END"
        case .area:
            // A column of `fam` (joined from `wil`, see `famCTE`).
            return (ctx == .familyDefinition ? "f2." : "f.") + SQLText.ident(s.name)
        }
    }

    /// A rule-derived flag read as a condition.
    func truth(_ scope: RuleScope, _ i: Int, _ ctx: Context) -> String {
        let s = slot(scope, i)
        let inline = (scope == .family && ctx == .familyDefinition) || (scope == .member && ctx == .memberDefinition)
        if inline, case .rule(let r) = s.source {
            return "coalesce(\(ruleSQL(r, level: scope == .family ? .family : .member, ctx).condition), false)"
        }
        return "(\(value(scope, i, ctx)) = 1)"
    }

    func isInteger(_ scope: RuleScope, _ i: Int) -> Bool {
        let s = slot(scope, i)
        switch s.source {
        case .alias(let j): return isInteger(scope, j)
        case .bins, .rule, .area: return true
        case .column: return s.isCategorical
        }
    }

    /// A rule as SQL in a context; quantifiers read `qa q` columns named `<prefix>_<n>`.
    func ruleSQL(_ rule: CompiledRule, level: RuleLevel, _ ctx: Context, quantifierPrefix: String? = nil) -> RuleSQL {
        let names = RuleSQL.Names(
            value: { [self] e in value(e.scope, e.index, ctx) },
            isInteger: { [self] e in isInteger(e.scope, e.index) },
            truth: { [self] e in truth(e.scope, e.index, ctx) },
            quantifier: { q, kind in
                // Without a prefix (a derived family flag, evaluated without members) a quantifier is unknown.
                guard let p = quantifierPrefix else { return kind == .any ? "NULL::boolean" : "NULL::float8" }
                return kind == .any ? "coalesce(q.\(p)_\(q + 1), false)" : "coalesce(q.\(p)_\(q + 1), 0)"
            })
        // The rule compiled once already (so it is valid); compiling again cannot fail.
        return try! RuleSQL.compile(rule.text, name: rule.name, schema: ruleSchema, level: level, names: names)
    }

    // MARK: what a statement needs

    struct Needs {
        var family = Set<Int>()
        var member = Set<Int>()
        var members = false
        var familyCard = false
        var memberNIK = false
        var familyRules: [FamilyRule] = []
        /// `mem` reads family variables (derived member variables or the current-member rule do).
        var memberReadsFamily = false
        /// `mem` has `is_departed` (rules.yml `departed_member`).
        var departed = false
    }

    func add(_ rule: CompiledRule, to needs: inout Needs, members: Bool) {
        needs.family.formUnion(rule.familyVariablesUsed)
        if members { needs.member.formUnion(rule.memberVariablesUsed) }
    }

    /// Adds the variables derived variables are computed from, and the current-member rule when members are used.
    func close(_ needs: inout Needs) {
        if needs.members || !needs.member.isEmpty {
            needs.members = true
            add(current, to: &needs, members: true)
            if !current.familyVariablesUsed.isEmpty { needs.memberReadsFamily = true }
            if needs.departed {
                add(departed, to: &needs, members: true)
                if !departed.familyVariablesUsed.isEmpty { needs.memberReadsFamily = true }
            }
        }
        var changed = true
        while changed {
            changed = false
            for scope in [RuleScope.family, .member] {
                let set = scope == .family ? needs.family : needs.member
                for i in set {
                    var deps: (family: [Int], member: [Int]) = ([], [])
                    switch slot(scope, i).source {
                    case .column, .area: break
                    case .alias(let j), .bins(let j, _, _): if scope == .family { deps.family = [j] } else { deps.member = [j] }
                    case .rule(let r):
                        deps.family = r.familyVariablesUsed
                        if scope == .member {
                            deps.member = r.memberVariablesUsed
                            if !r.familyVariablesUsed.isEmpty { needs.memberReadsFamily = true }
                        }
                    }
                    let before = needs.family.count + needs.member.count
                    needs.family.formUnion(deps.family); needs.member.formUnion(deps.member)
                    if needs.family.count + needs.member.count != before { changed = true }
                }
            }
        }
    }

    // MARK: common table expressions

    /// The area table's village code column (`Layout.AreaColumns.villageCode`), quoted.
    var villageCodeColumn: String { SQLText.ident(wilayah.column(profile.layout.areas.villageCode)?.name ?? profile.layout.areas.villageCode) }

    var wilCTE: String {
        let attributes = areaAttributeSQL.sorted { $0.key < $1.key }.map { ", \($0.value) AS area_\($0.key)" }.joined()
        return """
        wil AS (  -- villages of wilayah (contract §1.4)\(attributes.isEmpty ? "" : ", with the area attributes rules read (rules.yml area_attributes)")
          SELECT DISTINCT btrim(w.\(villageCodeColumn)::text, \(SQLText.cellBlanks)) AS village_code\(attributes) FROM \(wilayah.qualified) w
        )
        """
    }

    func lineNumber(_ table: SQLTable, alias: String) -> String {
        table.lineColumn.map { "\(alias).\(SQLText.ident($0.name))" } ?? "NULL::bigint"
    }

    func famCTE(_ needs: Needs) throws -> String {
        let inputs = needs.family.sorted().filter { isInput(familyScope.slots[$0]) }
        let areaOnes = needs.family.sorted().filter { areaAttributeSQL[$0] != nil }
        let derivedOnes = needs.family.sorted().filter { !isInput(familyScope.slots[$0]) && areaAttributeSQL[$0] == nil }
        var raw = ["\(SQLValue.familyKey(alias: "k", binding: keluarga)) AS family_key", "\(lineNumber(keluarga.table, alias: "k")) AS line_no"]
        if needs.familyCard {
            let card = profile.layout.familyCard.flatMap { keluarga.columns[$0] }
            let kk = card.map { "coalesce(btrim(k.\(SQLText.ident($0.name))::text, \(SQLText.blanks)), '')" } ?? "''"
            raw.append("\(kk) AS kk_number")
            let text = card.map { "coalesce(btrim(k.\(SQLText.ident($0.name))::text, \(SQLText.cellBlanks)), '')" } ?? "''"
            raw.append("\(text) AS kk_text")
        }
        var level2 = ["f1.family_key", "left(f1.family_key, 10) AS village_code", "f1.line_no"]
        if needs.familyCard { level2 += ["f1.kk_number", "f1.kk_text"] }
        for i in inputs {
            let s = familyScope.slots[i]
            guard case .column(let name) = s.source, let column = keluarga.columns[name] else { continue }
            raw.append("\(try SQLValue.accepted("k.\(SQLText.ident(column.name))", column, slot: s)) AS \(SQLText.ident(s.name))")
            let ref = "f1.\(SQLText.ident(s.name))"
            level2.append(s.isCategorical ? ref : "\(SQLValue.familyStoreRounded(ref)) AS \(SQLText.ident(s.name))")
        }
        // Area attributes: the family's village's value (`wil`).
        for i in areaOnes { level2.append("w.area_\(i) AS \(SQLText.ident(familyScope.slots[i].name))") }
        let areaJoin = areaOnes.isEmpty ? "" : "\n    LEFT JOIN wil w ON w.village_code = left(f1.family_key, 10)"
        var sql = """
            SELECT \(level2.joined(separator: ",\n         "))
            FROM (
              SELECT k.*, row_number() OVER (PARTITION BY k.family_key ORDER BY k.line_no) AS nth
              FROM (
                SELECT \(raw.joined(separator: ",\n           "))
                FROM \(keluarga.table.qualified) k
              ) k
              WHERE k.family_key IS NOT NULL AND left(k.family_key, 10) IN (SELECT village_code FROM wil)
            ) f1\(areaJoin)
            WHERE f1.nth = 1
          """
        if !derivedOnes.isEmpty {
            let d = derivedOnes.map { "\(derived(.family, $0, .familyDefinition)) AS \(SQLText.ident(familyScope.slots[$0].name))" }
            sql = "  SELECT f2.*,\n         " + d.joined(separator: ",\n         ") + "\n  FROM (\n" + sql.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n  ) f2"
        }
        return "fam AS (  -- tabulated families: valid key, village in wilayah, first row (lowest line_no) of each key\n" + sql + "\n)"
    }

    /// - Parameter extra: more columns of the level that reads `anggota` (the accounting's checks).
    func memCTE(_ needs: Needs, extra: [String] = [], allInputs: Bool = false, joinFamily: Bool = false) throws -> String {
        let wanted = allInputs ? Set(memberScope.slots.indices.filter { isInput(memberScope.slots[$0]) }).union(needs.member) : needs.member
        let inputs = wanted.sorted().filter { isInput(memberScope.slots[$0]) }
        let derivedOnes = wanted.sorted().filter { !isInput(memberScope.slots[$0]) }
        var raw = ["\(SQLValue.familyKey(alias: "a", binding: anggota)) AS family_key", "\(lineNumber(anggota.table, alias: "a")) AS line_no"]
        for i in inputs {
            let s = memberScope.slots[i]
            guard case .column(let name) = s.source, let column = anggota.columns[name] else { continue }
            raw.append("\(try SQLValue.accepted("a.\(SQLText.ident(column.name))", column, slot: s)) AS \(SQLText.ident(s.name))")
        }
        if needs.memberNIK {
            let nik = profile.layout.nik.flatMap { anggota.columns[$0] }.map { "coalesce(btrim(a.\(SQLText.ident($0.name))::text, \(SQLText.blanks)), '')" } ?? "''"
            raw.append("\(nik) AS nik_text")
        }
        raw += extra
        var outer = ["m1.*"]
        outer += derivedOnes.map { "\(derived(.member, $0, .memberDefinition)) AS \(SQLText.ident(memberScope.slots[$0].name))" }
        outer.append("coalesce(\(ruleSQL(current, level: .member, .memberDefinition).condition), false) AS is_current")
        if needs.departed {
            outer.append("(NOT coalesce(\(ruleSQL(current, level: .member, .memberDefinition).condition), false) "
                         + "AND coalesce(\(ruleSQL(departed, level: .member, .memberDefinition).condition), false)) AS is_departed")
        }
        if needs.memberNIK { outer.append("\(SQLValue.validNIK("m1.nik_text")) AS nik_value") }
        let join = needs.memberReadsFamily || joinFamily ? "\n  LEFT JOIN fam f ON f.family_key = m1.family_key" : ""
        return """
            mem AS (  -- members with their variables, derived variables and current-member flag (rules.yml current_member)
              SELECT \(outer.joined(separator: ",\n         "))
              FROM (
                SELECT \(raw.joined(separator: ",\n           "))
                FROM \(anggota.table.qualified) a
              ) m1\(join)
            )
            """
    }

    /// ONE aggregate over each family's current members for every quantifier of `rules`.
    func qaCTE(_ rules: [FamilyRule]) -> String? {
        var columns: [String] = []
        var readsFamily = false
        for r in rules {
            let sql = ruleSQL(r.compiled, level: .family, .outer, quantifierPrefix: r.id)
            for (q, quantifier) in sql.quantifiers.enumerated() {
                let name = "\(r.id)_\(q + 1)"
                columns.append(quantifier.kind == .any ? "bool_or(\(quantifier.body)) AS \(name)"
                                                       : "count(*) FILTER (WHERE \(quantifier.body)) AS \(name)")
            }
            if sql.quantifiers.contains(where: { Self.readsFamily($0.body) }) { readsFamily = true }
        }
        guard !columns.isEmpty else { return nil }
        let join = readsFamily ? " JOIN fam f ON f.family_key = m.family_key" : ""
        return """
            qa AS (  -- one aggregate over each family's current members: any member: (bool_or) and count members: (count FILTER)
              SELECT m.family_key,
                     \(columns.joined(separator: ",\n         "))
              FROM mem m\(join)
              WHERE m.is_current
              GROUP BY m.family_key
            )
            """
    }

    /// Whether SQL in the outer context reads a family column (`f.` not preceded by a name character).
    static func readsFamily(_ sql: String) -> Bool {
        var previous: Character = " "
        var it = sql.makeIterator()
        while let c = it.next() {
            if c == "f", !(previous.isLetter || previous.isNumber || previous == "_" || previous == "."), let next = it.next() {
                if next == "." { return true }
                previous = next
                continue
            }
            previous = c
        }
        return false
    }

    func needs(forFamilyRules rules: [FamilyRule], into needs: inout Needs) {
        for r in rules {
            add(r.compiled, to: &needs, members: true)
            if r.compiled.quantifierCount > 0 { needs.members = true; needs.familyRules.append(r) }
        }
    }

    func ctes(_ needs: Needs, extra: [String] = []) throws -> [String] {
        var n = needs
        close(&n)
        var list = [wilCTE, try famCTE(n)]
        if n.members { list.append(try memCTE(n)) }
        if let qa = qaCTE(n.familyRules) { list.append(qa) }
        return list + extra
    }

    // MARK: the grouping sets over areas

    static let areaColumns = "left(village_code, 4) AS area_kabupaten, left(village_code, 7) AS area_kecamatan, village_code AS area_desa"
    static let areaSets = "GROUPING SETS ((area_kabupaten), (area_kecamatan), (area_desa))"
    static let areaCode = "coalesce(area_desa, area_kecamatan, area_kabupaten) AS area"

    /// Common table expressions over `keluarga`/`anggota`. On Citus they are written `NOT MATERIALIZED`, so that
    /// Citus inlines them and every join stays co-located on `family_key` instead of pulling a materialised
    /// result to the coordinator; on PostgreSQL the planner decides (a CTE used twice is computed once).
    static let distributedCTEs: Set<String> = ["fam", "mem", "qa", "member_nik", "link_nik", "link", "per_period", "per_family", "sharing", "fact", "recv",
                                                   "heads", "k", "r", "departed_nik", "non_current", "pfact"]

    func with(_ ctes: [String]) -> String {
        let list = ctes.map { cte -> String in
            guard citus, let open = cte.range(of: " AS ("), Self.distributedCTEs.contains(String(cte[..<open.lowerBound])) else { return cte }
            return cte.replacingCharacters(in: open, with: " AS NOT MATERIALIZED (")
        }
        return "WITH " + list.joined(separator: ",\n")
    }
}
