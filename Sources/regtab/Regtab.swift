import ArgumentParser
import Foundation
import Microdata
import Profile
import Publishing
import Reporting
import Tabulation

/// The `regtab` command line: parses arguments and calls the `Reporting` library; nothing else.
@main
struct Regtab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regtab",
        abstract: "Village and district tables, targeting diagnostics and reports from Regsosek registry microdata.",
        version: ReportRun.version,
        subcommands: [Run.self, Demo.self, Compare.self, Check.self, CodebookCommand.self, Load.self])
}

extension Language: ExpressibleByArgument {}
