#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming reader for the registry CSV extracts (contract §1).
///
/// Why it looks like this: a kabupaten extract of `anggota.csv` can be 1.6 GB, so the file is read
/// in large chunks into one reusable buffer and every record is handed out as byte ranges into that
/// buffer (`CSVRecord`); nothing is allocated per field unless the caller asks for a `String`.
/// What BPS staff actually send is accepted without configuration: a UTF-8 byte-order mark, CRLF,
/// `;` or tab instead of `,` (detected from the header), quoted fields with delimiters, `""` and
/// line breaks, blank lines and trailing delimiters. Whatever the bytes, the reader either yields
/// records or throws an `InputError` naming file, line and column; it never traps.
/// Text must be UTF-8 (an invalid byte is an `InputError` with its line and column) unless the reader
/// is told the file is Latin-1 or Windows-1252, which it then transcodes while reading. A data row
/// that repeats the header (concatenated exports) is skipped and reported to `repeatedHeader`.
public final class CSVReader: RecordSource {
    /// Last path component of the input, used in every `InputError`.
    public let fileName: String
    /// Column names, trimmed of spaces and tabs, BOM removed.
    public let header: [String]
    /// The field separator: detected from the header line unless given explicitly.
    public let delimiter: UInt8
    /// Physical line of the header (1 unless blank lines precede it).
    public let headerLine: Int

    let source: CSVSource
    let chunkSize: Int
    let maxRecordBytes: Int
    /// Encoding of the bytes; everything past the `ByteStream` is UTF-8.
    public let encoding: TextEncoding
    private let indexByName: [String: Int]
    /// Header names with ASCII letters lower-cased, to recognise a repeated header row cheaply.
    private let headerKeys: [[UInt8]]

    /// 4 MiB: big enough that the `read(2)` calls cost nothing next to parsing, small enough to stay
    /// in L2/L3-friendly territory and to keep memory flat however large the file is.
    public static let defaultChunkSize = 4 << 20
    /// A record longer than this is almost surely an unbalanced quote swallowing the rest of the
    /// file; stopping here keeps memory bounded and points the user at the record that opened it.
    public static let defaultMaxRecordBytes = 64 << 20

    /// Opens a CSV file and reads its header. Throws `InputError` (line 0) when the file cannot be read.
    public convenience init(path: String, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8) throws {
        try self.init(source: .file(path), fileName: Self.lastComponent(path), delimiter: delimiter,
                      chunkSize: Self.defaultChunkSize, maxRecordBytes: Self.defaultMaxRecordBytes, encoding: encoding)
    }

    /// Reads CSV held in memory (tests, generated data). `fileName` is only used in errors.
    public convenience init(bytes: [UInt8], fileName: String, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8) throws {
        try self.init(source: .memory(bytes), fileName: fileName, delimiter: delimiter,
                      chunkSize: Self.defaultChunkSize, maxRecordBytes: Self.defaultMaxRecordBytes, encoding: encoding)
    }

    /// In-memory CSV with an explicit chunk size and record cap, for the fuzz targets (`Benchmarks/fuzz`),
    /// which need tiny chunks to put chunk boundaries everywhere and cannot reach internal API.
    public convenience init(bytes: [UInt8], fileName: String, delimiter: UInt8?, encoding: TextEncoding,
                            chunkSize: Int, maxRecordBytes: Int) throws {
        try self.init(source: .memory(bytes), fileName: fileName, delimiter: delimiter, chunkSize: chunkSize,
                      maxRecordBytes: maxRecordBytes, encoding: encoding)
    }

