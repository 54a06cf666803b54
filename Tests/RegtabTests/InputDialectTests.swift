import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation
@testable import Reporting

/// What BPS staff actually receive: Latin-1 names, a `;` file whose header has commas, a header repeated in
/// the middle (concatenated exports), last year's column names (codebook aliases), a 10 MB cell.
@Suite struct InputDialectTests {
    static func rows(_ bytes: [UInt8], delimiter: UInt8? = nil, encoding: TextEncoding = .utf8, chunkSize: Int = 7)
        throws -> (rows: [[String]], lines: [Int], repeated: [Int]) {
        let reader = try CSVReader(source: .memory(bytes), fileName: "t.csv", delimiter: delimiter, chunkSize: chunkSize,
                                   maxRecordBytes: CSVReader.defaultMaxRecordBytes, encoding: encoding)
        var rows: [[String]] = [], lines: [Int] = [], repeated: [Int] = []
        try reader.forEachRecord(repeatedHeader: { repeated.append($0) }) { r in
            rows.append((0..<r.fieldCount).map { r.string($0) })
            lines.append(r.line)
        }
        return (rows, lines, repeated)
    }

    // MARK: encodings

    @Test(arguments: [1, 3, 7, 4096])
    func invalidUTF8NamesLineAndColumn(chunkSize: Int) throws {
        // Line 4 holds a Latin-1 é inside the second field of a record that started on line 3 (quoted line break).
        let bytes = Array("id,nama,umur\n1,Siti,30\n2,\"Jos".utf8) + [0x0A] + Array("Jos".utf8) + [0xE9] + Array("\",40\n".utf8)
        let e = #expect(throws: InputError.self) { try Self.rows(bytes, chunkSize: chunkSize) }
        #expect(e?.line == 4)
        #expect(e?.column == "nama")
        #expect(e?.columnNumber == 2)
        #expect(e?.expected.contains("--encoding latin1") == true)
        #expect(e?.description.hasPrefix("t.csv:4:2 column 'nama': expected UTF-8 text (byte 0xE9") == true)
    }

    @Test(arguments: [
        [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0x80], [0xC3],
    ] as [[UInt8]])
    func malformedSequencesAreRejected(_ bad: [UInt8]) throws {
        let bytes = Array("a,b\nx,".utf8) + bad + Array("y\n".utf8)
        let e = #expect(throws: InputError.self) { try Self.rows(bytes) }
        #expect(e?.line == 2 && e?.columnNumber == 2)
    }

    @Test func validUTF8AndBOMPass() throws {
        let text = "\u{FEFF}nama,kota\nSiti Ñoño,Jambi 🌴\n\"Dédé\",中文\n"
        let r = try Self.rows(Array(text.utf8))
        #expect(r.rows == [["Siti Ñoño", "Jambi 🌴"], ["Dédé", "中文"]])
    }

