import Foundation
import Microdata
import Profile
import Tabulation

/// `regtab run` and `regtab demo`: the data check first, then the report — unless the check found
/// errors and the caller did not allow them. With errors allowed, the records they concern are excluded
/// by the engine and counted in the record accounting, and the report's notes say the run went ahead.
public enum CheckedRun {
    public struct Outcome: Sendable {
        public var check: CheckReport
        /// Nil when the run was refused because of errors.
        public var summary: RunSummary?
    }

    /// The check and the engine each read every input file once; they run at the same time on two threads
    /// (two cores, two passes), and nothing is written until the check has decided. Under a `--memory-limit`
    /// the overlapped schedule would exceed (`MemoryPlan`), the check runs first and the engine after it.
    /// - Parameter inputs: the input files resolved once (`InputSet`); resolved here when nil.
    /// - Parameter memory: the schedule, when the caller has decided it (tests); nil: `MemoryPlan` decides from
    ///   `options.memoryLimit`, and without a limit the run is overlapped.
    public static func run(_ options: RunOptions, allowErrors: Bool, findingsPath: String? = nil, inputs: InputSet? = nil,
                           memory: MemoryPlan? = nil) throws -> Outcome {
        let profile = try Profile.load(directory: options.profileDirectory)
        // Rules and dimensions compiled before the check or the engine opens a file.
        let plan = try TabulationPlan(profile: profile)
        let inputs = inputs ?? InputSet(layout: profile.layout, directory: options.dataDirectory)
        // Under a memory limit the overlapped schedule would exceed, the check runs first and alone.
        let memory = try memory ?? options.memoryLimit.map {
            try MemoryPlan(limit: $0, inputs: inputs, layout: profile.layout, options: options.input, plan: plan, profile: profile)
        }
        let sequential = memory.map { $0.schedule != .overlapped } ?? false
        let checkData = {
            let start = DispatchTime.now()
            let report = try DataCheck.run(profile: profile, inputs: inputs, input: options.input, findingsPath: findingsPath)
            return (report, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let check: Background<(CheckReport, Double)>
        if sequential {
            let checked = try checkData()
            if checked.0.errors > 0 && !allowErrors { return Outcome(check: checked.0, summary: nil) }
            check = Background { checked }
        } else {
            check = Background(checkData)
        }
        let summary = try ReportRun.run(options, plan: plan, inputs: inputs, memory: memory, gate: {
            let report = try check.value().0
            guard report.errors == 0 || allowErrors else { return nil }
            guard report.errors > 0 else { return [] }
            return [Bilingual(
                id: "Pemeriksaan data menemukan \(report.errors) kesalahan; record yang bersangkutan dikecualikan dan dihitung dalam catatan record (dijalankan dengan --allow-errors).",
                en: "The data check found \(report.errors) errors; the records concerned are excluded and counted in the record accounting (run with --allow-errors).")]
        })
        var timed = summary
        timed?.timings.insert(PhaseClock.line(sequential ? "data check (before the engine)" : "data check (beside the engine)",
                                              seconds: try check.value().1), at: 0)
        if let memory {
            timed?.timings.insert(memory.description, at: 0)
        } else if let records = try? RecordCounts(inputs: inputs, layout: profile.layout, options: options.input) {
            // Without a limit, what one would need: so that a trial run on part of a registry tells what to set.
            timed?.timings.insert(MemoryPlan.estimateLine(records, cellsPerArea: plan.cellsPerArea(profile),
                                                                     htmlVillageLimit: profile.report.htmlVillageLimit), at: 0)
        }
        return Outcome(check: try check.value().0, summary: timed)
    }

    /// The refusal message of `regtab run`.
    public static func refusal(_ check: CheckReport) -> String {
        "refusing to tabulate: the data check found \(check.errors) error(s) (see above). Fix them, or run with "
            + "--allow-errors to tabulate anyway: the records concerned are then excluded and counted in the report's record accounting."
    }
}
