/// A column of small non-negative codes in the narrowest width that holds them all — 1, 2 or 4 bytes a
/// row — widened when a larger code arrives.
///
/// Why: a national roster has tens of millions of rows that repeat a handful of programme names and
/// periods and a few thousand village codes. As `[UInt32]` every such column took 4 bytes a row, and the
/// rows' programme as `[Int32?]` 8; with ~2 rows a family that was ~40 bytes a family at the roster
/// linking, the peak of a national run (issue 19).
public struct NarrowCodes: RandomAccessCollection, Sendable {
    private var bytes: [UInt8] = []
    private var halves: [UInt16] = []
    private var words: [UInt32] = []
    /// Bytes per code: 1, 2 or 4; only the array of that width holds codes.
    public private(set) var width = 1

    public init() {}

    public init<S: Sequence>(_ codes: S) where S.Element == UInt32 {
        bytes.reserveCapacity(codes.underestimatedCount)
        for c in codes { append(c) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch width {
        case 1: return bytes.count
        case 2: return halves.count
        default: return words.count
        }
    }

    @inline(__always)
    public subscript(i: Int) -> UInt32 {
        switch width {
        case 1: return UInt32(bytes[i])
        case 2: return UInt32(halves[i])
        default: return words[i]
        }
    }

    public mutating func append(_ c: UInt32) {
        if width == 1 {
            if c <= UInt8.max { bytes.append(UInt8(c)); return }
            widen(to: c <= UInt16.max ? 2 : 4)
        }
        if width == 2 {
            if c <= UInt16.max { halves.append(UInt16(c)); return }
            widen(to: 4)
        }
        words.append(c)
    }

    /// Copies the codes into the wider array and frees the narrower one.
    private mutating func widen(to w: Int) {
        if w == 2 {
            halves = bytes.map(UInt16.init)
        } else {
            words = width == 1 ? bytes.map(UInt32.init) : halves.map(UInt32.init)
            halves = []
        }
        bytes = []
        width = w
    }
}
