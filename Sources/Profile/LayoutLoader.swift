/// Reads the codebook's `layout:` section into a `Layout` and checks it against the codebook's variables,
/// so a wrong role is an error naming its place in `codebook.yml` when the definition loads.
enum LayoutLoader {
    static func load(_ v: YAMLValue, variables: [Variable]) throws -> Layout {
        let byName = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let files = try v.required("files")
        func stem(_ key: String) throws -> String {
            let s = try files.string(key)
            guard !s.isEmpty, !s.contains("/"), !s.contains(".") else { throw files.fail("'\(key)' must be a file name without folder or extension") }
            return s
        }
        func optional(_ key: String) throws -> String? {
            guard let c = v.child(key) else { return nil }
            guard let s = c.string, !s.isEmpty else { throw c.fail("expected a variable or column name") }
            return s
        }
        /// A role with a code: `{variable: r409, head: 1}`.
        func coded(_ key: String, codes: [String]) throws -> (String, [Int])? {
            guard let c = v.child(key) else { return nil }
            let name = try c.string("variable")
            let values = try codes.map { k -> Int in
                guard let d = try c.required(k).double, let i = Int(exactly: d) else { throw c.fail("'\(k)' must be an integer code") }
                return i
            }
            return (name, values)
        }
        func parts(_ key: String) throws -> [Layout.KeyPart] {
            let p = try v.required(key)
            guard let names = p.child("variables")?.list?.compactMap(\.string), !names.isEmpty else {
                throw p.fail("'variables' must list one or more variables")
            }
            let digits: [Int]
            if let d = p.child("digits") {
                guard let l = d.list?.compactMap({ $0.double.flatMap { Int(exactly: $0) } }), l.count == names.count,
                      l.allSatisfy({ $0 >= 0 && $0 <= 18 }) else {
                    throw d.fail("'digits' must give one width (0–18; 0 = any integer) per variable")
                }
                digits = l
            } else { digits = Array(repeating: 0, count: names.count) }
            for n in names {
                guard let variable = byName[n] else { throw p.fail("'\(n)' is not a variable of the codebook") }
                guard variable.file == .keluarga else { throw p.fail("'\(n)' must be a family variable (file: keluarga)") }
            }
            return zip(names, digits).map { Layout.KeyPart(variable: $0, digits: $1) }
        }
        let relation = try coded("relation", codes: ["head"])
        let sex = try coded("sex", codes: ["male", "female"])
        let rc = try v.required("roster_columns"), ac = try v.required("area_columns")
        let layout = Layout(
            familyFile: try stem("family"), memberFile: try stem("member"), rosterFile: try stem("roster"), areaFile: try stem("area"),
            familyID: try parts("family_id"), area: try parts("area"),
            memberSerial: try optional("member_serial"), presence: try optional("presence"),
            relation: relation?.0, headCode: relation?.1[0] ?? 1,
            nik: try optional("national_id"), familyCard: try optional("family_card"), name: try optional("name"),
            memberCount: try optional("member_count"), birthDate: try optional("birth_date"),
            sex: sex?.0, maleCode: sex?.1[0] ?? 1, femaleCode: sex?.1[1] ?? 2,
            roster: .init(program: try rc.string("program"), nik: try rc.string("national_id"), familyCard: try rc.string("family_card"),
                          village: try rc.string("village"), name: rc.child("name")?.string, period: rc.child("period")?.string),
            areas: .init(kecamatanCode: try ac.string("kecamatan_code"), kecamatanName: try ac.string("kecamatan_name"),
                         kecamatanKemendagri: try ac.string("kecamatan_kemendagri"), villageCode: try ac.string("village_code"),
                         villageName: try ac.string("village_name"), villageKemendagri: try ac.string("village_kemendagri"),
                         kind: ac.child("kind")?.string))
        try check(layout, byName: byName, at: v)
        return layout
    }

    /// What `FamilyKey` can hold: one text identifier of at most 16 bytes, or integers — the area code
    /// (10 digits) or one part of at most 10 digits leading the key, then up to three parts (1–6 digits,
    /// then up to 2³¹−1 each).
    private static func check(_ l: Layout, byName: [String: Variable], at v: YAMLValue) throws {
        let area = l.area.map(\.digits)
        guard area.allSatisfy({ $0 > 0 }), area.reduce(0, +) == 10 else {
            throw v.fail("area: the parts' 'digits' must add up to the 10 digits of a BPS village code")
        }
        let types = l.familyID.map { byName[$0.variable]!.type }
        if types.contains(where: { $0 == .text || $0 == .id }) {
            guard l.familyID.count == 1 else { throw v.fail("family_id: a text identifier must be the only part") }
            return
        }
        guard types.allSatisfy({ $0 == .code || $0 == .number }) else {
            throw v.fail("family_id: parts must be code or number variables, or one text variable")
        }
        let lead = l.areaLeadsFamilyID ? l.area.count : 1
        let rest = Array(l.familyID.dropFirst(lead))
        guard l.areaLeadsFamilyID || l.familyID[0].digits <= 10 else { throw v.fail("family_id: the first part has at most 10 digits") }
        guard rest.count <= 3, rest.allSatisfy({ $0.digits <= 9 }), rest.first.map({ $0.digits >= 1 && $0.digits <= 6 }) ?? true else {
            throw v.fail("family_id: after the area (or the first part) at most three parts: the first of 1 to 6 digits, the others of at most 9 (0 = any integer)")
        }
    }
}
