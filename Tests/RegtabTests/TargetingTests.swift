import Foundation
import Testing
import Microdata
@testable import Tabulation

// MARK: - NIK validity (contract §2 "Valid NIK")

@Suite struct NIKValidityTests {
    @Test(arguments: [
        "1505011203850001",       // male, day 12, month 03
        "1505015203850001",       // female: day 52 − 40 = 12
        "1505014103850001",       // 41 → day 1
        "1505017103850001",       // 71 → day 31
        "1505013112850001",       // day 31, month 12
        "  1505011203850001  ",   // surrounding spaces are trimmed
        "\t1505011203850001\r",   // and tabs / stray line ends
    ])
    func valid(_ s: String) {
        #expect(NIK.parseValid(s) != nil)
    }

    @Test(arguments: [
        "1505010003850001",       // day 00
        "1505013203850001",       // day 32
        "1505014003850001",       // day 40 (neither a man's nor a woman's day)
        "1505017203850001",       // day 72 → 32
        "1505011200850001",       // month 00
        "1505011213850001",       // month 13
        "1111111111111111",       // all the same digit
        "0000000000000000",
        "9999999999999999",
        "150501120385001",        // 15 digits
        "15050112038500011",      // 17 digits
        "1.5E+15",                // spreadsheet damage
        "15050112038500A1",       // letter
        "1505011203 850001",      // inner space
        "",
        "   ",
    ])
    func invalid(_ s: String) {
        #expect(NIK.parseValid(s) == nil)
    }

    @Test func valueAndBytesVersionAgree() {
        #expect(NIK.parseValid(" 1505015203850001 ") == 1_505_015_203_850_001)
        for s in ["1505015203850001", " 1505011203850001", "1505013203850001", "abc"] {
            var copy = s
            let fromBytes = copy.withUTF8 { NIK.parseValid(bytes: $0) }
            #expect(fromBytes == NIK.parseValid(s))
        }
    }

    @Test func textRestoresLeadingZeros() {
        let n = NIK.parseValid("0105011203850001")
        #expect(n == 105_011_203_850_001)
        #expect(n.map(NIK.text) == "0105011203850001")
    }
}

// MARK: - Targeting and duplicate measures on a fixture counted by hand

/// Areas: kabupaten 1505; kecamatan K0 = 1505010 (villages V0 = 1505010001 "15.05.01.2001",
/// V1 = 1505010002 "15.05.01.2002") and K1 = 1505020 (village V2 = 1505020001 "15.05.02.2001").
///
/// Families (E = eligible, R = registry recipient; programmes PKH, BPNT, BLT_DESA):
/// ```
///  fam village KK      members (valid NIKs)   E: PKH BPNT BLT   R: PKH BPNT BLT
///  F0  V0      kk0     N0, N1, N0 (twice)        Y   Y    Y        Y   .    .
///  F1  V0      kk1     N2                        .   Y    Y        .   Y    .
///  F2  V0      kk2     N3, N4                    .   .    .        Y   .    .     (inclusion error)
///  F3  V1      kk3     N5, N6                    Y   Y    Y        .   .    .
///  F4  V1      kk4     N7                        Y   Y    Y        Y   Y    .
///  F5  V1      (none)  N8                        .   .    .        .   .    .
///  F6  V1      kk6     N9                        .   Y    Y        .   .    Y
///  F7  V2      kk7     N10                       .   .    .        .   .    .
///  F8  V2      kk8     N5 (as F3!), N11          .   Y    Y        .   Y    .
///  F9  V2      kk9     N12                       .   .    .        .   .    .
///  F10 V0      kk10    —                         Y   Y    Y        .   .    .
///  F11 V2      kk10    — (same KK as F10)        .   .    .        .   .    .
/// ```
/// Families: V0 4 (F0 F1 F2 F10), V1 4 (F3–F6), V2 4 (F7 F8 F9 F11); K0 8, K1 4, kabupaten 12.
///
/// Roster rows (line: programme, nik, no_kk, Kemendagri → link):
/// ```
///  r1  2: PKH       N0          → F0 (V0)
///  r2  3: PKH       " N0 "      → F0 (V0)           NIK twice; F0 twice on PKH
///  r3  4: PKH       N5          → F3 (V1) and F8 (V2): one person in two families, multi-area row
///  r4  5: PKH       day-32 NIK, kk4 → F4 (V1)       invalid NIK, links by KK
///  r5  6: PKH       "", kk2     → F2 (V0)           KK only
///  r6  7: PKH       N99 (no member), 15.05.02.2001 → unmatched V2
///  r7  8: PKH       "abc", "9999", 99.99.99.9999 → unplaceable (invalid NIK, in no area)
///  r8  9: " pkh "   N99, "1505022001" → PKH, unmatched V2 (N99 twice in V2)
///  r9 10: BPNT      N2          → F1 (V0)
///  r10 11: BPNT     N7          → F4 (V1)
///  r11 12: BPNT     N11         → F8 (V2)
///  r12 13: BPNT     N6          → F3 (V1)
///  r13 14: BPNT     "", kk10    → F10 (V0) and F11 (V2): shared KK, multi-area row
///  r14 15: BLT_DESA N0          → F0 (V0)           F0: BLT_DESA + PKH
///  r15 16: BLT_DESA N2          → F1 (V0)           F1: BLT_DESA + BPNT
///  r16 17: BLT_DESA "", kk9     → F9 (V2)
///  r17 18: BLT_DESA "", "", 15.05.01.2002 → unmatched V1
///  r18 19: BLT_DESA N9          → F6 (V1)
///  r19 20: KUR      N10         → F7 (V2)
///  r20 21: KUR      N10         → F7 (V2)           unknown programme, NIK twice
///  r21 22: KUR      "", "", ""  → unplaceable
///  r22 23: ""       N0          → not tabulated (no programme name)
/// ```
@Suite struct TargetingFixtureTests {
    static func pad4(_ i: Int) -> String { String(repeating: "0", count: 4 - String(i).count) + String(i) }
    /// A valid NIK: region 150501, day 12, month 03, year 85, serial.
    static func nik(_ i: Int) -> String { "1505011203850" + String(pad4(i).dropFirst()) }
    static func kk(_ i: Int) -> String { "150501010120" + pad4(i) }
    static func n(_ i: Int) -> UInt64 { NIK.parseValid(nik(i))! }

