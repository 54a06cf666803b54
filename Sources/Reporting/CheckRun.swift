import Foundation
import Microdata
import Profile
import Tabulation

/// `regtab check`: validates the input files of a data folder against a report definition before any
/// table is made, and lists every finding with file, line, column, rule and value (`CheckRules`).
///
/// It reads the files the way the engine does (same readers, same column mapping, same acceptance of
/// codes), in one pass per file: wilayah, keluarga (family keys kept: key → line, r112, current members),
/// anggota, penerima. An unreadable file is one `input_error` finding, never a crash; the checks that
/// need it are skipped.
public enum DataCheck {
    public static func run(profile: Profile, dataDirectory dir: String, input: InputOptions = InputOptions(),
                           findingsPath: String? = nil) throws -> CheckReport {
        try run(profile: profile, inputs: InputSet(layout: profile.layout, directory: dir), input: input, findingsPath: findingsPath)
    }

    /// - Parameter inputs: the run's input files, resolved once (`InputSet`).
    public static func run(profile: Profile, inputs: InputSet, input: InputOptions = InputOptions(),
                           findingsPath: String? = nil) throws -> CheckReport {
        let log = try FindingLog(csvPath: findingsPath)
        let check = Checker(profile: profile, inputs: inputs, input: input, log: log)
        check.run()
        try log.close()
        let counts = log.order.enumerated().map { i, rule in (i, rule, CheckRules.severity(rule), log.counts[rule] ?? 0) }
            .sorted { $0.2 != $1.2 ? $0.2 < $1.2 : $0.0 < $1.0 }
            .map { ($0.1, $0.2, $0.3) }
        return CheckReport(counts: counts, examples: log.examples, records: check.records, findingsPath: findingsPath)
    }
}

/// A class, not a struct: the per-record closures capture it, and capturing a struct `self` made Swift copy
/// all its fields (with a retain each) per record. The per-record loops read cells as bytes (`CheckBytes`)
/// and keep what they update in locals, not in properties of this class (which would cost an exclusivity
/// check per access); Strings are made only for findings.
private final class Checker {
    let profile: Profile
    let inputs: InputSet
    var directory: String { inputs.directory }
    let input: InputOptions
    let log: FindingLog
    var records: [(file: String, count: Int)] = []
    var areas: AreaIndex?
    /// Family key → first line, r112 (-1: empty or not a number), current members counted.
    var families = CheckFamilyTable()
    /// Families excluded for another reason (unknown village): their members are not reported again.
    var excludedFamilies = Set<FamilyKey>()
    var familiesComplete = false
    var keluargaName: String
    var memberCountColumn: (name: String, number: Int)?
    var layout: Layout { profile.layout }
    /// Flat layout: per family entry, a hash of the family columns of its first row.
    var signatures: [UInt64] = []

    init(profile: Profile, inputs: InputSet, input: InputOptions, log: FindingLog) {
        self.profile = profile; self.inputs = inputs; self.input = input; self.log = log
        keluargaName = profile.layout.familyFileName
    }

    deinit { families.deallocate() }

    func add(_ file: String, _ line: Int, _ column: String?, _ number: Int?, _ rule: String, _ value: String, _ detail: String) {
        log.add(Finding(file: file, line: line, column: column, columnNumber: number, rule: rule,
                        severity: CheckRules.severity(rule), value: value, detail: detail))
    }

    func add(_ e: InputError, rule: String = "input_error") {
        add(e.file, e.line, e.column, e.columnNumber, rule, e.found ?? "", "expected \(e.expected)")
    }

    /// A record's family key, or nil after reporting the first invalid key column (keluarga and anggota).
    @inline(__always)
    func familyKey(_ r: borrowing DataRecord, _ keys: FamilyKeyReader, file: String, header: [String]) -> FamilyKey? {
        if let key = keys.validKey(r) { return key }
        if case .failure(let e) = keys.key(r, file: file, header: header) { add(e, rule: "invalid_family_key") }
        return nil
    }

    /// A header row repeated inside the data: skipped, reported.
    func repeatedHeader(_ file: String, _ line: Int) {
        add(file, line, nil, nil, "header_repeated", "", "the header row again; skipped")
    }

