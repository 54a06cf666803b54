import Foundation
import Testing
import DemoData
@testable import Microdata
@testable import Profile
@testable import Publishing
@testable import Reporting

/// End to end on a generated registry (3,000 families, seed 7): the published tables add up, two runs are
/// byte-identical, no identifier reaches a published file, restricted lists go only where asked, bad input
/// ends in a located `InputError`, every record is accounted for, and the outputs are well-formed.
@Suite struct EndToEndTests {
    // MARK: Shared runs (generated once per suite)

    fileprivate struct Fixture: Sendable {
        var root: String
        var data: String
        var demo: DemoSummary
        /// Plain run and its twin run into another folder.
        var outA: String, outB: String
        var summaryA: RunSummary, summaryB: RunSummary
        /// Run with `restrictedDirectory`.
        var outR: String, restricted: String
        var summaryR: RunSummary
    }

    fileprivate static let fixture: Result<Fixture, any Error> = Result {
        let root = Repo.temporaryDirectory("EndToEnd")
        let data = root + "/microdata"
        let demo = try DemoRun.generate(families: 3000, seed: 7, directory: data)
        func run(_ out: String, restricted: String? = nil) throws -> RunSummary {
            try ReportRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: data, outputDirectory: out,
                                         templatesDirectory: Repo.templates, restrictedDirectory: restricted))
        }
        let a = try run(root + "/outA"), b = try run(root + "/outB")
        let r = try run(root + "/outR", restricted: root + "/restricted")
        return Fixture(root: root, data: data, demo: demo, outA: root + "/outA", outB: root + "/outB",
                       summaryA: a, summaryB: b, outR: root + "/outR", restricted: root + "/restricted", summaryR: r)
    }

    fileprivate static func shared() throws -> Fixture { try fixture.get() }

    /// Identifiers of the input, collected once.
    fileprivate static let identifiers: Result<E2EIdentifiers, any Error> = Result { try E2EIdentifiers(dataDirectory: shared().data) }

    // MARK: 1. Parts add up

    @Test func profileTablesAddUpOverAreasAndCategories() throws {
        let f = try Self.shared()
        let profile = try Profile.load(directory: Repo.profile)
        let ids = profile.tables.map(\.id)
        #expect(ids.count >= 16)
        for expected in ["population_sex", "population_age_sex", "families_desil", "housing_tenure", "disability_sex",
                         "school_participation", "education_certificate", "employment_worked", "employment_industry"] {
            #expect(ids.contains(expected), "profile table \(expected)")
        }
        for id in ids {
            let twin = try E2ETwin(path: f.outA + "/data/\(id).csv")
            #expect(twin.rows.allSatisfy { $0.table == id }, "\(id): table column")
            let measures = Set(twin.rows.map(\.measure)).intersection(["persons", "families"])
            #expect(!measures.isEmpty, "\(id) has a count measure")
            // A count cell is a published value or confidential (`C`, empty value); never M, never a value with a status.
            let odd = twin.rows.filter { measures.contains($0.measure) && ($0.value == nil) != ($0.status == "C") }
            #expect(odd.isEmpty, "\(id): count cells neither a value nor C, e.g. \(odd.prefix(3).map(\.description))")
            #expect(twin.rows.allSatisfy { $0.status.isEmpty || ($0.value == nil && ["C", "M"].contains($0.status)) },
                    "\(id): obs_status is empty, or C/M with an empty value")
            // Every published level (all three, or kecamatan and kabupaten for a table shown per kecamatan:
            // contract §3 rev. 2), every village and kecamatan of the reference.
            let perKecamatan = profile.tables.first { $0.id == id }?.protection.publishLevels?.contains(.desa) == false
            #expect(Set(twin.rows.filter { $0.level == "desa" }.map(\.area)).count == (perKecamatan ? 0 : 155), "\(id) villages")
            #expect(Set(twin.rows.filter { $0.level == "kecamatan" }.map(\.area)).count == 11, "\(id) kecamatan")
            #expect(Set(twin.rows.filter { $0.level == "kabupaten" }.map(\.area)) == ["1505"], "\(id) kabupaten")

            // Every kecamatan and kabupaten count cell is compared with the sum of its children, unless it or a
            // child is confidential; without confidential cells, all of them are.
            let parents = twin.rows.filter { $0.level != (perKecamatan ? "kecamatan" : "desa") && $0.level != "desa" && measures.contains($0.measure) }.count
            let confidential = twin.rows.contains { $0.status == "C" }
            let areas = E2EAdditivity.overAreas(twin, measures: measures)
            #expect(areas.failures.isEmpty, "\(id): areas do not add up: \(areas.failures.prefix(5))")
            #expect(areas.checked + areas.skipped == parents && parents >= (perKecamatan ? 1 : 12) * 3, "\(id): \(areas.checked) + \(areas.skipped) of \(parents) area sums")
            #expect(areas.checked > 0 && (confidential || areas.skipped == 0), "\(id): \(areas.checked) area sums checked, \(areas.skipped) skipped")
            let cats = E2EAdditivity.overCategories(twin, measures: measures)
            #expect(cats.failures.isEmpty, "\(id): categories do not add up to _T: \(cats.failures.prefix(5))")
            #expect(cats.checked > 0 && (confidential || cats.skipped == 0), "\(id): \(cats.checked) category sums checked, \(cats.skipped) skipped")
            if !confidential { #expect(cats.checked >= (perKecamatan ? 12 : 167) * twin.dimensions.count, "\(id): \(cats.checked) category sums checked") }
        }
        // A cell worth seeing: the kabupaten population equals the tabulated members.
        let pop = try E2ETwin(path: f.outA + "/data/population_sex.csv")
        #expect(pop.value("kabupaten", "1505", ["_T"], "persons") == Double(f.summaryA.persons))
        #expect(pop.value("kabupaten", "1505", ["_T"], "families") == Double(f.summaryA.families))
        #expect(f.summaryA.families == 2997)
    }

    /// The checker itself: a hand-made twin that adds up passes, and one wrong cell is caught at both kinds of sum.
    @Test func additivityCheckerCatchesAWrongCell() throws {
        let dir = Repo.temporaryDirectory()
        func twin(_ villageMale: Int) throws -> E2ETwin {
            var csv = "table,area_level,area_code,r405,measure,value,obs_status\n"
            let cells: [(String, String, [Int])] = [("kabupaten", "1505", [5, 4]), ("kecamatan", "1505010", [5, 4]),
                                                    ("desa", "1505010001", [villageMale, 1]), ("desa", "1505010002", [2, 3])]
            for (level, code, v) in cells {
                csv += "t,\(level),\(code),1,persons,\(v[0]),\nt,\(level),\(code),2,persons,\(v[1]),\n"
                csv += "t,\(level),\(code),_T,persons,\(v[0] + v[1]),\n"
            }
            try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/t.csv"))
            return try E2ETwin(path: dir + "/t.csv")
        }
        let good = try twin(3)
        #expect(E2EAdditivity.overAreas(good, measures: ["persons"]).failures.isEmpty)
        #expect(E2EAdditivity.overAreas(good, measures: ["persons"]).checked == 6)
        #expect(E2EAdditivity.overCategories(good, measures: ["persons"]).failures.isEmpty)
        #expect(E2EAdditivity.overCategories(good, measures: ["persons"]).checked == 4)
        let bad = try twin(4)   // the village says 4 men, its kecamatan 5 (= 3 + 2): area sum off by one
        #expect(E2EAdditivity.overAreas(bad, measures: ["persons"]).failures.count == 2)   // men and total
        #expect(E2EAdditivity.overCategories(bad, measures: ["persons"]).failures.isEmpty)   // the village itself adds up
    }

    @Test func targetingAddsUpAndIsConsistent() throws {
        let f = try Self.shared()
        let twin = try E2ETwin(path: f.outA + "/data/targeting.csv")
        #expect(twin.dimensions == ["program", "source"])
        let counts: Set<String> = ["families", "persons", "eligible", "eligible_recipients", "eligible_non_recipients",
                                   "ineligible_recipients", "recipients"]
        let areas = E2EAdditivity.overAreas(twin, measures: counts)
        #expect(areas.failures.isEmpty, "targeting: areas do not add up: \(areas.failures.prefix(5))")
        // Every kecamatan/kabupaten count cell is checked unless it or a child has no value (KUR's eligibility
        // cells are M; confidential cells C).
        let parents = twin.rows.filter { $0.level != "desa" && counts.contains($0.measure) }.count
        #expect(areas.checked + areas.skipped == parents && parents >= 12 * 6 * 2 * 6, "targeting: \(areas.checked) + \(areas.skipped) of \(parents)")
        // Small-cell protection (on by default) leaves many village cells confidential at 3,000 families; still,
        // at least two area sums per programme, source and count measure are checked.
        #expect(areas.checked >= 12 * 5 * 2 * 2, "targeting: \(areas.checked) area sums checked")

        var byCell: [String: [String: E2ETwin.Row]] = [:]
        for r in twin.rows { byCell[r.areaKey + "|" + r.codes.joined(separator: ","), default: [:]][r.measure] = r }
        var identities = 0, rates = 0, failures: [String] = []
        for (key, m) in byCell {
            func v(_ name: String) -> Double? { m[name]?.value }
            if let e = v("eligible"), let er = v("eligible_recipients"), let enr = v("eligible_non_recipients") {
                identities += 1
                if e != er + enr { failures.append("\(key): eligible \(e) != \(er) + \(enr)") }
            }
            if let r = v("recipients"), let er = v("eligible_recipients"), let ir = v("ineligible_recipients") {
                identities += 1
                if r != er + ir { failures.append("\(key): recipients \(r) != \(er) + \(ir)") }
            }
            if let e = v("eligible"), e > 0, m["coverage_pct"]?.status != "C", m["exclusion_pct"]?.status != "C" {
                guard let c = v("coverage_pct"), let x = v("exclusion_pct") else {
                    failures.append("\(key): eligible \(e) but no coverage/exclusion value"); continue
                }
                rates += 1
                if abs(c + x - 100) > 1e-5 { failures.append("\(key): coverage \(c) + exclusion \(x) != 100") }
            }
            if let e = v("eligible"), e == 0, let c = m["coverage_pct"] {
                if c.status != "M" || c.value != nil { failures.append("\(key): coverage with eligible = 0 should be M, is '\(c.status)'") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, e.g. \(failures.prefix(5))")
        #expect(identities >= 2 * 12 * 5 * 2, "\(identities) identities checked")
        #expect(rates >= 12 * 5, "\(rates) rate pairs checked")
        // The kabupaten rows cover every tabulated family; ANY is present for both sources.
        #expect(twin.value("kabupaten", "1505", ["ANY", "registry"], "families") == 2997)
        #expect(twin.value("kabupaten", "1505", ["ANY", "roster"], "families") == 2997)
        #expect((twin.value("kabupaten", "1505", ["PKH", "roster"], "eligible") ?? 0) > 0)
    }

    // MARK: 2. Determinism

    @Test func secondRunIsByteIdentical() throws {
        let f = try Self.shared()
        let filesA = E2EFiles.list(f.outA), filesB = E2EFiles.list(f.outB)
        #expect(filesA == filesB)
        for name in ["report.xlsx", "report.md", "report.html", "briefing.html", "manifest.json", "data/population_sex.csv", "data/targeting.csv"] {
            #expect(filesA.contains(name), "\(name) written")
        }
        #expect(filesA.filter { $0.hasPrefix("data/") && $0.hasSuffix(".csv") }.count >= 20)
        #expect(Set(f.summaryA.files).isSubset(of: Set(filesA)), "every file of the summary exists")
        for name in filesA {
            let a = FileManager.default.contents(atPath: f.outA + "/" + name)
            let b = FileManager.default.contents(atPath: f.outB + "/" + name)
            #expect(a != nil && a == b, "\(name) differs between two runs")
            #expect((a?.count ?? 0) > 0, "\(name) is empty")
        }
    }

    // MARK: 3. Privacy

    @Test func publishedOutputsHoldNoIdentifiers() throws {
        let f = try Self.shared()
        let ids = try Self.identifiers.get()
        #expect(ids.niks.count > 8000, "NIKs collected: \(ids.niks.count)")
        #expect(ids.kks.count > 2500, "No. KKs collected: \(ids.kks.count)")
        #expect(ids.nameCount > 1000, "names collected: \(ids.nameCount)")

        // Sanity: the very same search finds the identifiers where they are.
        let anggota = try E2EFiles.bytes(f.data + "/anggota.csv")
        let inAnggota = ids.findings(in: anggota, limit: .max)
        #expect(inAnggota.niks > 8000 && inAnggota.names > 1000, "search finds the input's own identifiers: \(inAnggota)")
        let keluarga = ids.findings(in: try E2EFiles.bytes(f.data + "/keluarga.csv"), limit: .max)
        #expect(keluarga.kks > 2500, "search finds No. KKs in keluarga.csv: \(keluarga)")
        let penerima = ids.findings(in: try E2EFiles.bytes(f.data + "/penerima.csv"), limit: .max)
        #expect(penerima.niks > 1000 && penerima.names > 1000, "search finds roster identifiers: \(penerima)")
        // …and would find one planted in a published file (in an HTML-escaped form too).
        var planted = try E2EFiles.bytes(f.outA + "/report.md")
        #expect(ids.findings(in: planted).total == 0)
        planted += Array("\n| \(ids.sampleName) |\n".utf8)
        #expect(ids.findings(in: planted).names >= 1, "a planted name is found")
        planted += Array(" x\(ids.sampleNIK)y ".utf8)
        #expect(ids.findings(in: planted).niks >= 1, "a planted NIK is found")
        let escapedName = E2EFiles.htmlEscaped(ids.sampleQuotedName)
        let xml = E2EFiles.xmlUnescaped(Array("<t>\(escapedName)</t>".utf8))
        #expect(ids.findings(in: xml).names >= 1, "a name with quotes, HTML-escaped, is found: \(escapedName)")

        let scanned = try Self.scanPublished(f.outA, ids)
        #expect(scanned.files >= 24 + 30, "files and xlsx parts scanned: \(scanned.files)")
        #expect(scanned.leaks.isEmpty, "identifiers in published outputs: \(scanned.leaks.prefix(10))")
    }

    /// Scans report.md, report.html, manifest.json, data/*.csv and every part of report.xlsx.
    fileprivate static func scanPublished(_ out: String, _ ids: E2EIdentifiers) throws -> (files: Int, leaks: [String]) {
        var leaks: [String] = []
        var files = 0
        let names = E2EFiles.list(out)
        #expect(!names.contains { $0.contains("restricted") }, "no restricted file among the published outputs")
        for name in names where !name.hasSuffix(".xlsx") {
            var bytes = try E2EFiles.bytes(out + "/" + name)
            if name.hasSuffix(".html") { bytes = E2EFiles.xmlUnescaped(bytes) }
            files += 1
            leaks += ids.findings(in: bytes).examples.map { "\(name): \($0)" }
        }
        let parts = try E2EFiles.unzip(out + "/report.xlsx")
        #expect(parts.files.contains("xl/sharedStrings.xml"))
        #expect(parts.files.contains("[Content_Types].xml"))
        #expect(parts.files.filter { $0.hasPrefix("xl/worksheets/") }.count >= 20)
        for part in parts.files {
            let bytes = E2EFiles.xmlUnescaped(try E2EFiles.bytes(parts.directory + "/" + part))
            #expect(!bytes.isEmpty, "xlsx part \(part) read")
            files += 1
            leaks += ids.findings(in: bytes).examples.map { "report.xlsx/\(part): \($0)" }
        }
        return (files, leaks)
    }

    // MARK: 4. Restricted lists

    @Test func restrictedListsOnlyWhereAsked() throws {
        let f = try Self.shared()
        let ids = try Self.identifiers.get()
        let fm = FileManager.default
        // Without restrictedDirectory: exactly the published outputs, and no restricted folder anywhere.
        #expect(E2EFiles.topLevel(f.outA) == ["briefing.html", "data", "manifest.json", "profiles", "report.html", "report.md", "report.xlsx"])
        #expect(E2EFiles.topLevel(f.root).sorted() == ["microdata", "outA", "outB", "outR", "restricted"])
        #expect(!(try String(contentsOfFile: f.outA + "/report.md", encoding: .utf8)).contains("restricted folder"))

        // With it: both lists, non-empty, holding the input's identifiers.
        let enr = try E2ETable(path: f.restricted + "/eligible_non_recipients.csv")
        let dup = try E2ETable(path: f.restricted + "/duplicate_records.csv")
        #expect(fm.fileExists(atPath: f.restricted + "/restricted_lists.xlsx"))
        #expect(enr.rows.count > 100, "eligible non-recipient rows: \(enr.rows.count)")
        #expect(dup.rows.count > 10, "duplicate record rows: \(dup.rows.count)")
        let kks = enr.column("no_kk_keluarga").filter { !$0.isEmpty }
        #expect(kks.count > 100)
        #expect(kks.allSatisfy { ids.rawKKs.contains($0) }, "every No. KK of the list is an input No. KK")
        let heads = enr.column("nik_kepala").filter { !$0.isEmpty }
        #expect(heads.allSatisfy { ids.rawNIKs.contains($0) }, "every head NIK is an input NIK")
        let niks = dup.column("nik_penerima").filter { !$0.isEmpty }
        #expect(niks.count > 10)
        #expect(niks.allSatisfy { ids.rawNIKs.contains($0) }, "every NIK of the duplicate list is an input NIK")
        #expect(ids.findings(in: try E2EFiles.bytes(f.restricted + "/duplicate_records.csv")).niks > 0)
        // Beside each village profile, its own verification list: every village has one, and together they are
        // the whole list, each row in its own village's file.
        let perVillage = try fm.contentsOfDirectory(atPath: f.restricted + "/profiles").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(perVillage.count == 155)
        var villageRows = 0
        for file in perVillage {
            let t = try E2ETable(path: f.restricted + "/profiles/" + file)
            #expect(t.column("kode_desa_bps").allSatisfy { $0 + ".csv" == file })
            villageRows += t.rows.count
        }
        #expect(villageRows == enr.rows.count)
        // The restricted manifest holds no timing: the same inputs give the same bytes there too.
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: f.restricted + "/unprotected/protection.json"))) as? [String: Any]
        #expect(manifest?["statistics"] != nil && manifest?["seconds"] == nil)

        // The published outputs of that run still hold none.
        let scanned = try Self.scanPublished(f.outR, ids)
        #expect(scanned.leaks.isEmpty, "identifiers in published outputs of the restricted run: \(scanned.leaks.prefix(10))")
        #expect(!E2EFiles.list(f.outR).contains { $0.contains("eligible_non_recipients.csv") || $0.contains("duplicate_records") })

        // The report says how many records were written.
        let written = enr.rows.count + dup.rows.count
        let md = try String(contentsOfFile: f.outR + "/report.md", encoding: .utf8)
        let html = try String(contentsOfFile: f.outR + "/report.html", encoding: .utf8)
        #expect(md.contains("(\(written) records)") || md.contains("(\(written) record)"), "Markdown gives \(written) records")
        #expect(html.contains("(\(written) records)") || html.contains("(\(written) record)"), "HTML gives \(written) records")
        #expect(md.contains("restricted/"))
    }

    // MARK: 5. Bad input, clear error

    @Test func missingColumnNamesFileLineAndColumn() throws {
        let f = try Self.shared()
        let dir = try E2EFiles.copyData(f.data)
        let path = dir + "/anggota.csv"
        let reader = try CSVReader(path: path)
        let drop = try #require(reader.columnIndex("r405"))
        var rows: [[String]] = []
        try reader.forEachRecord { r in rows.append((0..<r.fieldCount).filter { $0 != drop }.map { r.string($0) }) }
        let w = try CSVWriter(path: path)
        w.writeRow(reader.header.enumerated().filter { $0.offset != drop }.map(\.element))
        rows.forEach(w.writeRow)
        try w.close()
        #expect(try CSVReader(path: path).columnIndex("r405") == nil)
        #expect(rows.count == f.demo.persons)

        let e = try Self.expectInputError(dir)
        #expect(e?.file == "anggota.csv")
        #expect(e?.line == 1)
        #expect(e?.column == "r405" || (e?.expected.contains("r405") ?? false), "names r405: \(e.map(String.init(describing:)) ?? "-")")
        #expect(e?.description.contains("r405") == true)
    }

    @Test func unterminatedQuoteNamesFileLineAndColumn() throws {
        let f = try Self.shared()
        let dir = try E2EFiles.copyData(f.data)
        let path = dir + "/keluarga.csv"
        var bytes = try E2EFiles.bytes(path)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        let line = bytes.filter { $0 == 0x0A }.count + 1   // the appended line's number (no multi-line fields in keluarga.csv)
        #expect(line == f.demo.families + 2)
        bytes += Array("15,05,010,001,\"100100,1,1,3,1505010000000001,2,1\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let e = try Self.expectInputError(dir)
        #expect(e?.file == "keluarga.csv")
        #expect(e?.line == line)
        #expect(e?.column == "r105")
        #expect(e?.columnNumber == 5)
        #expect(e?.expected.contains("quote") == true, "\(e.map(String.init(describing:)) ?? "-")")
    }

    @Test func nineDigitVillageCodeNamesItsLine() throws {
        let f = try Self.shared()
        let dir = try E2EFiles.copyData(f.data)
        let path = dir + "/wilayah.csv"
        let reader = try CSVReader(path: path)
        let col = try #require(reader.columnIndex("kode_desa"))
        var rows: [[String]] = [], lines: [Int] = []
        try reader.forEachRecord { r in rows.append((0..<r.fieldCount).map { r.string($0) }); lines.append(r.line) }
        #expect(rows.count == 155)
        #expect(lines[3] == 5)
        let original = rows[3][col]
        rows[3][col] = String(original.dropLast())
        #expect(rows[3][col].count == 9)
        let w = try CSVWriter(path: path)
        w.writeRow(reader.header)
        rows.forEach(w.writeRow)
        try w.close()

        let e = try Self.expectInputError(dir)
        #expect(e?.file == "wilayah.csv")
        #expect(e?.line == 5)
        #expect(e?.column == "kode_desa")
        #expect(e?.found == String(original.dropLast()))
    }

    /// Runs on `dir` expecting an `InputError`; no output beyond the error is required.
    fileprivate static func expectInputError(_ dir: String) throws -> InputError? {
        let out = dir + "-out"
        do {
            _ = try ReportRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: dir, outputDirectory: out,
                                             templatesDirectory: Repo.templates))
            Issue.record("run on \(dir) did not throw")
            return nil
        } catch let e as InputError {
            return e
        } catch {
            Issue.record("expected an InputError, got \(type(of: error)): \(error)")
            return nil
        }
    }

    // MARK: 6. Record accounting

    @Test func everyRecordAccountedForAndReported() throws {
        let f = try Self.shared()
        let a = f.summaryA.accounting
        #expect(a.read.map(\.file) == ["keluarga.csv", "anggota.csv", "penerima.csv"])
        #expect(a.read.first { $0.file == "keluarga.csv" }?.count == f.demo.families)
        #expect(a.read.first { $0.file == "anggota.csv" }?.count == f.demo.persons)
        #expect(a.read.first { $0.file == "penerima.csv" }?.count == f.demo.rosterRows)
        #expect(a.count(excluded: "keluarga.csv", "unknown_village") == f.demo.defects["unknown_village_families"])
        #expect(a.tabulated.first { $0.file == "keluarga.csv" }?.count == f.summaryA.families)
        #expect(a.tabulated.first { $0.file == "anggota.csv" }?.count == f.summaryA.persons)

        let profile = try Profile.load(directory: Repo.profile)
        let language = Language(rawValue: profile.report.language) ?? .both
        func n(_ v: Int) -> String { NumberFormatting.format(Double(v), style: .integer, language: language) }
        let md = try String(contentsOfFile: f.outA + "/report.md", encoding: .utf8)
        let lines = md.split(separator: "\n").map(String.init)
        func rowExists(_ file: String, _ label: String, _ count: Int) -> Bool {
            lines.contains { $0.hasPrefix("| \(file) |") && $0.contains(label) && $0.hasSuffix("| \(n(count)) |") }
        }
        for (file, read) in a.read {
            let tabulated = a.tabulated.first { $0.file == file }?.count ?? 0
            #expect(read == tabulated + a.excludedCount(file), "\(file): read \(read) = tabulated \(tabulated) + excluded \(a.excludedCount(file))")
            #expect(rowExists(file, "Records read", read), "\(file): read \(n(read)) in report.md")
            #expect(rowExists(file, "Records tabulated", tabulated), "\(file): tabulated \(n(tabulated)) in report.md")
            for e in a.excluded where e.file == file {
                #expect(rowExists(file, AccountingText.label(e.reason).en, e.count), "\(file): excluded \(e.reason) \(n(e.count)) in report.md")
            }
        }
        #expect(a.excludedCount("anggota.csv") > 0)
        #expect(f.summaryB.accounting.read.map(\.count) == a.read.map(\.count))
    }

    // MARK: 7. Well-formed outputs

    fileprivate static let openpyxlAvailable: Bool = (try? E2EFiles.python(["-c", "import openpyxl"]).status) == 0

    /// Locally skipped without openpyxl; under `CI=true` (where `.ci/run` installs it for `REGTAB_PYTHON`) a failure.
    @Test(.enabled(if: EndToEndTests.openpyxlAvailable || ProcessInfo.processInfo.environment["CI"] == "true",
                   "openpyxl is not importable (set REGTAB_PYTHON to a Python that has it)")) func workbookOpensInOpenpyxl() throws {
        let f = try Self.shared()
        let script = """
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = next(wb[n] for n in wb.sheetnames if n[:1].isdigit())   # the first table sheet (after cover and briefing)
        print(len(wb.sheetnames)); print(wb.sheetnames[0]); print(wb.sheetnames[-1]); print(ws.max_row)
        """
        let r = try E2EFiles.python(["-c", script, f.outA + "/report.xlsx"])
        #expect(r.status == 0, "openpyxl failed: \(r.output)")
        let out = r.output.split(separator: "\n").map(String.init)
        let profile = try Profile.load(directory: Repo.profile)
        #expect((Int(out.first ?? "") ?? 0) >= profile.tables.count + 2, "sheets: \(out)")
        #expect(out.count == 4 && (Int(out[3]) ?? 0) > 100, "first table sheet has rows: \(out)")
    }

    @Test func htmlLinksEveryTwin() throws {
        let f = try Self.shared()
        let html = try String(contentsOfFile: f.outA + "/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") || html.lowercased().hasPrefix("<!doctype html>"))
        #expect(html.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>"))
        #expect(!html.contains("<script"))
        let twins = Set(E2EFiles.list(f.outA + "/data").filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) })
        let linked = E2EFiles.twinLinks(html)
        #expect(twins.count >= 20)
        let profile = try Profile.load(directory: Repo.profile)
        for id in profile.tables.map(\.id) { #expect(linked.contains(id), "profile table \(id) linked") }
        let unlinked = twins.subtracting(linked).sorted()
        let broken = linked.subtracting(twins).sorted()
        // Presentation tables laid out from a shared cube link that cube's twin (DisplayTable.twin).
        #expect(unlinked.isEmpty, "twins in data/ without a link data/<id>.csv in report.html: \(unlinked)")
        #expect(broken.isEmpty, "report.html links data/<id>.csv files that do not exist: \(broken)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.outA + "/manifest.json")))
        let object = try #require(manifest as? [String: Any])
        #expect(object["accounting"] != nil && object["inputs"] != nil)
    }
}

