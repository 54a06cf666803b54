import Foundation
import Testing
@testable import Microdata

/// Reads `text` fully; returns the reader, every record as trimmed strings, and each record's line.
private func readAll(_ text: String, delimiter: UInt8? = nil, chunkSize: Int = CSVReader.defaultChunkSize,
                     maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes)
    throws -> (reader: CSVReader, rows: [[String]], lines: [Int]) {
    try readAll(bytes: Array(text.utf8), delimiter: delimiter, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
}

private func readAll(bytes: [UInt8], delimiter: UInt8? = nil, chunkSize: Int = CSVReader.defaultChunkSize,
                     maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes)
    throws -> (reader: CSVReader, rows: [[String]], lines: [Int]) {
    let reader = try CSVReader(source: .memory(bytes), fileName: "test.csv", delimiter: delimiter,
                               chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    var rows: [[String]] = [], lines: [Int] = []
    try reader.forEachRecord { record in
        rows.append((0..<record.fieldCount).map { record.string($0) })
        lines.append(record.line)
    }
    return (reader, rows, lines)
}

private func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regtab-csv-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

/// A deliberately nasty input: BOM, CRLF, `;`, quoted delimiters, doubled quotes, quoted CRLF and LF,
/// blank lines, a trailing delimiter, text after a closing quote, no final line end.
private let tricky = "\u{FEFF} r101 ;r402;\"r407\"\r\n"
    + "15;\"Siti; binti \"\"Ali\"\"\";07\r\n"
    + "\r\n"
    + "16;\"two\r\nlines\nhere\";08;\r\n"
    + "\n"
    + "17;\"ab\"c; 9 \r\n"
    + "18;;"

private let trickyRows: [[String]] = [
    ["15", "Siti; binti \"Ali\"", "07"],
    ["16", "two\r\nlines\nhere", "08", ""],
    ["17", "abc", "9"],
    ["18", "", ""],
]
private let trickyLines = [2, 4, 8, 9]

@Suite struct CSVReaderTests {
    @Test func bomIsRemovedAndHeaderTrimmed() throws {
        let (reader, rows, _) = try readAll("\u{FEFF}r101 , R102,desil\n1,2,3\n")
        #expect(reader.header == ["r101", "R102", "desil"])
        #expect(reader.columnIndex("r102") == 1)
        #expect(reader.columnIndex(" R101 ") == 0)
        #expect(reader.columnIndex("DESIL") == 2)
        #expect(reader.columnIndex("r103") == nil)
        #expect(rows == [["1", "2", "3"]])
    }

    @Test func crlfLineEndsAreStripped() throws {
        let (reader, rows, lines) = try readAll("a,b\r\n1,2\r\n3,\r\n")
        #expect(reader.header == ["a", "b"])
        #expect(rows == [["1", "2"], ["3", ""]])
        #expect(lines == [2, 3])
    }

    @Test func delimiterIsDetectedFromHeader() throws {
        let semicolon = try readAll("r101;r102;\"a,b\"\n15;05;x\n")
        #expect(semicolon.reader.delimiter == UInt8(ascii: ";"))
        #expect(semicolon.reader.header == ["r101", "r102", "a,b"])
        #expect(semicolon.rows == [["15", "05", "x"]])

        let tab = try readAll("a\tb\tc\n1\t2,5\t3\n")
        #expect(tab.reader.delimiter == UInt8(ascii: "\t"))
        #expect(tab.rows == [["1", "2,5", "3"]])

        let comma = try readAll("a,b;c,d\n1,2;3,4\n")
        #expect(comma.reader.delimiter == UInt8(ascii: ","))
        #expect(comma.rows == [["1", "2;3", "4"]])

        let single = try readAll("only\nx\n")
        #expect(single.reader.delimiter == UInt8(ascii: ","))
        #expect(single.rows == [["x"]])
    }

    @Test func delimiterOverrideWins() throws {
        let (reader, rows, _) = try readAll("a;b,c\n1;2,3\n", delimiter: UInt8(ascii: ","))
        #expect(reader.delimiter == UInt8(ascii: ","))
        #expect(reader.header == ["a;b", "c"])
        #expect(rows == [["1;2", "3"]])
        #expect(throws: InputError.self) { try readAll("a,b\n", delimiter: UInt8(ascii: "\"")) }
    }

    @Test func quotedFieldsAndLineNumbersOfFollowingRecords() throws {
        let text = "id,nama,umur\n"
            + "1,\"Budi, S.Pd\",30\n"
            + "2,\"Ani \"\"Ibu\"\" Sari\",25\n"
            + "3,\"baris\nkedua\nketiga\",40\n"
            + "4,\"\",50\n"
        let (_, rows, lines) = try readAll(text)
        #expect(rows == [
            ["1", "Budi, S.Pd", "30"],
            ["2", "Ani \"Ibu\" Sari", "25"],
            ["3", "baris\nkedua\nketiga", "40"],
            ["4", "", "50"],
        ])
        #expect(lines == [2, 3, 4, 7])
    }

    @Test func textAfterClosingQuoteIsKept() throws {
        let (_, rows, _) = try readAll("a,b\n\"ab\"c,\"x\" ,  \"y\"\n")
        #expect(rows == [["abc", "x", "y"]])
    }

    @Test func leadingZerosAndIntegerParsing() throws {
        let text = "c\n01\n1\n007\n +5 \n-3\n1.5\n1e3\n\n99999999999999999999\n-9223372036854775808\n"
            + "9223372036854775807\n-\nabc\n0000000000000000000000042\n"
        let reader = try CSVReader(bytes: Array(text.utf8), fileName: "t.csv")
        var values: [Int?] = []
        try reader.forEachRecord { values.append($0.int(0)) }
        #expect(values == [1, 1, 7, 5, -3, nil, nil, nil, Int.min, Int.max, nil, nil, 42])
    }

    @Test func doublesWithPointAndComma() throws {
        let semicolon = try CSVReader(bytes: Array("a;b\n12,5;36.75\n1,2,3;-0,5\n;1e2\n".utf8), fileName: "t.csv")
        var got: [[Double?]] = []
        try semicolon.forEachRecord { got.append([$0.double(0), $0.double(1)]) }
        #expect(got == [[12.5, 36.75], [nil, -0.5], [nil, 100]])

        let comma = try CSVReader(bytes: Array("a,b\n\"12,5\",0.1\nabc,inf\n".utf8), fileName: "t.csv")
        var got2: [[Double?]] = []
        try comma.forEachRecord { got2.append([$0.double(0), $0.double(1)]) }
        #expect(got2 == [[nil, 0.1], [nil, nil]])
    }

    @Test func emptyCellsAreMissing() throws {
        let reader = try CSVReader(bytes: Array("a,b,c,d\n1, ,\"\",\n".utf8), fileName: "t.csv")
        var checked = 0
        try reader.forEachRecord { r in
            #expect(r.fieldCount == 4)
            #expect(!r.isEmpty(0))
            #expect(r.isEmpty(1) && r.isEmpty(2) && r.isEmpty(3) && r.isEmpty(4) && r.isEmpty(-1))
            #expect(r.int(1) == nil && r.double(2) == nil && r.int(7) == nil)
            #expect(r.string(1) == "" && r.string(9) == "")
            #expect(r.withBytes(3) { $0.count } == 0)
            #expect(r.withBytes(0) { Array($0) } == [UInt8(ascii: "1")])
            checked += 1
        }
        #expect(checked == 1)
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let (_, rows, lines) = try readAll("\n\na,b\n\n1,2\n  \n\r\n3,4\n\n")
        #expect(rows == [["1", "2"], ["3", "4"]])
        #expect(lines == [5, 8])
    }

    @Test func trailingDelimiterGivesEmptyFields() throws {
        let (reader, rows, _) = try readAll("a;b;\n1;2;\n3;4;;\n")
        #expect(reader.header == ["a", "b", ""])
        #expect(rows == [["1", "2", ""], ["3", "4", "", ""]])
    }

    @Test func headerOnlyFileHasNoRecords() throws {
        let (reader, rows, _) = try readAll("a,b\r\n")
        #expect(reader.header == ["a", "b"])
        #expect(rows.isEmpty)
    }

    @Test func trickyInputInOneChunk() throws {
        let (reader, rows, lines) = try readAll(tricky)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(reader.header == ["r101", "r402", "r407"])
        #expect(rows == trickyRows)
        #expect(lines == trickyLines)
    }

    /// Every chunk size from 1 to 40 bytes puts a boundary inside the BOM, inside quotes, between
    /// the two quotes of `""`, between CR and LF, and so on; the result must never change.
    @Test(arguments: Array(1...40))
    func recordsSpanningChunkBoundaries(chunkSize: Int) throws {
        let (reader, rows, lines) = try readAll(tricky, chunkSize: chunkSize)
        #expect(reader.header == ["r101", "r402", "r407"])
        #expect(rows == trickyRows)
        #expect(lines == trickyLines)
    }

    @Test func fileReadWithSevenByteChunks() throws {
        let path = tempPath("anggota.csv")
        try Data(tricky.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(source: .file(path), fileName: "anggota.csv", delimiter: nil,
                                   chunkSize: 7, maxRecordBytes: 1 << 20)
        var rows: [[String]] = [], lines: [Int] = []
        for _ in 0..<2 {  // a reader can be traversed more than once
            rows = []; lines = []
            try reader.forEachRecord { r in
                rows.append((0..<r.fieldCount).map { r.string($0) })
                lines.append(r.line)
            }
        }
        #expect(rows == trickyRows)
        #expect(lines == trickyLines)
        let viaPublicInit = try CSVReader(path: path)
        #expect(viaPublicInit.fileName == "anggota.csv")
        #expect(viaPublicInit.header == ["r101", "r402", "r407"])
    }

    @Test func unterminatedQuoteReportsLineAndColumn() throws {
        // The quote opened on line 3, column 2 is never closed; the rest of the file is swallowed.
        let text = "r401,r402,r403\n1,Ani,3201\n2,\"Budi\n\n3,Citra,3203\n"
        for chunk in [7, 4 << 20] {
            do {
                _ = try readAll(text, chunkSize: chunk)
                Issue.record("expected an InputError")
            } catch let error as InputError {
                #expect(error.file == "test.csv")
                #expect(error.line == 3)
                #expect(error.column == "r402")
                #expect(error.columnNumber == 2)
                #expect(error.expected == "closing quote")
            }
        }
    }

    @Test func unterminatedQuoteInHeaderHasNoColumnName() throws {
        let error = #expect(throws: InputError.self) { try readAll("a,\"b\n") }
        #expect(error?.line == 1)
        #expect(error?.columnNumber == 2)
        #expect(error?.column == nil)
        #expect(error?.expected == "closing quote")
    }

    @Test func overlongRecordIsAnErrorNotUnboundedMemory() throws {
        let text = "a,b\n1,\"" + String(repeating: "x", count: 5000) + "\n"
        let error = #expect(throws: InputError.self) {
            try readAll(text, chunkSize: 64, maxRecordBytes: 1024)
        }
        #expect(error?.line == 2)
        #expect(error?.columnNumber == 2)
        #expect(error?.expected == "closing quote")
    }

    @Test func missingFileIsAnInputError() throws {
        let error = #expect(throws: InputError.self) { try CSVReader(path: "/nonexistent/dir/keluarga.csv") }
        #expect(error?.file == "keluarga.csv")
        #expect(error?.line == 0)
        #expect(error?.expected == "a readable file")
    }

    @Test func emptyInputHasNoHeader() throws {
        for text in ["", "\u{FEFF}", "\n\r\n  \n"] {
            let error = #expect(throws: InputError.self) { try readAll(text) }
            #expect(error?.line == 1)
            #expect(error?.expected == "a header row")
        }
    }

    @Test func requireColumnAndCellErrors() throws {
        let reader = try CSVReader(bytes: Array("r101,r405\n15,x\n".utf8), fileName: "anggota.csv")
        #expect(try reader.requireColumn("R405") == 1)
        let missing = #expect(throws: InputError.self) { try reader.requireColumn("r406") }
        #expect(missing?.line == 1)
        #expect(missing?.column == "r406")
        var cellError: InputError?
        try reader.forEachRecord { r in cellError = reader.error(at: r, column: 1, expected: "1 or 2") }
        #expect(cellError == InputError(file: "anggota.csv", line: 2, column: "r405", columnNumber: 2,
                                        expected: "1 or 2", found: "x"))
    }

    /// Arbitrary bytes must produce records or an `InputError`, never a trap.
    @Test func randomBytesNeverTrap() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet: [UInt8] = Array("ab1;,\"\r\n \t".utf8) + [0xEF, 0xBB, 0xBF, 0x00, 0xFF, 0xC3]
        var outcomes = (records: 0, errors: 0)
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<(round % 60) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            do {
                let reader = try CSVReader(source: .memory(bytes), fileName: "fuzz.csv", delimiter: nil,
                                           chunkSize: 1 + round % 9, maxRecordBytes: 1 << 20)
                try reader.forEachRecord { r in
                    for i in -1...r.fieldCount {
                        _ = r.int(i); _ = r.double(i); _ = r.string(i); _ = r.isEmpty(i)
                    }
                    #expect(r.line >= 2)
                    outcomes.records += 1
                }
            } catch is InputError {
                outcomes.errors += 1
            }
        }
        #expect(outcomes.records > 0)
        #expect(outcomes.errors > 0)
    }

    @Test func escapeQuotesOnlyWhenNeeded() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("a;b") == "a;b")
        #expect(CSVWriter.escape("a;b", delimiter: ";") == "\"a;b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CSVWriter.escape("cr\ronly") == "\"cr\ronly\"")
    }

    @Test(arguments: [",", ";"] as [Character])
    func writerRoundTrip(delimiter: Character) throws {
        let rows: [[String]] = [
            ["r402", "catatan", "angka"],
            ["Siti, binti \"Ali\"", "baris\nkedua", "007"],
            ["=SUM(A1)", "semi;colon", "\"\""],
            ["Đặng Thị Ngọc", "crlf\r\ninside", ""],
            ["\"\u{301}combining", "", "12,5"],
        ]
        let path = tempPath("twin.csv")
        let writer = try CSVWriter(path: path, delimiter: delimiter)
        for row in rows { writer.writeRow(row) }
        writer.writeRow([""])  // a single empty field must not vanish as a blank line
        try writer.close()

        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(raw.prefix(4)) == Array("r402".utf8))  // no BOM
        #expect(raw.last == UInt8(ascii: "\n"))

        let reader = try CSVReader(path: path, delimiter: UInt8(ascii: delimiter == "," ? "," : ";"))
        #expect(reader.header == rows[0])
        var back: [[String]] = []
        try reader.forEachRecord { r in back.append((0..<r.fieldCount).map { r.string($0) }) }
        #expect(back == Array(rows.dropFirst()) + [[""]])
    }

    @Test func writerReportsUnwritablePath() {
        let error = #expect(throws: InputError.self) { try CSVWriter(path: "/nonexistent/dir/out.csv") }
        #expect(error?.file == "out.csv")
        #expect(error?.expected == "a writable file")
    }
}

