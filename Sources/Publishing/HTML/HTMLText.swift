/// Text from data that HTML cannot carry. Mustache escapes `<`, `&` and quotes, but control characters
/// (a BEL in a village name typed into a spreadsheet) pass through, and HTML forbids them, as text and
/// as character references alike: the Nu validator rejects the page. They become U+FFFD, the replacement
/// character — visibly wrong, as the data is — in the whole rendered page (templates contain none).
enum HTMLText {
    static func withoutControlCharacters(_ html: String) -> String {
        // Bytes first: a forbidden scalar needs a byte below 0x20, DEL, or the lead byte 0xC2 of a C1 control.
        guard html.utf8.contains(where: { ($0 < 0x20 && $0 != 9 && $0 != 10 && $0 != 13) || $0 == 0x7F || $0 == 0xC2 }),
              html.unicodeScalars.contains(where: isForbidden) else { return html }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(html.unicodeScalars.count)
        for scalar in html.unicodeScalars { out.append(isForbidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(out)
    }

    /// C0 controls other than tab, line feed and carriage return; DEL; C1 controls.
    static func isForbidden(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }
}
