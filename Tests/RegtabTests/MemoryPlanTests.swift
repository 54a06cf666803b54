import Foundation
import Testing
@testable import Microdata
@testable import Profile
@testable import Reporting
@testable import Tabulation

/// `regtab run --memory-limit` (issue 19): the schedule a limit picks, the run it refuses before reading, the
/// record counts it estimates from the files — and that the sequential schedule publishes exactly what the
/// overlapped one does.
@Suite(.serialized) struct MemoryPlanTests {
    static let records = RecordCounts(families: 10_000_000, persons: 30_000_000, rosterRows: 20_000_000, villages: 7_750)

    @Test func sizesParseWithTheirUnits() {
        #expect(MemoryPlan.parseSize("4G") == 4 << 30)
        #expect(MemoryPlan.parseSize("4gb") == 4 << 30)
        #expect(MemoryPlan.parseSize("4096M") == 4 << 30)
        #expect(MemoryPlan.parseSize("500MiB") == 500 << 20)
        #expect(MemoryPlan.parseSize("2.5G") == 5 << 29)
        #expect(MemoryPlan.parseSize(" 1048576 ") == 1 << 20)
        #expect(MemoryPlan.parseSize("0") == nil)
        #expect(MemoryPlan.parseSize("-4G") == nil)
        #expect(MemoryPlan.parseSize("lots") == nil)
        #expect(MemoryPlan.parseSize("4X") == nil)
    }

    /// The estimates at 10 M families sit at what `--verbose` measured there (README, "National shape"):
    /// 2.3–2.9 GB overlapped (the estimate on the upper side), 1.43 GB sequential, 1.1 GB external (the members'
    /// NIKs sorted on disk); a limit picks the fastest schedule that fits.
    @Test func aLimitPicksTheFastestScheduleThatFits() throws {
        let overlapped = MemoryPlan.estimatedPeak(Self.records, cellsPerArea: 490, schedule: .overlapped)
        let sequential = MemoryPlan.estimatedPeak(Self.records, cellsPerArea: 490, schedule: .sequential)
        let external = MemoryPlan.estimatedPeak(Self.records, cellsPerArea: 490, schedule: .external)
        #expect((2_700 << 20)...(3_000 << 20) ~= overlapped)
        #expect((1_433 << 20)...(1_600 << 20) ~= sequential)
        #expect((1_145 << 20)...(1_250 << 20) ~= external)
        #expect(try MemoryPlan(limit: 4 << 30, records: Self.records, cellsPerArea: 490).schedule == .overlapped)
        #expect(try MemoryPlan(limit: overlapped, records: Self.records, cellsPerArea: 490).schedule == .overlapped)
        #expect(try MemoryPlan(limit: overlapped - 1, records: Self.records, cellsPerArea: 490).schedule == .sequential)
        #expect(try MemoryPlan(limit: sequential, records: Self.records, cellsPerArea: 490).schedule == .sequential)
        #expect(try MemoryPlan(limit: sequential - 1, records: Self.records, cellsPerArea: 490).schedule == .external)
        #expect(try MemoryPlan(limit: external, records: Self.records, cellsPerArea: 490).schedule == .external)
        let refused = #expect(throws: MemoryLimitError.self) { try MemoryPlan(limit: external - 1, records: Self.records, cellsPerArea: 490) }
        #expect(refused?.description.contains("the external schedule") == true)
        // Many villages: the cells decide (77,500 villages of 490 cells at 1 M families: 6,350 MiB measured with
        // every village in report.html, 4,072 MiB with the village tables there by kecamatan).
        let national = RecordCounts(families: 1_000_000, persons: 3_000_000, rosterRows: 2_000_000, villages: 77_500)
        let cells = MemoryPlan.estimatedPeak(national, cellsPerArea: 490, schedule: .sequential)
        #expect(cells == MemoryPlan.estimatedPeak(national, cellsPerArea: 490, schedule: .overlapped))
        #expect((6_350 << 20)...(6_700 << 20) ~= cells)
        let byKecamatan = MemoryPlan.estimatedPeak(national, cellsPerArea: 490, schedule: .sequential, htmlVillageLimit: 5_000)
        #expect((4_072 << 20)...(4_500 << 20) ~= byKecamatan)
        // A province's shape (7,750 villages): the cells' part has its own fixed ~100 MiB — 3 M families took 532 MiB
        // in the external schedule (the outputs' peak), which the engine's 224 MiB base put at 726 and refused.
        let province = RecordCounts(families: 3_000_000, persons: 9_000_000, rosterRows: 6_000_000, villages: 7_750)
        #expect((532 << 20)...(620 << 20) ~= MemoryPlan.estimatedPeak(province, cellsPerArea: 490, schedule: .external, htmlVillageLimit: 5_000))
    }