    static let areas = AreaIndex(villages: [
        (code: "1505010001", name: "V0", kemendagriCode: "15.05.01.2001", kind: "desa", kecamatanName: "K0", kecamatanKemendagri: "15.05.01"),
        (code: "1505010002", name: "V1", kemendagriCode: "15.05.01.2002", kind: "desa", kecamatanName: "K0", kecamatanKemendagri: "15.05.01"),
        (code: "1505020001", name: "V2", kemendagriCode: "15.05.02.2001", kind: "kelurahan", kecamatanName: "K1", kecamatanKemendagri: "15.05.02"),
    ])

    static func input() -> TargetingInput {
        let villages: [Int32] = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 0, 2]
        let kks = [kk(0), kk(1), kk(2), kk(3), kk(4), "", kk(6), kk(7), kk(8), kk(9), kk(10), kk(10)]
        func flags(_ set: Set<Int>) -> [Bool] { (0..<12).map { set.contains($0) } }
        let eligible = [flags([0, 3, 4, 10]), flags([0, 1, 3, 4, 6, 8, 10]), flags([0, 1, 3, 4, 6, 8, 10])]
        let registry = [flags([0, 2, 4]), flags([1, 4, 8]), flags([6])]
        let members: [(nik: UInt64, family: Int32)] = [
            (n(0), 0), (n(1), 0), (n(0), 0), (n(2), 1), (n(3), 2), (n(4), 2), (n(5), 3), (n(6), 3), (n(7), 4),
            (n(8), 5), (n(9), 6), (n(10), 7), (n(5), 8), (n(11), 8), (n(12), 9),
        ]
        let rows: [(String, String, String, String)] = [
            ("PKH", nik(0), "", ""),
            ("PKH", " " + nik(0) + " ", "", ""),
            ("PKH", nik(5), "", ""),
            ("PKH", "1505013203850001", kk(4), ""),
            ("PKH", "", kk(2), ""),
            ("PKH", nik(99), "", "15.05.02.2001"),
            ("PKH", "abc", "9999", "99.99.99.9999"),
            (" pkh ", nik(99), "", "1505022001"),
            ("BPNT", nik(2), "", ""),
            ("BPNT", nik(7), "", ""),
            ("BPNT", nik(11), "", ""),
            ("BPNT", nik(6), "", ""),
            ("BPNT", "", kk(10), ""),
            ("BLT_DESA", nik(0), "", ""),
            ("BLT_DESA", nik(2), "", ""),
            ("BLT_DESA", "", kk(9), ""),
            ("BLT_DESA", "", "", "15.05.01.2002"),
            ("BLT_DESA", nik(9), "", ""),
            ("KUR", nik(10), "", ""),
            ("KUR", nik(10), "", ""),
            ("KUR", "", "", ""),
            ("", nik(0), "", ""),
        ]
        let roster = rows.enumerated().map { i, r in
            RosterRow(program: r.0, nik: r.1, noKK: r.2, name: "nama \(i)", kemendagriVillage: r.3, period: "2022-S2", line: i + 2)
        }
        return TargetingInput(programmes: ["PKH", "BPNT", "BLT_DESA"], familyLevelProgrammes: ["PKH", "BPNT", "BLT_DESA"],
                              exclusivePairs: [("BLT_DESA", "PKH"), ("BLT_DESA", "BPNT")],
                              familyVillage: villages, familyKK: kks, eligible: eligible, registryRecipient: registry,
                              memberNIKs: members, roster: roster, areas: areas)
    }

    /// V0, V1, V2, K0, K1, kabupaten — the order of every expected row below.
    static let order = [AreaRef(.desa, 0), AreaRef(.desa, 1), AreaRef(.desa, 2),
                        AreaRef(.kecamatan, 0), AreaRef(.kecamatan, 1), AreaRef(.kabupaten, 0)]

    /// What a cell must hold.
    enum Expect: Equatable {
        case value(Double)
        /// obs_status M, no value.
        case m
        /// No cell at all.
        case absent
    }

    static let M = Expect.m
    static let absent = Expect.absent
    static func v(_ x: Double) -> Expect { .value(x) }
    static func counts(_ xs: [Double]) -> [Expect] { xs.map { .value($0) } }

    static func check(_ cube: ResultCube, _ codes: [String], _ measure: String, _ expected: [Expect],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        for (area, exp) in zip(order, expected) {
            let cell = cube.cell(area, codes, measure)
            let label = "\(cube.table) \(codes) \(measure) at \(area.level) \(area.index)"
            switch exp {
            case .absent:
                #expect(cell == nil, "\(label)", sourceLocation: sourceLocation)
            case .m:
                #expect(cell == Cell.notApplicable, "\(label)", sourceLocation: sourceLocation)
            case .value(let x):
                guard let cell, let value = cell.value else {
                    Issue.record("\(label): expected \(x), found \(String(describing: cell))", sourceLocation: sourceLocation)
                    continue
                }
                #expect(cell.status == .value, "\(label)", sourceLocation: sourceLocation)
                #expect(abs(value - x) < 1e-9, "\(label): \(value) ≠ \(x)", sourceLocation: sourceLocation)
            }
        }
    }

    let result = Targeting.compute(TargetingFixtureTests.input())

    @Test func runFacts() {
        #expect(result.unknownProgrammes == ["KUR"])
        #expect(result.unplaceableRosterRows == 2)   // r7, r21
        #expect(result.multiAreaRows == 2)           // r3 (NIK in F3 and F8), r13 (KK of F10 and F11)
        #expect(result.unusableProgrammeRows == 1)   // r22
        #expect(result.targeting.dimensions[0].codes == ["PKH", "BPNT", "BLT_DESA", "ANY", "KUR"])
        #expect(result.duplicates.dimensions[0].codes == ["PKH", "BPNT", "BLT_DESA", "KUR", "_T"])
    }

    // Targeting, PKH. Eligible: F0 F10 (V0), F3 F4 (V1), none in V2 → 2, 2, 0, 4, 0, 4.
    // Registry recipients: F0 F2 (V0), F4 (V1). Roster recipients: F0 (r1 r2), F2 (r5) in V0; F3 (r3), F4 (r4)
    // in V1; F8 (r3) in V2.
    @Test func targetingPKHRegistry() {
        let c = result.targeting, p = ["PKH", "registry"]
        Self.check(c, p, "families", Self.counts([4, 4, 4, 8, 4, 12]))
        Self.check(c, p, "eligible", Self.counts([2, 2, 0, 4, 0, 4]))
        Self.check(c, p, "recipients", Self.counts([2, 1, 0, 3, 0, 3]))            // F0 F2 | F4
        Self.check(c, p, "eligible_recipients", Self.counts([1, 1, 0, 2, 0, 2]))   // F0 | F4
        Self.check(c, p, "eligible_non_recipients", Self.counts([1, 1, 0, 2, 0, 2])) // F10 | F3
        Self.check(c, p, "ineligible_recipients", Self.counts([1, 0, 0, 1, 0, 1]))   // F2
        // V2 and K1 have no eligible family and no recipient: every rate is M there.
        Self.check(c, p, "coverage_pct", [Self.v(50), Self.v(50), Self.M, Self.v(50), Self.M, Self.v(50)])
        Self.check(c, p, "exclusion_pct", [Self.v(50), Self.v(50), Self.M, Self.v(50), Self.M, Self.v(50)])
        Self.check(c, p, "inclusion_pct", [Self.v(50), Self.v(0), Self.M, Self.v(100.0 / 3), Self.M, Self.v(100.0 / 3)])
    }

    @Test func targetingPKHRoster() {
        let c = result.targeting, p = ["PKH", "roster"]
        Self.check(c, p, "families", Self.counts([4, 4, 4, 8, 4, 12]))
        Self.check(c, p, "eligible", Self.counts([2, 2, 0, 4, 0, 4]))
        Self.check(c, p, "recipients", Self.counts([2, 2, 1, 4, 1, 5]))            // F0 F2 | F3 F4 | F8
        Self.check(c, p, "eligible_recipients", Self.counts([1, 2, 0, 3, 0, 3]))   // F0 | F3 F4
        Self.check(c, p, "eligible_non_recipients", Self.counts([1, 0, 0, 1, 0, 1])) // F10
        Self.check(c, p, "ineligible_recipients", Self.counts([1, 0, 1, 1, 1, 2]))   // F2 | F8
        Self.check(c, p, "coverage_pct", [Self.v(50), Self.v(100), Self.M, Self.v(75), Self.M, Self.v(75)])
        Self.check(c, p, "exclusion_pct", [Self.v(50), Self.v(0), Self.M, Self.v(25), Self.M, Self.v(25)])
        // V2: 1 ineligible of 1 recipient; kabupaten 2 of 5.
        Self.check(c, p, "inclusion_pct", [Self.v(50), Self.v(0), Self.v(100), Self.v(25), Self.v(100), Self.v(40)])
    }

    // ANY: eligible for any profile programme: F0 F1 F10 | F3 F4 F6 | F8 → 3, 3, 1, 6, 1, 7.
    // Registry recipient of any: F0 F1 F2 | F4 F6 | F8.
    @Test func targetingANYRegistry() {
        let c = result.targeting, p = ["ANY", "registry"]
        Self.check(c, p, "families", Self.counts([4, 4, 4, 8, 4, 12]))
        Self.check(c, p, "eligible", Self.counts([3, 3, 1, 6, 1, 7]))
        Self.check(c, p, "recipients", Self.counts([3, 2, 1, 5, 1, 6]))
        Self.check(c, p, "eligible_recipients", Self.counts([2, 2, 1, 4, 1, 5]))      // F0 F1 | F4 F6 | F8
        Self.check(c, p, "eligible_non_recipients", Self.counts([1, 1, 0, 2, 0, 2]))  // F10 | F3
        Self.check(c, p, "ineligible_recipients", Self.counts([1, 0, 0, 1, 0, 1]))    // F2
        Self.check(c, p, "coverage_pct", [Self.v(200.0 / 3), Self.v(200.0 / 3), Self.v(100), Self.v(400.0 / 6), Self.v(100), Self.v(500.0 / 7)])
        Self.check(c, p, "exclusion_pct", [Self.v(100.0 / 3), Self.v(100.0 / 3), Self.v(0), Self.v(200.0 / 6), Self.v(0), Self.v(200.0 / 7)])
        Self.check(c, p, "inclusion_pct", [Self.v(100.0 / 3), Self.v(0), Self.v(0), Self.v(20), Self.v(0), Self.v(100.0 / 6)])
    }

    // Roster recipient of any *profile* programme: F0 F1 F2 F10 | F3 F4 F6 | F8 F9 F11. F7 is only on the
    // KUR roster and does not count (our decision: unknown programmes are not part of ANY).
    @Test func targetingANYRoster() {
        let c = result.targeting, p = ["ANY", "roster"]
        Self.check(c, p, "eligible", Self.counts([3, 3, 1, 6, 1, 7]))
        Self.check(c, p, "recipients", Self.counts([4, 3, 3, 7, 3, 10]))
        Self.check(c, p, "eligible_recipients", Self.counts([3, 3, 1, 6, 1, 7]))
        Self.check(c, p, "eligible_non_recipients", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "ineligible_recipients", Self.counts([1, 0, 2, 1, 2, 3]))   // F2 | F9 F11
        Self.check(c, p, "coverage_pct", [Self.v(100), Self.v(100), Self.v(100), Self.v(100), Self.v(100), Self.v(100)])
        Self.check(c, p, "exclusion_pct", [Self.v(0), Self.v(0), Self.v(0), Self.v(0), Self.v(0), Self.v(0)])
        Self.check(c, p, "inclusion_pct", [Self.v(25), Self.v(0), Self.v(200.0 / 3), Self.v(100.0 / 7), Self.v(200.0 / 3), Self.v(30)])
    }

    // Other programmes, a few cells. BLT_DESA roster recipients: F0 F1 | F6 | F9 (unmatched r17 links nobody).
    // BPNT roster: F1 F10 | F3 F4 | F8 F11.
    @Test func targetingOtherProgrammes() {
        let c = result.targeting
        Self.check(c, ["BLT_DESA", "roster"], "recipients", Self.counts([2, 1, 1, 3, 1, 4]))
        Self.check(c, ["BLT_DESA", "roster"], "ineligible_recipients", Self.counts([0, 0, 1, 0, 1, 1]))
        Self.check(c, ["BLT_DESA", "registry"], "recipients", Self.counts([0, 1, 0, 1, 0, 1]))
        Self.check(c, ["BLT_DESA", "registry"], "inclusion_pct", [Self.M, Self.v(0), Self.M, Self.v(0), Self.M, Self.v(0)])
        Self.check(c, ["BPNT", "roster"], "recipients", Self.counts([2, 2, 2, 4, 2, 6]))
        Self.check(c, ["BPNT", "roster"], "eligible_recipients", Self.counts([2, 2, 1, 4, 1, 5]))
        // KUR: families and roster recipients (F7 in V2); everything eligibility-based is M.
        let all = Array(repeating: Self.M, count: 6)
        Self.check(c, ["KUR", "registry"], "families", Self.counts([4, 4, 4, 8, 4, 12]))
        Self.check(c, ["KUR", "roster"], "families", Self.counts([4, 4, 4, 8, 4, 12]))
        Self.check(c, ["KUR", "roster"], "recipients", Self.counts([0, 0, 1, 0, 1, 1]))
        Self.check(c, ["KUR", "registry"], "recipients", all)
        for m in ["eligible", "eligible_recipients", "eligible_non_recipients", "ineligible_recipients",
                  "coverage_pct", "exclusion_pct", "inclusion_pct"] {
            Self.check(c, ["KUR", "registry"], m, all)
            Self.check(c, ["KUR", "roster"], m, all)
        }
    }

    // Duplicates, every cell. Areas of rows (each row once per area):
    //   PKH  r1 r2 r5 in V0; r4 in V1; r3 in V1 *and* V2 (once in K0, K1, kabupaten); r6 r8 in V2; r7 nowhere.
    //   → roster_rows V0 3, V1 2 (r3 r4), V2 3 (r3 r6 r8), K0 5, K1 3, kabupaten 7 (villages sum to 8).
    //   duplicate_nik_rows: V0 r1 r2 = N0 N0 → 1; V2 r3 r6 r8 = N5 N99 N99 → 1; K0 N0 N0 N5 → 1;
    //   K1 as V2 → 1; kabupaten N0 N0 N5 N99 N99 → 2.
    @Test func duplicatesPKH() {
        let c = result.duplicates, p = ["PKH"]
        Self.check(c, p, "roster_rows", Self.counts([3, 2, 3, 5, 3, 7]))
        Self.check(c, p, "unmatched_rows", Self.counts([0, 0, 2, 0, 2, 2]))        // r6 r8
        Self.check(c, p, "invalid_nik_rows", Self.counts([0, 1, 0, 1, 0, 1]))      // r4 (r7 is in no area)
        Self.check(c, p, "duplicate_nik_rows", Self.counts([1, 0, 1, 1, 1, 2]))
        Self.check(c, p, "duplicate_families", Self.counts([1, 0, 0, 1, 0, 1]))    // F0 (r1 r2)
        Self.check(c, p, "exclusive_overlap", Array(repeating: Self.M, count: 6))
        Self.check(c, p, "multi_family_nik", Array(repeating: Self.absent, count: 6))
    }

    // BPNT: r9 (V0), r10 r12 (V1), r11 (V2), r13 in V0 *and* V2 via the shared KK.
    @Test func duplicatesBPNT() {
        let c = result.duplicates, p = ["BPNT"]
        Self.check(c, p, "roster_rows", Self.counts([2, 2, 2, 4, 2, 5]))
        for m in ["unmatched_rows", "invalid_nik_rows", "duplicate_nik_rows", "duplicate_families"] {
            Self.check(c, p, m, Self.counts([0, 0, 0, 0, 0, 0]))
        }
        Self.check(c, p, "exclusive_overlap", Array(repeating: Self.M, count: 6))
        Self.check(c, p, "multi_family_nik", Array(repeating: Self.absent, count: 6))
    }

    // BLT_DESA: r14 r15 (V0), r17 unmatched + r18 (V1), r16 (V2). Exclusive overlap: F0 (with PKH) and F1 (with
    // BPNT), both in V0. N0 is on PKH and on BLT_DESA: no duplicate (per programme).
    @Test func duplicatesBLTDesa() {
        let c = result.duplicates, p = ["BLT_DESA"]
        Self.check(c, p, "roster_rows", Self.counts([2, 2, 1, 4, 1, 5]))
        Self.check(c, p, "unmatched_rows", Self.counts([0, 1, 0, 1, 0, 1]))
        Self.check(c, p, "invalid_nik_rows", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "duplicate_nik_rows", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "duplicate_families", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "exclusive_overlap", Self.counts([2, 0, 0, 2, 0, 2]))
        Self.check(c, p, "multi_family_nik", Array(repeating: Self.absent, count: 6))
    }

    // KUR (unknown): r19 r20 in V2 with the same NIK; r21 unplaceable (in no area, so not unmatched anywhere).
    @Test func duplicatesUnknownProgramme() {
        let c = result.duplicates, p = ["KUR"]
        Self.check(c, p, "roster_rows", Self.counts([0, 0, 2, 0, 2, 2]))
        Self.check(c, p, "unmatched_rows", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "invalid_nik_rows", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(c, p, "duplicate_nik_rows", Self.counts([0, 0, 1, 0, 1, 1]))
        Self.check(c, p, "duplicate_families", Array(repeating: Self.M, count: 6))
        Self.check(c, p, "exclusive_overlap", Array(repeating: Self.M, count: 6))
        Self.check(c, p, "multi_family_nik", Array(repeating: Self.absent, count: 6))
    }

    // _T: only multi_family_nik. N5 is held in F3 (V1) and F8 (V2); N0 twice inside F0 does not count.
    @Test func duplicatesTotal() {
        let c = result.duplicates, p = ["_T"]
        for m in ["roster_rows", "unmatched_rows", "invalid_nik_rows", "duplicate_nik_rows", "duplicate_families",
                  "exclusive_overlap"] {
            Self.check(c, p, m, Array(repeating: Self.absent, count: 6))
        }
        Self.check(c, p, "multi_family_nik", Self.counts([0, 1, 1, 1, 1, 2]))
    }

    // Every cell of the duplicates cube was asserted above: 5 programmes × 7 measures × 6 areas.
    @Test func duplicatesCubeShape() {
        #expect(result.duplicates.measures == TargetingResult.duplicateMeasures)
        #expect(result.duplicates.areas.slotCount == 6)
    }

    // Kabupaten: PKH registry F0 F2 F4, roster F0 F2 F3 F4 F8 → both 3, registry only 0, roster only 2, neither 7.
    @Test func agreementAndOverlap() {
        let kab = AreaRef(.kabupaten, 0)
        #expect(result.agreement.cell(kab, ["PKH"], "both")?.value == 3)
        #expect(result.agreement.cell(kab, ["PKH"], "registry_only")?.value == 0)
        #expect(result.agreement.cell(kab, ["PKH"], "roster_only")?.value == 2)
        #expect(result.agreement.cell(kab, ["PKH"], "neither")?.value == 7)
        #expect(result.overlap.cell(kab, ["PKH", "PKH"], "families")?.value == 5)
        #expect(result.overlap.cell(kab, ["PKH", "BPNT"], "families")?.value == 3)      // F3 F4 F8
        #expect(result.overlap.cell(kab, ["BLT_DESA", "PKH"], "families")?.value == 1)  // F0
        #expect(result.overlap.cell(kab, ["BLT_DESA", "BPNT"], "families")?.value == 1) // F1
        #expect(result.overlap.cell(kab, ["KUR", "KUR"], "families")?.value == 1)
        #expect(result.overlap.cell(AreaRef(.desa, 0), ["KUR", "PKH"], "families")?.value == 0)
    }

    @Test func restrictedRecords() {
        let pkhRegistry = result.eligibleNonRecipients.filter { $0.programme == "PKH" && $0.source == "registry" }
        #expect(pkhRegistry.map(\.family) == [3, 10])
        let pkhRoster = result.eligibleNonRecipients.filter { $0.programme == "PKH" && $0.source == "roster" }
        #expect(pkhRoster.map(\.family) == [10])
        let dupNIK = result.duplicateRecords.filter { $0.category == "duplicate_nik" }
        #expect(dupNIK.map(\.rosterLine) == [2, 3, 7, 9, 20, 21])
        #expect(dupNIK.map(\.family) == [0, 0, nil, nil, 7, 7])
        #expect(dupNIK[1].nik == Self.nik(0))   // trimmed
        let dupFamily = result.duplicateRecords.filter { $0.category == "duplicate_family" }
        #expect(dupFamily.map(\.rosterLine) == [2, 3])
        let exclusive = result.duplicateRecords.filter { $0.category == "exclusive_overlap" }
        #expect(exclusive.map { "\($0.programme):\($0.rosterLine ?? 0):\($0.family ?? -1)" }
                == ["PKH:2:0", "PKH:3:0", "BPNT:10:1", "BLT_DESA:15:0", "BLT_DESA:16:1"])
        let multi = result.duplicateRecords.filter { $0.category == "multi_family_nik" }
        #expect(multi.map(\.family) == [3, 8])
        #expect(multi.allSatisfy { $0.nik == Self.nik(5) && $0.programme == "_T" && $0.rosterLine == nil })
        let lean = Targeting.compute(Self.input(), recordLists: false)
        #expect(lean.eligibleNonRecipients.isEmpty && lean.duplicateRecords.isEmpty)
    }

    // The same unmatched NIK placed in V0 and in V1: no village has a duplicate, their kecamatan does
    // (rows − distinct NIKs per area). A KK-only row with no match and no Kemendagri code is unplaceable.
    @Test func duplicateAcrossVillagesCountsOnlyAbove() {
        var input = Self.input()
        input.roster = [
            RosterRow(program: "BPNT", nik: Self.nik(98), noKK: "", name: "a", kemendagriVillage: "15.05.01.2001", period: "", line: 2),
            RosterRow(program: "BPNT", nik: Self.nik(98), noKK: "", name: "b", kemendagriVillage: "15.05.01.2002", period: "", line: 3),
            RosterRow(program: "BPNT", nik: "", noKK: Self.kk(77), name: "c", kemendagriVillage: "", period: "", line: 4),
        ]
        let r = Targeting.compute(input)
        Self.check(r.duplicates, ["BPNT"], "roster_rows", Self.counts([1, 1, 0, 2, 0, 2]))
        Self.check(r.duplicates, ["BPNT"], "unmatched_rows", Self.counts([1, 1, 0, 2, 0, 2]))
        Self.check(r.duplicates, ["BPNT"], "duplicate_nik_rows", Self.counts([0, 0, 0, 1, 0, 1]))
        #expect(r.unplaceableRosterRows == 1 && r.multiAreaRows == 0)
    }

    @Test func emptyRoster() {
        var input = Self.input()
        input.roster = []
        let r = Targeting.compute(input)
        #expect(r.unknownProgrammes.isEmpty)
        Self.check(r.targeting, ["PKH", "roster"], "recipients", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(r.targeting, ["PKH", "roster"], "inclusion_pct", Array(repeating: Self.M, count: 6))
        Self.check(r.duplicates, ["PKH"], "roster_rows", Self.counts([0, 0, 0, 0, 0, 0]))
        Self.check(r.duplicates, ["_T"], "multi_family_nik", Self.counts([0, 1, 1, 1, 1, 2]))
    }
}

