import Microdata
import Yams

/// `regtab codebook import`: a codebook in the format of `reports/regsosek/codebook.yml` from the
/// dictionaries of SPSS/Stata files — variable names, variable labels, value labels — for a user to
/// edit (translate the English labels, check the types, add ranges and aliases) and copy into a
/// report definition.
public enum CodebookImport {
    /// Types a variable gets: a numeric date format → date; numbers with value labels → code; other
    /// numbers → number; strings → text, or id for `identifiers` (the NIK and No. KK columns of a reference
    /// definition's layout, matched ignoring case). A variable that appears in several files (the family key
    /// in the member file) is written once, for the first file.
    public static func yaml(_ inputs: [(dictionary: SourceDictionary, file: SourceFile)], identifiers: Set<String> = []) -> String {
        let idNames = Set(identifiers.map { $0.lowercased() })
        var lines: [String] = [
            "# Codebook imported by `regtab codebook import` from \(inputs.map(\.dictionary.fileName).joined(separator: ", ")).",
            "# Edit before use: variable and value labels are copied into both languages (translate `en`);",
            "# check each `type` (code = value labels, number, text, date = YYYY-MM-DD, id = NIK / No. KK, never",
            "# published); add `range: [low, high]` to numbers with a valid range and `aliases: [OTHER_NAME]` to",
            "# variables whose column is named differently in other extracts. Derived variables (age groups …)",
            "# are not imported: copy them from reports/regsosek/codebook.yml.",
            "variables:",
        ]
        var seen = Set<String>()
        for (dictionary, file) in inputs {
            for v in dictionary.variables where seen.insert(v.name.lowercased()).inserted {
                let labels = dictionary.labels(of: v)
                let type: VariableType
                if v.isDate { type = .date }
                else if v.isNumeric { type = labels.isEmpty ? .number : .code }
                else { type = idNames.contains(v.name.lowercased()) ? .id : .text }
                let label = v.label.isEmpty ? v.name : v.label
                let head = "  \(key(v.name)):"
                if type == .code {
                    lines.append(head)
                    lines.append("    file: \(file.rawValue)")
                    lines.append("    type: code")
                    lines.append("    label: \(bilingual(label))")
                    lines.append("    values:")
                    var codes = Set<String>()
                    for l in labels where codes.insert(l.code).inserted {
                        lines.append("      \(quoted(l.code)): \(bilingual(l.label.isEmpty ? l.code : l.label))")
                    }
                } else {
                    lines.append("\(head) {file: \(file.rawValue), type: \(type.rawValue), label: \(bilingual(label))}")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads a codebook from YAML text exactly as `Profile.load` would (the import checks its own output
    /// with it, and a user can check an edited file).
    public static func load(yaml text: String, file: String = "codebook.yml") throws -> Codebook {
        let any: Any?
        do { any = try Yams.load(yaml: text) } catch {
            throw ProfileError(file: file, path: "", message: "not valid YAML: \(error)")
        }
        return try CodebookLoader.load(YAMLValue(any: any ?? [String: Any](), file: file, path: ""))
    }

    /// The file a dictionary describes, from its name (`keluarga.sav` → keluarga), or nil.
    public static func guessFile(_ fileName: String) -> SourceFile? {
        let stem = RecordSources.stem(fileName).lowercased()
        if stem.contains("keluarga") || stem.contains("family") || stem.contains("household") { return .keluarga }
        if stem.contains("anggota") || stem.contains("member") || stem.contains("person") { return .anggota }
        return nil
    }

    static func bilingual(_ s: String) -> String { "{id: \(quoted(s)), en: \(quoted(s))}" }

    /// A mapping key: bare when it is a plain identifier, quoted otherwise.
    static func key(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" }
            && !(("0"..."9").contains(s.unicodeScalars.first!))
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        return plain ? s : quoted(s)
    }

    /// A YAML double-quoted scalar: backslash, quote and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u.value == 0xFEFF {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
