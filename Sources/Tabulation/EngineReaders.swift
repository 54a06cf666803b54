import Foundation
import Microdata
import Profile

extension Engine {
    /// Reads the area file (`wilayah.csv`, contract §1.4; or the same table as a `.sav`/`.dta` file) through
    /// the layout's `area_columns`.
    /// - Parameter attributes: other text columns to keep (`RulesSpec.areaAttributes`; the `kind` column is
    ///   always read, into `kind`). A declared column missing from the file is an error naming it.
    public static func readAreas(path: String, columns names: Layout.AreaColumns, options: InputOptions = InputOptions(),
                                 attributes: [String] = []) throws -> AreaIndex {
        let reader = try RecordSources.open(path: path, options: options)
        func col(_ n: String) throws -> Int {
            guard let i = reader.columnIndex(n) else {
                throw InputError(file: reader.fileName, line: 1, column: n, expected: "a column named '\(n)' in the header")
            }
            return i
        }
        let kec = try col(names.kecamatanName), kecK = try col(names.kecamatanKemendagri), desa = try col(names.villageCode)
        let nama = try col(names.villageName), desaK = try col(names.villageKemendagri)
        let codeName = names.villageCode
        let jenis = names.kind.flatMap { reader.columnIndex($0) }
        // The kind column (desa/kelurahan) is optional: without it the attribute is empty (missing in rules).
        let extra = try attributes.map { (name: $0, column: $0 == names.kind ? reader.columnIndex($0) ?? -1 : try col($0)) }
        var extraValues: [(code: String, values: [String])] = []
        var rows: [(code: String, name: String, kemendagriCode: String, kind: String, kecamatanName: String, kecamatanKemendagri: String)] = []
        var seen = Set<String>()
        try reader.forEachRecord { r in
            let code = r.string(desa)
            guard code.count == 10, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw InputError(file: reader.fileName, line: r.line, column: codeName, columnNumber: desa + 1,
                                 expected: "a 10-digit BPS village code", found: code)
            }
            guard seen.insert(code).inserted else {
                throw InputError(file: reader.fileName, line: r.line, column: codeName, columnNumber: desa + 1,
                                 expected: "each village once", found: code)
            }
            rows.append((code, r.string(nama), r.string(desaK), jenis.map { r.string($0) } ?? "", r.string(kec), r.string(kecK)))
            if !extra.isEmpty { extraValues.append((code, extra.map { $0.column < 0 ? "" : r.string($0.column) })) }
        }
        guard !rows.isEmpty else { throw InputError(file: reader.fileName, line: 2, expected: "at least one village") }
        var areas = AreaIndex(villages: rows)
        for (code, values) in extraValues {
            for (a, value) in zip(extra, values) { areas.setAttribute(a.name, value, village: code) }
        }
        return areas
    }

    /// Pass 1: every family row once, into the columnar store. In a flat layout (one row per member, family
    /// columns repeated) a family's row is its head's (`relation` = head code), else its first: `chosen`
    /// holds the line of each family's row, found by `chooseFamilyRows` (the data check reports rows
    /// whose family columns disagree).
    /// - Returns: the key reader, whose `text` names families in restricted lists.
    func readFamilies(path: String, areas: AreaIndex, scope: ScopePlan, store: FamilyStore, accounting: inout RecordAccounting) throws -> FamilyKeyReader {
        let layout = self.layout
        let reader = try RecordSources.open(path: path, options: inputOptions)
        let header = reader.header
        // The flat layout's families are counted apart from its rows (which the member pass counts).
        let file = layout.isFlat ? Self.familiesLabel(reader.fileName) : reader.fileName
        let map = try ColumnMap(source: reader, codebook: profile.codebook, file: .keluarga, keys: layout.familyIDNames)
        let keys = try FamilyKeyReader(layout: layout, codebook: profile.codebook, map: map)
        let chosen = layout.isFlat ? try chooseFamilyRows(path: path, keys: keys, map: map) : nil
        let columns = try columnPositions(map, scope)
        let kkCol = layout.familyCard.flatMap { map.column($0) }
        var repeatedHeaders: [Int] = []
        var villageCache: [Int64: Int32] = [:]
        var values = [Double](repeating: .nan, count: scope.slots.count)
        var read = 0
        try reader.forEachRecord(repeatedHeader: { repeatedHeaders.append($0) }) { r in
            let key: FamilyKey
            switch keys.key(r, file: reader.fileName, header: header) {
            case .failure(let e):
                // Flat: the member pass excludes the row (and counts it); here it is no family.
                if chosen == nil { read += 1; accounting.exclude(file, "invalid_family_key", example: e) }
                return
            case .success(let k): key = k
            }
            if let chosen { guard chosen[key] == Int32(clamping: r.line) else { return } }
            read += 1
            let village: Int32
            if let code = keys.village(r, key: key) {
                if let v = villageCache[code] { village = v } else {
                    village = areas.village(code: Self.pad(code, 10)).map(Int32.init) ?? -1
                    villageCache[code] = village
                }
            } else { village = -1 }
            guard village >= 0 else {
                let found = keys.village(r, key: key).map { Self.pad($0, 10) } ?? keys.villageText(r)
                accounting.exclude(file, "unknown_village", example: InputError(
                    file: reader.fileName, line: r.line, column: keys.areaColumn.name, columnNumber: keys.areaColumn.number,
                    expected: keys.areaDescription, found: found))
                return
            }
            guard store.index[key] == nil else {
                accounting.exclude(file, "duplicate_family_key", example: InputError(
                    file: reader.fileName, line: r.line, column: keys.keyColumn.name, columnNumber: keys.keyColumn.number,
                    expected: keys.keyDescription, found: nil))
                return
            }
            readValues(r, columns: columns, scope: scope, into: &values, file: reader.fileName, header: header, accounting: &accounting)
            values.withUnsafeBufferPointer { v in
                r.withBytes(kkCol ?? -1) { store.append(key: key, village: village, kk: $0, values: v) }   // -1: no No. KK column, empty
            }
        }
        if chosen == nil { Self.countRepeatedHeaders(repeatedHeaders, file: file, accounting: &accounting) }
        accounting.setRead(file, read)
        accounting.setTabulated(file, store.count)
        return keys
    }

    /// The column of a layout role in a file: its variable's column when the map resolved it, else the first of
    /// the variable's column names (or the role's own name) in the header — a flat file's family pass reads
    /// the member variable `relation`, which its family map does not hold.
    func roleColumn(_ name: String?, map: ColumnMap, source: any RecordSource) -> Int? {
        guard let name else { return nil }
        if let c = map.column(name) { return c }
        let candidates = profile.codebook.variable(name)?.columnCandidates ?? [name]
        return candidates.lazy.compactMap { source.columnIndex($0) }.first
    }

    /// The record accounting's name for the families of a flat file (its rows are counted under its name).
    public static func familiesLabel(_ fileName: String) -> String { "\(fileName) (families)" }

    /// Flat layout: the line of each family's row — its head's (first head row), else its first row.
    func chooseFamilyRows(path: String, keys: FamilyKeyReader, map: ColumnMap) throws -> [FamilyKey: Int32] {
        let reader = try RecordSources.open(path: path, options: inputOptions)
        let relation = roleColumn(layout.relation, map: map, source: reader)
        let head = layout.headCode
        var chosen: [FamilyKey: Int32] = [:], fromHead = Set<FamilyKey>()
        try reader.forEachRecord(repeatedHeader: { _ in }) { r in
            guard let key = keys.validKey(r) else { return }
            let isHead = relation.map { r.int($0) == head } ?? false
            if chosen[key] == nil || (isHead && !fromHead.contains(key)) {
                chosen[key] = Int32(clamping: r.line)
                if isHead { fromHead.insert(key) }
            }
        }
        return chosen
    }

    /// Pass 2: members streamed once; each current member of a stored family updates the person tables, the
    /// quantifier counters of the family-level rules and the NIK list for roster linking.
    func streamMembers(path: String, store: FamilyStore, familyScope: ScopePlan, memberScope: ScopePlan,
                       current: CompiledRule, familyRules: [CompiledRule], quantifierBase: [Int], totalQuantifiers: Int,
                       quantifierCounts: inout [MemberCount], personTables: [TableAccumulator],
                       programmes: ProgrammeRules, departedRule: CompiledRule,
                       memberNIKs: inout MemberNIKList, departedNIKs: inout MemberNIKList, personCounts: inout PersonCounts,
                       persons: inout Int, heads: inout HeadList, accounting: inout RecordAccounting) throws {
        let reader = try RecordSources.open(path: path, options: inputOptions)
        let file = reader.fileName, header = reader.header
        let layout = self.layout
        let map = try ColumnMap(source: reader, codebook: profile.codebook, file: .anggota, keys: layout.familyIDNames)
        let keys = try FamilyKeyReader(layout: layout, codebook: profile.codebook, map: map)
        let columns = try columnPositions(map, memberScope)
        let role = { (name: String?) in roleColumn(name, map: map, source: reader) }
        let nikCol = role(layout.nik)
        let presenceSlot = layout.presence.flatMap { memberScope.index(of: $0) }
        let nameCol = role(layout.name), relationCol = role(layout.relation), headCode = layout.headCode
        // Cell key method: a member's record key comes from its family key and member serial (the line number
        // when the layout has no member serial or it is not a number).
        let recordKeys = cellKeySalt.map(RecordKeys.init(salt:)), serialCol = role(layout.memberSerial)
        // Per-member work as plain lists, resolved once: derived member variables, (rule, quantifier,
        // counter offset) of every family-rule quantifier. Unmanaged references: the loop below runs for every
        // member, and the plan keeps all of them alive.
        let derived: [(index: Int, slot: Unmanaged<VariableSlot>)] = memberScope.slots.enumerated().compactMap { s, slot in
            if case .column = slot.source { return nil }
            guard memberScope.isUsed(s) else { return nil }
            return (s, .passUnretained(slot))
        }
        let quantifiers = QuantifierBatch(rules: familyRules, bases: quantifierBase)

        /// One part of the file: `records` feeds it its records and repeated-header lines; everything the part
        /// adds goes to the tables, counters, NIK list, heads and accounting it is given.
        let hasPersonProgrammes = !programmes.personRules.isEmpty
        func scanPart(tables personTables: [TableAccumulator], counts quantifierCounts: inout [MemberCount],
                      memberNIKs: inout MemberNIKList, departedNIKs: inout MemberNIKList, personCounts: inout PersonCounts,
                      heads: inout HeadList, accounting: inout RecordAccounting,
                      records: ((DataRecord) throws -> Void, (Int) -> Void) throws -> Void) throws -> PartTotals {
            // Unretained: `personTables` and `current` outlive the scan.
            let tables: [(table: Unmanaged<TableAccumulator>, universe: RuleHandle?)] = personTables.map { (.passUnretained($0), $0.universe?.handle) }
            let currentRule = current.handle, departedHandle = departedRule.handle
            var totals = PartTotals()
            var memberValues = [Double](repeating: .nan, count: memberScope.slots.count)
            var familyValues = [Double](repeating: .nan, count: familyScope.slots.count)
            var lastKey: FamilyKey?
            var lastFamily: Int32 = -1
            // Raw counters: an `inout` array captured by the per-record closure would be checked for
            // uniqueness on every increment.
            try quantifierCounts.withUnsafeMutableBufferPointer { counterBuffer in
            let counters = counterBuffer.baseAddress
            try records({ r in
                totals.read += 1
                let key: FamilyKey
                switch keys.key(r, file: file, header: header) {
                case .failure(let e): accounting.exclude(file, "invalid_family_key", example: e); return
                case .success(let k): key = k
                }
                // Members usually come grouped by family: reuse the last lookup and the family's values.
                if key != lastKey {
                    lastKey = key
                    // Member files usually follow the family file's order: try the next family before hashing.
                    let next = Int(lastFamily) + 1
                    if lastFamily >= 0, next < store.count, store.index.key(next) == key { lastFamily = Int32(next) }
                    else { lastFamily = store.index[key] ?? -1 }
                    if lastFamily >= 0 { familyValues.withUnsafeMutableBufferPointer { store.values(of: Int(lastFamily), into: $0) } }
                }
                guard lastFamily >= 0 else {
                    accounting.exclude(file, "family_not_tabulated", example: InputError(
                        file: file, line: r.line, column: keys.keyColumn.name, columnNumber: keys.keyColumn.number,
                        expected: "a family key present (and tabulated) in \(layout.familyFileName)"))
                    return
                }
                readValues(r, columns: columns, scope: memberScope, into: &memberValues, file: file, header: header, accounting: &accounting)
                let f = Int(lastFamily)
                let recordKey = recordKeys?.member(key, serial: serialCol.flatMap { r.int($0) } ?? r.line) ?? 0
                // Person-programme flags of a current member; `departed`: a member who died, moved or was not found.
                var flags: PersonFlags = 0, departed = false
                let isCurrent: Bool = familyValues.withUnsafeBufferPointer { fv in
                    memberValues.withUnsafeMutableBufferPointer { mv in
                        for d in derived {
                            mv[d.index] = d.slot._withUnsafeGuaranteedRef {
                                deriveValue($0, values: UnsafeBufferPointer(mv), member: UnsafeBufferPointer(mv), family: fv)
                            }
                        }
                        let m = UnsafeBufferPointer(mv)
                        guard currentRule.matches(family: fv, member: m) else {
                            departed = departedHandle.matches(family: fv, member: m)
                            return false
                        }
                        if hasPersonProgrammes { flags = programmes.flags(family: fv, member: m) }
                        if let counters, !quantifiers.isEmpty { quantifiers.count(family: fv, member: m, into: counters + f * totalQuantifiers) }
                        let village = Int(store.village[f])
                        for t in tables {
                            if let u = t.universe, !u.matches(family: fv, member: m) { continue }
                            t.table._withUnsafeGuaranteedRef { $0.add(village: village, own: m, family: fv, recordKey: recordKey) }
                        }
                        return true
                    }
                }
                guard isCurrent else {
                    // A presence code that is empty or not a code of the codebook is "not stated", not "moved/died".
                    let stated = presenceSlot.map { !memberValues[$0].isNaN } ?? true
                    accounting.exclude(file, stated ? "not_current_member" : "presence_not_stated")
                    if departed, let nikCol, let nik = r.withBytes(nikCol, { NIK.parseValid(bytes: $0) }) {
                        departedNIKs.append(nik, lastFamily)
                    }
                    return
                }
                totals.tabulated += 1
                if heads.enabled, heads.name[f].isEmpty, let relationCol, r.int(relationCol) == headCode {
                    heads.name[f] = nameCol.map { r.string($0) } ?? ""
                    heads.nik[f] = nikCol.map { r.string($0) } ?? ""
                }
                let nik = nikCol.flatMap { c in r.withBytes(c, { NIK.parseValid(bytes: $0) }) }
                if let nik {
                    memberNIKs.append(nik, lastFamily, flags)
                    if memberNIKs.runIsFull { try memberNIKs.writeRun() }
                }
                personCounts.add(village: Int(store.village[f]), flags: flags, hasNIK: nik != nil)
            }, { totals.repeatedHeaders.append($0) })
            }
            return totals
        }

        // Two parts on two threads when the file allows it (plain UTF-8 CSV of some size; no record lists and
        // no cell keys, which need the heads in file order and line numbers). The first part must end exactly
        // where the second began — else a quoted line break sat at the split, and the rest is read again in
        // order, the second part's work dropped.
        var totals = PartTotals()
        // Room for every member's NIK from the start (an eighth over the estimate): the first part's columns then
        // never move, and the second part's are appended in place (issue 19: the merge held a column twice).
        let expected = (reader as? CSVReader)?.estimatedLines().map { $0 + $0 / 8 } ?? 0
        memberNIKs.reserve(expected)
        if let csv = reader as? CSVReader, !heads.enabled, recordKeys == nil,
           let split = csv.splitOffsets(parts: 2, minimumBytes: partMinimumBytes)?.first {
            let secondTables = personTables.map { $0.emptyCopy() }
            let counterCount = quantifierCounts.count
            let emptyCounts = personCounts.emptyCopy()
            let runLength = memberNIKs.runLength
            let second = Background { () throws -> SecondPart in
                var part = SecondPart(counts: [MemberCount](repeating: 0, count: counterCount), personCounts: emptyCounts,
                                      niks: MemberNIKList(runLength: runLength))
                part.niks.reserve(expected / 2 + expected / 16)
                var noHeads = HeadList(enabled: false, families: 0)
                part.totals = try scanPart(tables: secondTables, counts: &part.counts, memberNIKs: &part.niks,
                                           departedNIKs: &part.departed, personCounts: &part.personCounts, heads: &noHeads,
                                           accounting: &part.accounting) { body, repeated in
                    try csv.forEachRecord(from: CSVReader.Resume(offset: split, line: 1), before: nil, repeatedHeader: repeated, body)
                }
                return part
            }
            var resume = CSVReader.Resume(offset: 0, line: 0)
            // The first part's person counts apart, so that a failed split (below) can drop the second's cleanly.
            var firstCounts = personCounts
            totals = try scanPart(tables: personTables, counts: &quantifierCounts, memberNIKs: &memberNIKs,
                                  departedNIKs: &departedNIKs, personCounts: &firstCounts, heads: &heads,
                                  accounting: &accounting) { body, repeated in
                resume = try csv.forEachRecord(from: nil, before: split, repeatedHeader: repeated, body)
            }
            personCounts = firstCounts
            // Taken, not copied: each of the second part's arrays is freed as soon as it is merged (at 10 M
            // families its counters and NIK list are 300 MB each, and the merge used to hold both parts twice).
            if resume.offset == split, case .success(var part) = Result(catching: { try second.take() }) {
                for i in quantifierCounts.indices { quantifierCounts[i] = MemberCount.adding(quantifierCounts[i], part.counts[i]) }
                part.counts = []
                for (t, other) in zip(personTables, secondTables) { t.merge(other) }
                try memberNIKs.absorb(&part.niks)
                try departedNIKs.absorb(&part.departed)
                personCounts.merge(part.personCounts)
                accounting.append(part.accounting, lineOffset: resume.line - 1)
                totals.add(part.totals, lineOffset: resume.line - 1)
            } else {
                let rest = try scanPart(tables: personTables, counts: &quantifierCounts, memberNIKs: &memberNIKs,
                                        departedNIKs: &departedNIKs, personCounts: &personCounts, heads: &heads,
                                        accounting: &accounting) { body, repeated in
                    try csv.forEachRecord(from: resume, before: nil, repeatedHeader: repeated, body)
                }
                totals.add(rest, lineOffset: 0)
            }
        } else {
            totals = try scanPart(tables: personTables, counts: &quantifierCounts, memberNIKs: &memberNIKs,
                                  departedNIKs: &departedNIKs, personCounts: &personCounts, heads: &heads,
                                  accounting: &accounting) { body, repeated in
                try reader.forEachRecord(repeatedHeader: repeated, body)
            }
        }
        try memberNIKs.writeRun()   // on disk: the last members as a run of their own
        persons = totals.tabulated
        Self.countRepeatedHeaders(totals.repeatedHeaders, file: file, accounting: &accounting)
        accounting.setRead(file, totals.read)
        accounting.setTabulated(file, totals.tabulated)
    }

    /// What a part of the member file read, tabulated and skipped as repeated headers.
    struct PartTotals {
        var read = 0, tabulated = 0
        var repeatedHeaders: [Int] = []
        mutating func add(_ other: PartTotals, lineOffset: Int) {
            read += other.read; tabulated += other.tabulated
            repeatedHeaders += other.repeatedHeaders.map { $0 + lineOffset }
        }
    }

    /// The second part's own results, merged after it (lines counted from the part's start).
    struct SecondPart {
        var counts: [MemberCount]
        var personCounts: PersonCounts
        var niks = MemberNIKList()
        var departed = MemberNIKList()
        var accounting = RecordAccounting()
        var totals = PartTotals()
    }

    /// Family heads' names and NIKs for the restricted lists only; kept in memory only when asked for.
    struct HeadList {
        let enabled: Bool
        var name: [String]
        var nik: [String]
        init(enabled: Bool, families: Int) {
            self.enabled = enabled
            name = enabled ? Array(repeating: "", count: families) : []
            nik = enabled ? Array(repeating: "", count: families) : []
        }
    }

    /// The roster's rows as text (linking and validation happen in `Targeting`). A missing roster file
    /// means no roster (contract §2 "No rosters", rev. 2): no roster source is tabulated, and the accounting
    /// says so.
    func readRoster(path: String, keepNames: Bool, accounting: inout RecordAccounting) throws -> RosterTable {
        var rows = RosterTable(keepNames: keepNames)
        let names = layout.roster
        guard FileManager.default.fileExists(atPath: path) else {
            accounting.warn(layout.rosterFileName, "file_missing")
            accounting.setRead(layout.rosterFileName, 0)
            return rows
        }
        let reader = try RecordSources.open(path: path, options: inputOptions)
        func col(_ n: String) throws -> Int {
            guard let i = reader.columnIndex(n) else {
                throw InputError(file: reader.fileName, line: 1, column: n, expected: "a column named '\(n)' in the header")
            }
            return i
        }
        let program = try col(names.program), nik = try col(names.nik), kk = try col(names.familyCard), desa = try col(names.village)
        let nama = names.name.flatMap { reader.columnIndex($0) }, periode = names.period.flatMap { reader.columnIndex($0) }
        var repeatedHeaders: [Int] = []
        try reader.forEachRecord(repeatedHeader: { repeatedHeaders.append($0) }) { r in
            guard !r.isEmpty(program) else {
                accounting.exclude(reader.fileName, "programme_missing", example: InputError(
                    file: reader.fileName, line: r.line, column: names.program, columnNumber: program + 1, expected: "a programme name"))
                return
            }
            rows.append(r, program: program, nik: nik, noKK: kk, name: nama, village: desa, period: periode)
        }
        Self.countRepeatedHeaders(repeatedHeaders, file: reader.fileName, accounting: &accounting)
        accounting.setRead(reader.fileName, rows.count + accounting.count(excluded: reader.fileName, "programme_missing"))
        return rows
    }

    /// A header row repeated inside the data (concatenated exports) is skipped, not read as data; each
    /// one is a warning in the accounting (it is not a record, so read/tabulated counts leave it out).
    static func countRepeatedHeaders(_ lines: [Int], file: String, accounting: inout RecordAccounting) {
        for line in lines {
            accounting.warn(file, "header_repeated", example: InputError(
                file: file, line: line, expected: "a data row", found: "the header again (row skipped)"))
        }
    }

    /// Positions of the input columns of the scope's used slots (by name or codebook alias). Every column of
    /// the codebook must be present, used or not: a missing one is an error naming it (`ColumnMap` has
    /// normally reported it already, with every other missing one).
    func columnPositions(_ map: ColumnMap, _ scope: ScopePlan) throws -> [InputColumn] {
        var out: [InputColumn] = []
        var missing: [String] = []
        for (s, slot) in scope.slots.enumerated() {
            guard case .column(let name) = slot.source else { continue }
            if let c = map.column(name) {
                if scope.isUsed(s) { out.append(InputColumn(slot: s, column: c, variable: slot)) }
            } else { missing.append(name) }
        }
        guard missing.isEmpty else {
            throw InputError(file: map.fileName, line: map.headerLine, expected: "the column(s) \(missing.joined(separator: ", ")) in the header")
        }
        return out
    }

    /// Reads a record's input values into `values` (NaN = empty). A value that is not a number, not a
    /// labelled code or out of range becomes NaN ("not stated") and is counted as a warning with its place.
    func readValues(_ r: borrowing CSVRecord, columns: [InputColumn], scope: ScopePlan,
                    into values: inout [Double], file: String, header: [String], accounting: inout RecordAccounting) {
        for input in columns {
            let s = input.slot, c = input.column
            guard !r.isEmpty(c) else { values[s] = .nan; continue }
            if let v = input.read(r) { values[s] = v; continue }
            values[s] = .nan
            let slot = input.coder.slot
            accounting.warn(file, "invalid_value:\(slot.name)", example: InputError(
                file: file, line: r.line, column: slot.name, columnNumber: c + 1, expected: slot.expectation, found: r.string(c)))
        }
    }

    public static func num(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// One input column a scope reads, with what deciding a value needs as plain values (no class reference in
/// the per-field loop).
struct InputColumn {
    let slot: Int
    let column: Int
    let categorical: Bool
    let lower: Double, upper: Double
    let coder: CategoryCoder
    /// The variable has input codes read as other codes (`Variable.recode`, kept on the slot): a flag, so that
    /// this struct stays trivially copyable — the per-field loops copy it for every cell.
    let recoded: Bool

    init(slot: Int, column: Int, variable: VariableSlot) {
        self.slot = slot; self.column = column
        recoded = !variable.recode.isEmpty
        categorical = variable.isCategorical
        lower = variable.range?.lowerBound ?? -.infinity
        upper = variable.range?.upperBound ?? .infinity
        coder = variable.coder
    }

    /// The (non-empty) cell's value when acceptable — a labelled code, or a number in range — else nil.
    @inline(__always) func read(_ r: borrowing CSVRecord) -> Double? {
        if categorical {
            if recoded, let v = recodedValue(r) { return v }
            guard let n = r.shortInt(column) else { return nil }
            let x = Double(n)
            return coder.index(of: x) != coder.notStated ? x : nil
        }
        guard let x = r.shortDouble(column), x >= lower, x <= upper else { return nil }
        return x
    }

    /// The code a recoded cell stands for (`Variable.recode`, compared ignoring ASCII case), else nil.
    func recodedValue(_ r: borrowing CSVRecord) -> Double? {
        r.withBytes(column) { cell in
            for (bytes, value) in coder.slot.recode where bytes.count == cell.count {
                if zip(bytes, cell).allSatisfy({ $0 == ($1 >= 65 && $1 <= 90 ? $1 + 32 : $1) }) { return value }
            }
            return nil
        }
    }
}
