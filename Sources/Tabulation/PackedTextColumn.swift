/// Exact text of an identifier column in 9 bytes a row when it is a run of digits: the roster's NIK and
/// No. KK, and the families' No. KK (`r114`) — millions of 16-digit values that as Strings would each take
/// a heap allocation (48 bytes) on top of the array slot.
public struct PackedTextColumn: Sendable {
    public init() {}

    /// The texts as given (tests, and record lists that come from a database).
    public init(_ texts: [String]) { for t in texts { append(t) } }

    public var count: Int { lengths.count }

    /// Digits as a number; for other texts 0.
    private(set) var numbers: [UInt64] = []
    /// 0: empty; 1...19: that many digits (leading zeros restored from it); 255: text in `others`.
    private(set) var lengths: [UInt8] = []
    private var others: [Int: String] = [:]
    static let other: UInt8 = 255

    mutating func append(_ text: String) {
        var copy = text
        copy.withUTF8 { append(bytes: $0) }
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count == 0 { numbers.append(0); lengths.append(0); return }
        if bytes.count <= 19 {
            var n: UInt64 = 0
            var digits = true
            for b in bytes {
                let d = b &- 0x30
                if d > 9 { digits = false; break }
                n = n &* 10 &+ UInt64(d)
            }
            if digits { numbers.append(n); lengths.append(UInt8(bytes.count)); return }
        }
        others[lengths.count] = String(decoding: bytes, as: UTF8.self)
        numbers.append(0); lengths.append(Self.other)
    }

    /// The text as read (trimmed of spaces and tabs by the CSV reader).
    public func text(_ r: Int) -> String {
        switch lengths[r] {
        case 0: return ""
        case Self.other: return others[r] ?? ""
        case let n:
            let digits = String(numbers[r])
            return digits.count >= Int(n) ? digits : String(repeating: "0", count: Int(n) - digits.count) + digits
        }
    }

    /// A run of exactly 16 digits, as a number (the shape of a NIK and a No. KK).
    @inline(__always)
    func sixteenDigits(_ r: Int) -> UInt64? { lengths[r] == 16 ? numbers[r] : nil }

    /// True for a non-digit text (the slow path: trimming, validation of odd values).
    @inline(__always)
    func isOther(_ r: Int) -> Bool { lengths[r] == Self.other }

    /// True when the cell has something besides white space.
    func hasContent(_ r: Int) -> Bool {
        switch lengths[r] {
        case 0: return false
        case Self.other: return RosterText.hasContent(others[r] ?? "")
        default: return true
        }
    }
}
