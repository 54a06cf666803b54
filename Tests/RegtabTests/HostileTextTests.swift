import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation
@testable import Reporting
@testable import Publishing

/// Fixtures/hostile: the hand-count registry with hostile text where real extracts have free text.
/// Village and kecamatan names (wilayah.csv) and programme names (penerima.csv) are published, so they hold
/// `<script>`, `=HYPERLINK(…)`, `+`/`-`/`@` starts and a BEL control character; member names (anggota.csv
/// r402) are never published, and one of them is made 10 MB long here. End to end: the HTML has no executable
/// markup, the workbook has no formula cell, no member name reaches any published file, memory stays bounded.
@Suite struct HostileTextTests {
    static let tenMegabyteName = "QQ" + String(repeating: "Q", count: 10 << 20)

    /// Output folder of one run on the hostile fixture plus a member row with a 10 MB name.
    static let run: (out: String, summary: RunSummary, check: CheckReport) = {
        let dir = Repo.temporaryDirectory("hostile-data")
        for f in RegsosekFiles.all { try! FileManager.default.copyItem(atPath: Repo.fixture("hostile/\(f)"), toPath: "\(dir)/\(f)") }
        let extra = "15,05,010,024,000101,1,1,4,\"\(tenMegabyteName)\",,1,1,,30,1,3,,3,13,1,3,1,4,4,4,4,4,4,4,4,4,1,0,\n"
        let handle = FileHandle(forWritingAtPath: "\(dir)/anggota.csv")!
        handle.seekToEndOfFile()
        handle.write(Data(extra.utf8))
        handle.closeFile()
        let out = Repo.temporaryDirectory("hostile-out")
        let outcome = try! CheckedRun.run(RunOptions(profileDirectory: Repo.profile, dataDirectory: dir, outputDirectory: out,
                                                     templatesDirectory: Repo.templates), allowErrors: true)
        return (out, outcome.summary!, outcome.check)
    }()

    static func text(_ name: String) throws -> String { try String(contentsOfFile: "\(run.out)/\(name)", encoding: .utf8) }

    /// Tokens that occur only in member names (and the 10 MB name).
    static let memberTokens = ["EVIL", "evil.example", "alert('member')", "alert('roster')", "QQQQQQQQ", "calc"]

    @Test func htmlHasNoExecutableMarkup() throws {
        let html = try Self.text("report.html")
        #expect(html.range(of: "<script", options: .caseInsensitive) == nil)
        #expect(html.range(of: "<img", options: .caseInsensitive) == nil)
        #expect(html.range(of: "javascript:", options: .caseInsensitive) == nil)
        // The village and programme names are there, as text.
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("+Tanjung -Harapan&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("=HYPERLINK("))
        // The BEL in a kecamatan name: HTML forbids control characters (the Nu validator rejects them).
        #expect(!html.unicodeScalars.contains { HTMLText.isForbidden($0) })
        #expect(html.contains("Sungai\u{FFFD}Bahar"))
        for t in Self.memberTokens { #expect(!html.contains(t), "member text \(t) in report.html") }
    }

    /// The byte test for control characters agrees with the scalar test on every scalar up to U+00FF and a few
    /// beyond, alone and beside a "·" (0xC2 0xB7, the lead byte of C1 controls), and replaces exactly those.
    @Test func controlCharactersFoundByTheirBytes() {
        for value in Array(0...0x1FF) + [0x2028, 0xFFFD, 0x1F600] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in ["\(Character(scalar))", "a · \(Character(scalar)) ·", "·\(Character(scalar))"] {
                let expected = text.unicodeScalars.contains(where: HTMLText.isForbidden)
                #expect(HTMLText.containsForbidden(text) == expected, "U+\(String(value, radix: 16))")
                #expect(HTMLText.withoutControlCharacters(text) == String(String.UnicodeScalarView(
                    text.unicodeScalars.map { HTMLText.isForbidden($0) ? "\u{FFFD}" : $0 })))
            }
        }
    }

    @Test func markdownEscapesMarkup() throws {
        let md = try Self.text("report.md")
        // Every '<' of data text is backslash-escaped, so no renderer sees a tag.
        var previous: Character = " "
        for c in md {
            if c == "<" { #expect(previous == "\\", "unescaped '<' in report.md") }
            previous = c
        }
        #expect(md.contains("\\<script\\>alert(1)\\</script\\>"))
        for t in Self.memberTokens { #expect(!md.contains(t), "member text \(t) in report.md") }
    }

    @Test func workbookHasNoFormulaCells() throws {
        let xlsx = URL(fileURLWithPath: "\(Self.run.out)/report.xlsx")
        let members = try RendererTests.members(xlsx)
        let sheets = members.filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }
        #expect(sheets.count >= 3)
        for m in sheets {
            let xml = try RendererTests.unzip(xlsx, m)
            #expect(!xml.contains("<f>") && !xml.contains("<f "), "formula element in \(m)")
        }
        let strings = try RendererTests.unzip(xlsx, "xl/sharedStrings.xml")
        #expect(strings.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)") || strings.contains("=HYPERLINK(\"http://x\",\"y\")"))
        #expect(strings.contains("@SUM(A1)") && strings.contains("+Tanjung"))
        #expect(strings.contains("Sungai_x0007_Bahar"))   // the control character as an escape, valid XML
        #expect(!strings.unicodeScalars.contains { $0.value == 7 })
        for t in Self.memberTokens { #expect(!strings.contains(t), "member text \(t) in the workbook") }
    }

    @Test func tenMegabyteNameIsReadButNeverPublished() throws {
        // The extra member is a current member of F1: tabulated (20 + 1 persons), its name nowhere.
        #expect(Self.run.summary.persons == 21)
        #expect(Self.run.summary.accounting.read.first { $0.file == "anggota.csv" }?.count == 25)
        for f in try FileManager.default.subpathsOfDirectory(atPath: Self.run.out) {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(Self.run.out)/\(f)", isDirectory: &isDir), !isDir.boolValue else { continue }
            let size = (try FileManager.default.attributesOfItem(atPath: "\(Self.run.out)/\(f)")[.size] as? Int) ?? 0
            #expect(size < 1 << 20, "\(f) is \(size) bytes")
            if f.hasSuffix(".csv") || f.hasSuffix(".json") || f.hasSuffix(".md") || f.hasSuffix(".html") {
                let text = try Self.text(f)
                for t in Self.memberTokens { #expect(!text.contains(t), "member text \(t) in \(f)") }
            }
        }
    }

    @Test func checkFlagsPublishedHostileNames() {
        let hits = Self.run.check.examples.filter { $0.rule == "suspicious_text" }.map { "\($0.file):\($0.line):\($0.columnNumber ?? 0)" }
        #expect(Self.run.check.count("suspicious_text") == 9)
        #expect(hits.contains("wilayah.csv:2:5"))   // <script> village
        #expect(hits.contains("wilayah.csv:3:5"))   // =HYPERLINK village
        #expect(hits.contains("wilayah.csv:4:2"))   // BEL in the kecamatan name
        #expect(hits.contains("wilayah.csv:4:5"))   // +… village
        // Findings never carry the control character to the terminal.
        #expect(!Self.run.check.describe(dataDirectory: "d").unicodeScalars.contains { $0.value == 7 })
    }
}
