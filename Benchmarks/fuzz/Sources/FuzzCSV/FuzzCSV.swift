import FuzzDriver
#if canImport(Glibc)
import Glibc
#endif
import Microdata

/// Every record as (line, fields), or nil when the reader throws.
func records(_ bytes: [UInt8], delimiter: UInt8?, encoding: TextEncoding, chunkSize: Int) -> [[String]]? {
    guard let reader = try? CSVReader(bytes: bytes, fileName: "fuzz.csv", delimiter: delimiter, encoding: encoding,
                                      chunkSize: chunkSize, maxRecordBytes: 1 << 20) else { return nil }
    var out: [[String]] = [reader.header]
    do {
        try reader.forEachRecord { r in out.append(["\(r.line)"] + (0..<r.fieldCount).map { r.string($0) }) }
    } catch { return nil }
    return out
}

/// libFuzzer entry point: the first bytes choose the reader's options, the rest is the file.
/// Whatever the bytes, the reader must yield records or throw `InputError`; records must come in line
/// order and every accessor must be total; the inline short-number readers agree with the general
/// parsers; and the records do not depend on the buffer size (the scanner's eight-bytes-at-a-time path
/// takes records that fit in the buffer, the byte path the others). A violated invariant traps, which
/// libFuzzer reports.
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size >= 2 else { return 0 }
    let options = data[0], sizes = data[1]
    let delimiter: UInt8? = [nil, 0x2C, 0x3B, 0x09][Int(options & 3)]
    let encoding: TextEncoding = [.utf8, .utf8, .latin1, .windows1252][Int((options >> 2) & 3)]
    let chunkSize = 1 + Int(sizes & 0x3F)                    // 1–64 bytes: chunk boundaries everywhere
    let maxRecordBytes = 16 << Int((sizes >> 6) & 3)         // 16, 32, 64 or 128 bytes… up to the cap
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    do {
        let reader = try CSVReader(bytes: bytes, fileName: "fuzz.csv", delimiter: delimiter, encoding: encoding,
                                   chunkSize: chunkSize, maxRecordBytes: options & 0x80 != 0 ? maxRecordBytes : 1 << 20)
        precondition(reader.headerLine >= 1)
        for name in reader.header { precondition(reader.columnIndex(name) != nil) }
        var lastLine = reader.headerLine
        var checksum = 0
        try reader.forEachRecord(repeatedHeader: { line in
            precondition(line > lastLine)
            lastLine = line
        }) { r in
            precondition(r.line > lastLine, "records out of line order")
            lastLine = r.line
            for i in -1...(r.fieldCount + 1) {
                let s = r.string(i)
                checksum &+= s.utf8.count &+ (r.int(i) ?? 0) &+ (r.double(i).map { $0.isNaN ? 0 : 1 } ?? 0)
                precondition(r.shortInt(i) == r.int(i), "shortInt differs from int")
                precondition(r.shortDouble(i) == r.double(i), "shortDouble differs from double")
                let n = r.withBytes(i) { $0.count }
                precondition(r.isEmpty(i) == (n == 0))
                // Text handed out is valid UTF-8: validated for UTF-8 input, transcoded otherwise.
                precondition(encoding != .utf8 || String(validating: r.withBytes(i) { Array($0) }, as: UTF8.self) != nil)
                _ = reader.error(at: r, column: i, expected: "x").description
            }
        }
        if checksum == 42 { return 0 }
        if options & 0x80 == 0 {
            let small = records(bytes, delimiter: delimiter, encoding: encoding, chunkSize: chunkSize)
            let large = records(bytes, delimiter: delimiter, encoding: encoding, chunkSize: 1 << 16)
            precondition(small == large, "records depend on the buffer size")
        }
    } catch let e as InputError {
        _ = e.description
    } catch {
        preconditionFailure("not an InputError: \(error)")
    }
    return 0
}

@main
struct Main {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzCSV(data, size) })
    }
}
