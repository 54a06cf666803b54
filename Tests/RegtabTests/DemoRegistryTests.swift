import DemoData
import Foundation
import Testing

// Tests of the synthetic Muaro Jambi registry (`regtab demo`). The files are re-read with a small
// independent CSV reader (not the product's), so the generator is checked against the contract
// rather than against the code that will consume it.

/// RFC 4180 reading: quoted fields, doubled quotes, line breaks inside quotes.
private func parseCSV(_ bytes: [UInt8]) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if inQuotes {
            if b == 34 {
                if i + 1 < bytes.count && bytes[i + 1] == 34 { field.append(34); i += 1 } else { inQuotes = false }
            } else {
                field.append(b)
            }
        } else if b == 34 {
            inQuotes = true
        } else if b == 44 {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
        } else if b == 10 {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            rows.append(row); row = []
        } else if b != 13 {
            field.append(b)
        }
        i += 1
    }
    if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
    return rows
}

/// A parsed table: header and rows, with column lookup by name.
private struct Table: Sendable {
    var header: [String]
    var rows: [[String]]
    func column(_ name: String) -> Int {
        guard let i = header.firstIndex(of: name) else { fatalError("no column \(name)") }
        return i
    }
}

private struct DemoFiles: Sendable {
    var summary: DemoSummary
    var keluarga: Table
    var anggota: Table
    var penerima: Table
    var wilayah: Table
}

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("regtab-demo-\(UUID().uuidString)").path
}

private func generate(families: Int, seed: UInt64) throws -> DemoFiles {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let summary = try DemoRegistry.write(options: DemoOptions(families: families, seed: seed), to: dir)
    func table(_ name: String) throws -> Table {
        let rows = parseCSV(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))))
        return Table(header: rows[0], rows: Array(rows.dropFirst()))
    }
    return DemoFiles(summary: summary, keluarga: try table("keluarga.csv"), anggota: try table("anggota.csv"),
                     penerima: try table("penerima.csv"), wilayah: try table("wilayah.csv"))
}

/// One 20,000-family registry shared by the tests below (generated once, lazily, thread-safely).
private enum Fixture {
    static let demo20k = Result { try generate(families: 20_000, seed: 20_221_015) }
}

private let keyColumns = ["r101", "r102", "r103", "r104", "r105", "r109", "r110"]

private func key(_ t: Table, _ row: [String]) -> String {
    keyColumns.map { row[t.column($0)] }.joined(separator: "|")
}

/// Code value ignoring leading zeros (`01` = `1`), nil when empty.
private func code(_ s: String) -> Int? { s.isEmpty ? nil : Int(s) }

/// Contract §2 "Valid NIK".
private func isValidNIK(_ s: String) -> Bool {
    let b = Array(s.utf8)
    guard b.count == 16, b.allSatisfy({ $0 >= 48 && $0 <= 57 }), Set(b).count > 1 else { return false }
    var day = Int(s.dropFirst(6).prefix(2))!
    if day > 40 { day -= 40 }
    let month = Int(s.dropFirst(8).prefix(2))!
    return (1...31).contains(day) && (1...12).contains(month)
}

