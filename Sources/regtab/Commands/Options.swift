import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// Options shared by the commands: presentation and outputs (`OutputOptions`), input dialect (`InputArguments`).

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Presentation language: id, en or both (default: the report definition's).")
    var language: Language?
    @Option(name: .long, help: "Templates folder (markdown/, html/, excel/layout.yml); default: Templates/ beside regtab.")
    var templates: String?
    @Option(name: .long, help: "Also write record-level lists (NIK, No. KK, names) for field verification to this folder. Never published.")
    var restricted: String?
    @Option(name: .long, help: "Secret salt for the cell key method (default: the REGTAB_SALT environment variable). Never written anywhere.")
    var salt: String?
    @Option(name: .long, help: "Village boundaries for maps: GeoJSON (.geojson, .json) or an ESRI shapefile (.shp with its .dbf), matched to wilayah.csv by BPS or Kemendagri code (default for demo: its illustrative boundaries).")
    var boundaries: String?
    @Flag(name: .shortAndLong, help: "Print only errors and the line naming the output folder; no progress bar.")
    var quiet = false
    @Flag(name: .shortAndLong, help: "Also print how long each phase took (data check, engine, disclosure control, outputs).")
    var verbose = false

    /// `options` with `--salt` applied (else it keeps `REGTAB_SALT` from the environment), and `--boundaries`.
    func withSalt(_ options: RunOptions) -> RunOptions {
        var o = options
        if let salt { o.salt = salt }
        if let boundaries { o.boundaries = boundaries }
        return o
    }
}

/// `--encoding` and `--delimiter`, shared by `run` and `check`.
struct InputArguments: ParsableArguments {
    @Option(name: .long, help: "Text encoding of CSV inputs: utf-8 (default; invalid bytes are an error naming line and column), latin1 or windows-1252 (transcoded). For .sav/.dta: overrides the file's declared encoding.")
    var encoding: String?
    @Option(name: .long, help: "CSV delimiter, e.g. ';' or tab (default: detected from the header line).")
    var delimiter: String?

    func options() throws -> InputOptions {
        var o = InputOptions()
        if let encoding {
            guard let e = TextEncoding(name: encoding) else {
                throw ValidationError("--encoding must be utf-8, latin1 or windows-1252 (got '\(encoding)')")
            }
            o.encoding = e
        }
        if let delimiter {
            guard let d = InputOptions.delimiter(delimiter) else {
                throw ValidationError("--delimiter must be one ASCII character other than a quote, or 'tab' (got '\(delimiter)')")
            }
            o.delimiter = d
        }
        return o
    }
}