    /// Full-control initialiser; tests use tiny chunk sizes to put chunk boundaries everywhere.
    init(source: CSVSource, fileName: String, delimiter: UInt8?, chunkSize: Int, maxRecordBytes: Int,
         encoding: TextEncoding = .utf8) throws {
        self.source = source
        self.fileName = fileName
        self.encoding = encoding
        self.chunkSize = max(1, chunkSize)
        self.maxRecordBytes = max(1, maxRecordBytes)
        if let d = delimiter, d == CSVByte.quote || d == CSVByte.lf || d == CSVByte.cr {
            throw InputError(file: fileName, line: 0, expected: "a delimiter other than a quote or line break",
                             found: String(decoding: [d], as: UTF8.self))
        }
        let scanner = try CSVScanner(source: source, fileName: fileName, delimiter: delimiter ?? CSVByte.comma,
                                     chunkSize: self.chunkSize, maxRecordBytes: self.maxRecordBytes, encoding: encoding)
        let d = try delimiter ?? scanner.detectDelimiter()
        scanner.delimiter = d
        guard try scanner.nextRecord() else {
            throw InputError(file: fileName, line: 1, expected: "a header row", found: "an empty file")
        }
        let record = scanner.record
        let names = (0..<record.fieldCount).map { record.string($0) }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name.lowercased()] == nil {
            index[name.lowercased()] = i
        }
        self.delimiter = d
        self.header = names
        self.headerLine = record.line
        self.indexByName = index
        self.headerKeys = names.map { Self.asciiLowercased(Array($0.utf8)) }
    }

    /// Position of a column by name, ignoring case and surrounding spaces; the first one wins when a
    /// name repeats.
    public func columnIndex(_ name: String) -> Int? {
        indexByName[Self.trimmed(name).lowercased()]
    }

    /// Calls `body` once per data record, in file order. The record is only valid during the call:
    /// its bytes live in the reader's buffer, which the next chunk overwrites.
    /// Each call reads the file again from the start, so a reader can be traversed several times.
    /// A row equal to the header (ignoring ASCII case, blanks, a BOM and trailing empty cells) is not
    /// data: it goes to `repeatedHeader` with its line instead of `body`.
    public func forEachRecord(repeatedHeader: (Int) -> Void, _ body: (CSVRecord) throws -> Void) throws {
        try forEachRecord(from: nil, before: nil, repeatedHeader: repeatedHeader, body)
    }

    /// Where a part of a file read in parts stopped: byte offset and physical line of the first record it
    /// did not read (see `forEachRecord(from:before:repeatedHeader:_:)`).
    public struct Resume: Sendable, Equatable {
        public let offset: Int
        public let line: Int
        public init(offset: Int, line: Int) { self.offset = offset; self.line = line }
    }

    /// Byte offsets that split the data rows into `parts` pieces of about equal size for parallel reading,
    /// each just after a line feed. A line feed may sit inside a quoted field, so the caller must check that
    /// the part before an offset stopped exactly there (`Resume.offset`) and otherwise re-read the rest in
    /// order. Nil when the input is not worth or not able to be split: smaller than `minimumBytes`, or
    /// read through a single-byte encoding (transcoding has state).
    public func splitOffsets(parts: Int, minimumBytes: Int = 8 << 20) -> [Int]? {
        guard parts > 1, encoding == .utf8, let size = sourceSize, size >= minimumBytes else { return nil }
        var offsets: [Int] = []
        for k in 1..<parts {
            guard let at = lineStart(after: size * k / parts), size > at, at > (offsets.last ?? 0) else { return nil }
            offsets.append(at)
        }
        return offsets
    }

    /// About how many lines the file holds, its header's included (`estimatedRecords` of its first MiB, plus
    /// the header); nil without a line break there. For reserving per-record arrays up front — pages never
    /// written stay virtual, and an array that grows by moving holds its column twice meanwhile. Never more
    /// than one line per 24 bytes when estimated, so an odd first MiB cannot ask for absurd room.
    public func estimatedLines() -> Int? {
        guard let size = sourceSize, let sample = bytes(at: 0, count: 1 << 20),
              let records = Self.estimatedRecords(sample: sample, size: size) else { return nil }
        return sample.count >= size ? records + 1 : min(records + 1, size / 24)
    }

    /// Records after the header of a CSV file of `size` bytes that begins with `sample`: counted when the
    /// sample is the whole file (a last line without its line break included), else the body's size over the
    /// mean length of the sample's body lines (at least 1); nil when the sample holds no line break. The
    /// memory plan (`RecordCounts`) and the member pass's reservation estimate by it.
    public static func estimatedRecords(sample: [UInt8], size: Int) -> Int? {
        guard let headerEnd = sample.firstIndex(of: CSVByte.lf) else { return nil }
        let body = sample[(headerEnd + 1)...]
        let lines = body.reduce(0) { $1 == CSVByte.lf ? $0 + 1 : $0 }
        if sample.count >= size { return lines + (body.last.map { $0 == CSVByte.lf ? 0 : 1 } ?? 0) }
        guard lines > 0 else { return 1 }
        return Int((Double(size - headerEnd - 1) * Double(lines) / Double(body.count)).rounded())
    }

    /// The input's size in bytes; nil when the file cannot be examined.
    private var sourceSize: Int? {
        switch source {
        case .memory(let b): return b.count
        case .file(let path):
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return Int(info.st_size)
        }
    }

    /// Up to `count` bytes of the input from `offset` (fewer at its end); nil when none can be read.
    private func bytes(at offset: Int, count: Int) -> [UInt8]? {
        switch source {
        case .memory(let b):
            guard offset < b.count else { return nil }
            return Array(b[offset..<min(b.count, offset + count)])
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var chunk = [UInt8](repeating: 0, count: count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            guard n > 0 else { return nil }
            chunk.removeLast(count - n)
            return chunk
        }
    }

    /// The offset just after the first line feed at or after `target` (within 1 MiB), or nil.
    private func lineStart(after target: Int) -> Int? {
        guard let chunk = bytes(at: target, count: 1 << 20), let i = chunk.firstIndex(of: CSVByte.lf) else { return nil }
        return target + i + 1
    }

    /// One part of a file read in parts: the records from `start` (nil: the first data row; lines are counted
    /// from `start.line`) up to, not including, the first record that starts at or after `limit` (nil: to the
    /// end). Returns where it stopped. With `start == nil && limit == nil` this is `forEachRecord`.
    @discardableResult
    public func forEachRecord(from start: Resume?, before limit: Int?, repeatedHeader: (Int) -> Void,
                              _ body: (CSVRecord) throws -> Void) throws -> Resume {
        let scanner = try CSVScanner(source: source, fileName: fileName, delimiter: delimiter,
                                     chunkSize: chunkSize, maxRecordBytes: maxRecordBytes, encoding: encoding,
                                     startOffset: start?.offset ?? 0, startLine: start?.line ?? 1)
        scanner.header = header
        // From the start: the header first, already known.
        if start == nil { guard try scanner.nextRecord() else { return Resume(offset: scanner.nextOffset, line: scanner.nextLine) } }
        var sinceReport = 0
        defer { ReadProgress.add(records: sinceReport) }
        let stop = limit ?? Int.max
        while true {
            let resume = Resume(offset: scanner.nextOffset, line: scanner.nextLine)
            if resume.offset >= stop { return resume }
            guard try scanner.nextRecord() else { return Resume(offset: scanner.nextOffset, line: scanner.nextLine) }
            sinceReport &+= 1
            if sinceReport == 16_384 { ReadProgress.add(records: sinceReport); sinceReport = 0 }
            let record = scanner.record
            if isHeader(record) { repeatedHeader(record.line); continue }
            try body(record)
        }
    }

    /// Whether a record repeats the header. The first cell decides for almost every data row
    /// (`15` is not `r101`) after a length check, so the test costs next to nothing.
    @inline(__always)
    private func isHeader(_ r: CSVRecord) -> Bool {
        guard let first = headerKeys.first, r.fieldCount >= headerKeys.count,
              Self.cellMatches(r, 0, first, skipBOM: true) else { return false }
        for i in 1..<max(1, headerKeys.count) where !Self.cellMatches(r, i, headerKeys[i], skipBOM: false) { return false }
        for i in headerKeys.count..<r.fieldCount where !r.isEmpty(i) { return false }
        return true
    }

    private static func cellMatches(_ r: CSVRecord, _ i: Int, _ key: [UInt8], skipBOM: Bool) -> Bool {
        r.withBytes(i) { cell in
            var start = 0
            if skipBOM && cell.count >= 3 && cell[0] == 0xEF && cell[1] == 0xBB && cell[2] == 0xBF { start = 3 }
            guard cell.count - start == key.count else { return false }
            for k in 0..<key.count where asciiLower(cell[start + k]) != key[k] { return false }
            return true
        }
    }

    @inline(__always)
    static func asciiLower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    static func asciiLowercased(_ bytes: [UInt8]) -> [UInt8] { bytes.map(asciiLower) }

    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let tail = path[path.index(after: slash)...]
        return tail.isEmpty ? path : String(tail)
    }

    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}

