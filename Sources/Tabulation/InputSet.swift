import Foundation
import Microdata
import Profile

/// The input files of one run, resolved once from the layout's file names (`Layout.fileNames`) and a data
/// folder: for each, the file that stands for it (`keluarga.csv`, or else `keluarga.sav`, `.zsav`, `.dta`),
/// its format and size. The progress bar, the data check, the provenance (hashes) and the engine all read
/// this one list, so they never disagree about which file is an input.
public struct InputSet: Sendable {
    public struct File: Sendable {
        /// The layout's name for the input (`keluarga.csv`), whatever the format found.
        public let name: String
        public let path: String
        /// `csv`, `sav`, `zsav` or `dta`.
        public let format: String
        public let bytes: Int
    }

    public let directory: String
    /// Inputs present, in the layout's order (area, family, member, roster).
    public let files: [File]
    /// Inputs with several candidate files (`keluarga.csv` and `keluarga.sav`): which to read would be a guess.
    public let problems: [String: InputError]

    public init(layout: Layout, directory: String) {
        var files: [File] = [], problems: [String: InputError] = [:]
        for name in layout.fileNames {
            do {
                guard let path = try RecordSources.locate(name, in: directory) else { continue }
                let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                files.append(File(name: name, path: path, format: RecordSources.fileExtension(path), bytes: bytes))
            } catch let e as InputError {
                problems[name] = e
            } catch {
                problems[name] = InputError(file: name, line: 0, expected: "a readable file (\(error))")
            }
        }
        self.directory = directory
        self.files = files
        self.problems = problems
    }

    public func file(_ name: String) -> File? { files.first { $0.name == name } }

    /// Path of input `name`: the file found, else `directory/name` so that the reader's "cannot read" error
    /// names the contract file; an error when several files stand for it.
    public func path(_ name: String) throws -> String {
        if let e = problems[name] { throw e }
        return file(name)?.path ?? (directory as NSString).appendingPathComponent(name)
    }

    public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }
}
