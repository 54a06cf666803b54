import Foundation
import Microdata
import Profile
import Protection
import Publishing
import Tabulation

/// What one `regtab run` needs: where the report definition, data, templates and outputs are.
public struct RunOptions: Sendable {
    /// Report definition folder, e.g. `reports/regsosek`.
    public var profileDirectory: String
    /// Folder with `keluarga.csv`, `anggota.csv`, `penerima.csv`, `wilayah.csv`.
    public var dataDirectory: String
    public var outputDirectory: String
    /// Presentation language; nil = the report definition's default.
    public var language: Language?
    /// Templates folder (`markdown/`, `html/`, `excel/layout.yml`); nil = the `Templates/` folder found beside the tool.
    public var templatesDirectory: String?
    /// Folder for record-level lists (NIK, names) — written only when given.
    public var restrictedDirectory: String?
    /// Encoding and delimiter overrides for the input files (`--encoding`, `--delimiter`).
    public var input = InputOptions()
    /// Extra notes for the report's notes section (e.g. that the data check found errors and the run
    /// went ahead with `--allow-errors`).
    public var notes: [Bilingual] = []
    /// Secret salt of the cell key method (`--salt`, else the `REGTAB_SALT` environment variable). Never
    /// written anywhere; never part of the report definition.
    public var salt: String? = ProcessInfo.processInfo.environment["REGTAB_SALT"]
    /// Database URL (`--source postgres://USER@HOST:PORT/DB?schema=S`): the report is computed in the database
    /// instead of from `dataDirectory` (see `DatabaseRun`).
    public var source: String?
    /// With `source`: tabulate even when the database's records show errors (a CSV run's data check does this
    /// through `CheckedRun`).
    public var allowErrors = false
    /// Village boundaries for the maps (`--boundaries`): GeoJSON or an ESRI shapefile; nil = no maps.
    public var boundaries: String?
    /// With `source`: called with the title of each statement before it is sent.
    public var progress: (@Sendable (String) -> Void)?
    /// `regtab compare`: called once the later snapshot's tables are protected, with its unprotected engine result
    /// (which then carries the family snapshot) and the protected one; what it returns is added to the report.
    public var comparison: (@Sendable (EngineResult, ProtectionOutcome) throws -> ComparisonOutput)?
    /// `--memory-limit` in bytes: the run is scheduled to stay under it, or refused before reading (`MemoryPlan`).
    /// Nil: no limit, the fastest schedule.
    public var memoryLimit: Int?

    public init(profileDirectory: String, dataDirectory: String, outputDirectory: String, language: Language? = nil,
                templatesDirectory: String? = nil, restrictedDirectory: String? = nil) {
        self.profileDirectory = profileDirectory; self.dataDirectory = dataDirectory; self.outputDirectory = outputDirectory
        self.language = language; self.templatesDirectory = templatesDirectory; self.restrictedDirectory = restrictedDirectory
    }
}

/// Finds folders shipped with regtab (`reports/`, `Templates/`): in the current directory, else beside the
/// executable's package checkout (`.build/<config>/regtab` → the repository root).
public enum BundledPaths {
    public static func locate(_ relative: String) -> String? {
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath]
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(exe.path); exe.deleteLastPathComponent() }
        for c in candidates {
            let p = (c as NSString).appendingPathComponent(relative)
            if fm.fileExists(atPath: p) { return p }
        }
        return nil
    }
}
