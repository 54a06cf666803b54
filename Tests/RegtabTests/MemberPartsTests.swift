import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Tabulation
@testable import Publishing
@testable import Reporting

/// The member file read in two parts on two threads (`Engine.partMinimumBytes`) gives exactly what one pass
/// gives: every cell of every cube, the NIK links, and the record accounting with its located examples —
/// also when the split point falls inside a quoted field, where the engine must notice and re-read in order.
@Suite struct MemberPartsTests {
    static func run(_ data: String, split: Bool) throws -> EngineResult {
        var engine = Engine(profile: try Profile.load(directory: Repo.profile))
        engine.partMinimumBytes = split ? 0 : Int.max
        return try engine.run(dataDirectory: data)
    }

    static func twins(_ r: EngineResult) -> [String] {
        (r.cubes + [r.targeting.targeting, r.targeting.duplicates, r.targeting.overlap, r.targeting.agreement]).map(TwinWriter.csv)
    }

    static func expectSame(_ a: EngineResult, _ b: EngineResult) {
        #expect(twins(a) == twins(b))
        #expect(a.persons == b.persons && a.families == b.families)
        #expect(a.accounting.read.map { "\($0.file) \($0.count)" } == b.accounting.read.map { "\($0.file) \($0.count)" })
        #expect(a.accounting.tabulated.map { "\($0.file) \($0.count)" } == b.accounting.tabulated.map { "\($0.file) \($0.count)" })
        #expect(a.accounting.excluded == b.accounting.excluded)
        #expect(a.accounting.warnings == b.accounting.warnings)
        #expect(a.accounting.examples == b.accounting.examples)
    }

    @Test func twoPartsGiveWhatOnePassGives() throws {
        let dir = Repo.temporaryDirectory("MemberParts")
        _ = try DemoRun.generate(families: 3000, seed: 11, directory: dir)
        let one = try Self.run(dir, split: false), two = try Self.run(dir, split: true)
        #expect(one.persons > 8000)
        #expect(!one.accounting.examples.filter { $0.file == "anggota.csv" }.isEmpty)   // located examples to compare
        Self.expectSame(one, two)
    }

    /// Names with a quoted line break in the middle third of the file: the first line feed after the midpoint
    /// is (almost surely) inside quotes, so the first part does not end where the second began.
    @Test func splitInsideAQuotedFieldFallsBackToOrder() throws {
        let dir = Repo.temporaryDirectory("MemberPartsQuoted")
        _ = try DemoRun.generate(families: 3000, seed: 12, directory: dir)
        let path = dir + "/anggota.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let nameColumn = try #require(header.firstIndex(of: "r402"))
        for i in (lines.count / 3)..<(2 * lines.count / 3) where !lines[i].isEmpty {
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[nameColumn] = "\"" + String(repeating: "A", count: 400) + "\nB\""
            lines[i] = cells.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let one = try Self.run(dir, split: false), two = try Self.run(dir, split: true)
        #expect(one.persons > 8000)
        Self.expectSame(one, two)
    }
}
