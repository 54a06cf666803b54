import Foundation
import Microdata
import Profile

/// One contract table as found in the database, with its columns looked up the way `ColumnMap` looks up a
/// CSV header: by name, ignoring case and surrounding blanks.
struct SQLTable: Sendable {
    /// Contract name (`keluarga`, `anggota`, `penerima`, `wilayah`); also the name in the record accounting.
    let name: String
    /// `schema.table`, quoted where needed.
    let qualified: String
    let columns: [SQLColumn]
    private let byName: [String: Int]

    init(name: String, schema: String, columns: [SQLColumn]) {
        self.name = name
        qualified = SQLText.table(schema, name)
        self.columns = columns
        var map: [String: Int] = [:]
        for (i, c) in columns.enumerated() {
            let key = c.name.trimmingCharacters(in: .whitespaces).lowercased()
            if map[key] == nil { map[key] = i }
        }
        byName = map
    }

    func column(_ name: String) -> SQLColumn? {
        byName[name.trimmingCharacters(in: .whitespaces).lowercased()].map { columns[$0] }
    }

    /// `line_no` written by `regtab load`: the CSV line each row came from. Orders duplicates ("the first
    /// row of a key is tabulated") and dates the record accounting's entries; without it a row's
    /// position is unknown to SQL.
    var lineColumn: SQLColumn? { column("line_no") }
}

/// Which database column holds each variable of the profile, resolved like `ColumnMap` does for CSV:
/// by name or codebook alias, ignoring case; key, code and number variables are required and all missing
/// ones are reported together.
struct SQLColumnBinding: Sendable {
    let table: SQLTable
    /// Variable name → column.
    let columns: [String: SQLColumn]
    /// The family-key columns, in key order, with their digit widths (`Layout.familyID`).
    let keys: [SQLColumn]
    let keyDigits: [Int]
    /// How many leading key parts are the area (`Layout.areaLeadsFamilyID`; the pushdown requires it).
    let areaParts: Int

    init(table: SQLTable, codebook: Codebook, file: SourceFile) throws {
        self.table = table
        let layout = codebook.layout!, keyNames = layout.familyIDNames
        var expected: [(name: String, candidates: [String], required: Bool)] = []
        for k in keyNames { expected.append((k, codebook.variable(k)?.columnCandidates ?? [k], true)) }
        for v in codebook.variables where v.file == file && !keyNames.contains(v.name) {
            expected.append((v.name, v.columnCandidates, v.type == .code || v.type == .number))
        }
        var map: [String: SQLColumn] = [:], missing: [String] = []
        var claimed = Set<String>()
        for e in expected {
            if let c = e.candidates.lazy.compactMap({ table.column($0) }).first {
                map[e.name] = c; claimed.insert(c.name)
            } else if e.required {
                missing.append(e.name)
            }
        }
        guard missing.isEmpty else {
            let extra = table.columns.map(\.name).filter { !claimed.contains($0) && $0 != "line_no" && $0 != "family_key" }
            throw InputError(file: table.name, line: 1,
                             expected: "the column(s) \(missing.joined(separator: ", ")) in table \(table.qualified)"
                                 + (extra.isEmpty ? "" : "; unexpected column(s) there: " + extra.map { "'\($0)'" }.joined(separator: ", ")))
        }
        columns = map
        keys = keyNames.map { map[$0]! }
        keyDigits = layout.familyID.map(\.digits)
        areaParts = layout.area.count
    }
}

/// SQL that reads one input value exactly as the CSV engine reads the cell: `RecordValues`/`readValues`
/// semantics, with SQL NULL for "not stated".
enum SQLValue {
    /// Upper limit of a key part of `digits` digits (0: any non-negative 32-bit integer), as `FamilyKeyReader`.
    static func keyLimit(_ digits: Int) -> Int64 { digits == 0 ? Int64(Int32.max) : (0..<digits).reduce(1) { r, _ in r * 10 } - 1 }

    static func trimmed(_ ref: String) -> String { "btrim(\(ref), \(SQLText.cellBlanks))" }

    /// True when the cell has a value (the CSV reader's `isEmpty` is false).
    static func present(_ ref: String, _ column: SQLColumn) -> String {
        column.kind == .text ? "\(trimmed(ref)) <> ''" : "\(ref) IS NOT NULL"
    }

    /// An integer key component in 0...limit (`FamilyKeyReader.key`), else NULL.
    static func keyPart(_ ref: String, _ column: SQLColumn, limit: Int64) -> String {
        switch column.kind {
        case .integer: return "CASE WHEN \(ref) BETWEEN 0 AND \(limit) THEN \(ref)::bigint END"
        case .numeric, .float: return "CASE WHEN \(ref) BETWEEN 0 AND \(limit) AND \(ref) = trunc(\(ref)) THEN \(ref)::bigint END"
        default:
            let t = trimmed("\(ref)::text")
            return "CASE WHEN \(ref)::text ~ '^[ \\t]*(\\+?[0-9]+|-0+)[ \\t]*$' THEN CASE WHEN \(t)::numeric <= \(limit) THEN \(t)::numeric::bigint END END"
        }
    }