@Suite("DemoRegistry")
struct DemoRegistryTests {
    @Test func defaultOptions() {
        let o = DemoOptions()
        #expect(o.families == 140_000)
        #expect(o.seed == 20_221_015)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = temporaryDirectory(), b = temporaryDirectory(), c = temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let sa = try DemoRegistry.write(options: DemoOptions(families: 2_000, seed: 20_221_015), to: a)
        _ = try DemoRegistry.write(options: DemoOptions(families: 2_000, seed: 20_221_015), to: b)
        _ = try DemoRegistry.write(options: DemoOptions(families: 2_000, seed: 7), to: c)
        #expect(sa.families == 2_000)
        #expect(sa.files.map { ($0 as NSString).lastPathComponent }
                == ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"])
        for name in ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"] {
            let da = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            let db = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
            let dc = try Data(contentsOf: URL(fileURLWithPath: c + "/" + name))
            #expect(da.count > 1_000)
            #expect(da == db, "\(name) differs between two runs with the same seed")
            if name != "wilayah.csv" { #expect(da != dc, "\(name) is the same for another seed") }
        }
        // No temporary roster parts left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: a).sorted()
                == ["anggota.csv", "keluarga.csv", "penerima.csv", "wilayah.csv"])
    }

    @Test func headersAreTheContractColumns() throws {
        let f = try Fixture.demo20k.get()
        #expect(f.keluarga.header == ["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r112", "r114", "desil",
                                      "r301a", "r302", "r303", "r304", "r305", "r306a", "r307a", "r308", "r309a",
                                      "r501a", "r501b", "r501c"])
        #expect(f.anggota.header == keyColumns + ["r401", "r402", "r403", "r404", "r405", "r406", "r407", "r408",
                                                  "r409", "r410", "r412", "r415", "r416a", "r417", "r418",
                                                  "r428a", "r428b", "r428c", "r428d", "r428e", "r428f", "r428g",
                                                  "r428h", "r428i", "r430", "r431a", "r431e"])
        #expect(f.penerima.header == ["program", "nik", "no_kk", "nama", "kode_desa_kemendagri", "periode"])
        #expect(f.wilayah.header == ["kode_kecamatan", "nama_kecamatan", "kode_kecamatan_kemendagri", "kode_desa",
                                     "nama_desa", "kode_desa_kemendagri", "jenis"])
        #expect(f.wilayah.rows.count == 155)
        // Every row has as many cells as its header (quoting is right).
        for t in [f.keluarga, f.anggota, f.penerima, f.wilayah] {
            #expect(t.rows.allSatisfy { $0.count == t.header.count })
        }
    }

    @Test func familyKeysAreUniqueAndWellFormed() throws {
        let f = try Fixture.demo20k.get()
        let k = f.keluarga
        #expect(k.rows.count == 20_000)
        #expect(f.summary.families == 20_000)
        #expect(Set(k.rows.map { key(k, $0) }).count == 20_000)
        for r in k.rows {
            #expect(r[k.column("r101")] == "15" && r[k.column("r102")] == "05")
            #expect(r[k.column("r103")].count == 3 && r[k.column("r104")].count == 3)
            #expect(r[k.column("r105")].count == 6)
        }
        // Families spread unevenly over the villages, with some small ones.
        var perVillage: [String: Int] = [:]
        for r in k.rows { perVillage[r[k.column("r103")] + r[k.column("r104")], default: 0] += 1 }
        let sizes = perVillage.filter { !$0.key.hasSuffix("999") }.values.sorted()
        #expect(sizes.count >= 150)
        #expect(sizes.last! > 3 * (20_000 / 155))
        #expect(sizes.first! < 20_000 / 155 / 10)
    }

    @Test func membersBelongToFamiliesExceptTheOrphans() throws {
        let f = try Fixture.demo20k.get()
        let familyKeys = Set(f.keluarga.rows.map { key(f.keluarga, $0) })
        var count: [String: Int] = [:], current: [String: Int] = [:]
        var orphanRows = 0
        var orphanFamilies = Set<String>()
        for r in f.anggota.rows {
            let k = key(f.anggota, r)
            count[k, default: 0] += 1
            if [1, 4].contains(Int(r[f.anggota.column("r404")]) ?? -1) { current[k, default: 0] += 1 }   // "01" too
            if !familyKeys.contains(k) { orphanRows += 1; orphanFamilies.insert(k) }
        }
        #expect(f.summary.persons == f.anggota.rows.count)
        #expect(orphanRows == f.summary.defects["orphan_members"])
        #expect(orphanRows > 0)
        #expect(orphanFamilies.count == 2)  // max(2, 20,000 / 10,000)
        // r112 = current members (r404 1 or 4); r401 runs 1…n over all members listed, the head first.
        let k = f.keluarga
        for r in k.rows { #expect(Int(r[k.column("r112")]) == current[key(k, r)] ?? 0, "r112 of \(key(k, r))") }
        let a = f.anggota
        var last: (String, Int) = ("", 0)
        for r in a.rows {
            let kk = key(a, r), serial = Int(r[a.column("r401")])!
            #expect(serial == (kk == last.0 ? last.1 + 1 : 1))
            if serial == 1 { #expect(code(r[a.column("r409")]) == 1) }
            last = (kk, serial)
        }
    }

    @Test func populationIsPlausible() throws {
        let f = try Fixture.demo20k.get()
        let a = f.anggota
        let current = a.rows.filter { [1, 4].contains(code($0[a.column("r404")])) }
        let perFamily = Double(current.count) / 20_000
        #expect(perFamily > 2.75 && perFamily < 3.05, "current persons per family \(perFamily)")
        let listed = Double(a.rows.count) / 20_000
        #expect(listed > perFamily && listed < 3.15)
        let notCurrent = Double(a.rows.count - current.count) / Double(a.rows.count)
        #expect(notCurrent > 0.01 && notCurrent < 0.05)
        let males = current.filter { code($0[a.column("r405")]) == 1 }.count
        let females = current.filter { code($0[a.column("r405")]) == 2 }.count
        let maleShare = Double(males) / Double(males + females)
        #expect(maleShare > 0.49 && maleShare < 0.53, "male share \(maleShare)")
        let ages = current.compactMap { Int($0[a.column("r407")]) }
        let children = Double(ages.filter { $0 < 15 }.count) / Double(ages.count)
        let old = Double(ages.filter { $0 >= 65 }.count) / Double(ages.count)
        #expect(children > 0.20 && children < 0.32, "0–14 share \(children)")
        #expect(old > 0.04 && old < 0.10, "65+ share \(old)")
        #expect(ages.allSatisfy { (0...98).contains($0) })
        let disabled = current.filter { r in
            ["a", "b", "c", "d", "e", "f", "g", "h", "i"].contains { [1, 2].contains(code(r[a.column("r428" + $0)])) }
        }.count
        let disabledShare = Double(disabled) / Double(current.count)
        #expect(disabledShare > 0.015 && disabledShare < 0.04, "disability share \(disabledShare)")
    }

    @Test func memberAnswersFollowAgeSexAndPresence() throws {
        let f = try Fixture.demo20k.get()
        let a = f.anggota
        let ref = (2022, 10, 15)
        var inSchool7to15 = 0, aged7to15 = 0, inSchool16to21 = 0, aged16to21 = 0
        for r in a.rows {
            let presence = code(r[a.column("r404")])!
            let age = Int(r[a.column("r407")])
            let sex = code(r[a.column("r405")])
            let birth = r[a.column("r406")]
            if let age, !birth.isEmpty {
                let p = birth.split(separator: "-").map { Int($0)! }
                let completed = ref.0 - p[0] - ((p[1], p[2]) > (ref.1, ref.2) ? 1 : 0)
                #expect(completed == age, "r406 \(birth) vs r407 \(age)")
            }
            let nik = r[a.column("r403")]
            if isValidNIK(nik), !birth.isEmpty, let sex {
                let p = birth.split(separator: "-").map { Int($0)! }
                let ddmmyy = String(format: "%02d%02d%02d", p[2] + (sex == 2 ? 40 : 0), p[1], p[0] % 100)
                #expect(nik.dropFirst(6).prefix(6) == ddmmyy, "NIK \(nik) vs \(birth) sex \(sex)")
            }
            guard [1, 4].contains(presence) else {
                // Non-current members answer only block IV.A.
                #expect(r[a.column("r410")...].allSatisfy { $0.isEmpty })
                continue
            }
            if !r[a.column("r410")].isEmpty { #expect(sex != 1 && code(r[a.column("r408")]) != 1) }
            if code(r[a.column("r410")]) == 1, let age { #expect((15...49).contains(age)) }
            guard let age else { continue }
            if age < 5 {
                #expect(r[a.column("r412")].isEmpty && r[a.column("r415")].isEmpty && r[a.column("r416a")].isEmpty)
            }
            if age < 2 { #expect(r[a.column("r428a")].isEmpty) }
            if age < 5 || age > 30 { #expect(r[a.column("r431e")].isEmpty) }
            if (7...15).contains(age) { aged7to15 += 1; if code(r[a.column("r412")]) == 2 { inSchool7to15 += 1 } }
            if (16...21).contains(age) { aged16to21 += 1; if code(r[a.column("r412")]) == 2 { inSchool16to21 += 1 } }
            if code(r[a.column("r416a")]) != 1 { #expect(r[a.column("r417")].isEmpty && r[a.column("r418")].isEmpty) }
        }
        let young = Double(inSchool7to15) / Double(aged7to15), older = Double(inSchool16to21) / Double(aged16to21)
        #expect(young > 0.9)
        #expect(older > 0.3 && older < young - 0.2)
    }

    @Test func welfareGoesWithHousingAndProgrammes() throws {
        let f = try Fixture.demo20k.get()
        let k = f.keluarga, a = f.anggota
        func share(_ rows: [[String]], _ test: ([String]) -> Bool) -> Double {
            Double(rows.filter(test).count) / Double(max(1, rows.count))
        }
        let poor = k.rows.filter { (code($0[k.column("desil")]) ?? 99) <= 2 }
        let rich = k.rows.filter { (code($0[k.column("desil")]) ?? 0) >= 9 }
        let unranked = k.rows.filter { $0[k.column("desil")].isEmpty }
        #expect(Double(unranked.count) / 20_000 > 0.01 && Double(unranked.count) / 20_000 < 0.04)
        #expect(share(poor) { [7, 8].contains(code($0[k.column("r303")])) }
                > 3 * share(rich) { [7, 8].contains(code($0[k.column("r303")])) })
        #expect(share(poor) { code($0[k.column("r308")]) == 10 } > 0.2)
        #expect(share(rich) { code($0[k.column("r308")]) == 10 } < 0.1)
        // PKH self-report: most poor families with a component member, some rich families.
        var members: [String: [[String]]] = [:]
        for r in a.rows where [1, 4].contains(code(r[a.column("r404")])) { members[key(a, r), default: []].append(r) }
        let eligible = k.rows.filter { r in
            guard let d = code(r[k.column("desil")]), d <= 4 else { return false }
            return (members[key(k, r)] ?? []).contains { m in
                let age = Int(m[a.column("r407")]) ?? -1
                return code(m[a.column("r410")]) == 1 || (0...6).contains(age) || age >= 60
                    || ((6...21).contains(age) && code(m[a.column("r412")]) == 2)
                    || ["a", "b", "c", "d", "e", "f", "g", "h", "i"].contains { [1, 2].contains(code(m[a.column("r428" + $0)])) }
            }
        }
        let pkhEligible = share(eligible) { code($0[k.column("r501b")]) == 1 }
        #expect(pkhEligible > 0.5 && pkhEligible < 0.9, "PKH among eligible \(pkhEligible)")
        let pkhRich = share(rich) { code($0[k.column("r501b")]) == 1 }
        #expect(pkhRich > 0.01 && pkhRich < 0.15, "PKH among desil 9–10 \(pkhRich)")
        let areas = k.rows.compactMap { Double($0[k.column("r302")]) }
        #expect(areas.contains { $0 != $0.rounded() })
        #expect(areas.allSatisfy { $0 > 0 && $0 < 1_000 })
    }

    @Test func registryDefectsArePresent() throws {
        let f = try Fixture.demo20k.get()
        let k = f.keluarga, a = f.anggota, d = f.summary.defects
        func count(_ t: Table, _ column: String, _ test: (String) -> Bool) -> Int {
            let c = t.column(column)
            return t.rows.filter { test($0[c]) }.count
        }
        // Codes with leading zeros.
        let padded = { (s: String) in s.count == 2 && s.hasPrefix("0") }
        let familyCodeColumns = ["desil", "r301a", "r303", "r304", "r305", "r306a", "r307a", "r308", "r309a",
                                 "r501a", "r501b", "r501c"].map(k.column)
        #expect(k.rows.filter { r in familyCodeColumns.contains { padded(r[$0]) } }.count == d["keluarga_leading_zero_rows"])
        #expect(count(a, "r404", padded) == d["anggota_leading_zero_rows"])
        #expect(d["keluarga_leading_zero_rows"]! > 50 && d["anggota_leading_zero_rows"]! > 200)
        // Missing values.
        #expect(count(a, "r407", \.isEmpty) == d["empty_r407"] && d["empty_r407"]! > 20)
        #expect(count(a, "r405", \.isEmpty) == d["empty_r405"] && d["empty_r405"]! > 5)
        #expect(count(a, "r406", \.isEmpty) == d["empty_r406"] && d["empty_r406"]! > 50)
        #expect(count(k, "desil", \.isEmpty) == d["empty_desil"])
        #expect(count(k, "r302", \.isEmpty) == d["empty_r302"] && d["empty_r302"]! > 50)
        #expect(count(k, "r114", \.isEmpty) == d["empty_kk"] && d["empty_kk"]! > 50)
        #expect(count(k, "r114") { !$0.isEmpty && ($0.count != 16 || !$0.hasPrefix("1505")) } == 0)
        // NIK: empty and each kind of malformed.
        #expect(count(a, "r403", \.isEmpty) == d["empty_nik"] && d["empty_nik"]! > 100)
        let malformed = count(a, "r403") { !$0.isEmpty && !isValidNIK($0) }
        #expect(malformed == d["malformed_nik"])
        #expect(count(a, "r403") { $0.count == 15 && $0.allSatisfy(\.isNumber) } > 0)
        #expect(count(a, "r403") { $0.contains { $0.isLetter } } > 0)
        #expect(count(a, "r403") { $0 == "9999999999999999" } > 0)
        #expect(count(a, "r403") { $0.count == 16 && $0.allSatisfy(\.isNumber) && $0.dropFirst(6).hasPrefix("00") } > 0)
        // The same valid NIK on current members of two families.
        var families: [String: Set<String>] = [:]
        let nikColumn = a.column("r403"), presence = a.column("r404")
        for r in a.rows where isValidNIK(r[nikColumn]) && [1, 4].contains(code(r[presence])) {
            families[r[nikColumn], default: []].insert(key(a, r))
        }
        let shared = families.values.filter { $0.count > 1 }.count
        #expect(shared == d["nik_in_two_families"] && shared > 5)
        // Families in a village that wilayah.csv does not know.
        let villages = Set(f.wilayah.rows.map { $0[3] })
        let unknown = k.rows.filter { !villages.contains($0[0] + $0[1] + $0[2] + $0[3]) }
        #expect(unknown.count == d["unknown_village_families"] && unknown.count >= 3)
        // Names that need CSV quoting or carry an apostrophe.
        let names = a.rows.map { $0[a.column("r402")] }
        #expect(names.filter { $0.contains(",") }.count == d["name_with_comma"])
        #expect(names.filter { $0.contains("\"") }.count == d["name_with_quotes"])
        #expect(names.contains { $0.contains("\n") })
        #expect(names.contains { $0.hasPrefix("=") })
        #expect(names.filter { $0.contains("'") }.count > 100)
        #expect(!names.contains(""))
    }

    @Test func rosterDefectsArePresent() throws {
        let f = try Fixture.demo20k.get()
        let p = f.penerima, k = f.keluarga, a = f.anggota, d = f.summary.defects
        #expect(p.rows.count == f.summary.rosterRows)
        let (prog, nik, kk, period, village) = (p.column("program"), p.column("nik"), p.column("no_kk"),
                                                p.column("periode"), p.column("kode_desa_kemendagri"))
        let programs = Set(p.rows.map { $0[prog] })
        #expect(programs == ["PKH", "BPNT", "BLT_DESA", "PBI_JKN", "PIP", "KUR"])
        #expect(p.rows.filter { $0[prog] == "KUR" }.count == d["roster_other_program"])
        #expect(Set(p.rows.map { $0[period] }) == ["2022-S1", "2022-S2"])
        let kemendagri = Set(f.wilayah.rows.map { $0[5] })
        #expect(p.rows.allSatisfy { kemendagri.contains($0[village]) })

        // Same valid NIK twice in one programme, in one period and across periods.
        var rowsByNIK: [String: [[String]]] = [:]
        for r in p.rows where isValidNIK(r[nik]) { rowsByNIK[r[prog] + "|" + r[nik], default: []].append(r) }
        #expect(rowsByNIK.values.contains { rs in rs.count > 1 && Set(rs.map { $0[period] }).count == 1 })
        #expect(rowsByNIK.values.contains { rs in Set(rs.map { $0[period] }).count == 2 })
        // A family on a family-level roster under two members' NIKs.
        var niksByKK: [String: Set<String>] = [:]
        for r in p.rows where ["PKH", "BPNT", "BLT_DESA"].contains(r[prog]) && isValidNIK(r[nik]) && !r[kk].isEmpty {
            niksByKK[r[prog] + "|" + r[kk], default: []].insert(r[nik])
        }
        #expect(niksByKK.values.filter { $0.count > 1 }.count >= d["roster_family_twice"]! / 2)
        #expect(d["roster_family_twice"]! > 5)
        // BLT_DESA to families that are also on PKH or BPNT.
        let pkhOrBpnt = Set(p.rows.filter { ["PKH", "BPNT"].contains($0[prog]) }.map { $0[kk] })
        let overlap = Set(p.rows.filter { $0[prog] == "BLT_DESA" && pkhOrBpnt.contains($0[kk]) }.map { $0[kk] })
        #expect(overlap.count >= d["blt_with_pkh_or_bpnt"]! && overlap.count > 10)
        // Invalid NIK or empty NIK, but a No. KK of the registry to link by.
        let registryKK = Set(k.rows.map { $0[k.column("r114")] }.filter { !$0.isEmpty })
        let invalid = p.rows.filter { !$0[nik].isEmpty && !isValidNIK($0[nik]) }
        #expect(invalid.count == d["roster_invalid_nik"])
        #expect(invalid.filter { registryKK.contains($0[kk]) }.count > invalid.count / 2)
        #expect(invalid.contains { $0[nik].contains("E+") })
        let empty = p.rows.filter { $0[nik].isEmpty }
        #expect(empty.count == d["roster_empty_nik"] && empty.count > 10)
        #expect(empty.filter { registryKK.contains($0[kk]) }.count > empty.count / 2)
        // Rows that match nobody (contract linking rule).
        let currentNIK = Set(a.rows.filter { [1, 4].contains(code($0[a.column("r404")])) }.map { $0[a.column("r403")] }
            .filter(isValidNIK))
        let unmatched = p.rows.filter { r in
            !(isValidNIK(r[nik]) && currentNIK.contains(r[nik])) && !(!r[kk].isEmpty && registryKK.contains(r[kk]))
        }
        #expect(unmatched.count >= d["roster_unmatched"]! && d["roster_unmatched"]! > 30)
        #expect(unmatched.count < p.rows.count / 20)
        // Roster names differ slightly from the registry: many upper-case, some re-spelled.
        #expect(p.rows.filter { $0[p.column("nama")] == $0[p.column("nama")].uppercased() }.count > p.rows.count / 3)
    }
}