    /// Path of an input (`InputSet`; nil inside when absent), or an `input_error` finding when several files stand for it.
    func locate(_ name: String) -> String?? {
        if let e = inputs.problems[name] { add(e); return .none }
        return .some(inputs.file(name)?.path)
    }

    func run() {
        checkWilayah()
        checkKeluarga()
        checkAnggota()
        checkPenerima()
    }

    // MARK: wilayah

    func checkWilayah() {
        let areaFile = layout.areaFileName
        guard case .some(let found) = locate(areaFile) else { return }
        let path = found ?? (directory as NSString).appendingPathComponent(areaFile)
        do {
            areas = try Engine.readAreas(path: path, columns: layout.areas, options: input)
            records.append(((path as NSString).lastPathComponent, areas!.villages.count))
            // Area names are printed in every published report: flag text a spreadsheet or browser would act on.
            let source = try RecordSources.open(path: path, options: input)
            let columns = [layout.areas.kecamatanName, layout.areas.villageName].compactMap { n in source.columnIndex(n).map { (n, $0) } }
            try source.forEachRecord { r in
                for (n, c) in columns { checkPublishedText(r.string(c), file: source.fileName, line: r.line, column: n, number: c + 1) }
            }
        } catch let e as InputError { add(e) } catch { add(areaFile, 0, nil, nil, "input_error", "", "\(error)") }
    }

    /// `suspicious_text`: a name that is published (village, kecamatan, programme) and starts like a
    /// spreadsheet formula (`=`, `+`, `-`, `@`) or holds markup (`<`, `>`) or control characters. The
    /// renderers make it harmless (escaped HTML, text cells in Excel); the warning is for the data owner.
    func checkPublishedText(_ text: String, file: String, line: Int, column: String, number: Int) {
        guard let first = text.unicodeScalars.first else { return }
        let formula = first == "=" || first == "+" || first == "-" || first == "@"
        let markup = text.unicodeScalars.contains { $0 == "<" || $0 == ">" }
        let control = text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        guard formula || markup || control else { return }
        let why = formula ? "starts like a spreadsheet formula" : markup ? "contains markup (< or >)" : "contains control characters"
        add(file, line, column, number, "suspicious_text", text, "a published name that \(why); it is printed as plain text")
    }

    // MARK: keluarga

