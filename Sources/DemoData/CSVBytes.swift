import Foundation

// Byte-level CSV output. A million-family registry is ~3 million member rows; building each
// field as a `String` and concatenating would dominate the run time, so rows are appended as
// ASCII/UTF-8 bytes straight into a large `[UInt8]` that is flushed to disk in big chunks.

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func put(_ byte: UInt8) { append(byte) }

    @inline(__always)
    mutating func comma() { append(UInt8(ascii: ",")) }

    @inline(__always)
    mutating func newline() { append(UInt8(ascii: "\n")) }

    /// An integer in decimal, no padding.
    @inline(__always)
    mutating func putInt(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")); putInt(-value); return }
        if value < 10 { append(48 + UInt8(value)); return }
        var width = 1
        var power = 10
        while power <= value { width += 1; power *= 10 }
        putPadded(value, width: width)
    }

    /// A non-negative integer left-padded with zeros to `width` digits.
    @inline(__always)
    mutating func putPadded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var n = value
        while divisor > 0 {
            append(48 + UInt8((n / divisor) % 10))
            n %= divisor
            divisor /= 10
        }
    }

    /// A code that is written as `1` normally and as `01` in the rows that carry the contract's
    /// "codes with leading zeros" defect; two-digit codes are unaffected.
    @inline(__always)
    mutating func putCode(_ value: Int, padded: Bool) {
        if padded && value < 10 { append(48) }
        putInt(value)
    }

    /// A 16-digit number such as a NIK or No. KK.
    @inline(__always)
    mutating func put16(_ value: UInt64) {
        var divisor: UInt64 = 1_000_000_000_000_000
        var n = value
        while divisor > 0 {
            append(48 + UInt8(truncatingIfNeeded: (n / divisor) % 10))
            n %= divisor
            divisor /= 10
        }
    }

    /// `YYYY-MM-DD` for a day number (days since 1970-01-01).
    mutating func putDate(_ day: Int) {
        let (y, m, d) = civilFromDays(day)
        putPadded(y, width: 4); append(UInt8(ascii: "-"))
        putPadded(m, width: 2); append(UInt8(ascii: "-"))
        putPadded(d, width: 2)
    }

    /// A text field, quoted only when it must be (delimiter, quote, CR or LF), with quotes doubled.
    mutating func putField(_ text: [UInt8]) {
        var needsQuotes = false
        for b in text where b == 44 || b == 34 || b == 10 || b == 13 { needsQuotes = true; break }
        if !needsQuotes { append(contentsOf: text); return }
        append(34)
        for b in text {
            if b == 34 { append(34) }
            append(b)
        }
        append(34)
    }
}

/// Appends bytes to one output file, flushing the caller's buffer when it grows past a few MB, so
/// memory stays flat however many members are generated.
final class ChunkedFile {
    let path: String
    private let handle: FileHandle
    static let flushThreshold = 4 << 20

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// Writes and empties `buffer` once it is big enough to be worth a system call.
    @inline(__always)
    func drain(_ buffer: inout [UInt8]) throws {
        if buffer.count >= ChunkedFile.flushThreshold { try flush(&buffer) }
    }

    func flush(_ buffer: inout [UInt8]) throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws { try handle.close() }
}

// MARK: - Calendar (proleptic Gregorian, after H. Hinnant's `days_from_civil`)
// Birth dates, ages, NIK and No. KK dates all derive from one day number, which keeps r406, r407
// and the NIK's DDMMYY consistent by construction and avoids Foundation's Calendar per person.

@inline(__always)
func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

@inline(__always)
func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}
