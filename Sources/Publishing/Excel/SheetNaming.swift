/// Excel worksheet names for a report: valid (≤ 31 characters, none of `[ ] : * ? / \`, no leading or trailing
/// apostrophe, not "History") and unique ignoring case, as Excel requires. libxlsxwriter rejects an invalid name
/// only at run time, so names are made valid here rather than trusting table ids from a user's spec.
struct SheetNaming {
    static let maxLength = 31
    private static let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
    private var taken: Set<String> = []

    /// A valid name close to `wanted`, different from every name handed out before.
    mutating func name(for wanted: String) -> String {
        var base = String(wanted.map { Self.forbidden.contains($0) || $0.isNewline ? "_" : $0 })
        base = base.trimmingApostrophesAndSpaces()
        if base.isEmpty || base.lowercased() == "history" { base = "Sheet" + (base.isEmpty ? "" : " " + base) }
        var candidate = base.truncated(to: Self.maxLength).trimmingApostrophesAndSpaces()
        var counter = 2
        while taken.contains(candidate.lowercased()) {
            let suffix = "~\(counter)"
            candidate = base.truncated(to: Self.maxLength - suffix.count).trimmingApostrophesAndSpaces() + suffix
            counter += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    /// The reference to cell A1 of `sheet` in an `internal:` hyperlink; quotes are needed for names with spaces.
    static func internalLink(to sheet: String) -> String {
        "internal:'" + sheet.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'!A1"
    }
}

private extension String {
    /// At most `limit` UTF-16 units, cut between Unicode scalars: Excel counts UTF-16 units, libxlsxwriter counts
    /// scalars, and the UTF-16 count is never smaller, so this satisfies both.
    func truncated(to limit: Int) -> String {
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in unicodeScalars {
            let width = scalar.utf16.count
            if used + width > limit { break }
            out.append(scalar)
            used += width
        }
        return String(out)
    }

    func trimmingApostrophesAndSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == "'" || f == " " { s = s.dropFirst() }
        while let l = s.last, l == "'" || l == " " { s = s.dropLast() }
        return String(s)
    }
}
