import CReadStat

/// SPSS `.sav`/`.zsav` and Stata `.dta` files through ReadStat, presented as the same records as a
/// CSV file so the engine and `regtab check` need no second code path.
///
/// Each row is turned into the text a CSV export of it would hold, in one reusable buffer: numbers
/// with value labels keep their codes (`7`, not the label), integral numbers print without a decimal
/// point (a 16-digit No. KK stored as a number stays 16 digits), system-missing and Stata's tagged
/// missing values (`.a`) are empty cells, SPSS user-missing codes (e.g. 99 "tidak tahu") stay codes,
/// and dates (SPSS `DATE`/`ADATE`/… and `DATETIME`, Stata `%td`/`%tc`) become `YYYY-MM-DD`.
/// The "line" of a row is its 1-based row number + 1, as if the file were a CSV with one header line.
///
/// ReadStat pushes values through C callbacks; a row is handed to the caller as soon as its last
/// cell arrives, so memory stays flat however many rows the file has.
public final class ReadStatReader: RecordSource {
    public enum Format: String, Sendable { case sav, dta }

    public let fileName: String
    public let header: [String]
    public let headerLine = 1
    public let format: Format
    /// Variable names, labels, types and value labels (value labels only when `dictionary` read them).
    public let variables: [SourceVariable]
    /// Rows declared in the file header (-1 when the file does not say).
    public let declaredRows: Int
    let path: String
    let encoding: TextEncoding?
    private let indexByName: [String: Int]

