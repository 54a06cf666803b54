import Microdata

/// Which column of an input holds each variable the profile reads from it.
///
/// A variable is found by its name or by one of its codebook `aliases`, ignoring case and surrounding
/// blanks (`R403`, `nik` and ` r403 ` all find `r403`), so last year's header or a ministry's export
/// still works. Columns that are missing are one error naming all of them together with the header's
/// columns that matched nothing — usually the renamed ones — so a user fixes the header in one go.
public struct ColumnMap: Sendable {
    public let fileName: String
    public let headerLine: Int
    /// Header names, in file order.
    public let header: [String]
    private let byVariable: [String: Int]
    /// Header columns that no expected variable claimed (by name or alias), in file order.
    public let unexpected: [String]
    /// Optional variables of the file (text, date, id: names, birth dates, NIK, No. KK) with no column.
    public let missingOptional: [String]

    /// Resolves the variables of `file` plus the `keys` (family key columns, which the member file
    /// repeats although the codebook lists them under keluarga). Key, code and number variables are
    /// required; a missing one is an `InputError` on the header line listing all missing and all
    /// unexpected columns.
    public init(source: any RecordSource, codebook: Codebook, file: SourceFile, keys: [String]) throws {
        fileName = source.fileName
        headerLine = source.headerLine
        header = source.header
        var expected: [(name: String, candidates: [String], required: Bool)] = []
        for k in keys {
            expected.append((k, codebook.variable(k)?.columnCandidates ?? [k], true))
        }
        for v in codebook.variables where v.file == file && !keys.contains(v.name) {
            expected.append((v.name, v.columnCandidates, v.type == .code || v.type == .number))
        }
        var map: [String: Int] = [:]
        var claimed = Set<Int>()
        var missing: [(String, [String])] = [], optional: [String] = []
        for e in expected {
            if let c = e.candidates.lazy.compactMap({ source.columnIndex($0) }).first {
                map[e.name] = c
                claimed.insert(c)
            } else if e.required {
                missing.append((e.candidates[0], Array(e.candidates.dropFirst())))
            } else {
                optional.append(e.name)
            }
        }
        // Repeated names are claimed by their first occurrence; the later copies count as unexpected.
        unexpected = header.enumerated().filter { !claimed.contains($0.offset) && !$0.element.isEmpty }.map(\.element)
        guard missing.isEmpty else {
            let names = missing.map { name, aliases in aliases.isEmpty ? name : "\(name) (or \(aliases.joined(separator: ", ")))" }
            let extra = unexpected.isEmpty ? "no unexpected columns there"
                : "unexpected column(s) there: " + unexpected.prefix(40).map { "'\($0)'" }.joined(separator: ", ")
                    + (unexpected.count > 40 ? " and \(unexpected.count - 40) more" : "")
            // One header "column" holding separators: the file was split on the wrong delimiter.
            let hint = header.count == 1 && header[0].contains(where: { $0 == "," || $0 == ";" || $0 == "\t" })
                ? " (the whole header is one column: pass --delimiter)" : ""
            throw InputError(file: fileName, line: headerLine,
                             expected: "the column(s) \(names.joined(separator: ", ")) in the header; \(extra)\(hint)")
        }
        byVariable = map
        missingOptional = optional
    }

    /// Position of the column holding `variable`, nil when the input has none.
    public func column(_ variable: String) -> Int? { byVariable[variable] }

    /// Name the column of `variable` has in this input (the alias actually used), for messages.
    public func columnName(_ variable: String) -> String {
        guard let c = byVariable[variable], c < header.count else { return variable }
        return header[c]
    }
}
