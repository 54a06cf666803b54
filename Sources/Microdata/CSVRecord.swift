/// One data record of a CSV file, as byte ranges into the reader's buffer.
///
/// Why pointers and not strings: the engine reads tens of millions of cells per run and most are
/// one- or two-digit codes; parsing them straight from the bytes keeps a full pass over a 1.6 GB
/// file I/O-bound. The price is lifetime: a record is only valid inside the `forEachRecord` callback
/// that received it. Copy out what you need (`string`, `int`, `double`) and never store the record.
///
/// Every accessor accepts any index: past the last field a cell is simply missing (short rows are
/// the caller's business, not a crash).
public struct CSVRecord {
    /// Physical line on which the record starts (the header is line 1; a quoted line break inside a
    /// previous record pushes later records down).
    public var line: Int
    /// Number of fields found on this record (a trailing delimiter adds an empty one).
    public var fieldCount: Int

    // `@usableFromInline` with the accessors `@inlinable`: they run for every cell the engine and the check
    // read (tens of millions per run), and a cross-module call per cell cost more than the parsing.
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let spans: UnsafePointer<CSVScanner.Span>
    /// `12,5` is a number only when `,` cannot be the delimiter (Indonesian Excel exports use `;`).
    let decimalComma: Bool

    init(line: Int, fieldCount: Int, base: UnsafePointer<UInt8>, spans: UnsafePointer<CSVScanner.Span>,
         decimalComma: Bool) {
        self.line = line
        self.fieldCount = fieldCount
        self.base = base
        self.spans = spans
        self.decimalComma = decimalComma
    }

    /// Field bounds with surrounding spaces and tabs removed; (0, 0) when the field does not exist.
    @inlinable @inline(__always)
    func bounds(_ i: Int) -> (Int, Int) {
        guard i >= 0 && i < fieldCount else { return (0, 0) }
        var s = spans[i].start, e = spans[i].end
        while s < e && (base[s] == CSVByte.space || base[s] == CSVByte.tab) { s &+= 1 }
        while e > s && (base[e &- 1] == CSVByte.space || base[e &- 1] == CSVByte.tab) { e &-= 1 }
        return (s, e)
    }

    /// True when the cell is missing: past the last field, or empty after trimming spaces.
    @inlinable
    public func isEmpty(_ i: Int) -> Bool {
        let (s, e) = bounds(i)
        return s == e
    }

    /// The cell as text: unescaped (`""` → `"`), trimmed of surrounding spaces and tabs, `""` when
    /// missing. Invalid UTF-8 becomes U+FFFD rather than an error.
    public func string(_ i: Int) -> String {
        let (s, e) = bounds(i)
        guard s < e else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + s, count: e &- s), as: UTF8.self)
    }

    /// The trimmed, unescaped bytes of a cell (an empty buffer when missing), for callers that
    /// compare or hash codes without making a `String`.
    @inlinable
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let (s, e) = bounds(i)
        guard s < e else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base + s, count: e &- s))
    }

    /// `int(i)` with the common cell — one or two digits, no blanks — decided inline: codes are read tens of
    /// millions of times a run, and the general parser is too large to inline at every call.
    @inlinable @inline(__always)
    public func shortInt(_ i: Int) -> Int? {
        guard i >= 0 && i < fieldCount else { return nil }
        let s = spans[i].start, n = spans[i].end &- s
        if n == 1 {
            let d = base[s] &- 0x30
            if d < 10 { return Int(d) }
        } else if n == 2 {
            let a = base[s] &- 0x30, b = base[s &+ 1] &- 0x30
            if a < 10 && b < 10 { return Int(a) &* 10 &+ Int(b) }
        }
        return int(i)
    }

    /// `double(i)` with the common cell — one to three digits, no blanks — decided inline (ages, counts).
    @inlinable @inline(__always)
    public func shortDouble(_ i: Int) -> Double? {
        guard i >= 0 && i < fieldCount else { return nil }
        let s = spans[i].start, n = spans[i].end &- s
        if n >= 1 && n <= 3 {
            var v = 0, k = s
            while k < s &+ n {
                let d = base[k] &- 0x30
                if d >= 10 { return double(i) }
                v = v &* 10 &+ Int(d)
                k &+= 1
            }
            return Double(v)
        }
        return double(i)
    }

    /// The cell as an integer code. Leading zeros are insignificant (`01` == 1, contract §1), a
    /// leading `+`/`-` is allowed; anything else (`1.5`, `1e3`, overflow) is nil, as is a missing cell.
    @inlinable
    public func int(_ i: Int) -> Int? {
        var (s, e) = bounds(i)
        guard s < e else { return nil }
        var negative = false
        let first = base[s]
        if first == 0x2D { negative = true; s &+= 1 } else if first == 0x2B { s &+= 1 }
        guard s < e else { return nil }
        while s &+ 1 < e && base[s] == 0x30 { s &+= 1 }  // leading zeros
        var value = 0
        if e &- s <= 18 {
            // At most 18 digits cannot overflow: wrapping arithmetic is exact and branch-light.
            var k = s
            while k < e {
                let digit = base[k] &- 0x30
                if digit > 9 { return nil }
                value = value &* 10 &+ Int(digit)
                k &+= 1
            }
            return negative ? -value : value
        }
        // Long inputs: accumulate towards the sign so that Int.min still fits, and check overflow.
        var k = s
        while k < e {
            let digit = base[k] &- 0x30
            if digit > 9 { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int(digit))
                                      : times10.addingReportingOverflow(Int(digit))
            if o1 || o2 { return nil }
            value = next
            k &+= 1
        }
        return value
    }

    /// The cell as a number with a decimal point (`12.5`), or a decimal comma (`12,5`) when the
    /// delimiter is not `,`; an exponent is accepted. Nil when missing, invalid or not finite.
    public func double(_ i: Int) -> Double? {
        let (s, e) = bounds(i)
        guard s < e else { return nil }
        var k = s
        var negative = false
        if base[k] == 0x2D { negative = true; k &+= 1 } else if base[k] == 0x2B { k &+= 1 }
        var mantissa: UInt64 = 0
        var significant = 0, fractionDigits = 0
        var sawDigit = false, sawPoint = false, slow = false
        while k < e {
            let c = base[k]
            let digit = c &- 0x30
            if digit <= 9 {
                sawDigit = true
                if mantissa == 0 && digit == 0 {
                    if sawPoint { fractionDigits &+= 1 }
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significant &+= 1
                    if sawPoint { fractionDigits &+= 1 }
                } else {
                    slow = true
                }
            } else if c == 0x2E || (c == 0x2C && decimalComma) {
                if sawPoint { return nil }
                sawPoint = true
            } else if (c == 0x65 || c == 0x45) && sawDigit {
                // Exponent: validate [+-]?digits+, then let the standard library round it.
                var x = k &+ 1
                if x < e && (base[x] == 0x2B || base[x] == 0x2D) { x &+= 1 }
                guard x < e else { return nil }
                while x < e {
                    if base[x] &- 0x30 > 9 { return nil }
                    x &+= 1
                }
                slow = true
                break
            } else {
                return nil
            }
            k &+= 1
        }
        guard sawDigit else { return nil }
        if !slow && mantissa < (1 << 53) && fractionDigits < Self.powersOfTen.count {
            // Both operands are exact doubles, so one IEEE division is correctly rounded (Clinger).
            let v = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return negative ? -v : v
        }
        var text = String(decoding: UnsafeBufferPointer(start: base + s, count: e &- s), as: UTF8.self)
        if decimalComma { text = String(text.map { $0 == "," ? "." : $0 }) }
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