    /// The family key as `FamilyKeyReader.text` (the area parts as one 10-digit code, then `/` and each
    /// further part, zero-padded to its digits), NULL when a part is invalid.
    static func familyKey(alias: String, binding: SQLColumnBinding) -> String {
        if let fk = binding.table.column("family_key") { return "\(alias).\(SQLText.ident(fk.name))" }
        let pieces = zip(binding.keys, binding.keyDigits).map { column, digits -> String in
            let part = "(\(keyPart("\(alias).\(SQLText.ident(column.name))", column, limit: keyLimit(digits))))::text"
            return digits > 0 ? "lpad(\(part), \(digits), '0')" : part
        }
        let area = pieces.prefix(binding.areaParts).joined(separator: " || ")
        return "(" + ([area] + pieces.dropFirst(binding.areaParts)).joined(separator: " || '/' || ") + ")"
    }

    /// A variable's accepted value: a labelled code (integer) or a number in range (double precision),
    /// else NULL — what `VariableSlot.accepts` keeps. Family numbers are rounded through `real`, as the
    /// engine's family store keeps them in 32 bits.
    static func accepted(_ ref: String, _ column: SQLColumn, slot: VariableSlot) throws -> String {
        if slot.isCategorical {
            let codes = slot.categories.compactMap { Int($0) }.filter { $0 >= 0 }.sorted()
            guard !codes.isEmpty else { return "NULL::integer" }
            let big = codes.last! > Int(Int32.max)
            let cast = big ? "bigint" : "integer"
            let list = codes.map(String.init).joined(separator: ", ")
            switch column.kind {
            case .integer: return "CASE WHEN \(ref) IN (\(list)) THEN \(ref)::\(cast) END"
            case .numeric, .float: return "CASE WHEN \(ref) IN (\(list)) THEN \(ref)::\(cast) END"
            case .text:
                var alternatives: [String] = []
                let positive = codes.filter { $0 > 0 }
                if !positive.isEmpty { alternatives.append("\\+?0*(" + positive.map(String.init).joined(separator: "|") + ")") }
                if codes.contains(0) { alternatives.append("[+-]?0+") }
                let pattern = "^[ \\t]*(" + alternatives.joined(separator: "|") + ")[ \\t]*$"
                return "CASE WHEN \(ref) ~ '\(pattern)' THEN \(trimmed(ref))::\(cast) END"
            case .other:
                throw InputError(file: "", line: 0, column: column.name, expected: "a text or number column for the code variable \(slot.name)", found: column.type)
            }
        }
        let range = slot.range
        let value: String
        switch column.kind {
        case .integer, .numeric, .float:
            value = range.map { "CASE WHEN \(ref) BETWEEN \(RuleSQL.literal($0.lowerBound)) AND \(RuleSQL.literal($0.upperBound)) THEN \(ref)::float8 END" }
                ?? "\(ref)::float8"
        case .text:
            let t = trimmed(ref)
            let inRange = range.map { "CASE WHEN \(t)::float8 BETWEEN \(RuleSQL.literal($0.lowerBound)) AND \(RuleSQL.literal($0.upperBound)) THEN \(t)::float8 END" }
                ?? "\(t)::float8"
            // A number as the CSV reader accepts it (sign, digits with one decimal point, exponent), finite.
            value = "CASE WHEN \(ref) ~ '^[ \\t]*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?0*[0-9]{1,5})?[ \\t]*$' THEN "
                + "CASE WHEN abs(\(t)::numeric) < 1.7976931348623158e308 THEN \(inRange) END END"
        case .other:
            throw InputError(file: "", line: 0, column: column.name, expected: "a text or number column for the number variable \(slot.name)", found: column.type)
        }
        return value
    }

    /// A family number as the engine's family store keeps it: rounded to 32 bits (`Float`), ±infinity
    /// beyond its range. `ref` names the accepted value computed one query level down.
    static func familyStoreRounded(_ ref: String) -> String {
        "CASE WHEN abs(\(ref)) < 3.4028235677973366e38 THEN \(ref)::float4::float8 ELSE sign(\(ref)) * 'Infinity'::float8 END"
    }

    /// A valid NIK (contract §2, `NIK.parseValid`) as a bigint, else NULL; `text` is already trimmed of blanks.
    static func validNIK(_ text: String) -> String {
        let day = "substr(\(text), 7, 2)::int", month = "substr(\(text), 9, 2)::int"
        return "CASE WHEN \(text) ~ '^[0-9]+$' AND length(\(text)) = 16 THEN CASE WHEN \(text) <> repeat(left(\(text), 1), 16) "
            + "AND \(day) - CASE WHEN \(day) > 40 THEN 40 ELSE 0 END BETWEEN 1 AND 31 AND \(month) BETWEEN 1 AND 12 "
            + "THEN \(text)::bigint END END"
    }
}
