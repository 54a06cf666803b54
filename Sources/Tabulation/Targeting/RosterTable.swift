import Microdata

/// `penerima.csv` in columns, about 32 bytes a row instead of six heap strings (~250 bytes): a national roster
/// has tens of millions of rows, and the roster was the largest thing a run kept in memory.
///
/// - NIK and No. KK keep their exact text (`PackedTextColumn`): a run of 1–19 digits as a number and its
///   length (leading zeros kept), anything else — letters, blanks inside, `1.5E+15` — as the string itself.
/// - Programme, Kemendagri village code and period repeat a handful of values: dictionary-coded.
/// - Names only when the record lists are asked for (`keepNames`); they appear nowhere else.
///
/// `self[r]` rebuilds a `RosterRow` (for the restricted lists and tests); the targeting code reads the
/// columns directly. Without the record lists (`keepNames` false) the table keeps only what tabulation
/// reads: no names, no line numbers, and its NIK column is released once `RosterNIKs` has read it
/// (`releaseNIKs()`) — 13 of its 34 bytes a row, 250 MB of a 19 M-row roster (issue 19) — and its No. KK column
/// once the roster linking has joined it (`releaseNoKK()`).
public struct RosterTable: Sendable {
    public private(set) var count = 0
    public let keepNames: Bool
    var program = DictionaryColumn()
    var nik = PackedTextColumn()
    var noKK = PackedTextColumn()
    var village = DictionaryColumn()
    var period = DictionaryColumn()
    var names: [String] = []
    var lines: [Int32] = []

    public init(keepNames: Bool = true) { self.keepNames = keepNames }

    /// Rows given as text (tests, the database path).
    public init(_ rows: [RosterRow]) {
        self.init(keepNames: true)
        for row in rows { append(row) }
    }

    public mutating func append(_ row: RosterRow) {
        program.append(row.program); village.append(row.kemendagriVillage); period.append(row.period)
        nik.append(row.nik); noKK.append(row.noKK)
        if keepNames { names.append(row.name) }
        lines.append(Int32(clamping: row.line))
        count += 1
    }

    /// One `penerima.csv` record without making Strings for the common cells (the caller checked `program`).
    mutating func append(_ r: borrowing CSVRecord, program p: Int, nik n: Int, noKK k: Int, name: Int?, village v: Int, period: Int?) {
        r.withBytes(p) { program.append(bytes: $0) }
        r.withBytes(n) { nik.append(bytes: $0) }
        r.withBytes(k) { noKK.append(bytes: $0) }
        r.withBytes(v) { village.append(bytes: $0) }
        if let period { r.withBytes(period) { self.period.append(bytes: $0) } } else { self.period.append("") }
        if keepNames {
            if let name { names.append(r.string(name)) } else { names.append("") }
            lines.append(Int32(clamping: r.line))
        }
        count += 1
    }

    /// Drops the NIK column of a table without record lists: after `RosterNIKs` nothing published reads it.
    mutating func releaseNIKs() {
        precondition(!keepNames, "RosterTable: the record lists read the NIKs")
        nik = PackedTextColumn()
    }

    /// Drops the No. KK column of a table without record lists: after the No. KK join (`RosterLinks`) nothing
    /// published reads it — 9 bytes a row, 180 MB of a 20 M-row roster at the roster linking's peak (issue 19).
    mutating func releaseNoKK() {
        precondition(!keepNames, "RosterTable: the record lists read the No. KKs")
        noKK = PackedTextColumn()
    }

    public subscript(r: Int) -> RosterRow {
        RosterRow(program: program.text(r), nik: nik.text(r), noKK: noKK.text(r), name: keepNames ? names[r] : "",
                  kemendagriVillage: village.text(r), period: period.text(r), line: Int(lines[r]))
    }

    /// The row's line in the file (tables with `keepNames` or built from rows only).
    public func line(_ r: Int) -> Int { Int(lines[r]) }

    /// Rows per programme text as given (before trimming and case folding).
    public func rows(withProgram text: String) -> Int {
        guard let code = program.code(of: text) else { return 0 }
        return program.codes.reduce(0) { $0 + ($1 == code ? 1 : 0) }
    }
}

/// A column of few distinct texts: each row holds the index of its text.
struct DictionaryColumn: Sendable {
    private(set) var values: [String] = []
    private(set) var codes = NarrowCodes()
    private var index: [String: UInt32] = [:]
    /// The last text's bytes: rosters come sorted by programme and village, so most rows repeat it.
    private var lastBytes: [UInt8] = []
    private var lastCode: UInt32 = 0

    func text(_ r: Int) -> String { values[Int(codes[r])] }
    func code(of text: String) -> UInt32? { index[text] }

    mutating func append(_ text: String) {
        if let c = index[text] { codes.append(c); return }
        let c = UInt32(values.count)
        values.append(text); index[text] = c; codes.append(c)
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        if !codes.isEmpty, bytes.elementsEqual(lastBytes) { codes.append(lastCode); return }
        append(String(decoding: bytes, as: UTF8.self))
        lastBytes = Array(bytes); lastCode = codes[codes.count - 1]
    }
}

extension RosterTable: ExpressibleByArrayLiteral {
    /// `[RosterRow(…), …]` in tests.
    public init(arrayLiteral rows: RosterRow...) { self.init(rows) }
}