// MARK: - Helpers

/// One data/<table>.csv twin.
private struct E2ETwin {
    struct Row: CustomStringConvertible {
        var table: String, level: String, area: String, codes: [String], measure: String, value: Double?, status: String
        var areaKey: String { level + ":" + area }
        var description: String { "\(level) \(area) \(codes) \(measure)=\(value.map { String($0) } ?? "nil") \(status)" }
    }
    var dimensions: [String]
    var rows: [Row]

    init(path: String) throws {
        let t = try E2ETable(path: path)
        let h = t.header
        guard h.count >= 6, h[0] == "table", h[1] == "area_level", h[2] == "area_code",
              h[h.count - 3] == "measure", h[h.count - 2] == "value", h[h.count - 1] == "obs_status" else {
            throw E2EError("unexpected twin header in \(path): \(h)")
        }
        dimensions = Array(h[3..<(h.count - 3)])
        let nd = dimensions.count
        rows = try t.rows.map { r in
            guard r.count == h.count else { throw E2EError("\(path): row with \(r.count) fields: \(r)") }
            let text = r[3 + nd + 1]
            let value = text.isEmpty ? nil : Double(text)
            if !text.isEmpty && value == nil { throw E2EError("\(path): value '\(text)' is not a number") }
            return Row(table: r[0], level: r[1], area: r[2], codes: Array(r[3..<(3 + nd)]), measure: r[3 + nd],
                       value: value, status: r[3 + nd + 2])
        }
    }

