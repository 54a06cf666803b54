/// Cell text as ministries' rosters and hand-made CSVs deliver it: surrounded by stray white space.
///
/// The contract compares trimmed values (NIK, No. KK, programme names, Kemendagri codes). Only ASCII white
/// space is trimmed — spaces, tabs and line ends are what spreadsheets leave; anything else is content.
enum RosterText {
    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `s` without surrounding ASCII white space.
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let first = u.firstIndex(where: { !isBlank($0) }),
              let last = u.lastIndex(where: { !isBlank($0) }) else { return "" }
        if first == u.startIndex && last == u.index(before: u.endIndex) { return s }
        return String(decoding: u[first...last], as: UTF8.self)
    }

    /// True when `s` has something besides white space.
    static func hasContent(_ s: String) -> Bool { s.utf8.contains { !isBlank($0) } }
}