/// Where the bytes come from. Both kinds go through the same chunked loop, so tests on in-memory
/// data exercise exactly the code path used on multi-gigabyte files.
enum CSVSource: Sendable {
    case file(String)
    case memory([UInt8])
}

/// The bytes the grammar is written in, named once.
@usableFromInline
enum CSVByte {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    @usableFromInline static let tab: UInt8 = 0x09
    @usableFromInline static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
}

/// Sequential bytes from a file descriptor or an array, copied straight into the scanner's buffer
/// (no `Data` in between: one copy from the page cache, none afterwards).
final class ByteStream {
    private var fd: Int32 = -1
    private let bytes: [UInt8]
    private var offset = 0
    private let fileName: String
    /// Single-byte encodings are transcoded to UTF-8 through `pending` (nil for UTF-8: no copy). A file
    /// that starts with a UTF-8 byte-order mark is UTF-8 whatever the caller said: transcoding stops.
    private(set) var transcoding: TextEncoding?
    private var started = false
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var raw: [UInt8] = []

    /// - Parameter startOffset: first byte to deliver (a later part of a file split for parallel reading;
    ///   only for UTF-8 input, which needs no transcoding state).
    init(source: CSVSource, fileName: String, encoding: TextEncoding = .utf8, startOffset: Int = 0) throws {
        self.fileName = fileName
        self.transcoding = encoding == .utf8 ? nil : encoding
        switch source {
        case .memory(let b):
            bytes = b
            offset = min(startOffset, b.count)
        case .file(let path):
            bytes = []
            let f = posixOpenRead(path)
            guard f >= 0 else {
                throw InputError(file: fileName, line: 0, expected: "a readable file", found: systemErrorText())
            }
            fd = f
            if startOffset > 0 && lseek(f, off_t(startOffset), SEEK_SET) < 0 {
                throw InputError(file: fileName, line: 0, expected: "a seekable file", found: systemErrorText())
            }
        }
    }

