import Foundation
import Microdata
import Profile
import Protection
import Publishing
import Tabulation

/// What a run did, for the terminal summary and the tests.
public struct RunSummary: Sendable {
    public var outputDirectory: String
    public var files: [String]
    public var accounting: RecordAccounting
    public var families: Int
    public var persons: Int
    public var warnings: [String]
    /// Disclosure control: what was suppressed or perturbed, per table (no rule parameters).
    public var protection: [String] = []
    /// Database runs (`--source`): statements sent and what came back.
    public var database: [String] = []
    /// Maps (`--boundaries`): how the boundaries matched; unmatched villages and polygons are in `warnings`.
    public var maps: [String] = []
    /// Wall time of each phase, for `--verbose` ("engine: 4.2 s").
    public var timings: [String] = []
}

/// One run end to end: load and validate the report definition, read and tabulate the data in one pass,
/// build the display tables once, write every output (xlsx, md, html, data/*.csv twins, manifest.json).
public enum ReportRun {
    public static let version = "0.1.0"

    public static func run(_ options: RunOptions) throws -> RunSummary {
        try run(options, gate: { [] })!
    }

    /// - Parameter gate: called once the tables are computed and before anything is written; returns notes to
    ///   add to the report, or nil to write nothing (the run is refused; `CheckedRun` waits here for the data
    ///   check that runs beside the engine).
    /// - Parameter plan, inputs: the compiled definition and the input files when the caller has them already.
    /// - Parameter memory: the schedule `--memory-limit` chose (`MemoryPlan`); nil: the overlapped one.
    static func run(_ options: RunOptions, plan: TabulationPlan? = nil, inputs: InputSet? = nil, memory: MemoryPlan? = nil,
                    gate: () throws -> [Bilingual]?) throws -> RunSummary? {
        var clock = PhaseClock()
        let profile = try Profile.load(directory: options.profileDirectory)
        let inputSet = inputs ?? InputSet(layout: profile.layout, directory: options.dataDirectory)
        // Disclosure control (Sources/Protection) on every cube before anything is written: twins, display
        // tables, rankings and key figures all read the protected result; the unprotected one goes only to
        // the restricted folder.
        let protectionSpec = profile.report.protection
        var engine = Engine(profile: profile, inputOptions: options.input)
        engine.plan = try plan ?? TabulationPlan(profile: profile)
        engine.familySnapshot = options.comparison != nil
        engine.rosterAfterMembers = memory.map { $0.schedule != .overlapped } ?? false
        if let memory, memory.schedule == .external { engine.memberNIKRunLength = memory.memberNIKRunLength }
        if Protection.needsSalt(protectionSpec, tables: profile.tables) {
            guard let salt = options.salt, !salt.isEmpty else { throw ProtectionError.missingSalt }
            engine.cellKeySalt = salt
        }
        // SHA-256 of every input file, beside the engine's pass (a database run hashes nothing here).
        let fromFiles = options.source == nil
        let hashing = Background { fromFiles ? try InputProvenance.describe(inputSet) : [] }
        // From CSV in process, or computed in the database (`--source`, Sources/Database): the same EngineResult.
        let fromDatabase = try options.source.map { try DatabaseRun.engineResult(profile: profile, options: options, source: $0) }
        let unprotected = try fromDatabase?.0 ?? engine.run(inputs: inputSet, recordLists: options.restrictedDirectory != nil)
        let sourceNotes = fromDatabase?.1 ?? [], traffic = fromDatabase?.2
        clock.lap(options.source == nil ? "engine (read, tabulate, link rosters)" : "database queries")
        clock.add(unprotected.phases.map { "  · " + $0 })
        guard let gateNotes = try gate() else { return nil }
        clock.lap("waiting for the data check")
        // Record-level lists apart: disclosure control and publishing get no NIK, No. KK, name or family key.
        let (published, records) = unprotected.separatingRecords()
        let protection = try Protection.apply(protectionSpec, salt: options.salt, to: published, tables: profile.tables)
        clock.lap("disclosure control")
        clock.add(protection.report.phases.map { "  · " + $0 })
        let result = protection.result
        // `regtab compare`: the change tables, protected with both releases (CompareRun).
        let comparison = try options.comparison?(unprotected, protection)
        if comparison != nil { clock.lap("change tables (match, tabulate, protect)") }
        let language = options.language ?? Language(rawValue: profile.report.language) ?? .both
        let fm = FileManager.default
        let out = options.outputDirectory
        let dataDir = (out as NSString).appendingPathComponent("data")
        try fm.createDirectory(atPath: dataDir, withIntermediateDirectories: true)

        // Twins: every profile table and the targeting cubes.
        let twinCubes = result.cubes + result.targeting.publishedCubes + (comparison?.cubes ?? [])
        try TwinWriter.writeAll(twinCubes, directory: dataDir)
        var files = twinCubes.map { "data/\($0.table).csv" }

        // Display tables, built once and handed to every renderer.
        let builder = TableBuilder(codebook: profile.codebook, report: profile.report)
        var tables = zip(result.cubes, profile.tables).map { builder.build($0, spec: $1) }
        // Disclosure control per table: a cell-key table in a report that also suppresses says so itself.
        let policies = Dictionary(uniqueKeysWithValues: protection.report.tables.map { ($0.table, $0.method) })
        let methods = Set(policies.values)
        if methods.contains(.cellkey), methods.contains(.suppression) {
            for i in tables.indices where policies[tables[i].id] == .cellkey { tables[i].notes.append(ProtectionNotes.cellKeyTable) }
        }
        tables += TargetingTables(codebook: profile.codebook, report: profile.report, programmes: profile.rules.programmes,
                                  extraProgrammes: result.targeting.unknownProgrammes).build(result.targeting)
        tables += Rankings.tables(result.targeting, programmes: profile.rules.programmes, builder: builder)
        let sections = profile.report.sections.map { s in
            ReportSection(id: s.id, title: s.title, tables: tables.filter { table in
                profile.tables.first { $0.id == table.id }?.section == s.id || (s.id == "targeting" && !profile.tables.contains { $0.id == table.id })
            })
        }.filter { !$0.tables.isEmpty } + (comparison.map { [$0.section] } ?? [])

        let inputs = try options.source.map { DatabaseRun.provenance($0, layout: profile.layout) } ?? hashing.value()
        let provenance = "regtab \(version) · spec \(profile.specHash.prefix(12)) · data \(InputProvenance.combinedHash(inputs).prefix(12))"
        let area = profile.report.kabupatenNames.count == 1 ? profile.report.kabupatenNames.values.first! : Bilingual(id: "Beberapa kabupaten", en: "Several regencies")
        var notes = CellSymbols.legend + ProtectionNotes.general(methods) + options.notes + gateNotes + sourceNotes + (comparison?.notes ?? [])
        if !result.targeting.hasRoster { notes.insert(TargetingTables.noRosterNote, at: 0) }
        if result.targeting.multiAreaRows > 0 {
            notes.append(Bilingual(id: "\(result.targeting.multiAreaRows) baris daftar penerima terhubung ke keluarga di lebih dari satu desa; baris itu dihitung di setiap desa tersebut.",
                                   en: "\(result.targeting.multiAreaRows) roster rows link to families in more than one village; such a row counts in each of them."))
        }
        if let restricted = options.restrictedDirectory {
            let written = try RestrictedLists.write(records, directory: restricted)
            _ = try UnprotectedOutput.write(unprotected, report: protection.report, spec: protectionSpec,
                                            saltGiven: options.salt != nil, directory: restricted)
            notes.append(Bilingual(id: "Daftar tingkat individu untuk verifikasi lapangan (\(written) record) ditulis ke folder terbatas \((restricted as NSString).lastPathComponent)/ dan tidak termasuk dalam publikasi ini.",
                                   en: "Record-level lists for field verification (\(written) records) were written to the restricted folder \((restricted as NSString).lastPathComponent)/ and are not part of this publication."))
        }
        let subtitle = Bilingual(id: "\(area.id) — \(profile.report.survey.id)", en: "\(area.en) — \(profile.report.survey.en)")
        var doc = ReportDocument(
            title: profile.report.title,
            subtitle: subtitle,
            keyFigures: KeyFigures.compute(result),
            sections: sections,
            accounting: AccountingText.lines(result.accounting),
            notes: notes, source: profile.report.source, language: language, provenance: provenance,
            charts: Charts.make(result.targeting, programmes: profile.rules.programmes, builder: builder),
            briefing: Briefing.make(result, programmes: profile.rules.programmes, report: profile.report, subtitle: subtitle,
                                    language: language, provenance: provenance))

        if let findings = comparison?.briefingFindings { doc.briefing?.findings += findings }
        // Maps (with --boundaries) and village profiles, from the protected cubes only.
        let figures = ProfilesAndMaps.figures(result)
        let maps = try ProfilesAndMaps.maps(options, figures: figures)
        doc.mapsHTML = maps?.maps.reportHTML(language: language) ?? ""
        doc.briefingMapHTML = maps?.maps.briefingHTML(language: language) ?? ""
        if maps != nil { clock.lap("maps (read boundaries, topology, choropleths)") }

        let templates = try TemplateSet(directory: options.templatesDirectory ?? BundledPaths.locate("Templates") ?? "Templates")
        // The HTML pages are rendered on a second thread while the workbook and the Markdown are written
        // (renderers only read the document and the templates).
        let htmlDoc = Self.htmlDocument(doc, villages: result.areas.villages.count, limit: profile.report.htmlVillageLimit)
        let html = Background { (try HTMLRenderer.render(htmlDoc, templates: templates), try HTMLRenderer.renderBriefing(doc, templates: templates)) }
        try ExcelRenderer.write(doc, to: (out as NSString).appendingPathComponent("report.xlsx"), layout: templates.excelLayout)
        try OutputFile.write(MarkdownRenderer.render(doc, templates: templates), to: (out as NSString).appendingPathComponent("report.md"))
        let (page, briefingPage) = try html.value()
        try OutputFile.write(page, to: (out as NSString).appendingPathComponent("report.html"))
        files += ["report.xlsx", "report.md", "report.html", "manifest.json"]
        if let briefing = briefingPage {
            try OutputFile.write(briefing, to: (out as NSString).appendingPathComponent("briefing.html"))
            files.append("briefing.html")
        }
        clock.lap("outputs (twins, display tables, xlsx, md, html)")
        files += try ProfilesAndMaps.writeProfiles(profile, figures: figures, maps: maps?.maps, templates: templates, language: language,
                                                   provenance: provenance, outputDirectory: out)
        clock.lap("village profiles (\(result.areas.villages.count) pages)")
        try Manifest.write(directory: out, version: version, profile: profile, inputs: inputs, accounting: result.accounting,
                           language: language, files: files)
        clock.lap("manifest")
        var warnings: [String] = maps?.problems.dropFirst().map { $0 } ?? []
        for p in result.targeting.unknownProgrammes { warnings.append("penerima.csv: programme '\(p)' is not in the profile; tabulated by name") }
        return RunSummary(outputDirectory: out, files: files.sorted(), accounting: result.accounting,
                          families: result.families, persons: result.persons, warnings: warnings,
                          protection: protection.report.summaryLines() + (comparison?.summary ?? []), database: traffic.map { [$0.line] } ?? [],
                          maps: maps?.problems.prefix(1).map { $0 } ?? [], timings: clock.lines)
    }

    /// The document report.html renders: `doc` itself, or, with more villages than `limit`
    /// (`ReportSpec.htmlVillageLimit`), the village tables at kecamatan level, each saying where its village rows are.
    static func htmlDocument(_ doc: ReportDocument, villages: Int, limit: Int) -> ReportDocument {
        guard villages > limit else { return doc }
        var html = doc
        let count = (id: NumberFormatting.format(Double(villages), style: .integer, language: .id),
                     en: NumberFormatting.format(Double(villages), style: .integer, language: .en))
        for s in html.sections.indices {
            html.sections[s].tables = html.sections[s].tables.map { table in
                table.atKecamatanLevel(note: Bilingual(
                    id: "Di halaman ini tabel ditampilkan per kecamatan karena laporan mencakup \(count.id) desa; angka per desa ada di report.xlsx, report.md, data/\(table.twinID).csv dan profil desa.",
                    en: "On this page the table is shown by subdistrict because the report covers \(count.en) villages; the village figures are in report.xlsx, report.md, data/\(table.twinID).csv and the village profiles."))
            }
        }
        return html
    }
}