    func value(_ level: String, _ area: String, _ codes: [String], _ measure: String) -> Double? {
        rows.first { $0.level == level && $0.area == area && $0.codes == codes && $0.measure == measure }?.value
    }
}

/// Additivity checks on a twin; returns failures (capped), how many sums were compared and how many were
/// skipped because the total or one of its parts has no published value (confidential `C` or `M`).
private enum E2EAdditivity {
    /// Desa values sum to their kecamatan (first 7 digits), kecamatan values to the kabupaten (first 4).
    static func overAreas(_ twin: E2ETwin, measures: Set<String>) -> (failures: [String], checked: Int, skipped: Int) {
        var parents: [String: Double?] = [:]          // "level:area|codes|measure" → value
        var sums: [String: Double] = [:]
        var unknown = Set<String>()                    // a child without a value (suppressed / not applicable)
        for r in twin.rows where measures.contains(r.measure) {
            let cell = "|" + r.codes.joined(separator: ",") + "|" + r.measure
            let parent: String?
            switch r.level {
            case "desa": parent = "kecamatan:" + r.area.prefix(7) + cell
            case "kecamatan": parent = "kabupaten:" + r.area.prefix(4) + cell
            default: parent = nil
            }
            if r.level != "desa" { parents[r.areaKey + cell] = r.value }
            guard let parent else { continue }
            if let v = r.value { sums[parent, default: 0] += v } else { unknown.insert(parent) }
        }
        var failures: [String] = [], checked = 0, skipped = 0
        for (key, value) in parents {
            // A kecamatan of a table published without village rows has no children to add up.
            guard sums[key] != nil || unknown.contains(key) else { continue }
            guard !unknown.contains(key), let value else { skipped += 1; continue }
            checked += 1
            let sum = sums[key] ?? 0
            if sum != value && failures.count < 50 { failures.append("\(key): children sum to \(sum), parent \(value)") }
        }
        for key in sums.keys where parents[key] == nil && failures.count < 50 {
            failures.append("\(key): children have no parent cell")
        }
        return (failures, checked, skipped)
    }

