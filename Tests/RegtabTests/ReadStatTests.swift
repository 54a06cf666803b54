import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation
@testable import Reporting

/// SPSS/Stata input through ReadStat (Fixtures/readstat, made by make_fixtures.py from the hand-count
/// fixture): cell conversion, dictionaries and codebook import, and the round trip — the tables of a
/// `.sav` + `.dta` + `.csv` run are byte-identical to the CSV run's.
@Suite struct ReadStatTests {
    static func rows(_ source: any RecordSource) throws -> (rows: [[String]], lines: [Int]) {
        var rows: [[String]] = [], lines: [Int] = []
        try source.forEachRecord { r in
            rows.append((0..<r.fieldCount).map { r.string($0) })
            lines.append(r.line)
        }
        return (rows, lines)
    }

    @Test(arguments: ["types.sav", "types.dta"])
    func cellsReadLikeACSVExport(_ name: String) throws {
        let reader = try RecordSources.open(path: Repo.fixture("readstat/" + name))
        #expect(reader is ReadStatReader)
        #expect(reader.header == ["code", "amount", "kk", "born", "nama"])
        #expect(reader.columnIndex("KK") == 2)
        let (rows, lines) = try Self.rows(reader)
        #expect(lines == [2, 3, 4, 5])  // row number + 1, as if line 1 were a header
        // Labelled codes stay codes; SPSS user-missing 99 stays a code; system missing is empty.
        #expect(rows.map { $0[0] } == ["1", "2", "99", ""])
        #expect(rows.map { $0[1] } == ["36.5", "0.1", "", "-2"])
        // A 16-digit number keeps every digit (no 1.5e+15).
        #expect(rows.map { $0[2] } == ["1505050101800001", "9007199254740991", "0", ""])
        #expect(rows.map { $0[3] } == ["1982-03-12", "1960-01-01", "2023-12-31", ""])
        #expect(rows.map { $0[4] } == ["Siti Aminah", "Dédé \"Ucok\", 3", "", "Ñoño"])
        // The typed accessors work on the converted text exactly as on CSV bytes.
        var ints: [Int?] = [], doubles: [Double?] = []
        try reader.forEachRecord { r in ints.append(r.int(0)); doubles.append(r.double(1)) }
        #expect(ints == [1, 2, 99, nil])
        #expect(doubles == [36.5, 0.1, nil, -2])
    }

    @Test(arguments: ["types.sav", "types.dta"])
    func dictionaryHasVariableAndValueLabels(_ name: String) throws {
        let d = try ReadStatReader.dictionary(path: Repo.fixture("readstat/" + name))
        #expect(d.variables.map(\.name) == ["code", "amount", "kk", "born", "nama"])
        #expect(d.variables[0].label == "Kode berlabel")
        #expect(d.variables.map(\.isNumeric) == [true, true, true, true, false])
        #expect(d.variables.map(\.isDate) == [false, false, false, true, false])
        #expect(d.labels(of: d.variables[0]).map(\.code) == ["1", "2", "99"])
        #expect(d.labels(of: d.variables[0]).map(\.label) == ["Ya", "Tidak", "Tidak tahu"])
        #expect(d.labels(of: d.variables[1]).isEmpty)
        #expect(d.rows == 4)
    }

    @Test func codebookImportRoundTripsThroughTheLoader() throws {
        let k = try ReadStatReader.dictionary(path: Repo.fixture("readstat/keluarga.sav"))
        let a = try ReadStatReader.dictionary(path: Repo.fixture("readstat/anggota.dta"))
        #expect(CodebookImport.guessFile("keluarga.sav") == .keluarga)
        #expect(CodebookImport.guessFile("anggota.dta") == .anggota)
        let text = CodebookImport.yaml([(k, .keluarga), (a, .anggota)], identifiers: ["r403", "r114"])
        let codebook = try CodebookImport.load(yaml: text)
        let desil = try #require(codebook.variable("desil"))
        #expect(desil.type == .code && desil.file == .keluarga)
        #expect(desil.label.id == "Desil kesejahteraan")
        #expect(desil.values.map(\.code) == (1...10).map(String.init))
        #expect(desil.values.first?.label.id == "Desil 1 (termiskin)")
        #expect(codebook.variable("r404")?.values.map(\.label.id) == ["Tinggal bersama", "Meninggal", "Pindah", "Anggota baru", "Tidak ditemukan"])
        #expect(codebook.variable("r405")?.file == .anggota)
        #expect(codebook.variable("r114")?.type == .id)
        #expect(codebook.variable("r403")?.type == .id)
        #expect(codebook.variable("r402")?.type == .text)
        #expect(codebook.variable("r406")?.type == .date)
        #expect(codebook.variable("r407")?.type == .number)
        // The key columns of the member file are written once, for keluarga.
        #expect(codebook.variable("r101")?.file == .keluarga)
        #expect(codebook.variables.filter { $0.name == "r101" }.count == 1)
        // Labels with quotes, colons and control characters survive the YAML quoting.
        let label = "a \"b\": c\\d\u{1}\n#e {x}"
        let one = try CodebookImport.load(yaml: "variables:\n  v: {file: anggota, type: text, label: \(CodebookImport.bilingual(label))}\n")
        #expect(one.variable("v")?.label.en == label)
    }