    /// Small files are counted exactly (header aside, last line with or without its line break); a file
    /// larger than the sample is estimated from its first MiB of lines.
    @Test func recordsAreCountedFromTheFiles() throws {
        let dir = Repo.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a,b\n1,2\n3,4\n5,6".write(toFile: dir + "/small.csv", atomically: true, encoding: .utf8)
        try "a,b\n1,2\n3,4\n".write(toFile: dir + "/ended.csv", atomically: true, encoding: .utf8)
        try "a,b\n".write(toFile: dir + "/empty.csv", atomically: true, encoding: .utf8)
        // 300,000 lines of varying length (~3 MiB; fixed-width ids, as NIK and No. KK are): the sample's mean
        // line length stands for the file's.
        var big = "id,text\n"
        for i in 0..<300_000 { big += "\(1_000_000 + i),\(String(repeating: "x", count: i % 7))\n" }
        try big.write(toFile: dir + "/big.csv", atomically: true, encoding: .utf8)
        func count(_ name: String) throws -> Int {
            let path = dir + "/" + name
            let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            return try RecordCounts.records(InputSet.File(name: name, path: path, format: "csv", bytes: bytes), options: InputOptions())
        }
        #expect(try count("small.csv") == 3)
        #expect(try count("ended.csv") == 2)
        #expect(try count("empty.csv") == 0)
        let estimate = try count("big.csv")
        #expect(abs(estimate - 300_000) < 3_000, "\(estimate)")

        let profile = try Profile.load(directory: Repo.profile)
        let fixture = Repo.fixture("handcount")
        let counts = try RecordCounts(inputs: InputSet(layout: profile.layout, directory: fixture), layout: profile.layout, options: InputOptions())
        func lines(_ name: String) throws -> Int {
            try Data(contentsOf: URL(fileURLWithPath: fixture + "/" + name)).split(separator: UInt8(ascii: "\n")).count - 1
        }
        let expected = RecordCounts(families: try lines("keluarga.csv"), persons: try lines("anggota.csv"),
                                    rosterRows: try lines("penerima.csv"), villages: try lines("wilayah.csv"))
        #expect(counts == expected)
        // The same registry as keluarga.sav and anggota.dta: their headers' row counts.
        let readstat = Repo.fixture("readstat")
        let inputs = InputSet(layout: profile.layout, directory: readstat)
        #expect(inputs.file("keluarga.csv")?.format == "sav" && inputs.file("anggota.csv")?.format == "dta")
        let fromHeaders = try RecordCounts(inputs: inputs, layout: profile.layout, options: InputOptions())
        #expect(fromHeaders.families == expected.families && fromHeaders.persons == expected.persons, "\(fromHeaders)")
    }

