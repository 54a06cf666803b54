import Foundation

/// Size and seed of the synthetic registry written by `regtab demo`.
public struct DemoOptions: Sendable {
    /// Number of rows in `keluarga.csv` (≈ 2.9 current members each).
    public var families: Int = 140_000
    /// Same seed and size → byte-identical files.
    public var seed: UInt64 = 20_221_015

    public init(families: Int = 140_000, seed: UInt64 = 20_221_015) {
        self.families = families
        self.seed = seed
    }
}

/// What `DemoRegistry.write` produced.
public struct DemoSummary: Sendable {
    /// Rows of `keluarga.csv`.
    public var families: Int
    /// Rows of `anggota.csv` (all presence codes, including the orphan rows).
    public var persons: Int
    /// Rows of `penerima.csv`.
    public var rosterRows: Int
    /// Paths of keluarga.csv, anggota.csv, penerima.csv, wilayah.csv.
    public var files: [String]
    /// How many records of each planted defect were written (keys listed on `DemoRegistry`), so
    /// a demo run can say what the report ought to find and tests can check the reader against it.
    public var defects: [String: Int]

    public init(families: Int, persons: Int, rosterRows: Int, files: [String], defects: [String: Int] = [:]) {
        self.families = families
        self.persons = persons
        self.rosterRows = rosterRows
        self.files = files
        self.defects = defects
    }
}

/// A realistic synthetic Regsosek 2022 extract for Kabupaten Muaro Jambi (the 155 real villages),
/// with the defects real extracts and ministry rosters have, so that `regtab demo` shows every
/// table, note and accounting line the product can produce without touching personal data.
///
/// Planted defects (keys of `DemoSummary.defects`), at small rates, all present from ~20,000
/// families up:
/// - registry: `keluarga_leading_zero_rows`, `anggota_leading_zero_rows` (codes written `01`),
///   `empty_r405`, `empty_r406`, `empty_r407`, `empty_desil`, `empty_r302`, `empty_nik`,
///   `malformed_nik` (15 digits, a letter, all 9s, day 00), `empty_kk`, `nik_in_two_families`,
///   `unknown_village_families` (`r104` = 999), `orphan_members` (family row missing),
///   `name_with_comma`, `name_with_quotes`, `name_with_line_break`, `name_with_equals`;
/// - rosters: `roster_duplicate_same_period`, `roster_duplicate_cross_period`,
///   `roster_family_twice` (a second member's NIK on a family-level list), `roster_invalid_nik`
///   (No. KK still valid), `roster_empty_nik`, `roster_unmatched`, `roster_other_program` (KUR),
///   `blt_with_pkh_or_bpnt` (families on BLT_DESA and on PKH or BPNT).
public enum DemoRegistry {
    /// Writes keluarga.csv, anggota.csv, penerima.csv, wilayah.csv (contract §1 columns, in that
    /// header order) into `directory` (created if missing).
    public static func write(options: DemoOptions, to directory: String) throws -> DemoSummary {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var generator = RegistryGenerator(options: options, directory: directory)
        return try generator.run()
    }

    static let keluargaHeader = "r101,r102,r103,r104,r105,r109,r110,r112,r114,desil,r301a,r302,r303,r304,r305,"
        + "r306a,r307a,r308,r309a,r501a,r501b,r501c"
    static let anggotaHeader = "r101,r102,r103,r104,r105,r109,r110,r401,r402,r403,r404,r405,r406,r407,r408,r409,"
        + "r410,r412,r415,r416a,r417,r418,r428a,r428b,r428c,r428d,r428e,r428f,r428g,r428h,r428i,r430,r431a,r431e"
    static let penerimaHeader = "program,nik,no_kk,nama,kode_desa_kemendagri,periode"
}

/// Counts of what was planted (see `DemoRegistry`).
struct DefectCounts {
    var keluargaLeadingZero = 0, anggotaLeadingZero = 0
    var emptySex = 0, emptyBirth = 0, emptyAge = 0, emptyDesil = 0, emptyArea = 0
    var emptyNIK = 0, malformedNIK = 0, emptyKK = 0, nikInTwoFamilies = 0
    var unknownVillage = 0, orphanMembers = 0
    var nameComma = 0, nameQuotes = 0, nameLineBreak = 0, nameEquals = 0
    var rosterDuplicateSame = 0, rosterDuplicateCross = 0, rosterFamilyTwice = 0
    var rosterInvalidNIK = 0, rosterEmptyNIK = 0, rosterUnmatched = 0, rosterOther = 0
    var bltWithPKHorBPNT = 0