    /// Reads the file's dictionary (variables and their formats) without reading the data.
    public init(path: String, format: Format? = nil, encoding: TextEncoding? = nil) throws {
        let f = format ?? (RecordSources.fileExtension(path) == "dta" ? .dta : .sav)
        self.path = path
        self.format = f
        self.fileName = CSVReader.lastComponent(path)
        self.encoding = encoding
        let parse = ReadStatParse()
        try Self.parse(path: path, format: f, encoding: encoding, fileName: fileName, context: parse, values: false, labels: false)
        guard !parse.names.isEmpty else {
            throw InputError(file: fileName, line: 1, expected: "at least one variable", found: "none")
        }
        header = parse.names
        variables = parse.variables()
        declaredRows = parse.rowCount
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = i }
        indexByName = index
    }

    public func columnIndex(_ name: String) -> Int? {
        indexByName[CSVReader.trimmed(name).lowercased()]
    }

    /// A ReadStat file has exactly one header (its dictionary), so `repeatedHeader` is never called.
    public func forEachRecord(repeatedHeader: (Int) -> Void, _ body: (DataRecord) throws -> Void) throws {
        let parse = ReadStatParse()
        parse.expectedColumns = header.count
        try withoutActuallyEscaping(body) { escapable in
            parse.body = escapable
            defer { parse.body = nil }
            try Self.parse(path: path, format: format, encoding: encoding, fileName: fileName, context: parse, values: true, labels: false)
            if let e = parse.thrown { throw e }
            try parse.flushRow()
            if let e = parse.thrown { throw e }
        }
    }

    /// Variables with their labels and value labels, for `regtab codebook import`.
    public static func dictionary(path: String, encoding: TextEncoding? = nil) throws -> SourceDictionary {
        let f: Format = RecordSources.fileExtension(path) == "dta" ? .dta : .sav
        let parse = ReadStatParse()
        try Self.parse(path: path, format: f, encoding: encoding, fileName: CSVReader.lastComponent(path),
                       context: parse, values: false, labels: true)
        // The labels parse stops after one row, which ReadStat then reports as the row count.
        let rows = try ReadStatReader(path: path, format: f, encoding: encoding).declaredRows
        return SourceDictionary(fileName: CSVReader.lastComponent(path), variables: parse.variables(),
                                valueLabels: parse.labelSets, rows: rows)
    }

    private static func parse(path: String, format: Format, encoding: TextEncoding?, fileName: String,
                              context: ReadStatParse, values: Bool, labels: Bool) throws {
        guard let parser = readstat_parser_init() else {
            throw InputError(file: fileName, line: 0, expected: "memory for the SPSS/Stata reader")
        }
        defer { readstat_parser_free(parser) }
        _ = readstat_set_metadata_handler(parser) { metadata, ctx in
            let c = Unmanaged<ReadStatParse>.fromOpaque(ctx!).takeUnretainedValue()
            c.rowCount = Int(readstat_get_row_count(metadata))
            return Int32(READSTAT_HANDLER_OK)
        }
        _ = readstat_set_variable_handler(parser) { index, variable, valLabels, ctx in
            let c = Unmanaged<ReadStatParse>.fromOpaque(ctx!).takeUnretainedValue()
            c.addVariable(Int(index), variable!, labelSet: valLabels.map { String(cString: $0) })
            return Int32(READSTAT_HANDLER_OK)
        }
        if labels {
            _ = readstat_set_value_label_handler(parser) { set, value, label, ctx in
                let c = Unmanaged<ReadStatParse>.fromOpaque(ctx!).takeUnretainedValue()
                c.addValueLabel(set: set.map { String(cString: $0) } ?? "", value: value, label: label.map { String(cString: $0) } ?? "")
                return Int32(READSTAT_HANDLER_OK)
            }
            // Value labels of a .dta file follow the data: read as few rows as the format allows.
            _ = readstat_set_row_limit(parser, 1)
        }
        if values {
            _ = readstat_set_value_handler(parser) { obs, variable, value, ctx in
                let c = Unmanaged<ReadStatParse>.fromOpaque(ctx!).takeUnretainedValue()
                return c.addValue(row: Int(obs), variable: variable!, value: value)
            }
        } else if !labels {
            // Header only: stop at the first value (an empty file simply ends).
            _ = readstat_set_value_handler(parser) { _, _, _, _ in Int32(READSTAT_HANDLER_ABORT) }
        }
        _ = readstat_set_error_handler(parser) { message, ctx in
            guard let message, let ctx else { return }
            let c = Unmanaged<ReadStatParse>.fromOpaque(ctx).takeUnretainedValue()
            if c.libraryMessage == nil { c.libraryMessage = String(cString: message).trimmingNewlines() }
        }
        if let encoding, encoding != .utf8 { _ = readstat_set_file_character_encoding(parser, encoding.iconvName) }
        let raw = Unmanaged.passUnretained(context).toOpaque()
        let status: readstat_error_t = withExtendedLifetime(context) {
            switch format {
            case .sav: return readstat_parse_sav(parser, path, raw)
            case .dta: return readstat_parse_dta(parser, path, raw)
            }
        }
        if status == READSTAT_OK { return }
        if status == READSTAT_ERROR_USER_ABORT {
            if let e = context.thrown { throw e }
            return  // our own early stop after the header
        }
        let what = format == .sav ? "a readable SPSS .sav file" : "a readable Stata .dta file"
        var found = String(cString: readstat_error_message(status))
        if let detail = context.libraryMessage { found += ": " + detail }
        throw InputError(file: fileName, line: context.currentRow >= 0 ? context.currentRow + 2 : 0, expected: what, found: found)
    }
}

/// A variable of a SPSS/Stata file, as its dictionary describes it.
public struct SourceVariable: Sendable, Hashable {
    public var name: String
    public var label: String
    public var isNumeric: Bool
    /// Name of the value-label set attached to the variable (nil: none).
    public var labelSet: String?
    /// Display format (`F8.2`, `DATE11`, `%td`, `%9s` …).
    public var format: String
    /// True when the format makes the number a date (the record then holds `YYYY-MM-DD`).
    public var isDate: Bool
}

/// One labelled value of a value-label set: the code as the records show it, and its label.
public struct SourceValueLabel: Sendable, Hashable {
    public var code: String
    public var label: String
}

