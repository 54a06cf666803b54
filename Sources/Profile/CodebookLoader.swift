import Foundation

/// Reads `codebook.yml` into a `Codebook`.
enum CodebookLoader {
    static func load(_ root: YAMLValue) throws -> Codebook {
        guard let vars = try root.required("variables").entries else { throw root.fail("'variables' must be a mapping") }
        var variables: [Variable] = []
        for (name, v) in vars {
            guard let fileName = v.child("file")?.string, let file = SourceFile(rawValue: fileName) else {
                throw v.fail("'file' must be keluarga or anggota")
            }
            guard let typeName = v.child("type")?.string, let type = VariableType(rawValue: typeName) else {
                throw v.fail("'type' must be one of code, number, text, date, id")
            }
            var range: ClosedRange<Double>?
            if let r = v.child("range") {
                guard let l = r.list, l.count == 2, let lo = l[0].double, let hi = l[1].double, lo <= hi else {
                    throw r.fail("expected [low, high]")
                }
                range = lo...hi
            }
            var aliases: [String] = []
            if let a = v.child("aliases") {
                guard let l = a.list, let names = Optional(l.compactMap(\.string)), names.count == l.count,
                      names.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                    throw a.fail("expected a list of column names, e.g. [R403, nik]")
                }
                aliases = names.map { $0.trimmingCharacters(in: .whitespaces) }
            }
            var recode: [(from: String, to: Double)] = []
            if let r = v.child("recode") {
                guard let entries = r.entries, let pairs = Optional(entries.compactMap { e in e.value.double.map { (e.key.trimmingCharacters(in: .whitespaces), $0) } }),
                      pairs.count == entries.count, type == .code else {
                    throw r.fail("expected a mapping of input codes to codes of a code variable, e.g. {L: 1, P: 2}")
                }
                recode = pairs
            }
            let column = v.child("column")?.string?.trimmingCharacters(in: .whitespaces)
            if let column, column.isEmpty { throw v.fail("'column' must name a column") }
            variables.append(Variable(name: name, file: file, type: type, label: try v.bilingual("label"),
                                      values: try valueLabels(v), missingLabel: v.child("missing")?.bilingual ?? .notStated,
                                      range: range, aliases: aliases, column: column, recode: recode))
        }
        variables.sort { $0.name < $1.name }
        // A column name (name or alias, ignoring case) may stand for one variable only.
        var owner: [String: String] = [:]
        for v in variables { owner[(v.column ?? v.name).lowercased()] = v.name }
        for v in variables {
            for a in v.aliases {
                if let other = owner[a.lowercased()], other != v.name || a.lowercased() != (v.column ?? v.name).lowercased() {
                    throw ProfileError(file: root.file, path: "variables.\(v.name).aliases",
                                       message: "alias '\(a)' is already the name or an alias of '\(other)'")
                }
                owner[a.lowercased()] = v.name
            }
        }
        var derived: [DerivedVariable] = []
        for (name, d) in root.child("derived")?.entries ?? [] {
            if variables.contains(where: { $0.name == name }) { throw d.fail("'\(name)' is already an input variable") }
            guard let scopeName = d.child("scope")?.string, let scope = SourceFile(rawValue: scopeName == "member" ? "anggota" : scopeName == "family" ? "keluarga" : scopeName) else {
                throw d.fail("'scope' must be member or family")
            }
            let derivation: Derivation
            var values = try valueLabels(d)
            if let a = d.child("alias")?.string {
                guard variables.contains(where: { $0.name == a }) else { throw d.fail("alias of unknown variable '\(a)'") }
                derivation = .alias(a)
            } else if let b = d.child("bins") {
                let of = try b.string("of")
                guard let src = variables.first(where: { $0.name == of }), src.type == .number else {
                    throw b.fail("'of' must name a number variable")
                }
                guard let breaks = b.child("breaks")?.list?.compactMap(\.double), breaks.count >= 1,
                      zip(breaks, breaks.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw b.fail("'breaks' must be increasing numbers")
                }
                guard let codes = b.child("codes")?.list?.compactMap(\.string), codes.count == breaks.count else {
                    throw b.fail("'codes' must give one code per break")
                }
                derivation = .bins(of: of, breaks: breaks, codes: codes, upper: b.child("upper")?.double)
                if values.isEmpty { values = codes.map { ValueLabel(code: $0, label: Bilingual($0)) } }
            } else if let r = d.child("rule")?.string {
                derivation = .rule(r)
                if values.isEmpty {
                    values = [ValueLabel(code: "1", label: Bilingual(id: "Ya", en: "Yes")),
                              ValueLabel(code: "2", label: Bilingual(id: "Tidak", en: "No"))]
                }
            } else {
                throw d.fail("a derived variable needs one of 'alias', 'bins', 'rule'")
            }
            derived.append(DerivedVariable(name: name, scope: scope, label: try d.bilingual("label"), derivation: derivation,
                                           values: values, missingLabel: d.child("missing")?.bilingual ?? .notStated))
        }
        derived.sort { $0.name < $1.name }
        let layout = try root.child("layout").map { try LayoutLoader.load($0, variables: variables) }
        return Codebook(variables: variables, derived: derived, layout: layout)
    }

    /// Value labels sorted the way a reader expects: numeric codes numerically, then text codes.
    private static func valueLabels(_ v: YAMLValue) throws -> [ValueLabel] {
        guard let values = v.child("values") else { return [] }
        guard let entries = values.entries else { throw values.fail("'values' must map codes to labels") }
        var out: [ValueLabel] = []
        for (code, label) in entries {
            guard let b = label.bilingual else { throw label.fail("expected a label {id: ..., en: ...}") }
            out.append(ValueLabel(code: Int(code).map(String.init) ?? code, label: b))
        }
        return out.sorted { a, b in
            switch (Int(a.code), Int(b.code)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.code < b.code
            }
        }
    }
}
