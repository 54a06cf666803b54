#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered CSV output (machine-readable twins, restricted lists, generated test data).
///
/// Why so plain: output must be readable by `CSVReader`, by Excel and by any SDMX-CSV consumer,
/// so it is RFC 4180 with LF line ends, UTF-8 without BOM, and a field is quoted only when it has
/// to be. Rows go through a 1 MiB byte buffer so that writing millions of cells costs few syscalls.
///
/// `writeRow` does not throw (callers write rows in tight loops); the first write error is kept and
/// thrown by `close()`, which must therefore always be called.
public final class CSVWriter {
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let delimiterBytes: [UInt8]
    private var firstError: InputError?
    private static let flushThreshold = 1 << 20

    /// Creates (or truncates) the file. Throws `InputError` with expected "a writable file".
    public init(path: String, delimiter: Character = ",") throws {
        self.path = path
        self.delimiterBytes = Array(String(delimiter).utf8)
        let f = posixOpenWrite(path)
        guard f >= 0 else {
            throw InputError(file: CSVReader.lastComponent(path), line: 0, expected: "a writable file",
                             found: systemErrorText())
        }
        fd = f
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        if fd >= 0 {
            flush()
            _ = posixCloseFile(fd)
        }
    }

    /// The field as it must appear in a CSV line: quoted (with `"` doubled) when it contains the
    /// delimiter, a quote, CR or LF; unchanged otherwise.
    public static func escape(_ field: String, delimiter: Character = ",") -> String {
        // Bytes, not Characters: a quote followed by a combining mark is one Character but still a
        // quote byte to every CSV reader.
        let bytes = Array(field.utf8)
        guard needsQuotes(bytes, delimiter: Array(String(delimiter).utf8)) else { return field }
        var out: [UInt8] = [CSVByte.quote]
        out.reserveCapacity(bytes.count + 8)
        for b in bytes {
            if b == CSVByte.quote { out.append(CSVByte.quote) }
            out.append(b)
        }
        out.append(CSVByte.quote)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one row and a LF. A row that is a single empty field is written as `""` so that it
    /// is not read back as a (skipped) blank line.
    public func writeRow(_ fields: [String]) {
        if fields.count == 1 && fields[0].isEmpty {
            buffer.append(contentsOf: [CSVByte.quote, CSVByte.quote, CSVByte.lf])
        } else {
            for (i, field) in fields.enumerated() {
                if i > 0 { buffer.append(contentsOf: delimiterBytes) }
                append(field)
            }
            buffer.append(CSVByte.lf)
        }
        if buffer.count >= Self.flushThreshold { flush() }
    }

    /// Flushes and closes the file; throws the first error met while writing.
    public func close() throws {
        guard fd >= 0 else { if let firstError { throw firstError }; return }
        flush()
        if posixCloseFile(fd) != 0 && firstError == nil { firstError = ioError() }
        fd = -1
        if let firstError { throw firstError }
    }

    private func append(_ field: String) {
        var f = field
        f.withUTF8 { bytes in
            guard Self.needsQuotes(bytes, delimiter: delimiterBytes) else {
                buffer.append(contentsOf: bytes)
                return
            }
            buffer.append(CSVByte.quote)
            for b in bytes {
                if b == CSVByte.quote { buffer.append(CSVByte.quote) }
                buffer.append(b)
            }
            buffer.append(CSVByte.quote)
        }
    }

    private static func needsQuotes<C: Collection>(_ bytes: C, delimiter: [UInt8]) -> Bool
        where C.Element == UInt8, C.Index == Int {
        if delimiter.count == 1 {
            let d = delimiter[0]
            return bytes.contains { $0 == d || $0 == CSVByte.quote || $0 == CSVByte.cr || $0 == CSVByte.lf }
        }
        if bytes.contains(where: { $0 == CSVByte.quote || $0 == CSVByte.cr || $0 == CSVByte.lf }) { return true }
        guard !delimiter.isEmpty, bytes.count >= delimiter.count else { return false }
        var start = bytes.startIndex
        while start + delimiter.count <= bytes.endIndex {
            if bytes[start..<(start + delimiter.count)].elementsEqual(delimiter) { return true }
            start += 1
        }
        return false
    }

    private func flush() {
        guard fd >= 0, !buffer.isEmpty else { return }
        if firstError == nil {
            buffer.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var done = 0
                while done < raw.count {
                    let n = posixWrite(fd, base + done, raw.count - done)
                    if n > 0 { done += n; continue }
                    if n < 0 && errno == EINTR { continue }
                    firstError = ioError()
                    return
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func ioError() -> InputError {
        InputError(file: CSVReader.lastComponent(path), line: 0, expected: "a writable file", found: systemErrorText())
    }
}

private func posixOpenWrite(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
}
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func posixCloseFile(_ fd: Int32) -> Int32 { close(fd) }