    /// Within an area, for every dimension the categories (codes other than `_T`) sum to `_T`, all other
    /// dimensions held fixed.
    static func overCategories(_ twin: E2ETwin, measures: Set<String>) -> (failures: [String], checked: Int, skipped: Int) {
        var failures: [String] = [], checked = 0, skipped = 0
        for d in twin.dimensions.indices {
            var totals: [String: Double?] = [:]
            var sums: [String: Double] = [:]
            var unknown = Set<String>()
            for r in twin.rows where measures.contains(r.measure) {
                var codes = r.codes
                let own = codes[d]
                codes[d] = "_T"
                let key = r.areaKey + "|" + codes.joined(separator: ",") + "|" + r.measure
                if own == "_T" { totals[key] = r.value; continue }
                if let v = r.value { sums[key, default: 0] += v } else { unknown.insert(key) }
            }
            for key in Set(sums.keys).union(unknown) {
                guard let entry = totals[key] else {
                    if failures.count < 50 { failures.append("\(twin.dimensions[d]) \(key): categories but no _T cell") }
                    continue
                }
                guard let total = entry, !unknown.contains(key) else { skipped += 1; continue }
                let sum = sums[key] ?? 0
                checked += 1
                if sum != total && failures.count < 50 {
                    failures.append("\(twin.dimensions[d]) \(key): categories sum to \(sum), _T is \(total)")
                }
            }
        }
        return (failures, checked, skipped)
    }
}