    var dictionary: [String: Int] {
        [
            "keluarga_leading_zero_rows": keluargaLeadingZero, "anggota_leading_zero_rows": anggotaLeadingZero,
            "empty_r405": emptySex, "empty_r406": emptyBirth, "empty_r407": emptyAge, "empty_desil": emptyDesil,
            "empty_r302": emptyArea, "empty_nik": emptyNIK, "malformed_nik": malformedNIK, "empty_kk": emptyKK,
            "nik_in_two_families": nikInTwoFamilies, "unknown_village_families": unknownVillage,
            "orphan_members": orphanMembers, "name_with_comma": nameComma, "name_with_quotes": nameQuotes,
            "name_with_line_break": nameLineBreak, "name_with_equals": nameEquals,
            "roster_duplicate_same_period": rosterDuplicateSame,
            "roster_duplicate_cross_period": rosterDuplicateCross, "roster_family_twice": rosterFamilyTwice,
            "roster_invalid_nik": rosterInvalidNIK, "roster_empty_nik": rosterEmptyNIK,
            "roster_unmatched": rosterUnmatched, "roster_other_program": rosterOther,
            "blt_with_pkh_or_bpnt": bltWithPKHorBPNT,
        ]
    }
}

/// The whole generation run. A struct with mutating methods (not a class) so the hot loop's
/// buffer appends are statically exclusive and need no runtime access checks.
struct RegistryGenerator {
    var rng: SplitMix64
    let options: DemoOptions
    let directory: String
    let geography: DemoGeography

    var members: [Member] = []
    var shareCandidate: (member: Member, village: Int)?
    var defects = DefectCounts()

    /// Serial counters for NIK (region × birth day × sex) and No. KK (kecamatan × issue day).
    var nikSerials: [UInt16]
    var kkSerials: [UInt16]
    /// 6-digit Kemendagri region codes: the 11 kecamatan, then `outsideRegions`.
    let regionCodes: [Int]
    /// Adults who registered elsewhere keep that NIK region (Kota Jambi, Java, North Sumatra…).
    static let outsideRegions = [157_101, 157_104, 331_012, 350_702, 121_205, 137_102, 167_103]
    static let nikFirstDay = daysFromCivil(1920, 1, 1)
    static let nikDaySpan = daysFromCivil(2022, 10, 16) - daysFromCivil(1920, 1, 1)
    static let kkFirstDay = daysFromCivil(2009, 1, 1)
    static let kkDaySpan = daysFromCivil(2022, 10, 1) - daysFromCivil(2009, 1, 1)

    let industryTables: [Categorical]
    /// `housingTables[variable][level]`, variables in keluarga column order r301a, r303 … r309a.
    let housingTables: [[Categorical]]

    var familyOut: [UInt8] = []
    var memberOut: [UInt8] = []
    var rosterOut: [[UInt8]] = Array(repeating: [], count: 6)
    var nameBytes: [UInt8] = []
    var keyPrefix: [UInt8] = []

    var familyRows = 0, memberRows = 0, rosterRows = 0

    static let programs = ["PKH", "BPNT", "BLT_DESA", "PBI_JKN", "PIP", "KUR"].map { Array($0.utf8) }
    static let periods = ["2022-S1", "2022-S2"].map { Array($0.utf8) }
    enum Program { static let pkh = 0, bpnt = 1, blt = 2, pbi = 3, pip = 4, kur = 5 }

    init(options: DemoOptions, directory: String) {
        self.options = options
        self.directory = directory
        rng = SplitMix64(seed: options.seed, stream: 2)
        geography = DemoGeography.muaroJambi()
        regionCodes = geography.kecamatans.map(\.kemendagri) + RegistryGenerator.outsideRegions
        nikSerials = [UInt16](repeating: 0, count: regionCodes.count * RegistryGenerator.nikDaySpan * 2)
        kkSerials = [UInt16](repeating: 0, count: geography.kecamatans.count * RegistryGenerator.kkDaySpan)
        industryTables = RegistryGenerator.makeIndustryTables()
        housingTables = RegistryGenerator.makeHousingTables()
        familyOut.reserveCapacity(ChunkedFile.flushThreshold + 4096)
        memberOut.reserveCapacity(ChunkedFile.flushThreshold + 65_536)
    }

    // MARK: Run