/// Variables and value labels of a SPSS/Stata file (`regtab codebook import`).
public struct SourceDictionary: Sendable {
    public var fileName: String
    public var variables: [SourceVariable]
    /// Label sets by name, labels in file order.
    public var valueLabels: [String: [SourceValueLabel]]
    /// Rows declared by the file (-1 when unknown).
    public var rows: Int

    /// Value labels of a variable (empty when it has none).
    public func labels(of v: SourceVariable) -> [SourceValueLabel] {
        v.labelSet.flatMap { valueLabels[$0] } ?? []
    }
}

/// State of one ReadStat parse, reached from the C callbacks through `void *ctx`.
final class ReadStatParse {
    enum Kind { case text, number, spssDate, stataDays, stataMillis }

    var names: [String] = []
    var labels: [String] = []
    var numeric: [Bool] = []
    var setNames: [String?] = []
    var formats: [String] = []
    var kinds: [Kind] = []
    var rowCount = -1
    var labelSets: [String: [SourceValueLabel]] = [:]
    var libraryMessage: String?

    // Row assembly: the current row's cells as bytes + spans, exactly like a CSV record.
    var expectedColumns = 0
    var body: ((DataRecord) throws -> Void)?
    var thrown: Error?
    var currentRow = -1
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var used = 0
    private var spans: UnsafeMutablePointer<CSVScanner.Span>
    private var spanCapacity = 0
    private var scratch = [UInt8](repeating: 0, count: 32)

    init() {
        buffer = .allocate(capacity: capacity)
        spans = .allocate(capacity: 1)
        spanCapacity = 1
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    func addVariable(_ index: Int, _ v: UnsafeMutablePointer<readstat_variable_t>, labelSet: String?) {
        guard index >= 0 else { return }
        while names.count <= index {
            names.append(""); labels.append(""); numeric.append(false); setNames.append(nil); formats.append(""); kinds.append(.text)
        }
        names[index] = readstat_variable_get_name(v).map { String(cString: $0) } ?? "v\(index + 1)"
        labels[index] = readstat_variable_get_label(v).map { String(cString: $0) } ?? ""
        let isNumeric = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_NUMERIC
        numeric[index] = isNumeric
        setNames[index] = labelSet.flatMap { $0.isEmpty ? nil : $0 }
        let format = readstat_variable_get_format(v).map { String(cString: $0) } ?? ""
        formats[index] = format
        kinds[index] = isNumeric ? Self.kind(format: format) : .text
    }

    /// How a numeric variable's display format says its values are to be read.
    static func kind(format: String) -> Kind {
        let f = format.uppercased()
        if f.hasPrefix("%TD") || f.hasPrefix("%D") { return .stataDays }
        if f.hasPrefix("%TC") { return .stataMillis }
        for prefix in ["DATETIME", "YMDHMS", "DATE", "ADATE", "EDATE", "JDATE", "SDATE"] where f.hasPrefix(prefix) {
            return .spssDate
        }
        return .number
    }

    func variables() -> [SourceVariable] {
        names.indices.map { i in
            SourceVariable(name: names[i], label: labels[i], isNumeric: numeric[i], labelSet: setNames[i],
                           format: formats[i], isDate: kinds[i] == .spssDate || kinds[i] == .stataDays || kinds[i] == .stataMillis)
        }
    }

    func addValueLabel(set: String, value: readstat_value_t, label: String) {
        let code: String
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            code = readstat_string_value(value).map { String(cString: $0) } ?? ""
        } else {
            guard readstat_value_is_system_missing(value) == 0, readstat_value_is_tagged_missing(value) == 0 else { return }
            let n = Self.number(value)
            var bytes: [UInt8] = []
            Self.appendNumber(n, to: &bytes)
            code = String(decoding: bytes, as: UTF8.self)
        }
        labelSets[set, default: []].append(SourceValueLabel(code: code, label: label))
    }

    static func number(_ value: readstat_value_t) -> Double {
        switch readstat_value_type(value) {
        case READSTAT_TYPE_INT8: return Double(readstat_int8_value(value))
        case READSTAT_TYPE_INT16: return Double(readstat_int16_value(value))
        case READSTAT_TYPE_INT32: return Double(readstat_int32_value(value))
        case READSTAT_TYPE_FLOAT: return Double(readstat_float_value(value))
        default: return readstat_double_value(value)
        }
    }