/// A CSV file read with the product's own reader (quoted fields, line breaks).
private struct E2ETable {
    var header: [String]
    var rows: [[String]]
    init(path: String) throws {
        let reader = try CSVReader(path: path)
        header = reader.header
        var rows: [[String]] = []
        try reader.forEachRecord { r in rows.append((0..<r.fieldCount).map { r.string($0) }) }
        self.rows = rows
    }
    func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { i < $0.count ? $0[i] : "" }
    }
}

private struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// NIKs, No. KKs and names of the input, and a one-pass search for them in a file's bytes.
private struct E2EIdentifiers: Sendable {
    /// Raw values as written in the input (including malformed ones), for membership checks.
    var rawNIKs = Set<String>(), rawKKs = Set<String>()
    /// All-digit identifiers of at least 12 digits, as bytes.
    var niks = Set<[UInt8]>(), kks = Set<[UInt8]>()
    /// Names of ≥ 6 characters, keyed by a hash of their first word; the word's offset inside the name.
    private var names: [UInt64: [(name: [UInt8], offset: Int)]] = [:]
    var nameCount = 0
    var sampleName = "", sampleNIK = "", sampleQuotedName = ""

    init(dataDirectory dir: String) throws {
        var nameSet = Set<String>()
        func add(nik: String) {
            let t = nik.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { return }
            rawNIKs.insert(t)
            if t.count >= 12 && t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { niks.insert(Array(t.utf8)) }
        }
        func add(kk: String) {
            let t = kk.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { return }
            rawKKs.insert(t)
            if t.count >= 12 && t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { kks.insert(Array(t.utf8)) }
        }
        func add(name: String) {
            let t = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.count >= 6 { nameSet.insert(t) }
        }
        let anggota = try E2ETable(path: dir + "/anggota.csv")
        anggota.column("r403").forEach(add(nik:))
        anggota.column("r402").forEach(add(name:))
        try E2ETable(path: dir + "/keluarga.csv").column("r114").forEach(add(kk:))
        let penerima = try E2ETable(path: dir + "/penerima.csv")
        penerima.column("nik").forEach(add(nik:))
        penerima.column("no_kk").forEach(add(kk:))
        penerima.column("nama").forEach(add(name:))
        for n in nameSet.sorted() {
            let bytes = Array(n.utf8)
            guard let start = bytes.firstIndex(where: Self.isWord) else { continue }
            let end = bytes[start...].firstIndex { !Self.isWord($0) } ?? bytes.endIndex
            names[Self.hash(bytes, start, end), default: []].append((bytes, start))
            nameCount += 1
        }
        sampleName = nameSet.sorted().first { $0.contains(" ") && $0.count >= 10 } ?? ""
        sampleQuotedName = nameSet.sorted().first { $0.contains("\"") || $0.contains("'") } ?? sampleName
        sampleNIK = niks.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func isWord(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    static func hash(_ b: [UInt8], _ start: Int, _ end: Int) -> UInt64 {
        b.withUnsafeBufferPointer { p in hash(p, start, end) }
    }
    static func hash(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3; i += 1 }
        return h
    }

    struct Findings: CustomStringConvertible {
        var niks = 0, kks = 0, names = 0
        var examples: [String] = []
        var total: Int { niks + kks + names }
        var description: String { "NIK \(niks), No. KK \(kks), names \(names)" }
    }

    /// One pass: every run of ≥ 12 digits (and every 16-digit window of a longer run) is looked up; at every
    /// word start the names beginning with that word are compared byte for byte (case-sensitive).
    func findings(in bytes: [UInt8], limit: Int = 20) -> Findings {
        var f = Findings()
        func note(_ kind: String, _ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
            if f.examples.count < limit {
                f.examples.append("\(kind) '\(String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self))' at byte \(s)")
            }
        }
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            while i < n {
                let c = p[i]
                if c >= 48 && c <= 57 {
                    var j = i + 1
                    while j < n && p[j] >= 48 && p[j] <= 57 { j += 1 }
                    if j - i >= 12 {
                        var windows = [(i, j)]
                        if j - i > 16 { windows += (i...(j - 16)).map { ($0, $0 + 16) } }
                        for (s, e) in windows {
                            let digits = Array(p[s..<e])
                            if niks.contains(digits) { f.niks += 1; note("NIK", p, s, e) }
                            if kks.contains(digits) { f.kks += 1; note("No. KK", p, s, e) }
                        }
                    }
                    i = j
                } else if Self.isWord(c) {
                    var j = i + 1
                    while j < n && Self.isWord(p[j]) { j += 1 }
                    if let candidates = names[Self.hash(p, i, j)] {
                        for (name, offset) in candidates {
                            let s = i - offset
                            guard s >= 0, s + name.count <= n else { continue }
                            var k = 0
                            while k < name.count && p[s + k] == name[k] { k += 1 }
                            if k == name.count { f.names += 1; note("name", p, s, s + name.count); break }
                        }
                    }
                    i = j
                } else {
                    i += 1
                }
            }
        }
        return f
    }
}