    func checkKeluarga() {
        guard case .some(let found) = locate(layout.familyFileName) else { return }
        let path = found ?? (directory as NSString).appendingPathComponent(layout.familyFileName)
        keluargaName = (path as NSString).lastPathComponent
        let flat = layout.isFlat
        var read = 0, familyCount = 0
        do {
            let source = try RecordSources.open(path: path, options: input)
            let file = source.fileName
            let map = try columns(source, .keluarga)
            let keys = try FamilyKeyReader(layout: layout, codebook: profile.codebook, map: map)
            let values = try RecordValues(profile: profile, file: .keluarga, map: map)
            let memberCount = layout.memberCount.flatMap { map.column($0) }
            if let memberCount { memberCountColumn = (map.columnName(layout.memberCount!), memberCount + 1) }
            // Flat layout: the columns that must agree across a family's rows.
            let familyColumns = profile.codebook.variables.filter { $0.file == .keluarga }.compactMap { map.column($0.name) }.sorted()
            var signatures = self.signatures
            defer { self.signatures = signatures }
            let dates = dateColumns(map, .keluarga)
            let dateCols = dates.map(\.0)
            let header = source.header
            let areas = self.areas
            var villageKnown: [Int64: Bool] = [:]
            var lastVillage: Int64 = -1, lastVillageKnown = false
            var table = families
            var excluded = excludedFamilies
            defer { families = table; excludedFamilies = excluded }
            try source.forEachRecord(repeatedHeader: { repeatedHeader(file, $0) }) { r in
                read &+= 1
                guard let key = familyKey(r, keys, file: file, header: header) else { return }
                if flat && excluded.contains(key) { return }
                let (a, b) = CheckFamilyTable.pack(key)
                if !table.isAboveAll(a, b) {
                    table.index()
                    let first = table.find(a, b)
                    if first >= 0 {
                        if flat {
                            // A later row of the family: its family columns must be those of the first.
                            if Self.signature(r, familyColumns) != signatures[first] {
                                add(file, r.line, nil, nil, "family_columns_disagree", keys.text(key),
                                    "the family columns of line \(table.line[first]) (the head's row is used, else the first)")
                            }
                        } else {
                            add(file, r.line, keys.keyColumn.name, keys.keyColumn.number, "duplicate_family_key", keys.text(key),
                                "a family key not used by an earlier row (first on line \(table.line[first]))")
                        }
                        return
                    }
                }
                if let areas {
                    let code = keys.village(r, key: key) ?? -1
                    if code != lastVillage || code < 0 {
                        lastVillage = code
                        if code < 0 { lastVillageKnown = false }
                        else if let k = villageKnown[code] { lastVillageKnown = k } else {
                            lastVillageKnown = areas.village(code: pad(code, 10)) != nil
                            villageKnown[code] = lastVillageKnown
                        }
                    }
                    guard lastVillageKnown else {
                        add(file, r.line, keys.areaColumn.name, keys.areaColumn.number, "unknown_village",
                            code >= 0 ? pad(code, 10) : keys.villageText(r), keys.areaDescription)
                        excluded.insert(key)
                        return
                    }
                }
                familyCount &+= 1
                let size = memberCount.flatMap { r.int($0) }.flatMap { Int32(exactly: $0) } ?? -1
                table.append(a, b, line: Int32(clamping: r.line), r112: size)
                if flat { signatures.append(Self.signature(r, familyColumns)) }
                if !values.accepts(r) { checkValues(r, values, file: file, header: header) }
                checkDates(r, dateCols, dates, file: file)
            }
            familiesComplete = true
        } catch let e as InputError { add(e) } catch { add(keluargaName, 0, nil, nil, "input_error", "", "\(error)") }
        // Flat: the rows are counted by the member check; here the families.
        records.append(flat ? (Engine.familiesLabel(keluargaName), familyCount) : (keluargaName, read))
    }