    /// One cell: appended to the row buffer; a new row index first hands the finished row out.
    func addValue(row: Int, variable: UnsafeMutablePointer<readstat_variable_t>, value: readstat_value_t) -> Int32 {
        if row != currentRow {
            do { try flushRow() } catch { thrown = error; return Int32(READSTAT_HANDLER_ABORT) }
            startRow(row)
        }
        let index = Int(readstat_variable_get_index(variable))
        guard index >= 0 && index < expectedColumns else { return Int32(READSTAT_HANDLER_OK) }
        let start = used
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            if let p = readstat_string_value(value) { append(UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), strlen(p)) }
        } else if readstat_value_is_system_missing(value) == 0 && readstat_value_is_tagged_missing(value) == 0 {
            let n = Self.number(value)
            if n.isFinite {
                switch index < kinds.count ? kinds[index] : .number {
                case .spssDate: appendDate(days: (n / 86_400).rounded(.down) - 141_428)      // 1582-10-14 → 1970-01-01
                case .stataDays: appendDate(days: n.rounded(.down) - 3_653)                 // 1960-01-01 → 1970-01-01
                case .stataMillis: appendDate(days: (n / 86_400_000).rounded(.down) - 3_653)
                default:
                    scratch.removeAll(keepingCapacity: true)
                    Self.appendNumber(n, to: &scratch)
                    scratch.withUnsafeBufferPointer { append($0.baseAddress!, $0.count) }
                }
            }
        }
        spans[index] = CSVScanner.Span(start: start, end: used, escaped: false)
        return Int32(READSTAT_HANDLER_OK)
    }

    private func startRow(_ row: Int) {
        currentRow = row
        used = 0
        if spanCapacity < max(1, expectedColumns) {
            spans.deallocate()
            spanCapacity = max(1, expectedColumns)
            spans = .allocate(capacity: spanCapacity)
        }
        for i in 0..<expectedColumns { (spans + i).initialize(to: CSVScanner.Span(start: 0, end: 0, escaped: false)) }
    }

    /// Hands the assembled row to the caller (no-op before the first row or after the last flush).
    func flushRow() throws {
        guard currentRow >= 0, let body, thrown == nil else { return }
        let record = CSVRecord(line: currentRow + 2, fieldCount: expectedColumns, base: UnsafePointer(buffer),
                               spans: UnsafePointer(spans), decimalComma: false)
        let row = currentRow
        currentRow = -1
        do { try body(record) } catch { currentRow = row; throw error }
    }

    private func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        if used + n > capacity {
            var bigger = capacity
            while used + n > bigger { bigger *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            b.update(from: buffer, count: used)
            buffer.deallocate()
            buffer = b
            capacity = bigger
        }
        (buffer + used).update(from: p, count: n)
        used += n
    }

    /// Integral values as integers (exact up to 2^53, so 16-digit ids survive), others in Swift's
    /// shortest round-trip form (which `CSVRecord.double` reads back exactly).
    static func appendNumber(_ n: Double, to out: inout [UInt8]) {
        if n == n.rounded() && abs(n) < 9.007_199_254_740_992e15 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            out.append(contentsOf: "\(n)".utf8)
        }
    }

    /// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days).
    private func appendDate(days: Double) {
        guard abs(days) < 1e8 else { return }
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        var year = String(y)
        if y >= 0 && y < 1000 { year = String(repeating: "0", count: 4 - year.count) + year }
        let text = Array("\(year)-\(two(m))-\(two(d))".utf8)
        text.withUnsafeBufferPointer { append($0.baseAddress!, $0.count) }
    }
}

extension String {
    func trimmingNewlines() -> String {
        var s = self
        while let last = s.last, last == "\n" || last == "\r" { s.removeLast() }
        return s
    }
}
