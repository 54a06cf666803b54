/// The contract's structural test of a NIK (Nomor Induk Kependudukan), contract §2 "Valid NIK".
///
/// A NIK is `PP KK CC DD MM YY SSSS`: Kemendagri province, kabupaten, kecamatan, birth day (women + 40),
/// month, year, serial. The contract checks only what can be checked without a register: 16 digits, not
/// all the same digit (placeholders such as `9999999999999999`), day 1–31 after subtracting 40 when it is
/// above 40 (so 41–71 is a woman's day; the sex in the registry is deliberately not consulted, because a
/// roster row has none), and month 1–12. Invalid NIKs never link and are never duplicates of each other,
/// so everything downstream works on the parsed number and an invalid NIK simply has none.
///
/// The number fits in 54 bits (< 10¹⁶) and is never 0 for a valid NIK (all zeros is all the same digit),
/// which lets callers use 0 as "no valid NIK".
public enum NIK {
    /// The NIK as a number when `s` (after trimming surrounding white space) is a valid NIK, else nil.
    /// Anything but exactly 16 ASCII digits — letters, 15 or 17 digits, `1.5E+15` from a spreadsheet,
    /// inner spaces — is invalid.
    public static func parseValid(_ s: String) -> UInt64? {
        if let parsed = s.utf8.withContiguousStorageIfAvailable({ parseValid(bytes: $0) }) { return parsed }
        var copy = s   // a bridged, non-contiguous string: make it native first
        return copy.withUTF8 { parseValid(bytes: $0) }
    }

    /// Byte version of `parseValid(_:)` for the engine's CSV pass: no allocation, no String.
    public static func parseValid(bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var lo = 0, hi = bytes.count
        while lo < hi, RosterText.isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, RosterText.isBlank(bytes[hi - 1]) { hi -= 1 }
        guard hi - lo == 16 else { return nil }
        var value: UInt64 = 0
        var allSame = true
        let first = bytes[lo]
        for i in lo..<hi {
            let b = bytes[i]
            let digit = b &- 0x30
            guard digit < 10 else { return nil }
            if b != first { allSame = false }
            value = value &* 10 &+ UInt64(digit)
        }
        guard !allSame else { return nil }
        var day = Int(bytes[lo + 6] &- 0x30) * 10 + Int(bytes[lo + 7] &- 0x30)
        let month = Int(bytes[lo + 8] &- 0x30) * 10 + Int(bytes[lo + 9] &- 0x30)
        if day > 40 { day -= 40 }
        guard (1...31).contains(day), (1...12).contains(month) else { return nil }
        return value
    }

    /// `parseValid` for a cell that is exactly 16 digits, already read as a number (`RosterTable`).
    @inline(__always)
    static func isValid(sixteenDigits v: UInt64) -> Bool {
        let repdigit: UInt64 = 1_111_111_111_111_111
        if v % repdigit == 0 { return false }   // all the same digit (v < 10¹⁶, so v ÷ repdigit ≤ 9)
        var day = Int(v / 100_000_000 % 100)
        let month = Int(v / 1_000_000 % 100)
        if day > 40 { day -= 40 }
        return (1...31).contains(day) && (1...12).contains(month)
    }

    /// The 16-digit text of a parsed NIK (leading zeros restored), for the restricted record lists.
    public static func text(_ nik: UInt64) -> String {
        let digits = String(nik)
        return digits.count >= 16 ? digits : String(repeating: "0", count: 16 - digits.count) + digits
    }
}