    /// A hash of the cells of `columns` (FNV-1a over their trimmed bytes, cells separated).
    static func signature(_ r: borrowing DataRecord, _ columns: [Int]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for c in columns {
            r.withBytes(c) { for b in $0 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 } }
            h = (h ^ 0x1F) &* 0x100_0000_01B3
        }
        return h
    }

    // MARK: anggota

    func checkAnggota() {
        guard case .some(let found) = locate(layout.memberFileName) else { return }
        let path = found ?? (directory as NSString).appendingPathComponent(layout.memberFileName)
        let name = (path as NSString).lastPathComponent
        var read = 0
        var complete = false
        do {
            let source = try RecordSources.open(path: path, options: input)
            let file = source.fileName
            let map = try columns(source, .anggota)
            let keys = try FamilyKeyReader(layout: layout, codebook: profile.codebook, map: map)
            let values = try RecordValues(profile: profile, file: .anggota, map: map)
            let role = { (name: String?) in name.flatMap { n in map.column(n).map { ($0, map.columnName(n)) } } }
            let nik = role(layout.nik), birth = role(layout.birthDate), sex = role(layout.sex)
            let sexCodes = (male: layout.maleCode, female: layout.femaleCode)
            let dates = dateColumns(map, .anggota)
            let dateCols = dates.map(\.0)
            let header = source.header
            var table = families
            defer { families = table }
            let excluded = excludedFamilies
            let familiesComplete = self.familiesComplete
            let keluargaName = self.keluargaName
            let counted = table.current
            var lastA: UInt64 = 0, lastB: UInt64 = 0, haveLast = false
            var lastEntry = -1, lastFound = -1
            try source.forEachRecord(repeatedHeader: { repeatedHeader(file, $0) }) { r in
                read &+= 1
                guard let key = familyKey(r, keys, file: file, header: header) else { return }
                let (a, b) = CheckFamilyTable.pack(key)
                if !haveLast || a != lastA || b != lastB {
                    haveLast = true; lastA = a; lastB = b
                    // Members usually come in keluarga order: try the family after the last one found.
                    if table.isEntry(lastFound &+ 1, a, b) { lastEntry = lastFound &+ 1 } else {
                        table.index()
                        lastEntry = table.find(a, b)
                    }
                    if lastEntry >= 0 { lastFound = lastEntry }
                }
                if lastEntry < 0 && familiesComplete && !excluded.contains(key) {
                    add(file, r.line, keys.keyColumn.name, keys.keyColumn.number, "member_without_family", keys.text(key),
                        "a family key (\(layout.familyIDNames.joined(separator: ", "))) present in \(keluargaName)")
                }
                if !values.accepts(r) { checkValues(r, values, file: file, header: header) }
                checkDates(r, dateCols, dates, file: file)
                if lastEntry >= 0 && values.isCurrentMember() { counted[lastEntry] &+= 1 }
                if case let (c, colName)? = nik {
                    let cell = cellBytes(r, c)
                    if NIK.parseValid(bytes: cell) != nil {
                        checkNIKAgainstRecord(r, nik: rosterTrimmed(cell), birth: birth, sex: sex, sexCodes: sexCodes, file: file)
                    } else if !cell.isEmpty {
                        // Not a valid NIK (a finding, or only white space): the String version says which.
                        let text = r.string(c)
                        if let problem = NIKCheck.problem(text) {
                            add(file, r.line, colName, c + 1, problem.rule, text, problem.detail)
                        }
                    }
                }
            }
            complete = true
        } catch let e as InputError { add(e) } catch { add(name, 0, nil, nil, "input_error", "", "\(error)") }
        records.append((name, read))
        // The stated family size against the current members counted, in family-file line order.
        guard complete && familiesComplete, case let (colName, number)? = memberCountColumn else { return }
        // Entries are in keluarga line order.
        let table = families
        for e in 0..<table.count where table.r112[e] >= 0 && table.r112[e] != table.current[e] {
            add(keluargaName, Int(table.line[e]), colName, number, "member_count_mismatch", String(table.r112[e]),
                "\(table.current[e]) current member(s) in \(name)")
        }
    }

    /// A valid NIK (`digits`: its 16 trimmed bytes) against the member's sex and birth date.
    @inline(__always)
    func checkNIKAgainstRecord(_ r: DataRecord, nik digits: UnsafeBufferPointer<UInt8>, birth: (Int, String)?, sex: (Int, String)?,
                               sexCodes: (male: Int, female: Int), file: String) {
        @inline(__always) func d(_ i: Int) -> Int { Int(digits[i] &- 48) }
        let rawDay = d(6) * 10 + d(7), month = d(8) * 10 + d(9), year = d(10) * 10 + d(11)
        let woman = rawDay > 40
        let day = woman ? rawDay - 40 : rawDay
        if case let (c, colName)? = sex, let s = r.shortInt(c), s == sexCodes.male || s == sexCodes.female, (s == sexCodes.female) != woman {
            add(file, r.line, colName, c + 1, "nik_sex_mismatch", r.string(c),
                "the NIK's day \(rawDay) says \(woman ? "woman (day + 40)" : "man"), \(colName) = \(s)")
        }
        if case let (c, colName)? = birth, let date = NIKCheck.date(bytes: cellBytes(r, c)),
           date.day != day || date.month != month || date.year % 100 != year {
            add(file, r.line, colName, c + 1, "nik_birthdate_mismatch", r.string(c),
                "the NIK gives \(NIKCheck.two(day))-\(NIKCheck.two(month))-\(NIKCheck.two(year)) (DD-MM-YY)")
        }
    }

    // MARK: penerima

    func checkPenerima() {
        guard case .some(let found) = locate(layout.rosterFileName) else { return }
        guard let path = found else {
            add(layout.rosterFileName, 0, nil, nil, "file_missing", "", "no roster supplied: no roster figure is published; coverage figures are the families' own answers")
            return
        }
        let name = (path as NSString).lastPathComponent
        var read = 0
        do {
            let source = try RecordSources.open(path: path, options: input)
            let file = source.fileName
            var missing: [String] = []
            func col(_ n: String) -> Int? {
                let c = source.columnIndex(n)
                if c == nil { missing.append(n) }
                return c
            }
            let names = layout.roster
            let program = col(names.program), nik = col(names.nik), kk = col(names.familyCard), desa = col(names.village)
            guard let program, let nik, kk != nil, let desa else {
                throw InputError(file: file, line: source.headerLine, expected: "the column(s) \(missing.joined(separator: ", ")) in the header")
            }
            let profileProgrammes = Set(profile.rules.programmes.map { $0.id.lowercased() })
            // Unknown programmes by name (String equality, as before), in order of first appearance.
            var unknownIndex: [String: Int] = [:]
            var unknownNames: [String] = [], unknownLines: [Int] = [], unknownCounts: [Int] = []
            // What a programme cell's bytes mean, decided once per distinct cell.
            var programmes = CheckByteCache<ProgrammeCell>()
            // A Kemendagri cell's bytes → (trimmed code, known village).
            var villages = CheckByteCache<(code: String, known: Bool)>()
            let areas = self.areas
            func programme(_ p: String, line: Int) -> ProgrammeCell {
                if p.isEmpty { return .missing }
                if RosterProgrammes.reservedCodes.contains(p.uppercased()) { return .reserved(p) }
                if profileProgrammes.contains(p.lowercased()) { return .known }
                if let u = unknownIndex[p] { return .unknown(u) }
                let u = unknownNames.count
                unknownIndex[p] = u; unknownNames.append(p); unknownLines.append(line); unknownCounts.append(0)
                checkPublishedText(p, file: file, line: line, column: names.program, number: program + 1)
                return .unknown(u)
            }
            try source.forEachRecord(repeatedHeader: { repeatedHeader(file, $0) }) { r in
                read &+= 1
                let pc = cellBytes(r, program)
                let kind: ProgrammeCell
                if let e = programmes.find(pc) { kind = programmes[entry: e] } else {
                    kind = programme(RosterTextTrim.trimmed(String(decoding: pc, as: UTF8.self)), line: r.line)
                    programmes.insert(pc, kind)
                }
                switch kind {
                case .missing: add(file, r.line, names.program, program + 1, "programme_missing", "", "a programme name")
                case .reserved(let p): add(file, r.line, names.program, program + 1, "programme_reserved", p, "a programme name other than ANY, _T, _Z")
                case .known: break
                case .unknown(let u): unknownCounts[u] &+= 1
                }
                let nc = cellBytes(r, nik)
                if NIK.parseValid(bytes: nc) == nil && !nc.isEmpty {
                    let n = r.string(nik)
                    if let problem = NIKCheck.problem(n) { add(file, r.line, names.nik, nik + 1, problem.rule, n, problem.detail) }
                }
                if let areas {
                    let dc = cellBytes(r, desa)
                    let village: (code: String, known: Bool)
                    if let e = villages.find(dc) { village = villages[entry: e] } else {
                        let code = RosterTextTrim.trimmed(String(decoding: dc, as: UTF8.self))
                        village = (code, areas.village(kemendagri: code) != nil)
                        villages.insert(dc, village)
                    }
                    if !village.known {
                        add(file, r.line, names.village, desa + 1, "kemendagri_unknown", village.code,
                            "a Kemendagri village code (\(names.village)) listed in \(layout.areaFileName)")
                    }
                }
            }
            for (u, p) in unknownNames.enumerated() {
                add(file, unknownLines[u], names.program, program + 1, "programme_unknown", p,
                    "not a programme of the report definition; \(unknownCounts[u]) row(s), tabulated by name")
            }
        } catch let e as InputError { add(e) } catch { add(name, 0, nil, nil, "input_error", "", "\(error)") }
        records.append((name, read))
    }

    // MARK: shared

    /// The column map of an input; optional columns that are absent and columns nobody reads are findings.
    func columns(_ source: any RecordSource, _ file: SourceFile) throws -> ColumnMap {
        let map = try ColumnMap(source: source, codebook: profile.codebook, file: file, keys: layout.familyIDNames)
        for v in map.missingOptional {
            let aliases = profile.codebook.variable(v)?.aliases ?? []
            add(source.fileName, source.headerLine, v, nil, "column_missing", "",
                "an optional column \(v)\(aliases.isEmpty ? "" : " (or " + aliases.joined(separator: ", ") + ")"); checks and links that need it are skipped")
        }
        // A flat file holds both scopes' columns: a column of the other scope is expected.
        let otherScope = layout.isFlat
            ? Set(profile.codebook.variables.filter { $0.file != file }.flatMap(\.columnCandidates).map { $0.lowercased() }) : []
        for name in map.unexpected where !otherScope.contains(name.trimmingCharacters(in: .whitespaces).lowercased()) {
            let number = source.header.firstIndex(of: name).map { $0 + 1 }
            add(source.fileName, source.headerLine, name, number, "column_unexpected", name,
                "not a variable of the report definition for \(file.rawValue) (renamed? add an alias in codebook.yml)")
        }
        return map
    }

    func checkValues(_ r: DataRecord, _ values: RecordValues, file: String, header: [String]) {
        values.read(r) { variable, c, kind, expected in
            let rule: String
            switch kind {
            case .notACode: rule = "code_not_labelled"
            case .notANumber: rule = "not_a_number"
            case .outOfRange: rule = "out_of_range"
            }
            add(file, r.line, c < header.count ? header[c] : variable, c + 1, rule, r.string(c), "expected \(expected)")
        }
    }

    func dateColumns(_ map: ColumnMap, _ file: SourceFile) -> [(Int, String)] {
        profile.codebook.variables.filter { $0.file == file && $0.type == .date }.compactMap { v in
            map.column(v.name).map { ($0, map.columnName(v.name)) }
        }
    }

    /// `date_invalid` for the date columns `columns` (positions of `dates`: position and name).
    @inline(__always)
    func checkDates(_ r: DataRecord, _ columns: [Int], _ dates: [(Int, String)], file: String) {
        for k in columns.indices {
            let cell = cellBytes(r, columns[k])
            if !cell.isEmpty && NIKCheck.date(bytes: cell) == nil {
                let (c, name) = dates[k]
                add(file, r.line, name, c + 1, "date_invalid", r.string(c), "a date YYYY-MM-DD")
            }
        }
    }
}