/// Files, zip parts and processes.
private enum E2EFiles {
    /// Every regular file under `dir`, as sorted relative paths.
    static func list(_ dir: String) -> [String] {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    static func topLevel(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A copy of the generated input files in a fresh folder.
    static func copyData(_ data: String, name: String = #function) throws -> String {
        let dir = Repo.temporaryDirectory(name)
        for file in ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"] {
            try FileManager.default.copyItem(atPath: data + "/" + file, toPath: dir + "/" + file)
        }
        return dir
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    /// Every part of a zip file (xlsx), extracted with `unzip` into a fresh folder; parts as relative paths.
    static func unzip(_ path: String) throws -> (directory: String, files: [String]) {
        let dir = Repo.temporaryDirectory("xlsxparts")
        let r = try run("/usr/bin/unzip", ["-o", "-q", path, "-d", dir])
        guard r.status == 0 else { throw E2EError("unzip \(path) failed: \(String(decoding: r.output, as: UTF8.self))") }
        let listed = try run("/usr/bin/unzip", ["-Z1", path])
        let files = String(decoding: listed.output, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.hasSuffix("/") }
        guard listed.status == 0, !files.isEmpty, files.sorted() == list(dir) else {
            throw E2EError("unzip of \(path) incomplete: listed \(files.count), extracted \(list(dir).count)")
        }
        return (dir, files)
    }

    /// `REGTAB_PYTHON` (`.ci/run` sets it to its venv, which has openpyxl), else `python3`.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let python = ProcessInfo.processInfo.environment["REGTAB_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        let r = try run("/usr/bin/env", [python] + arguments)
        return (r.status, String(decoding: r.output, as: UTF8.self))
    }

    /// XML/HTML character references back to text, so an escaped name is still found.
    static func xmlUnescaped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")) else { return bytes }
        var s = String(decoding: bytes, as: UTF8.self)
        for (from, to) in [("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'"), ("&#x27;", "'"), ("&#34;", "\""),
                           ("&lt;", "<"), ("&gt;", ">"), ("&#10;", "\n"), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        return Array(s.utf8)
    }

    static func htmlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "<", with: "&lt;")
    }

    /// Table ids of every `data/<id>.csv` link in an HTML text (percent-decoded).
    static func twinLinks(_ html: String) -> Set<String> {
        var ids = Set<String>()
        var rest = html[...]
        while let r = rest.range(of: "data/") {
            let tail = rest[r.upperBound...]
            if let end = tail.range(of: ".csv"), tail[..<end.lowerBound].allSatisfy({ !"\"' <>/".contains($0) }) {
                let id = String(tail[..<end.lowerBound])
                ids.insert(id.removingPercentEncoding ?? id)
            }
            rest = tail
        }
        return ids
    }
}