/// The scanner reads plain records (no quote, LF inside the buffer) eight bytes at a time and leaves every
/// other record to the byte-by-byte path. Random documents mixing both must read the same whatever the
/// buffer size (a small buffer sends most records down the byte path), and quote-free documents must
/// match an independent split on LF and delimiter.
@Suite struct CSVScannerPathTests {
    static func records(_ bytes: [UInt8], chunkSize: Int, delimiter: UInt8) throws -> [[String]] {
        let reader = try CSVReader(source: .memory(bytes), fileName: "p.csv", delimiter: delimiter,
                                   chunkSize: chunkSize, maxRecordBytes: CSVReader.defaultMaxRecordBytes)
        var out: [[String]] = [["line"]]
        try reader.forEachRecord { r in out.append(["\(r.line)"] + (0..<r.fieldCount).map { r.string($0) }) }
        return out
    }

    /// Split on LF, drop a CR before it, skip lines of blanks, split on the delimiter, trim spaces and tabs.
    static func reference(_ text: String, delimiter: Character) -> [[String]] {
        var out: [[String]] = [["line"]]
        // On bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        for (i, raw) in lines.enumerated() where i > 0 {   // line 1: the header
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: delimiter, omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            }
            out.append(["\(i + 1)"] + fields)
        }
        return out
    }

    static func document(_ rng: inout SystemRandomNumberGenerator, quotes: Bool, delimiter: Character) -> String {
        let plain = ["", "1", "05", "1505010001", "Muaro Jambi", " padded ", "Kumpeh Ulu", "ü", "12.5", "\t9", "desa-ä"]
        let quoted = ["\"a\(delimiter)b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"\"", "  \"x\"  "]
        var text = "header\(delimiter)columns\n"   // never repeated below (a repeated header is skipped)
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            if Int.random(in: 0..<12, using: &rng) == 0 { text += ["\n", "  \n", "\r\n"].randomElement(using: &rng)!; continue }
            let n = Int.random(in: 1...25, using: &rng)
            text += (0..<n).map { _ in
                quotes && Int.random(in: 0..<6, using: &rng) == 0 ? quoted.randomElement(using: &rng)! : plain.randomElement(using: &rng)!
            }.joined(separator: String(delimiter))
            text += Int.random(in: 0..<3, using: &rng) == 0 ? "\r\n" : "\n"
        }
        if Bool.random(using: &rng), text.hasSuffix("\n") { text.removeLast() }   // no final line break
        return text
    }

    @Test func plainAndQuotedRecordsReadTheSameWithAnyBuffer() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let delimiter: Character = round % 3 == 0 ? ";" : ","
            let quotes = round % 2 == 0
            let text = Self.document(&rng, quotes: quotes, delimiter: delimiter)
            let d = delimiter.asciiValue!
            let big = try Self.records(Array(text.utf8), chunkSize: 1 << 20, delimiter: d)
            for chunk in [5, 64] {
                #expect(try Self.records(Array(text.utf8), chunkSize: chunk, delimiter: d) == big, "chunk \(chunk): \(text.debugDescription)")
            }
            if !quotes { #expect(big == Self.reference(text, delimiter: delimiter), "\(text.debugDescription)") }
        }
    }
}

