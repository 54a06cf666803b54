#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A table of input records read one at a time, whatever its format: a CSV file (`CSVReader`) or an
/// SPSS `.sav` / Stata `.dta` file (`ReadStatReader`). The engine and `regtab check` read every input
/// through this protocol, so a `.sav` family file next to a `.csv` member file just works.
///
/// Every source hands out the same record type (`DataRecord`, byte ranges into a reusable buffer):
/// the CSV hot path stays exactly as fast as before, and one existential call per file is the only
/// price of the abstraction.
public protocol RecordSource: AnyObject, Sendable {
    /// Last path component of the input, used in every `InputError`.
    var fileName: String { get }
    /// Column (variable) names, in file order.
    var header: [String] { get }
    /// Line of the header: 1 for a ReadStat file, the physical line for CSV.
    var headerLine: Int { get }
    /// Position of a column by name, ignoring case and surrounding spaces; the first one wins.
    func columnIndex(_ name: String) -> Int?
    /// Calls `body` once per data record in file order; each call reads the input from its start.
    /// `repeatedHeader` is called (and `body` is not) with the line of every data row that repeats
    /// the header — what concatenated exports contain; the caller counts them.
    func forEachRecord(repeatedHeader: (Int) -> Void, _ body: (DataRecord) throws -> Void) throws
}

/// One record of any `RecordSource`: `line`, `fieldCount`, `isEmpty`, `string`, `int`, `double`,
/// `withBytes`. Valid only inside the `forEachRecord` callback that received it.
public typealias DataRecord = CSVRecord

public extension RecordSource {
    /// `forEachRecord` when repeated header rows need no counting (they are still skipped).
    func forEachRecord(_ body: (DataRecord) throws -> Void) throws {
        try forEachRecord(repeatedHeader: { _ in }, body)
    }

    /// Like `columnIndex` but a missing column is an `InputError` on the header line.
    func requireColumn(_ name: String) throws -> Int {
        guard let i = columnIndex(name) else {
            throw InputError(file: fileName, line: headerLine, column: name,
                             expected: "column '\(name)' in the header")
        }
        return i
    }

    /// An `InputError` pointing at one cell of a record, quoting the cell's text as `found`, so that
    /// every module reports bad values the same way.
    func error(at record: DataRecord, column i: Int, expected: String) -> InputError {
        InputError(file: fileName, line: record.line, column: i < header.count && i >= 0 ? header[i] : nil,
                   columnNumber: i + 1, expected: expected, found: record.string(i))
    }
}

/// Character encoding of a CSV input. UTF-8 is validated (an invalid byte is an `InputError` with
/// line and column); the single-byte encodings are transcoded to UTF-8 while reading.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1 = "latin1"
    /// Windows-1252: Latin-1 plus printable characters (€, “ ”, …) at 0x80–0x9F.
    case windows1252 = "windows-1252"

    /// Accepts the usual spellings: `utf8`, `UTF-8`, `latin1`, `iso-8859-1`, `cp1252`, `windows-1252`.
    public init?(name: String) {
        switch name.lowercased().filter({ $0 != "-" && $0 != "_" }) {
        case "utf8": self = .utf8
        case "latin1", "iso88591", "l1": self = .latin1
        case "cp1252", "windows1252", "win1252": self = .windows1252
        default: return nil
        }
    }

    /// The name iconv (and so ReadStat) knows the encoding by.
    public var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .latin1: return "ISO-8859-1"
        case .windows1252: return "WINDOWS-1252"
        }
    }
}

/// How to read the input files: what a user can override on the command line.
public struct InputOptions: Sendable, Hashable {
    /// nil: CSV is UTF-8 (validated); SPSS/Stata files use the encoding they declare.
    public var encoding: TextEncoding?
    /// CSV delimiter; nil: detected from the header line (`,`, `;` or tab).
    public var delimiter: UInt8?

    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    /// A delimiter as typed on the command line: one ASCII character, or `tab` / `\t`.
    public static func delimiter(_ text: String) -> UInt8? {
        if text == "tab" || text == "\\t" || text == "\t" { return CSVByte.tab }
        guard text.utf8.count == 1, let b = text.utf8.first, b < 0x80, b != CSVByte.quote,
              b != CSVByte.lf, b != CSVByte.cr else { return nil }
        return b
    }
}

/// Opens an input by its extension and finds the input files of a data folder.
public enum RecordSources {
    /// Extensions tried, in this order, for each contract file name (`keluarga.csv` → `keluarga.sav` …).
    public static let extensions = ["csv", "sav", "zsav", "dta"]

    /// A reader for `path`: `.sav`/`.zsav` (SPSS) and `.dta` (Stata) through ReadStat, anything else as CSV.
    public static func open(path: String, options: InputOptions = InputOptions()) throws -> any RecordSource {
        switch Self.fileExtension(path) {
        case "sav", "zsav": return try ReadStatReader(path: path, format: .sav, encoding: options.encoding)
        case "dta": return try ReadStatReader(path: path, format: .dta, encoding: options.encoding)
        default: return try CSVReader(path: path, delimiter: options.delimiter, encoding: options.encoding ?? .utf8)
        }
    }

    /// The file standing for a contract file name in `directory`: `keluarga.csv`, or else `keluarga.sav`,
    /// `keluarga.zsav` or `keluarga.dta`. Nil when none exists; an `InputError` when several do (which one
    /// to read would be a guess).
    public static func locate(_ name: String, in directory: String) throws -> String? {
        let stem = Self.stem(name)
        var found: [String] = []
        for ext in extensions {
            let candidate = stem + "." + ext
            let path = directory.hasSuffix("/") ? directory + candidate : directory + "/" + candidate
            if fileExists(path) { found.append(path) }
        }
        if found.count > 1 {
            throw InputError(file: CSVReader.lastComponent(found[0]), line: 0,
                             expected: "one file for \(stem) (remove all but one)",
                             found: found.map { CSVReader.lastComponent($0) }.joined(separator: ", "))
        }
        return found.first
    }

    /// Lower-cased extension without the dot ("" when there is none).
    public static func fileExtension(_ path: String) -> String {
        let name = CSVReader.lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// File name without directory and extension (`data/keluarga.sav` → `keluarga`).
    public static func stem(_ path: String) -> String {
        let name = CSVReader.lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}

private func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}
