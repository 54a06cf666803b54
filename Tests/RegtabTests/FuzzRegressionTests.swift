import Foundation
import Testing
@testable import Microdata
@testable import Profile

/// The invariants the libFuzzer targets of `Benchmarks/fuzz` check, run in the normal test suite over
/// the committed seed corpus (`Benchmarks/fuzz/corpus/`) and over every input the fuzzers ever found a
/// problem with (added below as regression cases). Keeps the harnesses' assumptions honest without
/// building the sanitizer package in CI.
@Suite struct FuzzRegressionTests {
    static let corpus = Repo.root + "/Benchmarks/fuzz/corpus"

    static func files(_ dir: String) -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? []
        return names.compactMap { FileManager.default.contents(atPath: dir + "/" + $0).map { Array($0) } }
    }

    /// Same decoding of the first two bytes as `fuzz-csv`.
    static func csvInvariants(_ input: [UInt8]) throws {
        guard input.count >= 2 else { return }
        let options = input[0], sizes = input[1]
        let delimiter: UInt8? = [nil, 0x2C, 0x3B, 0x09][Int(options & 3)]
        let encoding: TextEncoding = [.utf8, .utf8, .latin1, .windows1252][Int((options >> 2) & 3)]
        let chunkSize = 1 + Int(sizes & 0x3F)
        let maxRecordBytes = options & 0x80 != 0 ? 16 << Int((sizes >> 6) & 3) : 1 << 20
        do {
            let reader = try CSVReader(bytes: Array(input.dropFirst(2)), fileName: "fuzz.csv", delimiter: delimiter,
                                       encoding: encoding, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
            for name in reader.header { #expect(reader.columnIndex(name) != nil) }
            var lastLine = reader.headerLine
            try reader.forEachRecord(repeatedHeader: { line in
                #expect(line > lastLine); lastLine = line
            }) { r in
                #expect(r.line > lastLine); lastLine = r.line
                for i in -1...(r.fieldCount + 1) {
                    _ = r.int(i); _ = r.double(i)
                    let bytes = r.withBytes(i) { Array($0) }
                    #expect(r.isEmpty(i) == bytes.isEmpty)
                    #expect(encoding != .utf8 || String(validating: bytes, as: UTF8.self) != nil)
                }
            }
        } catch is InputError {
            // expected for malformed input
        }
    }

    @Test func csvSeedCorpus() throws {
        let seeds = Self.files(Self.corpus + "/csv")
        #expect(seeds.count >= 5)
        for s in seeds { try Self.csvInvariants(s) }
    }

    /// Edge cases written while building the harness: BOM split over 1-byte chunks under Latin-1, a
    /// 4-byte sequence cut by the record cap, a lone CR, NUL bytes, a quote at the very end.
    @Test(arguments: [
        [0x08, 0x00, 0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0xE9, 0x0A],
        [0x80, 0x00, 0x61, 0x0A, 0xF0, 0x9F, 0x8C, 0xB4, 0xF0, 0x9F, 0x8C, 0xB4, 0xF0, 0x9F, 0x8C, 0xB4, 0xF0, 0x9F, 0x8C, 0xB4, 0xF0, 0x9F],
        [0x00, 0x05, 0x61, 0x0D, 0x62, 0x0D, 0x0A, 0x0D],
        [0x01, 0x02, 0x00, 0x2C, 0x00, 0x0A, 0x00, 0x00, 0x2C],
        [0x02, 0x03, 0x61, 0x3B, 0x22, 0x0A, 0x22],
        [0x0C, 0x01, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A, 0x80],
    ] as [[UInt8]])
    func csvEdgeCases(_ input: [UInt8]) throws {
        try Self.csvInvariants(input)
    }

    static let schema = RuleSchema(variables: [
        ("desil", .family, .number), ("r501a", .family, .number), ("r501b", .family, .number), ("r302", .family, .number),
        ("r404", .member, .number), ("age", .member, .number), ("r410", .member, .number), ("r412", .member, .number),
        ("r431a", .member, .number), ("disability", .member, .boolean),
    ])

    /// `fuzz-rules`: a rule that compiles runs on any values, and its parenthesised form agrees with it.
    @Test func ruleSeedCorpusAndParenthesisedForms() throws {
        let seeds = Self.files(Self.corpus + "/rules")
        #expect(seeds.count >= 5)
        let samples: [Double] = [.nan, 0, 1, 2, 4, 5, 6, 21, 60, 99, -1, 0.5, 1e300, -.infinity, .infinity, 3]
        for s in seeds {
            let level: RuleLevel = [.automatic, .family, .member, .automatic][Int(s[0] & 3)]
            let text = String(decoding: s.dropFirst(), as: UTF8.self)
            guard let rule = try? CompiledRule.compile(text, name: "seed", schema: Self.schema, level: level) else { continue }
            let again = try CompiledRule.compile(rule.parenthesized, name: "again", schema: Self.schema, level: level)
            for round in 0..<16 {
                let family = (0..<Self.schema.familyCount).map { samples[($0 * 3 + round) % samples.count] }
                var member = (0..<Self.schema.memberCount).map { samples[($0 * 5 + round * 7) % samples.count] }
                member[member.count - 1] = Double(round & 1)
                let counts = (0..<max(1, rule.quantifierCount)).map { Int32(($0 + round) & 3) }
                family.withUnsafeBufferPointer { f in member.withUnsafeBufferPointer { m in counts.withUnsafeBufferPointer { c in
                    let qc = UnsafeBufferPointer(rebasing: c[0..<rule.quantifierCount])
                    #expect(rule.matches(family: f, member: m) == again.matches(family: f, member: m), "\(text)")
                    #expect(rule.familyMatches(family: f, quantifierCounts: qc) == again.familyMatches(family: f, quantifierCounts: qc), "\(text)")
                } } }
            }
        }
    }
}
