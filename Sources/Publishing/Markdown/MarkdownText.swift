/// Escaping of data text for GitHub-flavoured Markdown, and the heading anchors GitHub and pandoc generate.
///
/// Labels come from a user's spec and from the microdata, so a village named "a|b" must not split a table cell and a
/// label "<script>" must not become raw HTML when the notes are rendered.
enum MarkdownText {
    /// Characters that start Markdown syntax inside a line (emphasis, code, links, raw HTML, tables, strikethrough).
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~"]

    /// Escapes `text` for use inside a paragraph, heading, list item or table cell:
    /// - Markdown punctuation gets a backslash, so `a|b` stays one cell (`a\|b`);
    /// - `&` before something entity-like becomes `&amp;`, so "&lt;" in data is shown as typed;
    /// - line breaks and tabs become spaces, since a pipe-table row is one line;
    /// - leading and trailing spaces become `&#32;`, which GFM would otherwise trim from cells and headings;
    /// - a leading `#`, `+`, `-`, `=`, or a digit run followed by `.`/`)` and a space, is escaped so the text cannot
    ///   start a heading, list or setext underline where it stands at the start of a line or list item.
    static func escape(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let leading = flat.prefix { $0 == " " }.count
        let trailing = leading == flat.count ? 0 : flat.reversed().prefix { $0 == " " }.count
        let core = Array(flat.dropFirst(leading).dropLast(trailing))
        var out = ""
        for (i, c) in core.enumerated() {
            if special.contains(c) {
                out += "\\" + String(c)
            } else if c == "&", i + 1 < core.count, core[i + 1] == "#" || core[i + 1].isLetter {
                out += "&amp;"
            } else {
                out.append(c)
            }
        }
        if let first = core.first, "#+-=".contains(first) {
            out = "\\" + out
        } else if let dot = core.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot > 0, core[dot] == "." || core[dot] == ")",
                  dot + 1 == core.count || core[dot + 1] == " " {
            let digits = String(core[..<dot])
            out = digits + "\\" + String(out.dropFirst(digits.count))
        }
        return String(repeating: "&#32;", count: leading) + out + String(repeating: "&#32;", count: trailing)
    }

    /// Anchors of the headings of one Markdown document, generated the way GitHub and pandoc's `gfm` writer do:
    /// lower-cased, punctuation removed, spaces to hyphens, and "-1", "-2" appended to repeats.
    /// Headings must be registered in document order, including headings without links to them.
    struct Anchors {
        private var seen: [String: Int] = [:]

        mutating func anchor(for heading: String) -> String {
            var slug = ""
            for scalar in heading.lowercased().unicodeScalars {
                if scalar == " " {
                    slug += "-"
                } else if scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic
                            || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark {
                    slug.unicodeScalars.append(scalar)
                }
            }
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            return count == 0 ? slug : "\(slug)-\(count)"
        }
    }
}