// MARK: - The sort behind the joins, on inputs large enough to take the radix path

/// Deterministic numbers below a bound, for fixtures that must be the same in every run.
struct SeededNumbers {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

@Suite struct TargetingJoinTests {
    /// Deterministic pseudo-random NIK-sized keys with many repeats.
    static func keys(_ count: Int) -> [UInt64] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return 1_100_000_000_000_000 + (state >> 20) % 200_000
        }
    }

    @Test func radixSortIsStableAndSorted() {
        let k = Self.keys(120_000)
        let sorted = RadixSort.byKey(k, values: Array(k.indices))
        let expected = k.indices.sorted { (k[$0], $0) < (k[$1], $1) }
        #expect(sorted.values == expected)
        #expect(sorted.keys == expected.map { k[$0] })
    }

    /// The in-place sort gives `byKey`'s result for positions as values: keys with many repeats (ranges at the
    /// last byte with one key throughout), keys of all widths (a long run of small keys, a full 64-bit key),
    /// sizes around the insertion-sort threshold, and a large input.
    @Test func inPlaceSortEqualsTheStableSort() {
        var state: UInt64 = 7
        func random() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state }
        var cases: [[UInt64]] = [Self.keys(120_000), Self.keys(300_000).map { $0 % 300 }, [], [5], [3, 3], Array(repeating: 9, count: 1_000)]
        cases += [2, 63, 64, 65, 200, 70_000].map { n in (0..<n).map { _ in random() >> 10 } }
        cases.append((0..<5_000).map { i in i % 7 == 0 ? random() : random() % 4 })
        cases.append([UInt64.max, 0, UInt64.max, 1 << 63, 0])
        for keys in cases {
            let stable = RadixSort.byKey(keys, values: Array(Int32(0)..<Int32(keys.count)))
            var k = keys, v = Array(Int32(0)..<Int32(keys.count))
            RadixSort.inPlace(keys: &k, values: &v)
            #expect(k == stable.keys && v == stable.values, "\(keys.count) keys")
        }
    }

    @Test func memberIndexFindsEveryFamily() {
        let k = Self.keys(120_000)
        let members = k.enumerated().map { (nik: $0.element, family: Int32($0.offset % 5_000)) }
        let index = KeyedFamilies(keys: members.map(\.nik), families: members.map(\.family))
        var truth: [UInt64: Set<Int32>] = [:]
        for m in members { truth[m.nik, default: []].insert(m.family) }
        for (nik, families) in truth.prefix(2_000) {
            #expect(Array(index.families(holding: nik)) == families.sorted())
        }
        #expect(index.families(holding: 42).isEmpty)
        let looked = index.lookUp(Array(truth.keys) + [42])
        for (nik, hit) in zip(Array(truth.keys), looked) { #expect(hit >= 0 && Array(index.families(at: Int(hit))) == truth[nik]?.sorted()) }
        #expect(looked.last == -1)
        #expect(index.sharedKeys.count == truth.values.filter { $0.count > 1 }.count)
        for shared in index.sharedKeys { #expect(Array(shared.families) == truth[shared.key]?.sorted()) }
        // The one-family shortcut agrees with the general slice, at the last key too.
        for (nik, hit) in zip(Array(truth.keys), looked) {
            let families = index.families(at: Int(hit))
            #expect(index.onlyFamily(at: Int(hit)) == (families.count == 1 ? families.first : nil))
        }
        let last = index.keys.count - 1, first = last - index.families(at: last).count + 1
        #expect(index.families(at: first).count >= 1 && index.keys[first] == index.keys[last])
    }

    /// Person-programme roster receipt (contract §2, rev. 2) by the one merge of the members' sorted NIKs with
    /// the roster's (issue 19) equals a plain count: per village and person programme, members whose NIK is on
    /// a row of that programme — NIKs shared by two members, NIKs on several programmes' rows and on rows of
    /// other programmes, roster NIKs of no member and rows without a programme included.
    @Test func personRosterReceiptByOneMergeEqualsPlainCount() throws {
        var random = SeededNumbers(42)
        func next(_ n: Int) -> Int { random.next(n) }
        let pool = (0..<400).map { TargetingFixtureTests.n($0) }
        let familyVillage = (0..<60).map { _ in Int32(next(3)) }
        var list = MemberNIKList()
        var members: [(nik: UInt64, family: Int32, flags: PersonFlags)] = []
        for _ in 0..<700 {
            let m = (nik: pool[next(pool.count)], family: Int32(next(60)), flags: PersonFlags(next(4)) | PersonFlags(next(4)) << 8)
            members.append(m); list.append(m.nik, m.family, m.flags)
        }
        let names = ["PKH", "PBI_JKN", "PIP", "KUR", ""]
        let roster = RosterTable((0..<900).map { i in
            RosterRow(program: names[next(names.count)], nik: NIK.text(pool[next(pool.count)] + (next(5) == 0 ? 1_000_000 : 0)),
                      noKK: "", name: "", kemendagriVillage: "", period: "2022-S2", line: i + 2)
        })
        let profile = ["PKH", "PBI_JKN", "PIP"], person = [1, 2]
        let areas = TargetingFixtureTests.areas
        let tallies = PersonTallies(PersonCounts(programmes: 2, villages: 3), areas: areas, familyVillage: familyVillage,
                                    members: MemberNIKOrder(list), roster: RosterNIKs(roster: roster, programmes: profile),
                                    personProgrammes: person)
        var receipts = 0
        for (j, p) in person.enumerated() {
            let on = Set((0..<roster.count).filter { roster[$0].program == profile[p] }.compactMap { NIK.parseValid(roster[$0].nik) })
            for v in 0..<3 {
                let here = members.filter { familyVillage[Int($0.family)] == Int32(v) }
                let eligible = { (m: (nik: UInt64, family: Int32, flags: PersonFlags)) in m.flags & (1 << j) != 0 }
                let registry = { (m: (nik: UInt64, family: Int32, flags: PersonFlags)) in m.flags & (1 << (8 + j)) != 0 }
                let received = here.filter { on.contains($0.nik) }
                receipts += received.count
                #expect(tallies.count(v, programme: j, PersonTallies.roster) == received.count)
                #expect(tallies.count(v, programme: j, PersonTallies.eligibleRoster) == received.filter(eligible).count)
                #expect(tallies.count(v, programme: j, PersonTallies.both) == received.filter(registry).count)
                #expect(tallies.count(v, programme: j, PersonTallies.rosterOnly) == received.filter { !registry($0) }.count)
                #expect(tallies.count(v, programme: j, PersonTallies.registryOnly)
                        == here.filter { registry($0) && !on.contains($0.nik) }.count)
                #expect(tallies.count(v, programme: j, PersonTallies.neither)
                        == here.filter { !registry($0) && !on.contains($0.nik) }.count)
            }
        }
        #expect(receipts > 100, "the fixture must exercise receipt: \(receipts)")

        // From the members' NIKs sorted on disk (the `external` schedule): the same tallies in every area, every
        // roster row's families found as the join in memory finds them, and the same shared NIKs.
        let rosterNIKs = RosterNIKs(roster: roster, programmes: profile)
        var onDisk = MemberNIKList(runLength: 50)
        for m in members { onDisk.append(m.nik, m.family, m.flags); if onDisk.runIsFull { try onDisk.writeRun() } }
        try onDisk.writeRun()
        var input = TargetingInput(programmes: profile, familyLevelProgrammes: ["PKH"], exclusivePairs: [], familyVillage: familyVillage,
                                   familyKK: PackedTextColumn(), eligible: [], registryRecipient: [], memberNIKs: [], roster: roster, areas: areas)
        input.personCounts = PersonCounts(programmes: 2, villages: 3)
        var stream = try MemberNIKStream(runs: onDisk.runs)
        let (streamed, hits) = try TargetingLinks.fromRuns(&stream, input: input, roster: rosterNIKs, personProgrammes: person)
        #expect(streamed.tally.counts == tallies.tally.counts)
        let full = KeyedFamilies(keys: members.map(\.nik), families: members.map(\.family))
        guard case .rows(let rowHits, let shared) = hits else { Issue.record("not per row"); return }
        var several = 0, none = 0
        for (q, nik) in rosterNIKs.sortedNIKs.enumerated() {
            let expected = Array(full.families(holding: nik)), hit = rowHits[Int(rosterNIKs.sortedRows[q])]
            switch expected.count {
            case 0: #expect(hit == -1); none += 1
            case 1: #expect(hit == expected[0])
            default: #expect(hit <= -2 && Array(shared.families(at: Int(-(hit + 2)))) == expected); several += 1
            }
        }
        #expect(several > 0 && none > 0, "the fixture must have rows of no member and of NIKs two families hold")
        #expect(rowHits.enumerated().allSatisfy { r, hit in hit == -1 || rosterNIKs.sortedRows.contains(Int32(r)) })
        #expect(hits.sharedKeys.map(\.key) == full.sharedKeys.map(\.key) && !full.sharedKeys.isEmpty)
        #expect(shared.keys.count == full.sharedKeys.reduce(0) { $0 + $1.families.count }, "only the shared NIKs are kept")
    }

    /// Roster columns in the narrowest width (issue 19): codes kept exactly across both widenings, whatever
    /// width they arrived in.
    @Test func narrowCodesWidenWithoutLosingCodes() {
        let codes: [UInt32] = [0, 7, 255, 3, 256, 65_535, 12, 65_536, 0, 4_000_000_000, 1]
        var column = NarrowCodes()
        var widths: [Int] = []
        for c in codes { column.append(c); widths.append(column.width) }
        #expect(Array(column) == codes)
        #expect(widths == [1, 1, 1, 1, 2, 2, 2, 4, 4, 4, 4])
        #expect(Array(NarrowCodes(codes.prefix(4))) == Array(codes.prefix(4)) && NarrowCodes(codes.prefix(4)).width == 1)
        let straightToWords = NarrowCodes([70_000, 2])
        #expect(Array(straightToWords) == [70_000, 2] && straightToWords.width == 4)
        // A roster's rows without a programme read back as nil, the others as their index.
        let programmes = RosterProgrammes(profile: ["PKH", "BPNT"], names: ["pkh", "", "KUR", "BPNT", "_T"])
        #expect(Array(programmes.rowProgramme) == [0, nil, 2, 1, nil])
        #expect(programmes.rowProgramme.indices.map(programmes.rowProgramme.index) == [0, -1, 2, 1, -1])
    }

    /// The one sort of the members' NIKs (issue 19) serves the person tallies and the join: stable NIK order
    /// with each position's member, and the join built from it equals the one that sorts by itself.
    @Test func memberNIKOrderSortsOnceForTalliesAndJoin() {
        let k = Self.keys(120_000)
        var list = MemberNIKList()
        for (i, nik) in k.enumerated() { list.append(nik, Int32(i % 5_000), PersonFlags(i % 7)) }
        var order = MemberNIKOrder(list)
        let expected = k.indices.sorted { (k[$0], $0) < (k[$1], $1) }
        #expect(order.order == expected.map { Int32($0) })
        #expect(order.niks == expected.map { k[$0] })
        #expect(order.families == k.indices.map { Int32($0 % 5_000) })
        #expect(order.flags == k.indices.map { PersonFlags($0 % 7) })
        let columns = order.joinColumns()
        #expect(columns.families == expected.map { Int32($0 % 5_000) })
        let joined = KeyedFamilies(sortedKeys: columns.niks, families: columns.families)
        let direct = KeyedFamilies(keys: k, families: k.indices.map { Int32($0 % 5_000) })
        #expect(joined.keys == direct.keys && joined.families == direct.families)
    }

    /// The No. KK join indexes only the No. KKs asked for (issue 19) and finds, per query, every family
    /// holding it, ascending and once: 16 digits as numbers (blanks around them trimmed), anything else as text.
    @Test func familyCardIndexFindsOnlyTheWantedCards() {
        let kk = PackedTextColumn(["1505010101010001", "1505010101010002", " 1505010101010001 ", "ABC", "", "  ", "ABC", "1505010101010001"])
        let queries: [FamilyCardIndex.Key] = [.number(1_505_010_101_010_001), FamilyCardIndex.key(" ABC"), .number(9), .none, FamilyCardIndex.key("  ")]
        let cards = FamilyCardIndex(familyKK: kk, wanted: queries)
        #expect(cards.lookUp(keys: queries).map(Array.init) == [[0, 2, 7], [3, 6], [], [], []])
        #expect(cards.lookUp(keys: [.number(1_505_010_101_010_002)]).map(Array.init) == [[]])   // not asked for: not indexed
    }

    /// Two parts of the member file merge into one list in order, the second left empty.
    @Test func memberNIKListsMergeInOrder() throws {
        var first = MemberNIKList([(nik: 11, family: 0), (nik: 12, family: 1)]), second = MemberNIKList([(nik: 13, family: 2)], flags: [5])
        try first.absorb(&second)
        #expect(first.niks == [11, 12, 13] && first.families == [0, 1, 2] && first.flags == [0, 0, 5])
        #expect(second.count == 0 && second.families.isEmpty && second.flags.isEmpty)
    }

    /// The members' NIKs sorted on disk (issue 19, the `external` schedule): runs written as the list fills, two
    /// lists (the member file's parts) absorbed one after the other, read back merged — the same entries in the
    /// same order as the stable sort in memory (`MemberNIKOrder`), for runs of 1, 7 and 64 members and for one
    /// run holding everything; a list that never filled a run makes none.
    @Test func memberNIKRunsMergeLikeTheSortInMemory() throws {
        var random = SeededNumbers(7)
        func next(_ n: Int) -> Int { random.next(n) }
        let pool = (0..<300).map { TargetingFixtureTests.n($0) }
        let entries = (0..<1_000).map { _ in (nik: pool[next(pool.count)], family: Int32(next(5_000)), flags: PersonFlags(next(1 << 16))) }
        var plain = MemberNIKList()
        for e in entries { plain.append(e.nik, e.family, e.flags) }
        let sorted = MemberNIKOrder(plain)
        let expected = sorted.niks.indices.map { p in
            (nik: sorted.niks[p], family: sorted.families[Int(sorted.order[p])], flags: sorted.flags[Int(sorted.order[p])])
        }
        for runLength in [1, 7, 64, 5_000] {
            var first = MemberNIKList(runLength: runLength), second = MemberNIKList(runLength: runLength)
            for (i, e) in entries.enumerated() {
                if i < 600 {
                    first.append(e.nik, e.family, e.flags); if first.runIsFull { try first.writeRun() }
                } else {
                    second.append(e.nik, e.family, e.flags); if second.runIsFull { try second.writeRun() }
                }
            }
            try first.absorb(&second)
            #expect(first.count == entries.count && second.count == 0)
            #expect(first.runs.count == (runLength == 5_000 ? 2 : (600 + runLength - 1) / runLength + (400 + runLength - 1) / runLength))
            var stream = try MemberNIKStream(runs: first.runs)
            var merged: [(nik: UInt64, family: Int32, flags: PersonFlags)] = []
            while let e = try stream.next() { merged.append((e.nik, e.family, e.flags)) }
            #expect(merged.count == expected.count)
            #expect(merged.elementsEqual(expected) { $0.nik == $1.nik && $0.family == $1.family && $0.flags == $1.flags }, "runs of \(runLength)")
        }
        var unfilled = MemberNIKList(runLength: 10)
        unfilled.append(5, 1); try unfilled.writeRun(); try unfilled.writeRun()
        #expect(unfilled.runs.count == 1)
        var none = try MemberNIKStream(runs: MemberNIKList(runLength: 10).runs)
        #expect(try none.next() == nil)
    }

    /// A temporary folder that cannot take the runs stops the run with what to do, not a crash; the run file
    /// is gone from its folder as soon as it is made.
    @Test func memberNIKRunsSayWhereTheyCouldNotBeWritten() throws {
        let error = #expect(throws: MemberNIKRunError.self) { try MemberNIKRunFile(folder: "/nonexistent-regtab-folder") }
        #expect(error?.description.hasPrefix("cannot create the members' sorted NIKs in /nonexistent-regtab-folder/regtab-niks-") == true)
        #expect(error?.description.contains("set TMPDIR to a folder on disk with room") == true)
        let folder = Repo.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try MemberNIKRunFile(folder: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty && !FileManager.default.fileExists(atPath: file.path))
        // A tmpfs holds its files in memory: `--verbose` says so. /dev/shm is one wherever /proc/mounts says it.
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        let shmIsTmpfs = mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().prefix(2) == ["/dev/shm", "tmpfs"] }
        #expect(MemberNIKRunFile.isInMemory("/dev/shm") == shmIsTmpfs)
        #expect(!MemberNIKRunFile.isInMemory("/nonexistent-regtab-folder"))
    }

    /// The family index keeps keys once and slots of fingerprint and index: every key is found after the
    /// table grew many times, absent keys are not, and the keys outlive the released lookup.
    @Test func familyIndexFindsEveryKeyAndKeepsKeysAfterRelease() {
        let index = FamilyIndex(capacity: 4)
        func key(_ i: Int) -> FamilyKey {
            FamilyKey(lead: 1_505_010_001 + Int64(i % 155), a: Int32(i / 155 % 40), b: Int32(i / 6_200), c: Int32(i % 3))
        }
        let n = 100_000
        for i in 0..<n {
            #expect(index[key(i)] == nil)
            index.append(key(i))
        }
        #expect(index.count == n)
        for i in stride(from: 0, to: n, by: 7) { #expect(index[key(i)] == Int32(i)) }
        #expect(index[FamilyKey(lead: 1_505_010_001, a: 99, b: 0, c: 0)] == nil)
        #expect(index[FamilyKey(lead: 42, a: 0, b: 0, c: -1)] == nil)
        index.releaseLookup()
        #expect(index.key(n - 1) == key(n - 1))
        #expect(index.keys == (0..<n).map(key))
    }
}