    deinit { if fd >= 0 { _ = posixClose(fd) } }

    /// Up to `count` bytes into `target`; 0 means end of input.
    func next(into target: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        guard count > 0 else { return 0 }
        guard let encoding = transcoding else {
            if pendingStart < pending.count { return drainPending(into: target, count: count) }
            return try nextRaw(into: target, count: count)
        }
        if pendingStart == pending.count {
            // Refill: one raw chunk, each byte becoming 1–3 UTF-8 bytes.
            if raw.isEmpty { raw = [UInt8](repeating: 0, count: 1 << 20) }
            var n = 0
            while n < (started ? 1 : 3) {   // the first refill needs 3 bytes to recognise a BOM
                let got = try raw.withUnsafeMutableBufferPointer { try nextRaw(into: $0.baseAddress! + n, count: $0.count - n) }
                if got == 0 { break }
                n += got
            }
            guard n > 0 else { return 0 }
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            if !started && n >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF {
                transcoding = nil
                pending.append(contentsOf: raw[0..<n])
            } else {
                for i in 0..<n { Self.appendUTF8(of: raw[i], encoding, to: &pending) }
            }
            started = true
        }
        return drainPending(into: target, count: count)
    }

    private func drainPending(into target: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = min(count, pending.count - pendingStart)
        pending.withUnsafeBufferPointer { target.update(from: $0.baseAddress! + pendingStart, count: n) }
        pendingStart += n
        return n
    }

