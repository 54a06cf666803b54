/// Text from data that HTML cannot carry. Mustache escapes `<`, `&` and quotes, but control characters
/// (a BEL in a village name typed into a spreadsheet) pass through, and HTML forbids them, as text and
/// as character references alike: the Nu validator rejects the page. They become U+FFFD, the replacement
/// character — visibly wrong, as the data is — in the whole rendered page (templates contain none).
enum HTMLText {
    static func withoutControlCharacters(_ html: String) -> String {
        guard containsForbidden(html) else { return html }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(html.unicodeScalars.count)
        for scalar in html.unicodeScalars { out.append(isForbidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(out)
    }

    /// Whether `html` holds a forbidden scalar, read as UTF-8 bytes: a byte below 0x20 other than tab, line feed
    /// and carriage return, DEL, or a C1 control (0xC2 followed by 0x80–0x9F). Every page passes through here, and
    /// most hold a "·" (0xC2 0xB7), which made a test of the lead byte alone walk every page's scalars again.
    static func containsForbidden(_ html: String) -> Bool {
        html.utf8.withContiguousStorageIfAvailable { b -> Bool in
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x20 {
                    if c != 9 && c != 10 && c != 13 { return true }
                } else if c == 0x7F {
                    return true
                } else if c == 0xC2, i + 1 < b.count, b[i + 1] >= 0x80, b[i + 1] <= 0x9F {
                    return true
                }
                i += 1
            }
            return false
        } ?? html.unicodeScalars.contains(where: isForbidden)
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
