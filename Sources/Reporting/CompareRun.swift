import Foundation
import Microdata
import Profile
import Protection
import Publishing
import Tabulation

/// What a comparison adds to the later snapshot's report (`RunOptions.comparison`): the protected change cubes
/// (twins), a "since the last update" section, notes, briefing sentences and summary lines.
public struct ComparisonOutput: Sendable {
    public var cubes: [ResultCube]
    public var section: ReportSection
    public var notes: [Bilingual]
    public var briefingFindings: [Bilingual]
    public var summary: [String]
    /// The protected change tables, for callers and tests.
    public var change: ChangeResult
    public var protection: ChangeProtection.Outcome
}

/// `regtab compare REPORT --before DIR --after DIR --out OUT`: the report of the later snapshot with a "since the
/// last update" section and the change tables' twins (`data/change_*.csv`).
///
/// The earlier snapshot is read first (data check, engine, protection) and only its compact family state
/// (`FamilySnapshot`) and protected cubes are kept; then the later snapshot runs as `regtab run` would, and once its
/// tables are protected the families are matched, the change tables computed and protected together with both
/// releases (`ChangeProtection`), and everything is written in one go. The same definition protects both releases
/// as it did when each was published, so the earlier release's pattern is unchanged.
public enum CompareRun {
    public struct Outcome: Sendable {
        public var beforeCheck: CheckReport
        public var after: CheckedRun.Outcome
    }

    /// - Parameters:
    ///   - options: the later snapshot's run (`dataDirectory` = the later snapshot).
    ///   - before: the earlier snapshot's folder.
    ///   - observe: called with what the comparison added (tests).
    /// - Returns: nil summary (in `after`) when a data check refused the run.
    public static func run(_ options: RunOptions, before: String, allowErrors: Bool,
                           observe: (@Sendable (ComparisonOutput) -> Void)? = nil) throws -> Outcome {
        let profile = try Profile.load(directory: options.profileDirectory)
        let (earlier, beforeCheck) = try readEarlier(profile: profile, options: options, before: before, allowErrors: allowErrors)
        guard let earlier else {
            return Outcome(beforeCheck: beforeCheck, after: CheckedRun.Outcome(check: beforeCheck, summary: nil))
        }
        let (beforeSnapshot, released) = earlier
        let beforeName = (before as NSString).lastPathComponent, afterName = (options.dataDirectory as NSString).lastPathComponent
        let restricted = options.restrictedDirectory
        var runOptions = options
        runOptions.comparison = { unprotected, protection in
            guard let afterSnapshot = unprotected.snapshot else { throw ChangeError(description: "the engine kept no family snapshot") }
            let change = try ChangeTables.compute(before: beforeSnapshot, after: afterSnapshot)
            let protected = ChangeProtection.apply(change, spec: profile.report.protection, before: released, after: protection.result,
                                                   desilVariable: ChangeRoles.desilVariable(profile))
            if let restricted {
                try ChangeRecordList.write(before: beforeSnapshot, after: afterSnapshot, matching: change.matching, directory: restricted)
            }
            let output = ChangeReport.make(protected, profile: profile, mainSource: protection.result.targeting.mainSource,
                                           beforeName: beforeName, afterName: afterName, writtenRestricted: restricted)
            observe?(output)
            return output
        }
        let after = try CheckedRun.run(runOptions, allowErrors: allowErrors)
        return Outcome(beforeCheck: beforeCheck, after: after)
    }

    /// The earlier snapshot: its data check beside its engine pass (as `CheckedRun` does for a run), then its
    /// protection. Only the family snapshot and the protected cubes leave this function, so the engine's columns
    /// are freed before the later snapshot is read. Nil when the check found errors (the caller decides).
    static func readEarlier(profile: Profile, options: RunOptions, before: String,
                            allowErrors: Bool) throws -> ((FamilySnapshot, EngineResult)?, CheckReport) {
        let input = options.input
        let checking = Background { try DataCheck.run(profile: profile, dataDirectory: before, input: input, findingsPath: nil) }
        var engine = Engine(profile: profile, inputOptions: options.input)
        engine.familySnapshot = true
        if Protection.needsSalt(profile.report.protection, tables: profile.tables) {
            guard let salt = options.salt, !salt.isEmpty else { throw ProtectionError.missingSalt }
            engine.cellKeySalt = salt
        }
        var earlier = try engine.run(dataDirectory: before)
        let check = try checking.value()
        guard check.errors == 0 || allowErrors else { return (nil, check) }
        guard let snapshot = earlier.snapshot else { throw ChangeError(description: "the engine kept no family snapshot") }
        earlier.snapshot = nil
        // As in a run: disclosure control gets no record-level field; only the protected cubes are read from here on.
        let release = try Protection.apply(profile.report.protection, salt: options.salt, to: earlier.separatingRecords().published,
                                           tables: profile.tables).result
        return ((snapshot, release), check)
    }
}

/// The restricted list of families whose eligibility or receipt changed between the snapshots, for field
/// verification (`--restricted DIR`: `DIR/change_families.csv`). Never published: it holds family keys and No. KK.
enum ChangeRecordList {
    static func write(before: FamilySnapshot, after: FamilySnapshot, matching: FamilyMatching, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var out = "family_key_before,family_key_after,family_card_number,village_before,village_after,matched_by,programme,change\n"
        let programmes = after.programmes + [TargetingResult.anyProgramme]
        func flags(_ s: FamilySnapshot, _ f: Int) -> (UInt16, UInt16, UInt16) { (s.eligible[f], s.registry[f], s.roster[f]) }
        for a in 0..<after.count {
            let b = Int(matching.beforeOf[a])
            guard b >= 0 else { continue }
            let (eb, rb, lb) = flags(before, b), (ea, ra, la) = flags(after, a)
            guard eb != ea || rb != ra || lb != la else { continue }
            let prefix = [before.keyText(b), after.keyText(a), CSVWriter.escape(after.kk.text(a)),
                          before.areas.villages[Int(before.village[b])].code, after.areas.villages[Int(after.village[a])].code,
                          matching.matchedByKK[a] ? "family_card" : "family_key"].joined(separator: ",")
            for (q, name) in programmes.enumerated() {
                let bit: UInt16 = 1 << q
                for (x, y, gained, lost) in [(eb, ea, "newly_eligible", "no_longer_eligible"), (rb, ra, "registry_recipient_gained", "registry_recipient_lost"),
                                             (lb, la, "roster_recipient_gained", "roster_recipient_lost")] where (x & bit) != (y & bit) {
                    out += prefix + ",\(name)," + ((y & bit) != 0 ? gained : lost) + "\n"
                }
            }
        }
        try Data(out.utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("change_families.csv")))
    }
}
