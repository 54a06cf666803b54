/// Unique, valid HTML ids derived from spec ids: only letters, digits, `-` and `_` are kept, and repeats get a
/// numeric suffix, so two tables with similar ids still get distinct link targets.
struct ElementIDs {
    private var used: Set<String> = []

    mutating func make(_ wanted: String) -> String {
        var base = String(wanted.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
        if base.isEmpty { base = "id" }
        var candidate = base
        var counter = 2
        while used.contains(candidate) { candidate = "\(base)-\(counter)"; counter += 1 }
        used.insert(candidate)
        return candidate
    }
}
