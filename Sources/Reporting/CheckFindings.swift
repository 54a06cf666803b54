import Foundation
import Microdata

/// How bad a finding of `regtab check` is.
public enum Severity: String, Sendable, Hashable, Comparable {
    /// The engine excludes the record (or cannot read the file): `regtab run` refuses without `--allow-errors`.
    case error
    /// The record is tabulated, but a value is unusable ("not stated") or suspicious.
    case warning
    /// Worth knowing, never a problem by itself (columns the profile does not read).
    case note

    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found by `regtab check`, located like an `InputError`.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Physical line (header = 1; for SPSS/Stata files row number + 1); 0 when the file as a whole.
    public var line: Int
    public var column: String?
    public var columnNumber: Int?
    public var rule: String
    public var severity: Severity
    /// The offending cell as found (shortened).
    public var value: String
    /// What was expected, or what it disagrees with.
    public var detail: String

    public var description: String {
        var s = "\(file):\(line)"
        if let columnNumber { s += ":\(columnNumber)" }
        if let column { s += " column '\(column)'" }
        s += ": \(severity.rawValue) \(rule)"
        if !value.isEmpty { s += " '\(Self.shorten(value))'" }
        if !detail.isEmpty { s += " — \(detail)" }
        return s
    }

    /// Values echoed to the terminal: printable and short.
    static func shorten(_ s: String) -> String {
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 32 || $0.value == 0x7F ? "?" : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(57)) + "..." : cleaned
    }
}

/// The rules of `regtab check`: stable ids (the `rule` column of findings.csv), severity, meaning.
/// Errors are exactly the problems that make the engine exclude records or stop; everything the engine
/// tabulates anyway (as "not stated", or unlinked) is a warning.
public enum CheckRules {
    public struct Rule: Sendable, Hashable {
        public var id: String
        public var severity: Severity
        public var meaning: String
    }

    public static let all: [Rule] = [
        Rule(id: "input_error", severity: .error, meaning: "the file cannot be read as a table: required columns missing, unterminated quote, invalid UTF-8, unreadable SPSS/Stata file, malformed wilayah.csv, two files for one input"),
        Rule(id: "invalid_family_key", severity: .error, meaning: "a column of the family identifier (codebook layout family_id) is empty or not a valid code; the row is excluded"),
        Rule(id: "unknown_village", severity: .error, meaning: "the family's village (codebook layout area) is not in the area file; the family and its members are excluded"),
        Rule(id: "duplicate_family_key", severity: .error, meaning: "a second keluarga row with the same family key; the first row is tabulated, this one excluded"),
        Rule(id: "family_columns_disagree", severity: .warning, meaning: "flat layout: a row whose family columns differ from its family's first row; the head's row (else the first) is tabulated"),
        Rule(id: "member_without_family", severity: .error, meaning: "an anggota row whose family key has no keluarga row; the member is excluded"),
        Rule(id: "programme_missing", severity: .error, meaning: "a penerima row without a programme name; the row is excluded"),
        Rule(id: "programme_reserved", severity: .error, meaning: "a penerima programme named ANY, _T or _Z (codes the tables use themselves); the row is excluded"),
        Rule(id: "code_not_labelled", severity: .warning, meaning: "a value of a coded variable that is not one of its codebook codes; tabulated as not stated"),
        Rule(id: "not_a_number", severity: .warning, meaning: "a value of a number variable that is not a number; tabulated as not stated"),
        Rule(id: "out_of_range", severity: .warning, meaning: "a number outside its codebook range, e.g. an age outside 0–98; tabulated as not stated"),
        Rule(id: "date_invalid", severity: .warning, meaning: "a date variable (a birth date) that is not a real YYYY-MM-DD date"),
        Rule(id: "member_count_mismatch", severity: .warning, meaning: "the stated number of family members (codebook layout member_count) differs from the number of current members"),
        Rule(id: "nik_invalid", severity: .warning, meaning: "a non-empty NIK that is not 16 digits with a valid day (women +40) and month; it never links"),
        Rule(id: "nik_placeholder", severity: .warning, meaning: "a NIK of one repeated digit (9999999999999999, 0000…): a placeholder, never links"),
        Rule(id: "nik_birthdate_mismatch", severity: .warning, meaning: "the birth date in the NIK (DDMMYY, women DD+40) differs from the birth date (codebook layout birth_date)"),
        Rule(id: "nik_sex_mismatch", severity: .warning, meaning: "the NIK says woman (DD > 40) or man but the sex (codebook layout sex) says the other"),
        Rule(id: "kemendagri_unknown", severity: .warning, meaning: "a penerima Kemendagri village code not in wilayah.csv; the row is excluded only if it also links to no family"),
        Rule(id: "programme_unknown", severity: .warning, meaning: "a penerima programme the profile does not define (reported once per name, first row); tabulated by name"),
        Rule(id: "suspicious_text", severity: .warning, meaning: "a published name (village, kecamatan, unknown programme) that starts like a formula (=, +, -, @) or holds markup or control characters; printed as plain text"),
        Rule(id: "header_repeated", severity: .warning, meaning: "the header row again inside the data (concatenated exports); the row is skipped"),
        Rule(id: "column_missing", severity: .warning, meaning: "an optional column (names, NIK, No. KK, birth date) is absent; what needs it (NIK linking, NIK checks) is skipped"),
        Rule(id: "file_missing", severity: .warning, meaning: "penerima.csv is absent: no roster was supplied, so no roster figure is published and coverage figures are the families' own answers"),
        Rule(id: "column_unexpected", severity: .note, meaning: "a column the profile does not read (a renamed column? add an alias in the codebook)"),
    ]