    /// A limit no schedule fits stops the run before any file is read or written, and says what it would need.
    @Test func aRunThatDoesNotFitIsRefusedBeforeReading() throws {
        let out = Repo.temporaryDirectory() + "/out"
        var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: Repo.fixture("handcount"), outputDirectory: out,
                                 templatesDirectory: Repo.templates)
        options.memoryLimit = 1 << 20
        let error = #expect(throws: MemoryLimitError.self) { try CheckedRun.run(options, allowErrors: true) }
        #expect(error?.description.contains("more than --memory-limit 1 MiB") == true)
        #expect(error?.description.contains("families") == true)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// The sequential schedule (check first, roster after the family rules) and the external one (the members'
    /// NIKs sorted on disk, here in runs of 500 members: ~18 runs) write the same published files, byte for byte,
    /// as the overlapped one, on a registry of three regencies with members shuffled; and a check that finds
    /// errors refuses the run before the engine starts.
    @Test func theSequentialAndExternalSchedulesWriteTheSameReport() throws {
        let dir = Repo.temporaryDirectory()
        try NationalShapeFixture.write(families: 3_000, regencies: 3, shuffleMembers: true, to: dir + "/data")
        let profile = try Profile.load(directory: Repo.profile)
        let plan = try TabulationPlan(profile: profile)
        let records = try RecordCounts(inputs: InputSet(layout: profile.layout, directory: dir + "/data"), layout: profile.layout,
                                       options: InputOptions())
        let cells = plan.cellsPerArea(profile)
        #expect(cells == 490)
        // On 3,000 families the estimate's fixed part decides, so the schedule is given here.
        let sequentialPlan = MemoryPlan(schedule: .sequential, limit: 1 << 30, records: records, cellsPerArea: cells)

        func run(_ memory: MemoryPlan?, _ name: String, allowErrors: Bool = true) throws -> CheckedRun.Outcome {
            var options = RunOptions(profileDirectory: Repo.profile, dataDirectory: dir + "/data", outputDirectory: dir + "/" + name,
                                     templatesDirectory: Repo.templates)
            options.salt = nil
            return try CheckedRun.run(options, allowErrors: allowErrors, memory: memory)
        }
        let overlapped = try run(nil, "overlapped")
        let sequential = try run(sequentialPlan, "sequential")
        var externalPlan = MemoryPlan(schedule: .external, limit: 1 << 30, records: records, cellsPerArea: cells)
        externalPlan.memberNIKRunLength = 500
        let external = try run(externalPlan, "external")
        #expect(external.summary?.timings.first?.hasPrefix("memory plan: external schedule") == true)
        #expect(external.summary?.timings.contains { $0.hasPrefix("data check (before the engine)") } == true)
        #expect(external.summary?.timings.contains { $0.contains("members (anggota; NIKs sorted on disk: ") && $0.contains(" runs, ") } == true)
        let timings = try #require(sequential.summary?.timings)
        #expect(timings.first?.hasPrefix("memory plan: sequential schedule") == true)
        #expect(timings.contains { $0.hasPrefix("data check (before the engine)") })
        #expect(timings.contains { $0.contains("roster read into columns (own thread, after the family rules)") })
        #expect(overlapped.summary?.timings.contains { $0.hasPrefix("data check (beside the engine)") } == true)
        // Without a limit, --verbose still says what either schedule would need.
        let estimate = MemoryPlan.estimateLine(records, cellsPerArea: cells, htmlVillageLimit: profile.report.htmlVillageLimit)
        #expect(overlapped.summary?.timings.first == estimate)
        #expect(estimate.hasPrefix("memory estimate (no --memory-limit): peak ~") && estimate.contains(" sequential, ~")
                && estimate.contains(" external (~") && estimate.contains(" families, "), "\(estimate)")
        let a = try NationalShapeFixture.published(dir + "/overlapped", twinsOnly: false)
        #expect(a.count > 20)
        for other in ["sequential", "external"] {
            let b = try NationalShapeFixture.published(dir + "/" + other, twinsOnly: false)
            #expect(a.keys.sorted() == b.keys.sorted(), "\(other)")
            for name in a.keys.sorted() { #expect(a[name] == b[name], "\(other): \(name)") }
        }
        #expect(sequential.check.errors == overlapped.check.errors && sequential.check.errors > 0)

        let refused = try run(sequentialPlan, "refused", allowErrors: false)
        #expect(refused.summary == nil && refused.check.errors == overlapped.check.errors)
        #expect(!FileManager.default.fileExists(atPath: dir + "/refused"))
    }
}
