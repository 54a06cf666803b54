import Foundation
import Microdata
import Profile
import Publishing
import Tabulation

/// The run's village profiles and maps, wired in one place so `ReportRun` only calls it: both read the protected
/// result only (`PublishedCubes`), never the unprotected one.
enum ProfilesAndMaps {
    static func figures(_ result: EngineResult) -> AreaFigures {
        AreaFigures(cubes: PublishedCubes(cubes: result.cubes + result.targeting.publishedCubes, areas: result.areas),
                    source: result.targeting.mainSource, hasRoster: result.targeting.hasRoster)
    }

    /// Reads and matches `--boundaries` and builds the maps; nil without boundaries. `problems` are the unmatched
    /// villages and polygons, for the terminal (the maps carry them as notes).
    static func maps(_ options: RunOptions, figures: AreaFigures) throws -> (maps: MapSet, problems: [String])? {
        guard let path = options.boundaries else { return nil }
        let match = try BoundaryMatch.match(BoundaryFile.read(path: path), areas: figures.cubes.areas)
        let maps = MapSet(match: match, figures: figures)
        let lines = ["\((path as NSString).lastPathComponent): \(match.rings.count) of \(figures.cubes.areas.villages.count) villages matched by \(match.codeKind.rawValue) code (field \(match.field))"]
        return (maps, lines + match.problems(areas: figures.cubes.areas).map { "boundaries: " + $0.en })
    }

    /// Writes `profiles/` (one page and one figure sheet per village, and the index); returns the paths.
    static func writeProfiles(_ profile: Profile, figures: AreaFigures, maps: MapSet?, templates: TemplateSet, language: Language,
                              provenance: String, outputDirectory: String) throws -> [String] {
        let builder = TableBuilder(codebook: profile.codebook, report: profile.report)
        let context = VillageProfiles.Context(figures: figures, builder: builder, tables: profile.tables, programmes: profile.rules.programmes,
                                              survey: profile.report.survey, source: profile.report.source, language: language,
                                              provenance: provenance, maps: maps)
        return try ProfilePages.write(VillageProfiles(context), templates: templates, outputDirectory: outputDirectory,
                                      title: profile.report.title, reportLink: true)
    }
}