    /// The UTF-8 bytes of one Latin-1 / Windows-1252 byte.
    @inline(__always)
    static func appendUTF8(of b: UInt8, _ encoding: TextEncoding, to out: inout [UInt8]) {
        if b < 0x80 { out.append(b); return }
        var scalar = UInt32(b)
        if encoding == .windows1252 && b < 0xA0 { scalar = windows1252High[Int(b - 0x80)] }
        if scalar < 0x800 {
            out.append(UInt8(0xC0 | (scalar >> 6))); out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            out.append(UInt8(0xE0 | (scalar >> 12))); out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Windows-1252 0x80–0x9F; the five undefined bytes keep their C1 code points, as Windows does.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private func nextRaw(into target: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if fd < 0 {
            let n = min(count, bytes.count - offset)
            guard n > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { target.update(from: base + offset, count: n) }
            }
            offset += n
            return n
        }
        while true {
            let n = posixRead(fd, target, count)
            if n >= 0 { ReadProgress.add(bytes: n); return n }
            if errno == EINTR { continue }
            throw InputError(file: fileName, line: 0, expected: "a readable file", found: systemErrorText())
        }
    }
}

private func posixOpenRead(_ path: String) -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    #if os(Linux)
    if fd >= 0 { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) }
    #endif
    return fd
}
private func posixRead(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int { read(fd, p, n) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
func systemErrorText() -> String {
    guard let s = strerror(errno) else { return "I/O error" }
    return String(cString: s)
}

/// The record scanner: one reusable buffer, one pass over the bytes per record.
///
/// A record is scanned from its first byte; if the buffer ends before the record does, the
/// unfinished tail is moved to the front, more bytes are read, and the record is scanned again from
/// its start (cheap: it happens once per chunk). Only a complete record is ever modified in place
/// (un-escaping `""`), so rescanning always sees the original bytes.
@usableFromInline
final class CSVScanner {
    /// `@usableFromInline`: `CSVRecord`'s accessors are inlined into the engine's per-cell loops.
    @usableFromInline
    struct Span {
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        /// Needs `""` → `"` or text-after-closing-quote handling before it is a plain byte range.
        var escaped: Bool
    }
    private enum Step { case record, blank, needMore, end }

    private let stream: ByteStream
    private let fileName: String
    private let maxRecordBytes: Int
    /// Check every record for valid UTF-8 (off when the stream transcodes: its output is valid).
    private var validateUTF8: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var pos = 0
    private var atEOF = false
    private var spans: UnsafeMutablePointer<Span>
    private var spanCapacity = 64
    private var fieldCount = 0
    private var recordLine = 0
    /// Physical line on which the next record starts.
    private(set) var nextLine = 1
    /// Byte offset in the input of `buffer[0]` (for splitting a file into parts read in parallel).
    private var consumed = 0
    /// Byte offset in the input where the next record (or blank line) starts.
    var nextOffset: Int { consumed + pos }
    var delimiter: UInt8
    /// Column names for error messages (empty while the header itself is read).
    var header: [String] = []

    init(source: CSVSource, fileName: String, delimiter: UInt8, chunkSize: Int, maxRecordBytes: Int,
         encoding: TextEncoding = .utf8, startOffset: Int = 0, startLine: Int = 1) throws {
        self.stream = try ByteStream(source: source, fileName: fileName, encoding: encoding, startOffset: startOffset)
        self.consumed = startOffset
        self.nextLine = startLine
        self.validateUTF8 = encoding == .utf8
        self.fileName = fileName
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        self.capacity = max(4, chunkSize)
        self.buffer = .allocate(capacity: capacity)
        self.spans = .allocate(capacity: spanCapacity)
        if startOffset == 0 { try skipBOM() }
        validateUTF8 = stream.transcoding == nil   // a BOM overrides a single-byte encoding
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    /// The current record; valid until the next call of `nextRecord`.
    var record: CSVRecord {
        CSVRecord(line: recordLine, fieldCount: fieldCount, base: UnsafePointer(buffer),
                  spans: UnsafePointer(spans), decimalComma: delimiter != CSVByte.comma)
    }

    /// Advances to the next non-blank record; false at end of input.
    func nextRecord() throws -> Bool {
        while true {
            switch try scan() {
            case .record: return true
            case .blank: continue
            case .end: return false
            case .needMore: try fill()
            }
        }
    }

    private func skipBOM() throws {
        while filled < 3 && !atEOF { try fill() }
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { pos = 3 }
    }

    /// Moves the unfinished record to the front of the buffer, grows the buffer if that record
    /// fills it, and reads the next chunk behind it.
    private func fill() throws {
        if pos > 0 {
            let carry = filled - pos
            if carry > 0 { memmove(buffer, buffer + pos, carry) }
            filled = carry
            consumed += pos
            pos = 0
        }
        if filled == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = try stream.next(into: buffer + filled, count: capacity - filled)
        if n == 0 { atEOF = true } else { filled += n }
    }

    /// Picks the delimiter that occurs most often outside quotes in the first non-blank line
    /// (ties: `,` then `;` then tab; none at all: `,`, a one-column file).
    func detectDelimiter() throws -> UInt8 {
        while true {
            var comma = 0, semicolon = 0, tab = 0
            var inQuotes = false, content = false, complete = false
            var k = pos
            while k < filled {
                let c = buffer[k]
                k += 1
                if inQuotes {
                    if c == CSVByte.quote { inQuotes = false }
                    continue
                }
                switch c {
                case CSVByte.quote: inQuotes = true; content = true
                case CSVByte.comma: comma += 1; content = true
                case CSVByte.semicolon: semicolon += 1; content = true
                case CSVByte.tab: tab += 1; content = true
                case CSVByte.space, CSVByte.cr: break
                case CSVByte.lf:
                    if content { complete = true } else { comma = 0; semicolon = 0; tab = 0 }
                default: content = true
                }
                if complete { break }
            }
            if complete || atEOF || filled - pos >= maxRecordBytes {
                if comma >= semicolon && comma >= tab { return CSVByte.comma }
                return semicolon >= tab ? CSVByte.semicolon : CSVByte.tab
            }
            try fill()
        }
    }

    private func appendSpan(_ span: Span, at n: Int) {
        if n == spanCapacity {
            let bigger = UnsafeMutablePointer<Span>.allocate(capacity: spanCapacity * 2)
            bigger.initialize(from: spans, count: n)
            spans.deallocate()
            spans = bigger
            spanCapacity *= 2
        }
        (spans + n).initialize(to: span)
    }

    @inline(__always)
    private static func onlyBlanks(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k < to {
            if b[k] != CSVByte.space && b[k] != CSVByte.tab { return false }
            k += 1
        }
        return true
    }

    /// The buffer ended inside a record: ask for more, unless the record is already absurdly long.
    private func more(_ recordStart: Int, field n: Int, quoted: Bool) throws -> Step {
        if filled - recordStart >= maxRecordBytes {
            let mib = max(1, maxRecordBytes >> 20)
            throw InputError(file: fileName, line: nextLine, column: n < header.count ? header[n] : nil,
                             columnNumber: n + 1, expected: quoted ? "closing quote" : "a line break",
                             found: "a record longer than \(mib) MiB")
        }
        return .needMore
    }

    /// High bit of every byte of `x` that is zero, exactly (no borrow between bytes, unlike `x - 0x01…`).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// The common record — no quote anywhere, ended by a line feed inside the buffer — found eight bytes at a
    /// time: one mask per word marks its delimiters, line feeds and quotes, and each marked byte ends a
    /// field. Returns the end of the record (after its LF) with the spans filled, or nil to leave the record
    /// to the byte-by-byte scanner (a quote, or no LF before the end of the buffer): both give the same spans.
    @inline(__always)
    private func scanPlain(from p0: Int, to end: Int) -> (next: Int, fields: Int)? {
        let b = buffer, raw = UnsafeRawPointer(buffer), d = delimiter
        let ones: UInt64 = 0x0101_0101_0101_0101
        let dMask = ones &* UInt64(d), lfMask = ones &* UInt64(CSVByte.lf), quoteMask = ones &* UInt64(CSVByte.quote)
        var fieldStart = p0, n = 0, k = p0
        @inline(__always) func endField(_ at: Int) {
            appendSpan(Span(start: fieldStart, end: at, escaped: false), at: n)
            n &+= 1
            fieldStart = at &+ 1
        }
        @inline(__always) func finish(_ lf: Int) -> (next: Int, fields: Int) {
            var fieldEnd = lf
            if fieldEnd > fieldStart && b[fieldEnd &- 1] == CSVByte.cr { fieldEnd &-= 1 }
            appendSpan(Span(start: fieldStart, end: fieldEnd, escaped: false), at: n)
            return (lf &+ 1, n &+ 1)
        }
        while k &+ 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            var m = Self.zeroBytes(w ^ dMask) | Self.zeroBytes(w ^ lfMask) | Self.zeroBytes(w ^ quoteMask)
            while m != 0 {
                let i = k &+ (m.trailingZeroBitCount &>> 3)
                let c = b[i]
                if c == d {
                    endField(i)
                } else if c == CSVByte.lf {
                    return finish(i)
                } else {
                    return nil
                }
                m &= m &- 1
            }
            k &+= 8
        }
        while k < end {
            let c = b[k]
            if c == d {
                endField(k)
            } else if c == CSVByte.lf {
                return finish(k)
            } else if c == CSVByte.quote {
                return nil
            }
            k &+= 1
        }
        return nil
    }

    /// Scans one record at `pos`. On `.record` the spans describe its fields and `pos`/line advance.
    private func scan() throws -> Step {
        let p0 = pos, end = filled
        if p0 >= end { return atEOF ? .end : .needMore }
        if let (next, n) = scanPlain(from: p0, to: end) {
            return try endRecord(from: p0, to: next, fields: n, newlines: 0, firstQuoted: false, escaped: false)
        }
        let b = buffer, d = delimiter, eof = atEOF
        var p = p0
        var n = 0
        var newlines = 0
        var anyEscaped = false
        var firstQuoted = false
        while true {
            let fieldStart = p
            var q = p
            var quoteAt = -1
            // Unquoted text up to delimiter or LF; a quote after nothing but blanks opens a quoted field.
            while q < end {
                let c = b[q]
                if c == d || c == CSVByte.lf { break }
                if c == CSVByte.quote && Self.onlyBlanks(b, fieldStart, q) { quoteAt = q; break }
                q &+= 1
            }
            var contentStart = fieldStart
            var fieldEnd: Int
            let terminator: Int
            var escaped = false
            if quoteAt < 0 {
                if q == end && !eof { return try more(p0, field: n, quoted: false) }
                fieldEnd = q
                terminator = q
            } else {
                contentStart = quoteAt &+ 1
                var r = contentStart
                var closeAt = -1
                while closeAt < 0 {
                    while r < end {
                        let c = b[r]
                        if c == CSVByte.quote { break }
                        if c == CSVByte.lf { newlines &+= 1 }
                        r &+= 1
                    }
                    if r == end {
                        if eof { throw unterminated(field: n, quoteAt: quoteAt) }
                        return try more(p0, field: n, quoted: true)
                    }
                    if r &+ 1 < end {
                        if b[r &+ 1] == CSVByte.quote { escaped = true; r &+= 2 } else { closeAt = r }
                    } else if eof {
                        closeAt = r
                    } else {
                        return try more(p0, field: n, quoted: true)
                    }
                }
                // After the closing quote: blanks are dropped, any other text is kept literally.
                var t = closeAt &+ 1
                var trailing = false
                while t < end {
                    let c = b[t]
                    if c == d || c == CSVByte.lf { break }
                    if c != CSVByte.space && c != CSVByte.tab && c != CSVByte.cr { trailing = true }
                    t &+= 1
                }
                if t == end && !eof { return try more(p0, field: n, quoted: true) }
                terminator = t
                if trailing { escaped = true; fieldEnd = t } else { fieldEnd = closeAt }
                if n == 0 { firstQuoted = true }
            }
            // CRLF: the CR belongs to the line end, not to the last field.
            if fieldEnd == terminator && fieldEnd > contentStart && b[fieldEnd &- 1] == CSVByte.cr
                && (terminator == end || b[terminator] == CSVByte.lf) {
                fieldEnd &-= 1
            }
            appendSpan(Span(start: contentStart, end: fieldEnd, escaped: escaped), at: n)
            n &+= 1
            if escaped { anyEscaped = true }
            if terminator < end && b[terminator] == d {
                p = terminator &+ 1
                continue
            }
            p = terminator < end ? terminator &+ 1 : end
            break
        }
        return try endRecord(from: p0, to: p, fields: n, newlines: newlines, firstQuoted: firstQuoted, escaped: anyEscaped)
    }

    /// Both scanning paths end here with the record's spans filled: a lone field of blanks is a blank line;
    /// otherwise the record's UTF-8 is checked, quoted fields are un-escaped, and the line count moves on.
    @inline(__always)
    private func endRecord(from p0: Int, to next: Int, fields n: Int, newlines: Int, firstQuoted: Bool, escaped: Bool) throws -> Step {
        let b = buffer
        pos = next
        if n == 1 && !firstQuoted && Self.onlyBlanks(b, spans[0].start, spans[0].end) {
            nextLine &+= 1
            return .blank
        }
        if validateUTF8 && !Self.isASCII(b, p0, next) { try checkUTF8(fields: n, recordStart: p0) }
        if escaped {
            for i in 0..<n where spans[i].escaped {
                spans[i].end = Self.unescape(b, spans[i].start, spans[i].end)
                spans[i].escaped = false
            }
        }
        fieldCount = n
        recordLine = nextLine
        nextLine &+= 1 &+ newlines
        return .record
    }

    /// In-place un-escaping of a quoted field's bytes (opening quote already excluded): `""` → `"`,
    /// the closing quote is dropped, text after it is kept. Returns the new end.
    private static func unescape(_ b: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var r = start, w = start, inQuotes = true
        while r < end {
            let c = b[r]
            if inQuotes && c == CSVByte.quote {
                if r &+ 1 < end && b[r &+ 1] == CSVByte.quote {
                    b[w] = CSVByte.quote; w &+= 1; r &+= 2
                } else {
                    inQuotes = false; r &+= 1
                }
                continue
            }
            b[w] = c; w &+= 1; r &+= 1
        }
        return w
    }

    /// True when no byte in `from..<to` has the high bit set (eight bytes at a time).
    @inline(__always)
    private static func isASCII(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var k = from
        var acc: UInt64 = 0
        let raw = UnsafeRawPointer(b)
        while k &+ 8 <= to {
            acc |= raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            k &+= 8
        }
        while k < to { acc |= UInt64(b[k]); k &+= 1 }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// The record has non-ASCII bytes: every field must be well-formed UTF-8, or the error names the
    /// physical line and the column of the first bad byte.
    private func checkUTF8(fields n: Int, recordStart: Int) throws {
        for i in 0..<n {
            let s = spans[i]
            guard let bad = Self.firstInvalidUTF8(buffer, s.start, s.end) else { continue }
            var line = nextLine
            for k in recordStart..<bad where buffer[k] == CSVByte.lf { line += 1 }
            let text = String(decoding: UnsafeBufferPointer(start: buffer + s.start, count: s.end - s.start), as: UTF8.self)
            let byte = String(buffer[bad], radix: 16, uppercase: true)
            throw InputError(file: fileName, line: line, column: i < header.count ? header[i] : nil, columnNumber: i + 1,
                             expected: "UTF-8 text (byte 0x\(byte) is not; for a Latin-1 or Windows-1252 file pass --encoding latin1 or --encoding windows-1252)",
                             found: text)
        }
    }

    /// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var k = start
        while k < end {
            let c = b[k]
            if c < 0x80 { k &+= 1; continue }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return k
            }
            guard k + need < end else { return k }
            let second = b[k + 1]
            guard second >= lo && second <= hi else { return k }
            for j in 2...max(2, need) where j <= need {
                guard b[k + j] & 0xC0 == 0x80 else { return k }
            }
            k += need + 1
        }
        return nil
    }

    private func unterminated(field n: Int, quoteAt: Int) -> InputError {
        let excerptEnd = min(filled, quoteAt + 40)
        let excerpt = String(decoding: UnsafeBufferPointer(start: buffer + quoteAt, count: excerptEnd - quoteAt),
                             as: UTF8.self)
        return InputError(file: fileName, line: nextLine, column: n < header.count ? header[n] : nil,
                          columnNumber: n + 1, expected: "closing quote", found: excerpt)
    }
}