    mutating func run() throws -> DemoSummary {
        let directory = self.directory
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let familyFile = try ChunkedFile(path: path("keluarga.csv"))
        let memberFile = try ChunkedFile(path: path("anggota.csv"))
        let partPaths = RegistryGenerator.programs.indices.map { path(".penerima-part-\($0).tmp") }
        let rosterParts = try partPaths.map { try ChunkedFile(path: $0) }
        familyOut.append(contentsOf: Array(DemoRegistry.keluargaHeader.utf8)); familyOut.newline()
        memberOut.append(contentsOf: Array(DemoRegistry.anggotaHeader.utf8)); memberOut.newline()

        // Structural defects placed at chosen families (quotas, so each exists at any decent size).
        let total = max(0, options.families)
        func quota(_ per: Int, _ minimum: Int) -> Int { total >= 1_000 ? max(minimum, total / per) : total / per }
        let unknownVillages = quota(25_000, 3)
        let regular = total - unknownVillages
        let perVillage = geography.allocate(total: regular)
        var marks = SpecialMarks()
        marks.unknownVillage = pickIndices(unknownVillages, below: regular)
        marks.orphan = pickIndices(quota(10_000, 2), below: regular)
        marks.kur = pickIndices(quota(10_000, 3), below: regular)
        marks.lineBreak = pickIndices(quota(40_000, 1), below: regular)
        marks.equals = pickIndices(quota(40_000, 1), below: regular)

        var index = 0
        var unknownSerial = 0
        for village in geography.villages.indices where perVillage[village] > 0 {
            var sls = SLSCursor()
            for _ in 0..<perVillage[village] {
                let (r105, r109, r110) = sls.next(&rng)
                setKey(village: village, r104: nil, r105: r105, r109: r109, r110: r110)
                family(village: village, index: index, marks: marks, writeFamilyRow: true)
                if marks.unknownVillage.contains(index) {
                    // Typed with a village code that does not exist (contract §2: an input error).
                    unknownSerial += 1
                    setKey(village: village, r104: Array("999".utf8), r105: 100, r109: unknownSerial, r110: 1)
                    family(village: village, index: -1, marks: marks, writeFamilyRow: true)
                    defects.unknownVillage += 1
                }
                if marks.orphan.contains(index) {
                    // The family's K form was lost in data entry: its members have no family row.
                    let (o105, o109, o110) = sls.next(&rng)
                    setKey(village: village, r104: nil, r105: o105, r109: o109, r110: o110)
                    let before = memberRows
                    family(village: village, index: -1, marks: marks, writeFamilyRow: false)
                    defects.orphanMembers += memberRows - before
                }
                index += 1
                try familyFile.drain(&familyOut)
                try memberFile.drain(&memberOut)
                for p in rosterParts.indices { try rosterParts[p].drain(&rosterOut[p]) }
            }
        }
        try familyFile.flush(&familyOut); try familyFile.close()
        try memberFile.flush(&memberOut); try memberFile.close()
        for p in rosterParts.indices { try rosterParts[p].flush(&rosterOut[p]); try rosterParts[p].close() }

        // Ministry lists are per programme: concatenate the parts in programme order.
        let rosterFile = try ChunkedFile(path: path("penerima.csv"))
        var buffer = Array((DemoRegistry.penerimaHeader + "\n").utf8)
        try rosterFile.flush(&buffer)
        for part in partPaths {
            let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: part))
            while let chunk = try reader.read(upToCount: 4 << 20), !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
                try rosterFile.flush(&buffer)
            }
            try reader.close()
            try FileManager.default.removeItem(atPath: part)
        }
        try rosterFile.close()

        var wilayah = wilayahMuaroJambiCSV
        if !wilayah.hasSuffix("\n") { wilayah += "\n" }
        try Data(wilayah.utf8).write(to: URL(fileURLWithPath: path("wilayah.csv")))

        return DemoSummary(families: familyRows, persons: memberRows, rosterRows: rosterRows,
                           files: ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"].map(path),
                           defects: defects.dictionary)
    }

    /// `count` distinct family indices in `0..<n` (only ever queried, never iterated, so the
    /// set's per-process hash order cannot leak into the output).
    private mutating func pickIndices(_ count: Int, below n: Int) -> Set<Int> {
        var set = Set<Int>()
        guard n > 0 else { return set }
        while set.count < min(count, n) { set.insert(rng.below(n)) }
        return set
    }

    /// `15,05,r103,r104,r105,r109,r110,` — written at the start of the family row and every member row.
    private mutating func setKey(village: Int, r104: [UInt8]?, r105: Int, r109: Int, r110: Int) {
        let v = geography.villages[village]
        keyPrefix.removeAll(keepingCapacity: true)
        keyPrefix.append(contentsOf: [49, 53, 44, 48, 53, 44])  // "15,05,"
        keyPrefix.append(contentsOf: v.r103); keyPrefix.comma()
        keyPrefix.append(contentsOf: r104 ?? v.r104); keyPrefix.comma()
        keyPrefix.putPadded(r105, width: 6); keyPrefix.comma()
        keyPrefix.putInt(r109); keyPrefix.comma()
        keyPrefix.putInt(r110); keyPrefix.comma()
    }

    // MARK: One family

    private mutating func family(village: Int, index: Int, marks: SpecialMarks, writeFamilyRow: Bool) {
        let v = geography.villages[village]
        let naming = composeFamily(village: village)
        var facts = FamilyFacts()
        facts.naming = naming

        // Identity of every member; a copied (shared) member keeps the NIK of its first family.
        for i in members.indices where !members[i].shared {
            var m = members[i]
            assignBirth(&m)
            assignNIK(&m, kecamatan: v.kecamatan)
            m.hideAge = rng.chance(0.003)
            m.hideBirth = rng.chance(0.008)
            m.hideSex = rng.chance(0.001)
            members[i] = m
        }
        if index >= 0 && marks.lineBreak.contains(index) {
            if members[0].name.joiner != .space {
                members[0].name.joiner = .space
                members[0].name.secondList = members[0].sex == 2 ? .femaleSecond : .maleSecond
                members[0].name.second = rng.pick(members[0].name.secondList)
            }
            members[0].name.flaw = .lineBreak
        } else if index >= 0 && marks.equals.contains(index) {
            members[0].name.flaw = .leadingEquals
        }
        for i in members.indices where !members[i].shared && members[i].name.flaw == .none {
            let r = rng.unit()
            if r < 0.003 && members[i].name.joiner == .space {
                members[i].name.flaw = .commaSurnameFirst
            } else if r > 0.998 {
                members[i].name.flaw = .quotedNickname
                members[i].name.nickname = rng.pick(.nickname)
            }
        }

        // Welfare: a village effect plus family circumstances plus luck.
        var currentCount = 0, youngChildren = 0
        for m in members where m.isCurrent {
            currentCount += 1
            if m.age < 15 { youngChildren += 1 }
        }
        let head = members[0]
        var richness = rng.unit() - v.povertyTilt
        richness -= 0.035 * Double(max(0, youngChildren - 2))
        if head.age >= 65 && currentCount == 1 { richness -= 0.08 }
        if head.sex == 2 && head.marital != 2 { richness -= 0.05 }
        facts.level = min(9, max(0, Int((richness * 10).rounded(.down))))
        facts.ranked = !rng.chance(0.02)
        let poorness = 1 - Double(facts.level) / 9

        for i in members.indices where members[i].isCurrent {
            var m = members[i]
            assignEducation(&m, poorness: poorness)
            assignWork(&m, poorness: poorness, urban: v.isKelurahan)
            assignHealth(&m)
            members[i] = m
        }
        var employed = false
        for m in members where m.isCurrent {
            if m.pregnant == 1 || m.age <= 6 || (m.age >= 6 && m.age <= 21 && m.school == 2) || m.age >= 60 || m.disabled {
                facts.pkhQualifies = true
            }
            if m.workStatus == 4 || m.workStatus == 5 { employed = true }
        }
        assignPrograms(&facts, kelurahan: v.isKelurahan)
        assignInsurance(facts: facts, employed: employed)
        assignHousing(&facts, urban: v.isKelurahan)
        assignKK(&facts, kecamatan: v.kecamatan)

        if writeFamilyRow { writeFamily(facts) }
        writeMembers()
        if writeFamilyRow {
            writeRosters(facts, village: village, kur: index >= 0 && marks.kur.contains(index))
        }
        // Remember someone who might turn up in a later family of this village too.
        if rng.chance(0.5) {
            for m in members where m.isCurrent && !m.shared && m.nikFlaw == .none
                && (m.relation == 6 || (m.relation == 3 && m.age >= 18 && m.age <= 35)) {
                shareCandidate = (m, village)
                break
            }
        }
    }

    /// Programme receipt in truth (what ministries list) and as reported in Block V (r501):
    /// mostly right, with the exclusion and inclusion errors targeting studies find.
    private mutating func assignPrograms(_ f: inout FamilyFacts, kelurahan: Bool) {
        let rank = f.level + 1
        let q = f.pkhQualifies
        let pkhP: Double = rank <= 2 ? (q ? 0.80 : 0.06) : rank <= 4 ? (q ? 0.62 : 0.04)
            : rank <= 6 ? (q ? 0.14 : 0.02) : (q ? 0.04 : 0.01)
        f.truePKH = rng.chance(pkhP)
        let bpntP: Double = (rank <= 2 ? 0.62 : rank <= 4 ? 0.45 : rank <= 6 ? 0.12 : 0.03) + (f.truePKH ? 0.2 : 0)
        f.trueBPNT = rng.chance(bpntP)
        if !kelurahan {  // BLT Dana Desa is paid from village funds: no kelurahan
            let bltP: Double = f.truePKH || f.trueBPNT ? 0.03 : rank <= 4 ? 0.25 : rank <= 6 ? 0.07 : 0.015
            f.trueBLT = rng.chance(bltP)
        }
        let pbiP: Double = f.truePKH ? 0.95 : rank <= 4 ? 0.60 : rank == 5 ? 0.4 : rank <= 7 ? 0.15 : 0.05
        f.truePBI = rng.chance(pbiP)
        f.r501a = selfReport(f.trueBPNT)
        f.r501b = selfReport(f.truePKH)
        f.r501c = selfReport(f.trueBLT)
    }

    private mutating func selfReport(_ truth: Bool) -> Int {
        if rng.chance(0.01) { return 0 }
        return rng.chance(truth ? 0.90 : 0.025) ? 1 : 2
    }

    /// r431a (summed codes) and r431e for current members; PBI follows the family's PBI status.
    private mutating func assignInsurance(facts f: FamilyFacts, employed: Bool) {
        let employerCover = employed && rng.chance(0.55)
        let mandiri = rng.chance(f.level >= 7 ? 0.35 : f.level >= 4 ? 0.14 : 0.03)
        let rank = f.level + 1
        let pipP: Double = f.truePKH ? 0.6 : rank <= 4 ? 0.4 : rank <= 6 ? 0.1 : 0.03
        for i in members.indices where members[i].isCurrent {
            var m = members[i]
            m.inPBI = f.truePBI && rng.chance(0.93)
            if rng.chance(0.01) {
                m.insurance = 99
            } else {
                var code = 0
                if m.inPBI ? rng.chance(0.92) : rng.chance(0.01) { code |= 1 }
                // A member rarely holds two schemes at once (5 = PBI + employer is a data error).
                if employerCover && rng.chance(code & 1 == 0 ? 0.9 : 0.04) { code |= 4 }
                if code == 0 && mandiri && rng.chance(0.92) { code |= 2 }
                if rng.chance(0.008) { code |= 8 }
                m.insurance = code
            }
            if m.age >= 5 && m.age <= 30 {
                m.inPIP = m.age >= 6 && m.age <= 21 && m.school == 2 && rng.chance(pipP)
                let r = rng.unit()
                m.pip = m.inPIP ? (r < 0.88 ? 1 : r < 0.92 ? 8 : 2) : (r < 0.015 ? 1 : r < 0.035 ? 8 : 2)
            }
            members[i] = m
        }
    }

    private mutating func assignHousing(_ f: inout FamilyFacts, urban: Bool) {
        let level = min(9, max(0, f.level + rng.int(-1...1) + (urban ? 1 : 0)))
        f.housing = housingTables.map { Int($0[level].sample(&rng)) }
        if urban && f.housing[0] == 1 && rng.chance(0.08) { f.housing[0] = 2 }  // renting in town
        f.housingMissing = f.housing.map { _ in rng.chance(0.002) }
        if rng.chance(0.015) {
            f.floorQuarterM2 = -1
        } else {
            let size = Double(members.count)
            let area = min(600, max(9, (24 + 6 * Double(level)) * portableExp(0.38 * rng.gauss()) + 2 * size))
            let r = rng.unit()
            let step = r < 0.7 ? 4.0 : r < 0.92 ? 2.0 : 1.0  // whole m², halves, quarters
            f.floorQuarterM2 = Int((area * 4 / step).rounded() * step)
        }
    }

    private mutating func assignKK(_ f: inout FamilyFacts, kecamatan: Int) {
        let offset = rng.below(RegistryGenerator.kkDaySpan)
        let slot = kecamatan * RegistryGenerator.kkDaySpan + offset
        kkSerials[slot] &+= 1
        let (y, m, d) = civilFromDays(RegistryGenerator.kkFirstDay + offset)
        f.kk = UInt64(geography.kecamatans[kecamatan].kemendagri) * 10_000_000_000
            + UInt64(d * 10_000 + m * 100 + y % 100) * 10_000 + UInt64(kkSerials[slot])
        f.kkMissing = rng.chance(0.01)
    }

    // MARK: Rows

    private mutating func writeFamily(_ f: FamilyFacts) {
        let padded = rng.chance(0.01)
        if padded { defects.keluargaLeadingZero += 1 }
        familyOut.append(contentsOf: keyPrefix)
        // r112 counts the family's current members (r404 1 or 4), as `regtab check` expects: those who died
        // or moved are still listed in anggota.csv but no longer counted.
        familyOut.putInt(members.reduce(0) { $0 + ($1.isCurrent ? 1 : 0) }); familyOut.comma()
        if f.kkMissing { defects.emptyKK += 1 } else { familyOut.put16(f.kk) }
        familyOut.comma()
        if f.ranked { familyOut.putCode(f.level + 1, padded: padded) } else { defects.emptyDesil += 1 }
        familyOut.comma()
        for (i, code) in f.housing.enumerated() {
            if !f.housingMissing[i] { familyOut.putCode(code, padded: padded) }
            familyOut.comma()
            if i == 0 {  // r302 sits between r301a and r303
                if f.floorQuarterM2 < 0 {
                    defects.emptyArea += 1
                } else {
                    familyOut.putInt(f.floorQuarterM2 / 4)
                    switch f.floorQuarterM2 % 4 {
                    case 1: familyOut.append(contentsOf: [46, 50, 53])   // .25
                    case 2: familyOut.append(contentsOf: [46, 53])       // .5
                    case 3: familyOut.append(contentsOf: [46, 55, 53])   // .75
                    default: break
                    }
                }
                familyOut.comma()
            }
        }
        for (i, code) in [f.r501a, f.r501b, f.r501c].enumerated() {
            if code > 0 { familyOut.putCode(code, padded: padded) }
            if i < 2 { familyOut.comma() }
        }
        familyOut.newline()
        familyRows += 1
    }

    private mutating func writeMembers() {
        for i in members.indices {
            let m = members[i]
            // Rows with the "leading zeros" defect pad one-digit codes (`01`) and, the other way
            // round, write the two-digit lists r415/r417/r430 without their zero.
            let alt = rng.chance(0.01)
            if alt { defects.anggotaLeadingZero += 1 }
            memberOut.append(contentsOf: keyPrefix)
            memberOut.putInt(i + 1); memberOut.comma()
            m.name.renderRegistry(into: &nameBytes)
            switch m.name.flaw {
            case .commaSurnameFirst: defects.nameComma += 1
            case .quotedNickname: defects.nameQuotes += 1
            case .lineBreak: defects.nameLineBreak += 1
            case .leadingEquals: defects.nameEquals += 1
            case .none: break
            }
            memberOut.putField(nameBytes); memberOut.comma()
            memberOut.putNIK(m.nik, m.nikFlaw)
            if m.nikFlaw == .empty { defects.emptyNIK += 1 } else if m.nikFlaw != .none { defects.malformedNIK += 1 }
            memberOut.comma()
            memberOut.putCode(m.presence, padded: alt); memberOut.comma()
            if m.hideSex { defects.emptySex += 1 } else { memberOut.putCode(m.sex, padded: alt) }
            memberOut.comma()
            if m.hideBirth { defects.emptyBirth += 1 } else { memberOut.putDate(m.birth) }
            memberOut.comma()
            if m.hideAge { defects.emptyAge += 1 } else { memberOut.putInt(m.age) }
            memberOut.comma()
            memberOut.putCode(m.marital, padded: alt); memberOut.comma()
            memberOut.putCode(m.relation, padded: alt)
            guard m.isCurrent else {
                // Block IV beyond IV.A is asked of current members only: 18 empty cells.
                memberOut.append(contentsOf: RegistryGenerator.emptyTail)
                memberOut.newline()
                memberRows += 1
                continue
            }
            memberOut.comma()
            if m.pregnant > 0 { memberOut.putCode(m.pregnant, padded: alt) }
            memberOut.comma()
            if m.school > 0 { memberOut.putCode(m.school, padded: alt) }
            memberOut.comma()
            if m.certificate > 0 { if alt { memberOut.putInt(m.certificate) } else { memberOut.putPadded(m.certificate, width: 2) } }
            memberOut.comma()
            if m.worked > 0 { memberOut.putCode(m.worked, padded: alt) }
            memberOut.comma()
            if m.industry > 0 { if alt { memberOut.putInt(m.industry) } else { memberOut.putPadded(m.industry, width: 2) } }
            memberOut.comma()
            if m.workStatus > 0 { memberOut.putCode(m.workStatus, padded: alt) }
            for item in 0..<9 {
                memberOut.comma()
                let d = Int((m.difficulty >> (4 * UInt64(item))) & 0xF)
                if d > 0 { memberOut.putCode(d, padded: alt) }
            }
            memberOut.comma()
            if alt { memberOut.putInt(m.chronic) } else { memberOut.putPadded(m.chronic, width: 2) }
            memberOut.comma()
            if m.insurance >= 0 { memberOut.putCode(m.insurance, padded: alt) }
            memberOut.comma()
            if m.pip > 0 { memberOut.putCode(m.pip, padded: alt) }
            memberOut.newline()
            memberRows += 1
        }
    }

    static let emptyTail = [UInt8](repeating: 44, count: 18)

    // MARK: Rosters

    /// Ministry rosters: true recipients (most of them listed), plus the defects of real lists.
    private mutating func writeRosters(_ f: FamilyFacts, village: Int, kur: Bool) {
        let head = members[0]
        var listed = [false, false, false]
        for (program, truth) in [(Program.pkh, f.truePKH), (Program.bpnt, f.trueBPNT), (Program.blt, f.trueBLT)]
        where truth && rng.chance(0.97) {
            listed[program] = true
            rosterListing(program, nik: head.nik, kk: f.kk, name: head.name, village: village)
            // The same family entered again under another member's NIK.
            if rng.chance(0.006), members.count > 1, members[1].isCurrent, members[1].relation == 2 {
                rosterListing(program, nik: members[1].nik, kk: f.kk, name: members[1].name, village: village)
                defects.rosterFamilyTwice += 1
            }
        }
        if listed[Program.blt] && (listed[Program.pkh] || listed[Program.bpnt]) { defects.bltWithPKHorBPNT += 1 }
        for i in members.indices {
            let m = members[i]
            if m.isCurrent {
                if m.inPBI && rng.chance(0.97) {
                    rosterListing(Program.pbi, nik: m.nik, kk: f.kk, name: m.name, village: village)
                }
                if m.inPIP && rng.chance(0.95) {
                    rosterListing(Program.pip, nik: m.nik, kk: f.kk, name: m.name, village: village)
                }
            } else if f.truePBI && rng.chance(0.3) {
                // Died or moved but still on the PBI list: links only through the No. KK.
                rosterListing(Program.pbi, nik: m.nik, kk: f.kk, name: m.name, village: village)
            }
        }
        if kur {
            rosterRow(Program.kur, nik: head.nik, flaw: .none, kk: f.kk, name: head.name, village: village,
                      period: 1, style: .init(upperCase: true, variant: 0))
            defects.rosterOther += 1
        }
        if rng.chance(0.006) { unmatchedRow(village: village) }
    }

    /// One listing of a person on a roster, with the list's own defects.
    private mutating func rosterListing(_ program: Int, nik: UInt64, kk: UInt64, name: DemoName, village: Int) {
        var flaw = NIKFlaw.none
        let r = rng.unit()
        if r < 0.006 {
            flaw = [NIKFlaw.fifteenDigits, .letter, .dayZero, .scientific][rng.below(4)]
        } else if r < 0.010 {
            flaw = .empty
        }
        let period = rng.chance(0.02) ? 0 : 1
        let upper = rng.chance(program <= Program.blt ? 0.85 : program == Program.pbi ? 0.5 : 0.3)
        let v = rng.unit()
        let style = DemoName.RosterStyle(upperCase: upper, variant: v < 0.04 ? 1 : v < 0.055 ? 2 : 0)
        rosterRow(program, nik: nik, flaw: flaw, kk: kk, name: name, village: village, period: period, style: style)
        if rng.chance(0.004) {
            rosterRow(program, nik: nik, flaw: flaw, kk: kk, name: name, village: village, period: period, style: style)
            defects.rosterDuplicateSame += 1
        }
        if period == 1 && rng.chance(0.01) {
            rosterRow(program, nik: nik, flaw: flaw, kk: kk, name: name, village: village, period: 0, style: style)
            defects.rosterDuplicateCross += 1
        }
    }

    /// A listed person who is in no family of the registry (valid-looking NIK with serial ≥ 9000,
    /// which registry serials never reach; No. KK fabricated the same way or empty).
    private mutating func unmatchedRow(village: Int) {
        let program = Int(RegistryGenerator.unmatchedPrograms.sample(&rng))
        var m = Member()
        m.sex = rng.chance(0.5) ? 1 : 2
        m.age = 18 + rng.below(55)
        assignBirth(&m)
        m.name = rng.makeName(female: m.sex == 2, age: m.age, style: .general, marga: 0, father: 0, isChild: false)
        let kec = geography.villages[village].kecamatan
        let (y, mo, d) = civilFromDays(m.birth)
        let region = UInt64(geography.kecamatans[kec].kemendagri)
        let nik = region * 10_000_000_000 + UInt64((m.sex == 2 ? d + 40 : d) * 10_000 + mo * 100 + y % 100) * 10_000
            + UInt64(9_000 + rng.below(1_000))
        let kk: UInt64 = rng.chance(0.5) ? 0
            : region * 10_000_000_000 + UInt64(rng.int(1...28) * 10_000 + rng.int(1...12) * 100 + rng.int(10...21)) * 10_000
                + UInt64(9_000 + rng.below(1_000))
        rosterRow(program, nik: nik, flaw: .none, kk: kk, name: m.name, village: village, period: 1,
                  style: .init(upperCase: rng.chance(0.6), variant: 0))
        defects.rosterUnmatched += 1
    }

    static let unmatchedPrograms = Categorical(codes: [0, 1, 2, 3, 4], weights: [3, 3, 2, 4, 1])

    private mutating func rosterRow(_ program: Int, nik: UInt64, flaw: NIKFlaw, kk: UInt64, name: DemoName,
                                    village: Int, period: Int, style: DemoName.RosterStyle) {
        name.renderRoster(into: &nameBytes, style: style)
        if flaw == .empty { defects.rosterEmptyNIK += 1 } else if flaw != .none { defects.rosterInvalidNIK += 1 }
        rosterOut[program].append(contentsOf: RegistryGenerator.programs[program])
        rosterOut[program].comma()
        rosterOut[program].putNIK(nik, flaw)
        rosterOut[program].comma()
        if kk > 0 { rosterOut[program].put16(kk) }
        rosterOut[program].comma()
        rosterOut[program].putField(nameBytes)
        rosterOut[program].comma()
        rosterOut[program].append(contentsOf: geography.villages[village].kemendagri)
        rosterOut[program].comma()
        rosterOut[program].append(contentsOf: RegistryGenerator.periods[period])
        rosterOut[program].newline()
        rosterRows += 1
    }

    // MARK: Housing tables

    /// Housing codes blend a distribution for the poorest and for the richest families by welfare
    /// level: Jambi's poor live in wooden stilt houses (kayu/papan floors and walls), cook with
    /// firewood and draw water from unprotected wells; the better-off have ceramic floors,
    /// brick walls, 3-kg LPG and bored wells or refill water. Zinc roofs (seng) are near universal.
    static func makeHousingTables() -> [[Categorical]] {
        let specs: [(first: UInt8, rich: [Double], poor: [Double])] = [
            (1, [85, 9, 4, 1.5, 0.5], [76, 5, 16, 0.3, 2.7]),                                     // r301a
            (1, [3, 62, 1, 6, 10, 18, 0, 0, 0.3], [0, 7, 0, 2, 40, 33, 3, 14, 1]),                  // r303
            (1, [80, 1, 18, 0, 0.5, 0, 0.5], [26, 3, 57, 5, 4, 4, 1]),                             // r304
            (1, [2, 8, 80, 9, 0, 0.5, 0, 0.5], [0, 1, 81, 4, 0.5, 2.5, 10.5, 0.5]),               // r305
            (1, [6, 38, 4, 30, 16, 2, 1, 0, 0.5, 2, 0.5], [0, 6, 1, 16, 29, 26, 2, 3, 9, 7, 1]),  // r306a
            (1, [97, 2, 0.8, 0.2], [70, 17, 5, 8]),                                                // r307a
            (0, [0.5, 1, 1.5, 15, 78, 0, 0, 0.3, 0, 0, 3, 0.7], [0.5, 0, 0, 0, 61, 0, 0, 2.5, 0, 1.5, 34.5, 0]), // r308
            (1, [96, 2, 0.5, 0.3, 0.2, 1], [58, 14, 3, 2, 2, 21]),                                // r309a
        ]
        return specs.map { spec in
            (0..<10).map { level in
                Categorical(from: spec.first, rich: spec.rich, poor: spec.poor, poorness: 1 - Double(level) / 9)
            }
        }
    }
}

