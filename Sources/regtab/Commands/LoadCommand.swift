import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

// `regtab load`: the input files into PostgreSQL tables (`COPY`), for `regtab run --source`.

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the contract's input files into PostgreSQL (COPY), for `regtab run --source`.",
        discussion: """
        Creates the tables keluarga, anggota, penerima and wilayah in the URL's schema (created if missing) with the \
        input's columns plus line_no (the record's line in its file) and family_key (keluarga, anggota), types the \
        columns whose values are all integers or numbers, and adds the index the queries use. On a Citus coordinator \
        keluarga and anggota are distributed by family_key (co-located) and wilayah and penerima become reference tables.
        """)
    @Option(name: .long, help: "Folder with keluarga, anggota, penerima and wilayah (.csv, .sav or .dta).")
    var data: String
    @Option(name: .long, help: "postgres://USER@HOST:PORT/DB?schema=S[&sslmode=require]; password from PGPASSWORD or a prompt.")
    var target: String
    @Option(name: .long, help: "Report definition whose codebook says which columns are codes and numbers (default: the built-in reports/regsosek).")
    var report: String?
    @Flag(name: .long, help: "Drop and re-create tables that already exist.")
    var replace = false
    @OptionGroup var input: InputArguments

    func run() throws {
        guard let profile = report ?? BundledPaths.locate("reports/regsosek") else {
            throw ValidationError("cannot find reports/regsosek; pass --report DIR")
        }
        do {
            let text = try DatabaseRun.load(directory: data, target: target, profileDirectory: profile, input: try input.options(),
                                            replace: replace, progress: { FileHandle.standardError.write(Data("… \($0)\n".utf8)) })
            print(text)
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail("\(error)")
        }
    }
}
