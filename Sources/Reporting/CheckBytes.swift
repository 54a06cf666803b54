import Foundation
import Microdata
import Tabulation

// Byte-level helpers of `regtab check`: the per-record work reads cells as bytes and builds a `String`
// only for a finding that is actually reported. Each helper states which String-based function of
// CheckRun.swift it agrees with, byte for byte.

/// The trimmed bytes of a cell (`CSVRecord.withBytes`), valid as long as the record is: they point into
/// the reader's buffer, so they must not outlive the `forEachRecord` callback that received the record.
@inline(__always)
func cellBytes(_ r: borrowing DataRecord, _ c: Int) -> UnsafeBufferPointer<UInt8> {
    r.withBytes(c) { $0 }
}

/// ASCII white space as `RosterTextTrim` (and the engine's `RosterText`) define it.
@inline(__always)
func isRosterBlank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

/// `bytes` without surrounding ASCII white space (`RosterTextTrim.trimmed` on bytes).
@inline(__always)
func rosterTrimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var lo = 0, hi = bytes.count
    while lo < hi && isRosterBlank(bytes[lo]) { lo &+= 1 }
    while hi > lo && isRosterBlank(bytes[hi &- 1]) { hi &-= 1 }
    guard lo < hi, let base = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(start: base + lo, count: hi &- lo)
}

extension NIKCheck {
    /// `date(String(decoding: bytes))` without the String: a real calendar date `YYYY-MM-DD` after
    /// trimming ASCII white space. Any byte that is not ASCII fails both versions alike, so invalid
    /// UTF-8 (which the String version would see as U+FFFD) gives the same nil.
    @inline(__always)
    static func date(bytes raw: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        let u = rosterTrimmed(raw)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = u[i] &- 0x30
            return d <= 9 ? Int(d) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
        let y = y0 * 1000 + y1 * 100 + y2 * 10 + y3, m = m0 * 10 + m1, d = d0 * 10 + d1
        guard m >= 1 && m <= 12, d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days: Int
        switch m {
        case 2: days = leap ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return d <= days ? (y, m, d) : nil
    }
}

/// Cells seen before, keyed by their exact bytes: the penerima columns (programme, Kemendagri code) hold a
/// handful of distinct values over millions of rows, so their String work is done once per distinct value.
/// Bounded: past `maxEntries` (or for long cells) nothing more is stored and callers take the slow path.
struct CheckByteCache<Value> {
    private var slots: [Int32]            // 0 = empty, else entry + 1
    private var mask: Int
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var storage: [UInt8] = []
    private(set) var values: [Value] = []
    static var maxEntries: Int { 1 << 14 }
    static var maxKeyLength: Int { 256 }

    init() {
        slots = [Int32](repeating: 0, count: 1 << 15)   // load factor ≤ 1/2 at maxEntries
        mask = (1 << 15) - 1
    }

    /// Eight bytes at a time (cells such as `15.05.05.2015` are two words), then a final mix.
    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        guard let base = b.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 <= b.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i &+= 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < b.count { tail |= UInt64(b[i]) << shift; shift &+= 8; i &+= 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    private func equal(_ e: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths[e] == b.count else { return false }
        guard let base = b.baseAddress else { return true }
        let s = starts[e]
        return storage.withUnsafeBufferPointer { st in memcmp(st.baseAddress! + s, base, b.count) == 0 }
    }

    /// The entry index of `bytes`, or nil.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let e = Int(s) &- 1
            if hashes[e] == h && equal(e, bytes) { return e }
            i = (i &+ 1) & mask
        }
    }

    /// Stores `value` for `bytes` (not present yet); false when the cache is full or the key too long.
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) -> Bool {
        guard values.count < Self.maxEntries, bytes.count <= Self.maxKeyLength else { return false }
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i &+ 1) & mask }
        slots[i] = Int32(values.count &+ 1)
        starts.append(storage.count); lengths.append(bytes.count); hashes.append(h)
        storage.append(contentsOf: bytes)
        values.append(value)
        return true
    }

    subscript(entry e: Int) -> Value { values[e] }
}