/// `shortInt`/`shortDouble` decide short all-digit cells inline; every cell must read as `int`/`double` do.
@Suite struct ShortNumberTests {
    @Test func shortReadersAgreeWithTheGeneralParsers() throws {
        let alphabet: [Character] = ["0", "1", "5", "9", " ", "-", "+", ".", "e", "x", "\t"]
        var cells: [String] = [""]
        for _ in 0..<3000 {
            let n = Int.random(in: 1...5)
            cells.append(String((0..<n).map { _ in alphabet.randomElement()! }))
        }
        cells += ["0", "00", "01", "10", "99", "007", "123", "1234", " 1", "1 ", "-1", "+2", "1.5", "9.", ".5"]
        for delimiter in [",", ";"] {
            let text = "h\n" + cells.map { $0.replacingOccurrences(of: delimiter, with: "") + delimiter + "z" }.joined(separator: "\n") + "\n"
            let reader = try CSVReader(source: .memory(Array(text.utf8)), fileName: "n.csv", delimiter: UInt8(ascii: delimiter.unicodeScalars.first!),
                                       chunkSize: 1 << 16, maxRecordBytes: CSVReader.defaultMaxRecordBytes)
            var compared = 0
            try reader.forEachRecord { r in
                for i in 0..<3 {   // 2 is past the last field
                    #expect(r.shortInt(i) == r.int(i), "line \(r.line) field \(i): '\(r.string(i))'")
                    #expect(r.shortDouble(i) == r.double(i), "line \(r.line) field \(i): '\(r.string(i))'")
                }
                compared += 1
            }
            #expect(compared > 2000)
        }
    }

    /// The line estimate the member pass reserves its NIK columns by (issue 19): exact below a MiB, close for
    /// lines of one length, and never more than a line per 24 bytes when the first MiB is odd.
    @Test func lineEstimateForReservingRoom() throws {
        let small = "a,b\n" + (0..<1000).map { "\($0),x\n" }.joined()
        #expect(try CSVReader(bytes: Array(small.utf8), fileName: "t.csv").estimatedLines() == 1001)
        var big = Array("h1,h2,h3\n".utf8)
        let line = Array("1234567890,abcdefghij,klmnopqrstuvwxy\n".utf8)
        for _ in 0..<100_000 { big += line }
        let estimate = try #require(try CSVReader(bytes: big, fileName: "big.csv").estimatedLines())
        #expect(abs(estimate - 100_001) < 20, "\(estimate)")
        let odd = Array("h\n".utf8) + [UInt8](repeating: UInt8(ascii: "\n"), count: 1 << 20) + [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20)
        #expect(try CSVReader(bytes: odd, fileName: "odd.csv").estimatedLines() == odd.count / 24)
    }
}
