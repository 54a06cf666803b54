/// Whether a rule value is a number or a truth value. Type checking happens once at compile time so a
/// misspelt rule fails when the profile loads, not halfway through ten million records.
public enum RuleValueType: Sendable, Hashable { case number, boolean }

/// Which record a variable belongs to: the family (`keluarga.csv`) or one member (`anggota.csv`).
public enum RuleScope: Sendable, Hashable { case family, member }

/// The variables a rule may read, and where the engine keeps their values.
///
/// The engine hands values over as two flat `Double` buffers (family, member) in the order given here,
/// so a compiled rule reads a variable by position and never by name.
public struct RuleSchema: Sendable {
    public struct Entry: Sendable, Hashable {
        public let name: String
        public let scope: RuleScope
        public let type: RuleValueType
        /// Position within its scope's value buffer.
        public let index: Int
        /// Texts the variable's values stand for (value = position + 1), e.g. an area attribute
        /// `area.jenis` = [`desa`, `kelurahan`]: rules may compare it with a text (`area.jenis = "desa"`),
        /// which is checked against this list when the rule compiles.
        public var texts: [String]? = nil
    }

    public let entries: [Entry]
    public let familyCount: Int
    public let memberCount: Int
    private let familyByName: [String: Entry]
    private let memberByName: [String: Entry]

    /// Variables in order; family variables are numbered 0..<familyCount and member variables
    /// 0..<memberCount, each in the order they appear. A repeated name within one scope keeps its first
    /// position (later duplicates are unreachable by name but still occupy their slot).
    public init(variables: [(name: String, scope: RuleScope, type: RuleValueType)], texts: [String: [String]] = [:]) {
        var entries: [Entry] = []
        var family: [String: Entry] = [:], member: [String: Entry] = [:]
        var nf = 0, nm = 0
        for v in variables {
            let e: Entry
            switch v.scope {
            case .family:
                e = Entry(name: v.name, scope: .family, type: v.type, index: nf, texts: texts[v.name]); nf += 1
                if family[v.name] == nil { family[v.name] = e }
            case .member:
                e = Entry(name: v.name, scope: .member, type: v.type, index: nm); nm += 1
                if member[v.name] == nil { member[v.name] = e }
            }
            entries.append(e)
        }
        self.entries = entries
        familyCount = nf
        memberCount = nm
        familyByName = family
        memberByName = member
    }

    /// Resolves a name. When both scopes hold it, the member variable wins where members are in view
    /// (quantifier bodies, member-level rules) and the family variable elsewhere.
    func lookup(_ name: String, preferMember: Bool) -> Entry? {
        preferMember ? (memberByName[name] ?? familyByName[name]) : (familyByName[name] ?? memberByName[name])
    }
}

/// "Did you mean" support shared by the parser (keywords) and the compiler (variables).
enum RuleNames {
    /// Up to three candidates closest to `name` by edit distance, best first; only reasonably close ones
    /// (distance ≤ max(1, length/3)), or candidates equal ignoring case.
    static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty, target.count <= 64 else { return [] }
        let threshold = max(1, target.count / 3)
        var scored: [(distance: Int, name: String)] = []
        for c in Set(candidates) {
            let cand = Array(c.lowercased().unicodeScalars)
            guard abs(cand.count - target.count) <= threshold else { continue }
            let d = distance(target, cand)
            if d <= threshold { scored.append((d, c)) }
        }
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
    }

    /// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (`dseil` → `desil`
    /// is one typo, not two).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
                row[j] = d
            }
            before = previous
            previous = row
        }
        return previous[b.count]
    }
}