/// Family indices at which a structural defect is planted.
struct SpecialMarks {
    var unknownVillage = Set<Int>()
    var orphan = Set<Int>()
    var kur = Set<Int>()
    var lineBreak = Set<Int>()
    var equals = Set<Int>()
}

/// Walks through SLS (4 digits) and sub-SLS (2 digits) of one village, handing out building and
/// family serials. An SLS (RT) holds 40–160 families; big ones are split into sub-SLS 01/02;
/// about one family in ten shares the previous family's building, and building serials skip
/// numbers now and then (non-residential buildings are numbered too).
struct SLSCursor {
    private var sls = 0, sub = 0, subsLeft = 0, remaining = 0, building = 0, family = 0

    mutating func next(_ rng: inout SplitMix64) -> (r105: Int, r109: Int, r110: Int) {
        if remaining == 0 {
            if subsLeft > 0 {
                sub += 1; subsLeft -= 1
                remaining = 30 + rng.below(50)
            } else {
                sls += 1
                let size = 40 + rng.below(121)
                if size > 120 { sub = 1; subsLeft = 1; remaining = size / 2 } else { sub = 0; remaining = size }
            }
            building = 0; family = 0
        }
        remaining -= 1
        family += 1
        if family == 1 || !rng.chance(0.1) { building += rng.chance(0.15) ? 2 + rng.below(2) : 1 }
        return (sls * 100 + sub, building, family)
    }
}

extension Array where Element == UInt8 {
    /// A NIK as a registry or roster wrote it: valid, or with one of the real-world defects.
    mutating func putNIK(_ nik: UInt64, _ flaw: NIKFlaw) {
        switch flaw {
        case .none: put16(nik)
        case .empty: break
        case .fifteenDigits:
            put16(nik); removeLast()
        case .letter:
            put16(nik)
            let at = count - 16 + 6 + Int(nik % 10)
            let letters: [UInt8] = Array("OIZEASGTBQ".utf8)  // look-alikes of 0…9
            self[at] = letters[Int(self[at] - 48)]
        case .allNines:
            append(contentsOf: [UInt8](repeating: 57, count: 16))
        case .dayZero:
            put16(nik)
            self[count - 10] = 48; self[count - 9] = 48
        case .scientific:
            // What Excel shows after reading a NIK as a number: 1.50505E+15.
            let start = count
            put16(nik)
            let digits = Array(self[start..<(start + 6)])
            removeLast(16)
            append(digits[0]); append(46); append(contentsOf: digits[1...5]); append(contentsOf: Array("E+15".utf8))
        }
    }
}
