/// The programme list of a run: the profile's programmes, then the programmes that only the roster names.
///
/// Contract §1.3: `penerima.csv` names `PKH`, `BPNT`, … "(others may appear; they are tabulated by name)".
/// Decisions where the contract is silent:
/// - Names are trimmed; a name equal to a profile programme ignoring case (`pkh`, `Pkh `) *is* that
///   programme and takes its canonical spelling, because ministries' exports differ in case only.
/// - Any other name is kept exactly as given (case included: `KUR` and `kur` are two programmes — we do
///   not guess that two unknown spellings mean the same thing) and becomes an extra programme after the
///   profile's, sorted by name, so the output order does not depend on row order. The caller warns about
///   them (`TargetingResult.unknownProgrammes`).
/// - An empty name, or one equal (ignoring case) to a reserved cube code (`ANY`, `_T`, `_Z`), cannot be a
///   dimension code without colliding with a total; such rows are not tabulated at all and are counted in
///   `TargetingResult.unusableProgrammeRows` for the caller to report.
public struct RosterProgrammes: Sendable {
    /// Codes the targeting and duplicates cubes use themselves (compared upper-cased); the data check
    /// reports roster rows naming one of them.
    public static let reservedCodes: Set<String> = [TargetingResult.anyProgramme, TargetingResult.totalCode, "_Z"]

    /// Profile programmes, then unknown roster programmes sorted by name.
    let all: [String]
    let profileCount: Int
    /// `all[profileCount...]`.
    var unknown: ArraySlice<String> { all[profileCount...] }
    /// Programme index of every roster row; nil for an empty or reserved name.
    let rowProgramme: RowProgrammes

    /// - Parameters:
    ///   - names: distinct programme texts as given in the roster;
    ///   - rowName: each row's index into `names`.
    init(profile: [String], names: [String], rowName: NarrowCodes) {
        var canonical: [String: Int32] = [:]
        for (i, p) in profile.enumerated() where canonical[p.lowercased()] == nil { canonical[p.lowercased()] = Int32(i) }
        // Resolve each distinct raw name once: rosters repeat a handful of names millions of times.
        enum Resolved { case profile(Int32), unknown(String), unusable }
        var byRaw: [String: Resolved] = [:]
        var unknownNames = Set<String>()
        for raw in names where byRaw[raw] == nil {
            let name = RosterText.trimmed(raw)
            let resolved: Resolved
            if let p = canonical[name.lowercased()] {
                resolved = .profile(p)
            } else if name.isEmpty || Self.reservedCodes.contains(name.uppercased()) {
                resolved = .unusable
            } else {
                resolved = .unknown(name); unknownNames.insert(name)
            }
            byRaw[raw] = resolved
        }
        let unknownSorted = unknownNames.sorted()
        var unknownIndex: [String: Int32] = [:]
        for (i, name) in unknownSorted.enumerated() { unknownIndex[name] = Int32(profile.count + i) }
        all = profile + unknownSorted
        profileCount = profile.count
        let programmeOfName: [UInt32] = names.map { raw in   // programme + 1; 0 for none
            switch byRaw[raw] {
            case .profile(let p): return UInt32(p) + 1
            case .unknown(let name): return unknownIndex[name].map { UInt32($0) + 1 } ?? 0
            case .unusable, .none: return 0
            }
        }
        rowProgramme = RowProgrammes(codes: NarrowCodes(rowName.lazy.map { programmeOfName[Int($0)] }))
    }

    /// One row per name (the database path resolves distinct names only).
    init(profile: [String], names: [String]) {
        self.init(profile: profile, names: names, rowName: NarrowCodes(names.indices.lazy.map(UInt32.init)))
    }
}

/// The programme of every roster row (an index of `RosterProgrammes.all`; nil for an empty or reserved
/// name) in one byte a row while there are fewer than 255 programmes — it was an `Int32?`, 8 bytes a row.
struct RowProgrammes: RandomAccessCollection, Sendable {
    /// Programme + 1; 0 for none.
    fileprivate let codes: NarrowCodes
    var startIndex: Int { 0 }
    var endIndex: Int { codes.count }

    @inline(__always)
    subscript(r: Int) -> Int32? {
        let c = codes[r]
        return c == 0 ? nil : Int32(c - 1)
    }

    /// The row's programme index, -1 for none: what sorting and indexing by programme compare.
    @inline(__always)
    func index(_ r: Int) -> Int { Int(codes[r]) - 1 }
}