    /// The hand-count registry as keluarga.sav + anggota.dta + penerima.csv + wilayah.csv gives exactly the
    /// tables of the CSV run: every twin (all profile tables, targeting, duplicates) byte for byte.
    @Test func roundTripGivesIdenticalTwins() throws {
        func twins(_ data: String) throws -> [String: Data] {
            let out = Repo.temporaryDirectory()
            _ = try ReportRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: data, outputDirectory: out,
                                             templatesDirectory: Repo.templates))
            let dir = out + "/data"
            var all: [String: Data] = [:]
            for f in try FileManager.default.contentsOfDirectory(atPath: dir) {
                all[f] = FileManager.default.contents(atPath: dir + "/" + f)
            }
            return all
        }
        let csv = try twins(Repo.fixture("handcount"))
        let binary = try twins(Repo.fixture("readstat"))
        #expect(csv.count >= 5)
        #expect(Set(csv.keys) == Set(binary.keys))
        for (name, data) in csv { #expect(binary[name] == data, "\(name) differs") }

        // And the engine's accounting is the same, under the files' own names.
        let profile = try Profile.load(directory: Repo.profile)
        let a = try Engine(profile: profile).run(dataDirectory: Repo.fixture("readstat")).accounting
        #expect(a.read.map(\.file) == ["keluarga.sav", "anggota.dta", "penerima.csv"])
        #expect(a.read.map(\.count) == [13, 24, 0])
        #expect(a.count(excluded: "keluarga.sav", "unknown_village") == 1)
        #expect(a.count(excluded: "keluarga.sav", "duplicate_family_key") == 1)
        #expect(a.count(excluded: "anggota.dta", "family_not_tabulated") == 2)
        // The unknown village is located by row: the 12th data row is line 13, as in the CSV.
        let e = a.examples.first { $0.file == "keluarga.sav" && $0.line == 13 }
        #expect(e?.column == "r104")
        #expect(e?.found == "1505011999")
    }

    /// A `.sav` family file with a `.csv` member file, and the other way round.
    @Test(arguments: [("keluarga.sav", "anggota.csv"), ("keluarga.csv", "anggota.dta")])
    func mixedFormats(_ files: (String, String)) throws {
        let dir = Repo.temporaryDirectory()
        let fm = FileManager.default
        for (name, from) in [(files.0, files.0.hasSuffix(".csv") ? "handcount" : "readstat"),
                             (files.1, files.1.hasSuffix(".csv") ? "handcount" : "readstat"),
                             ("penerima.csv", "handcount"), ("wilayah.csv", "handcount")] {
            try fm.copyItem(atPath: Repo.fixture("\(from)/\(name)"), toPath: dir + "/" + name)
        }
        let profile = try Profile.load(directory: Repo.profile)
        let mixed = try Engine(profile: profile).run(dataDirectory: dir)
        let csv = try Engine(profile: profile).run(dataDirectory: Repo.fixture("handcount"))
        #expect(mixed.families == csv.families && mixed.persons == csv.persons)
        for (m, c) in zip(mixed.cubes, csv.cubes) {
            #expect(m.table == c.table)
            for slot in 0..<(c.areas.villages.count + c.areas.kecamatans.count + c.areas.kabupatens.count) {
                for cell in 0..<c.cellsPerArea {
                    for measure in 0..<c.measures.count {
                        #expect(m[slot: slot, cell: cell, measure: measure] == c[slot: slot, cell: cell, measure: measure])
                    }
                }
            }
        }
    }

    @Test func twoFilesForOneInputIsAnError() throws {
        let dir = Repo.temporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(atPath: Repo.fixture("handcount/keluarga.csv"), toPath: dir + "/keluarga.csv")
        try fm.copyItem(atPath: Repo.fixture("readstat/keluarga.sav"), toPath: dir + "/keluarga.sav")
        let e = #expect(throws: InputError.self) { try RecordSources.locate("keluarga.csv", in: dir) }
        #expect(e?.found == "keluarga.csv, keluarga.sav")
    }

    @Test(arguments: ["keluarga.sav", "anggota.dta"])
    func truncatedOrMissingFilesAreInputErrors(_ name: String) throws {
        let dir = Repo.temporaryDirectory()
        let bytes = try #require(FileManager.default.contents(atPath: Repo.fixture("readstat/" + name)))
        // (Cutting off only the end tag of a .dta leaves its data readable, so cuts stay inside the data.)
        for cut in [0, 10, 300, bytes.count / 2, bytes.count * 3 / 4] {
            let path = dir + "/" + name
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            // Either the dictionary is unreadable (init throws) or the data end early (forEachRecord throws);
            // never a crash.
            let e = #expect(throws: InputError.self) {
                let r = try RecordSources.open(path: path)
                try r.forEachRecord { _ in }
            }
            #expect(e?.file == name)
        }
        #expect(throws: InputError.self) { try RecordSources.open(path: dir + "/nonexistent.sav") }
    }

    @Test func anErrorThrownByTheCallerStopsTheParse() throws {
        struct Stop: Error {}
        let reader = try RecordSources.open(path: Repo.fixture("readstat/anggota.dta"))
        var seen = 0
        #expect(throws: Stop.self) {
            try reader.forEachRecord { _ in
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)
        // The reader is still usable afterwards.
        #expect(try Self.rows(reader).rows.count == 24)
    }
}