    public static func severity(_ id: String) -> Severity { severities[id] ?? .warning }
    private static let severities: [String: Severity] = Dictionary(all.map { ($0.id, $0.severity) }, uniquingKeysWith: { first, _ in first })
}

/// Collects findings: counts per rule, the first few of each rule for the terminal, and — when asked —
/// every finding streamed to a CSV file (`file,line,column,column_number,rule,severity,value,detail`), so a
/// file with millions of bad cells costs no memory.
final class FindingLog {
    private(set) var counts: [String: Int] = [:]
    private(set) var order: [String] = []
    private(set) var examples: [Finding] = []
    private var writer: CSVWriter?
    static let examplesPerRule = 5
    /// Values longer than this are cut in findings (a 10 MB field must not become a 10 MB finding).
    static let maxValueLength = 200

    init(csvPath: String?) throws {
        if let csvPath {
            let w = try CSVWriter(path: csvPath)
            w.writeRow(["file", "line", "column", "column_number", "rule", "severity", "value", "detail"])
            writer = w
        }
    }

    func add(_ f: Finding) {
        var f = f
        if f.value.utf8.count > Self.maxValueLength { f.value = String(f.value.prefix(Self.maxValueLength)) + "…" }
        let n = counts[f.rule, default: 0]
        if n == 0 { order.append(f.rule) }
        counts[f.rule] = n + 1
        if n < Self.examplesPerRule { examples.append(f) }
        writer?.writeRow([Self.cellSafe(f.file), String(f.line), Self.cellSafe(f.column ?? ""), f.columnNumber.map(String.init) ?? "",
                          f.rule, f.severity.rawValue, Self.cellSafe(f.value), Self.cellSafe(f.detail)])
    }

    func close() throws { try writer?.close() }

    /// findings.csv is opened in spreadsheets: a cell that would start a formula (`=`, `+`, `@`, `-` not
    /// followed by a digit, tab, CR) gets a leading apostrophe, and control characters become `?`.
    static func cellSafe(_ s: String) -> String {
        // Most cells have no control character: then `cleaned` would be `s` itself (a scalar below 0x20 is
        // one byte below 0x20 in UTF-8), and the formula test needs only the first two bytes (the
        // characters it looks for are ASCII; a byte from 0x80 up starts a scalar that is none of them).
        var bytes = s
        let fast = bytes.withUTF8 { u -> Int in   // 0: control characters (slow path), 1: as is, 2: risky
            for b in u where b < 0x20 && b != 0x0A { return 0 }
            guard let first = u.first else { return 1 }
            let second: UInt8? = u.count > 1 ? u[1] : nil
            let risky = first == 0x3D || first == 0x2B || first == 0x40
                || (first == 0x2D && !(second.map { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E } ?? false))
            return risky ? 2 : 1
        }
        if fast == 1 { return s }
        if fast == 2 { return "'" + s }
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? "?" : $0 }))
        guard let first = cleaned.unicodeScalars.first else { return cleaned }
        let second = cleaned.unicodeScalars.dropFirst().first
        let risky = first == "=" || first == "+" || first == "@" || first == "\t" || first == "\r"
            || (first == "-" && !(second.map { ("0"..."9").contains($0) || $0 == "." } ?? false))
        return risky ? "'" + cleaned : cleaned
    }
}

/// What `regtab check` found.
public struct CheckReport: Sendable {
    /// Per rule: severity and number of findings, errors first.
    public var counts: [(rule: String, severity: Severity, count: Int)]
    /// The first findings of each rule, in reading order.
    public var examples: [Finding]
    /// Data records read per input file (header rows excluded).
    public var records: [(file: String, count: Int)]
    public var findingsPath: String?

    public var errors: Int { counts.filter { $0.severity == .error }.reduce(0) { $0 + $1.count } }
    public var warnings: Int { counts.filter { $0.severity == .warning }.reduce(0) { $0 + $1.count } }
    public var notes: Int { counts.filter { $0.severity == .note }.reduce(0) { $0 + $1.count } }
    public func count(_ rule: String) -> Int { counts.first { $0.rule == rule }?.count ?? 0 }

    /// 0 clean (notes allowed), 1 warnings only, 2 errors.
    public var exitCode: Int32 { errors > 0 ? 2 : warnings > 0 ? 1 : 0 }
    public var verdict: String { errors > 0 ? "errors" : warnings > 0 ? "warnings" : "clean" }

    /// The terminal summary.
    public func describe(dataDirectory: String) -> String {
        var lines = ["Data check of \(dataDirectory)/: " + records.map { "\($0.file) \($0.count) records" }.joined(separator: ", ")]
        for sev in [Severity.error, .warning, .note] {
            let rows = counts.filter { $0.severity == sev }
            guard !rows.isEmpty else { continue }
            let total = rows.reduce(0) { $0 + $1.count }
            lines.append("  \(sev.rawValue)s: \(total) (" + rows.map { "\($0.rule) \($0.count)" }.joined(separator: ", ") + ")")
        }
        if !examples.isEmpty {
            lines.append("First findings of each rule:")
            let sorted = examples.enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
            }.map(\.element)
            for f in sorted.prefix(40) { lines.append("  \(f)") }
        }
        if let findingsPath { lines.append("All findings: \(findingsPath)") }
        lines.append("Result: \(verdict) (exit code \(exitCode))")
        return lines.joined(separator: "\n")
    }
}