/// The NIK structure (contract §2 "Valid NIK"): `PP KK CC DD MM YY SSSS`, women's day + 40.
enum NIKCheck {
    /// Nil for an empty or valid NIK; otherwise the rule and why.
    static func problem(_ raw: String) -> (rule: String, detail: String)? {
        let s = RosterTextTrim.trimmed(raw)
        guard !s.isEmpty else { return nil }
        let u = Array(s.utf8)
        let allDigits = u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if allDigits && u.count >= 2 && u.allSatisfy({ $0 == u[0] }) {
            return ("nik_placeholder", "one digit repeated: a placeholder, not a NIK")
        }
        guard u.count == 16 else { return ("nik_invalid", "16 digits (found \(u.count) characters)") }
        guard allDigits else { return ("nik_invalid", "16 digits (found other characters)") }
        let d = u.map { Int($0) - 48 }
        let day = d[6] * 10 + d[7], month = d[8] * 10 + d[9]
        guard (1...31).contains(day > 40 ? day - 40 : day) else {
            return ("nik_invalid", "a day 01–31 (women 41–71) in digits 7–8 (found \(two(day)))")
        }
        guard (1...12).contains(month) else { return ("nik_invalid", "a month 01–12 in digits 9–10 (found \(two(month)))") }
        return NIK.parseValid(s) == nil ? ("nik_invalid", "a valid NIK") : nil
    }

    /// A real calendar date written `YYYY-MM-DD`, or nil.
    static func date(_ raw: String) -> (year: Int, month: Int, day: Int)? {
        let u = Array(RosterTextTrim.trimmed(raw).utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; v = v * 10 + Int(u[i] - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days ? (y, m, d) : nil
    }

    static func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
}

/// What a penerima programme cell is (decided once per distinct cell).
private enum ProgrammeCell {
    case missing
    case reserved(String)
    case known
    /// Index of the unknown programme (first line, rows counted).
    case unknown(Int)
}

/// A code with leading zeros to `width` digits.
private func pad(_ n: Int64, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// ASCII white space trimming, as the engine compares roster cells.
enum RosterTextTrim {
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        func blank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        guard let first = u.firstIndex(where: { !blank($0) }), let last = u.lastIndex(where: { !blank($0) }) else { return "" }
        return String(decoding: u[first...last], as: UTF8.self)
    }
}