    @Test(arguments: [1, 2, 5, 1 << 16])
    func latin1AndWindows1252AreTranscoded(chunkSize: Int) throws {
        let bytes = Array("nama;kota\n".utf8) + Array("Jos".utf8) + [0xE9] + Array(";Sungai ".utf8) + [0x80, 0x93, 0xFF] + [0x0A]
        let latin1 = try Self.rows(bytes, encoding: .latin1, chunkSize: chunkSize)
        #expect(latin1.rows == [["José", "Sungai \u{80}\u{93}ÿ"]])
        let cp1252 = try Self.rows(bytes, encoding: .windows1252, chunkSize: chunkSize)
        #expect(cp1252.rows == [["José", "Sungai €“ÿ"]])
        #expect(TextEncoding(name: "ISO-8859-1") == .latin1 && TextEncoding(name: "cp1252") == .windows1252
                && TextEncoding(name: "UTF8") == .utf8 && TextEncoding(name: "ebcdic") == nil)
    }

    /// A UTF-8 byte-order mark says what the file is: `--encoding latin1` does not garble such a file.
    @Test(arguments: [1, 2, 3, 4096])
    func byteOrderMarkWinsOverASingleByteEncoding(chunkSize: Int) throws {
        let bytes = Array("\u{FEFF}nama,kota\nJosé,Jambi\n".utf8)
        #expect(try Self.rows(bytes, encoding: .latin1, chunkSize: chunkSize).rows == [["José", "Jambi"]])
        // …and is then validated as UTF-8 again.
        let bad = Array("\u{FEFF}nama\nJos".utf8) + [0xE9, 0x0A]
        #expect(throws: InputError.self) { try Self.rows(bad, encoding: .windows1252, chunkSize: chunkSize) }
    }

    @Test func engineRunsOnALatin1RegistryWithTheOption() throws {
        let dir = Repo.temporaryDirectory()
        for f in RegsosekFiles.all { try FileManager.default.copyItem(atPath: Repo.fixture("handcount/\(f)"), toPath: "\(dir)/\(f)") }
        // wilayah.csv re-encoded as Latin-1 with an accented village name.
        let wilayah = try String(contentsOfFile: "\(dir)/wilayah.csv", encoding: .utf8).replacingOccurrences(of: "Ibru", with: "Ibrú")
        try wilayah.data(using: .isoLatin1)!.write(to: URL(fileURLWithPath: "\(dir)/wilayah.csv"))
        let profile = try Profile.load(directory: Repo.profile)
        let e = #expect(throws: InputError.self) { try Engine(profile: profile).run(dataDirectory: dir) }
        #expect(e?.file == "wilayah.csv" && e?.line == 3 && e?.column == "nama_desa" && e?.columnNumber == 5)
        // The other files are ASCII, so reading all of them as Latin-1 is harmless.
        let result = try Engine(profile: profile, inputOptions: InputOptions(encoding: .latin1)).run(dataDirectory: dir)
        #expect(result.areas.villages.map(\.name).contains("Ibrú"))
        #expect(result.families == 11)
    }

    // MARK: delimiters, blank lines, trailing delimiters, repeated headers

    @Test func delimiterOverride() throws {
        // The header has more commas than semicolons: sniffing picks ',', the override says ';'.
        let bytes = Array("nama, gelar;umur\nSiti, S.Pd;30\n".utf8)
        #expect(try Self.rows(bytes).rows == [["Siti", "S.Pd;30"]])
        #expect(try Self.rows(bytes, delimiter: UInt8(ascii: ";")).rows == [["Siti, S.Pd", "30"]])
        #expect(InputOptions.delimiter(";") == UInt8(ascii: ";") && InputOptions.delimiter("tab") == 0x09)
        #expect(InputOptions.delimiter("\"") == nil && InputOptions.delimiter(";;") == nil)
    }

    @Test func trailingDelimitersAndBlankLines() throws {
        let r = try Self.rows(Array("a;b;\r\n\r\n1;2;\r\n   \r\n\r\n3;;\r\n".utf8))
        #expect(r.rows == [["1", "2", ""], ["3", "", ""]])
        #expect(r.lines == [3, 6])
    }

    @Test(arguments: [1, 4, 4096])
    func repeatedHeaderIsSkippedAndReported(chunkSize: Int) throws {
        // Two exports concatenated: the second brings its own BOM and header (in other case, with a trailing ';').
        let text = "\u{FEFF}r101;r402\n15;Siti\n\u{FEFF}R101; r402 ;\n16;Budi\nr101;r402x\n"
        let r = try Self.rows(Array(text.utf8), chunkSize: chunkSize)
        #expect(r.repeated == [3])
        #expect(r.rows == [["15", "Siti"], ["16", "Budi"], ["r101", "r402x"]])  // not the header: kept as data
        #expect(r.lines == [2, 4, 5])
    }

    @Test func engineCountsARepeatedHeaderAndTabulatesTheSame() throws {
        let dir = Repo.temporaryDirectory()
        for f in RegsosekFiles.all { try FileManager.default.copyItem(atPath: Repo.fixture("handcount/\(f)"), toPath: "\(dir)/\(f)") }
        var lines = try String(contentsOfFile: "\(dir)/anggota.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert(lines[0], at: 10)
        try lines.joined(separator: "\n").write(toFile: "\(dir)/anggota.csv", atomically: true, encoding: .utf8)
        let profile = try Profile.load(directory: Repo.profile)
        let with = try Engine(profile: profile).run(dataDirectory: dir)
        let without = try Engine(profile: profile).run(dataDirectory: Repo.fixture("handcount"))
        #expect(with.accounting.count(warning: "anggota.csv", "header_repeated") == 1)
        #expect(with.accounting.examples.contains { $0.file == "anggota.csv" && $0.line == 11 && $0.found?.contains("header") == true })
        #expect(with.accounting.read.first { $0.file == "anggota.csv" }?.count == 24)
        #expect(with.persons == without.persons)
        for (a, b) in zip(with.cubes, without.cubes) {
            for area in a.areas.allAreas { for cell in 0..<a.cellsPerArea { for m in 0..<a.measures.count {
                #expect(a[slot: a.areas.slot(area), cell: cell, measure: m] == b[slot: b.areas.slot(area), cell: cell, measure: m])
            } } }
        }
    }

    // MARK: column mapping

    /// A copy of reports/regsosek whose codebook gives r403 and r405 the aliases of an older extract.
    static func profileWithAliases() throws -> Profile {
        let dir = Repo.temporaryDirectory()
        for f in Profile.fileNames { try FileManager.default.copyItem(atPath: "\(Repo.profile)/\(f)", toPath: "\(dir)/\(f)") }
        var codebook = try String(contentsOfFile: "\(dir)/codebook.yml", encoding: .utf8)
        codebook = codebook.replacingOccurrences(
            of: "  r403: {file: anggota, type: id,", with: "  r403: {aliases: [NIK_KTP, nik], file: anggota, type: id,")
        codebook = codebook.replacingOccurrences(of: "  r405:\n    file: anggota\n", with: "  r405:\n    aliases: [jk]\n    file: anggota\n")
        codebook = codebook.replacingOccurrences(of: "  r104: {file: keluarga,", with: "  r104: {aliases: [kode_desa_3], file: keluarga,")
        try codebook.write(toFile: "\(dir)/codebook.yml", atomically: true, encoding: .utf8)
        let p = try Profile.load(directory: dir)
        #expect(p.codebook.variable("r403")?.aliases == ["NIK_KTP", "nik"])
        #expect(p.codebook.variable("r405")?.aliases == ["jk"])
        return p
    }

    static func handcountWithHeaders(_ edit: (inout String, inout String) -> Void) throws -> String {
        let dir = Repo.temporaryDirectory()
        for f in RegsosekFiles.all { try FileManager.default.copyItem(atPath: Repo.fixture("handcount/\(f)"), toPath: "\(dir)/\(f)") }
        var k = try String(contentsOfFile: "\(dir)/keluarga.csv", encoding: .utf8)
        var a = try String(contentsOfFile: "\(dir)/anggota.csv", encoding: .utf8)
        edit(&k, &a)
        try k.write(toFile: "\(dir)/keluarga.csv", atomically: true, encoding: .utf8)
        try a.write(toFile: "\(dir)/anggota.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aliasesAndCaseFindRenamedColumns() throws {
        let profile = try Self.profileWithAliases()
        let dir = try Self.handcountWithHeaders { k, a in
            k = k.replacingOccurrences(of: ";r104;", with: ";KODE_DESA_3;").replacingOccurrences(of: ";desil;", with: ";DESIL;")
            a = a.replacingOccurrences(of: ",r403,r404,r405,", with: ",Nik_Ktp,R404,JK,")
        }
        let renamed = try Engine(profile: profile).run(dataDirectory: dir)
        let original = try Engine(profile: profile).run(dataDirectory: Repo.fixture("handcount"))
        #expect(renamed.families == original.families && renamed.persons == original.persons)
        #expect(renamed.cubes.map(\.table) == original.cubes.map(\.table))
        for (a, b) in zip(renamed.cubes, original.cubes) {
            for s in 0..<a.areas.slotCount { for cell in 0..<a.cellsPerArea { for m in 0..<a.measures.count {
                #expect(a[slot: s, cell: cell, measure: m] == b[slot: s, cell: cell, measure: m], "\(a.table)")
            } } }
        }
        // The NIK column was found through its alias: the check reads it too (no column_missing for r403).
        let check = try DataCheck.run(profile: profile, dataDirectory: dir)
        #expect(check.count("column_missing") == 0)
    }

    @Test func missingColumnsErrorListsMissingAndUnexpected() throws {
        let profile = try Profile.load(directory: Repo.profile)
        let dir = try Self.handcountWithHeaders { _, a in
            a = a.replacingOccurrences(of: ",r405,r406,r407,", with: ",jk,r406,umur,")
        }
        let e = #expect(throws: InputError.self) { try Engine(profile: profile).run(dataDirectory: dir) }
        #expect(e?.file == "anggota.csv")
        #expect(e?.line == 1)
        #expect(e?.description == "anggota.csv:1: expected the column(s) r405, r407 in the header; unexpected column(s) there: 'jk', 'umur', 'r430'")
        // With the aliases profile, r405 is found as jk; r407 is still missing and says which alias was tried.
        let aliased = #expect(throws: InputError.self) { try Engine(profile: try Self.profileWithAliases()).run(dataDirectory: dir) }
        #expect(aliased?.expected.hasPrefix("the column(s) r407 in the header; unexpected column(s) there: 'umur', 'r430'") == true)
    }

    @Test func aliasMayNotNameAnotherVariable() throws {
        let text = """
        variables:
          r403: {file: anggota, type: id, label: NIK, aliases: [nik]}
          r114: {file: keluarga, type: id, label: KK, aliases: [NIK]}
        """
        let e = #expect(throws: ProfileError.self) { try CodebookImport.load(yaml: text) }
        #expect(e?.path == "variables.r403.aliases" || e?.path == "variables.r114.aliases")
        #expect(e?.message.contains("already") == true)
    }

    // MARK: huge cells

    /// A 10 MB name goes through (the record cap is 64 MiB) and is never published; the reader's buffer is
    /// bounded by the record cap, and a record over the cap is an error at its line, not unbounded memory.
    @Test func tenMegabyteFieldIsReadAndCapped() throws {
        let name = String(repeating: "A", count: 10 << 20)
        let bytes = Array("id,nama,umur\n1,Siti,30\n2,\"\(name)\",40\n3,Budi,50\n".utf8)
        let reader = try CSVReader(source: .memory(bytes), fileName: "anggota.csv", delimiter: nil, chunkSize: 1 << 16,
                                   maxRecordBytes: 16 << 20)
        var lengths: [Int] = [], ages: [Int?] = []
        try reader.forEachRecord { r in
            lengths.append(r.withBytes(1) { $0.count })
            ages.append(r.int(2))
        }
        #expect(lengths == [4, 10 << 20, 4])
        #expect(ages == [30, 40, 50])
        let capped = try CSVReader(source: .memory(bytes), fileName: "anggota.csv", delimiter: nil, chunkSize: 1 << 16,
                                   maxRecordBytes: 8 << 20)
        let e = #expect(throws: InputError.self) { try capped.forEachRecord { _ in } }
        #expect(e?.line == 3)
        #expect(e?.found == "a record longer than 8 MiB")
        #expect(CSVReader.defaultMaxRecordBytes == 64 << 20)
    }
}
