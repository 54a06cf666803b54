import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// `regtab codebook import`: a YAML codebook from SPSS/Stata dictionaries.

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook", abstract: "Codebook tools.", subcommands: [CodebookImportCommand.self])
}

struct CodebookImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a YAML codebook (the format of reports/regsosek/codebook.yml) from SPSS .sav / Stata .dta files.",
        discussion: "Variable labels, value labels and types are read from each file's dictionary. Give the family file and the member file together to get one codebook; the file each variable belongs to is taken from the file name (keluarga…/anggota…) unless --file says.")
    @Argument(help: "SPSS (.sav, .zsav) or Stata (.dta) files.")
    var files: [String]
    @Option(name: .long, help: "Output file (default: codebook.yml; '-' writes to standard output).")
    var out: String = "codebook.yml"
    @Option(name: .long, help: "keluarga or anggota, for files whose name says neither.")
    var file: String?
    @Option(name: .long, help: "Encoding override for files that declare none (old Stata): latin1, windows-1252.")
    var encoding: String?
    @Option(name: .long, help: "Report definition whose layout names the NIK and No. KK columns, imported as type id (default: the built-in reports/regsosek).")
    var report: String?

    /// The NIK and No. KK columns of the reference definition (names and aliases): imported as `id`, never published.
    func identifierColumns() -> Set<String> {
        guard let dir = report ?? BundledPaths.locate("reports/regsosek"), let profile = try? Profile.load(directory: dir) else { return [] }
        let layout = profile.layout
        var names = Set([layout.roster.nik, layout.roster.familyCard])
        for v in [layout.nik, layout.familyCard].compactMap({ $0 }) {
            names.insert(v)
            if let variable = profile.codebook.variable(v) { names.formUnion(variable.columnCandidates) }
        }
        return names
    }

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one .sav or .dta file") }
        let forced: SourceFile?
        if let file {
            guard let f = SourceFile(rawValue: file) else { throw ValidationError("--file must be keluarga or anggota") }
            forced = f
        } else {
            forced = nil
        }
        let enc = try encoding.map { name -> TextEncoding in
            guard let e = TextEncoding(name: name) else { throw ValidationError("--encoding must be latin1 or windows-1252") }
            return e
        }
        var inputs: [(dictionary: SourceDictionary, file: SourceFile)] = []
        do {
            for path in files {
                guard ["sav", "zsav", "dta"].contains(RecordSources.fileExtension(path)) else {
                    throw ValidationError("\(path): codebook import reads SPSS .sav/.zsav or Stata .dta files")
                }
                guard let which = forced ?? CodebookImport.guessFile(path) else {
                    throw ValidationError("\(path): cannot tell from the name whether it is the family or the member file; pass --file keluarga|anggota")
                }
                inputs.append((try ReadStatReader.dictionary(path: path, encoding: enc), which))
            }
            let text = CodebookImport.yaml(inputs, identifiers: identifierColumns())
            let codebook = try CodebookImport.load(yaml: text)  // what we write must load
            if out == "-" {
                print(text, terminator: "")
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                let labelled = codebook.variables.filter { !$0.values.isEmpty }.count
                print("Wrote \(out): \(codebook.variables.count) variables, \(labelled) with value labels. Edit it (labels, types, ranges, aliases) before use.")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
