import Foundation
import Microdata
import Profile
import Tabulation

/// `regtab run --memory-limit`: how a run on files is scheduled so that its peak memory stays under a limit
/// the user sets, decided before any data is read — a national registry that does not fit is refused in a
/// second with the figures, instead of being killed by the kernel after twenty minutes.
///
/// The run's peak is estimated from the input files (records counted from their sizes, `RecordCounts`) and
/// the report's cells per area, with the bytes per family, person, roster row and cell measured at 10 M
/// families (README, "National shape"). Three schedules:
/// - `overlapped` (the default without a limit): the data check on the second core beside the engine, the
///   roster read on its own thread from the start — fastest; the check's family table and the roster's
///   columns are held beside the member pass.
/// - `sequential`: the data check first (a run it refuses stops before the engine), then the engine with the
///   roster read after the member pass and the family rules (`Engine.rosterAfterMembers`) — about a third less at the peak
///   (1.4 against 2.3–2.6 GB at 10 M families), ~10 % more time.
/// - `external`: sequential, and the members' NIKs sorted on disk in runs (`Engine.memberNIKRunLength`; the
///   NIK join by an external sort, issue 19): the member pass holds one run of them, the linking no join of
///   them — 16 bytes a member on disk in the temporary folder instead of 12–14 in memory (1.1 against 1.4 GB
///   at 10 M families) in about the time of the sequential one (the runs are written and read once).
/// The limit picks the fastest schedule that fits; when none does, the run is refused (`MemoryLimitError`).
public struct MemoryPlan: Sendable, Equatable {
    public enum Schedule: String, Sendable, Equatable {
        case overlapped, sequential, external
    }

    public let limit: Int
    public let records: RecordCounts
    public let cellsPerArea: Int
    /// The report's `html_village_limit`: over it report.html holds kecamatan rows only, and the cells cost less.
    public let htmlVillageLimit: Int
    public let schedule: Schedule
    /// Members per sorted run on disk in the `external` schedule: 1 M (16 MB in the file; ~18 MB held per part of
    /// the member file while it fills). Tests lower it to make many runs of a small registry.
    public var memberNIKRunLength = 1 << 20

    /// Bytes of the peak estimated for a schedule. The engine's part grows with the records, the cells'
    /// part (cubes, disclosure control, display tables, outputs; after the engine has let its per-family
    /// state go) with villages × cells per area; the larger of the two is the run's peak.
    public static func estimatedPeak(_ r: RecordCounts, cellsPerArea: Int, schedule: Schedule, htmlVillageLimit: Int = .max) -> Int {
        let base = 224 << 20
        // The data check's family table, ~48 B a family, beside the engine or before it.
        let check = r.families * 48
        let engine: Int
        switch schedule {
        case .overlapped:
            // At the member pass's end: the families' columns and key index, their member counts, the
            // members' NIKs, the roster's columns and sorted NIKs, and the data check's table. (When the
            // check's thread ends against the member file's merge decides the peak: measured 2,356–2,973 MiB
            // at 10 M families; the estimate keeps to the upper side.)
            engine = r.families * 127 + check + r.persons * 14 + r.rosterRows * 26
        case .sequential:
            // The larger of the check alone, the member pass's end (as above without the roster and the
            // check), and the roster linking (the roster and its links, the members' NIKs sorted, the
            // families' villages, No. KK and programme bits): measured at 10 M families 1,350 and 1,433 MiB, at
            // 3 M 495 and 582 MiB; the estimate keeps to the member pass's upper side.
            engine = max(check, r.families * 95 + r.persons * 14, r.families * 60 + r.persons * 12 + r.rosterRows * 18)
        case .external:
            // As sequential, without the members' NIKs: a run of them per part of the member file (1 M each,
            // ~36 MB) in the member pass, and at the linking each roster row's family found as the runs are
            // merged, without a join of the members' NIKs. Measured at 10 M families (three runs): member pass 984–1,002
            // MiB, roster NIK sort 1,075–1,156, linking 1,107–1,156; at 3 M 404–407, 487, 489–496.
            engine = max(check, r.families * 82 + (36 << 20), r.families * 54 + r.rosterRows * 22)
        }
        // After the engine: its results per family and the cells (cubes, their protection, display tables and
        // outputs). Measured at 77,494 villages: ~170 B a cell with every village in report.html (6,350 MiB),
        // ~107 B with the village tables there by kecamatan (4,072 MiB); a few per cent added to each. Its fixed
        // part is ~100 MiB, not the engine's 224 (reading buffers, the second thread): 7,750 villages took
        // 521 MiB at 1 M families and 532 at 3 M, where 224 MiB estimated 669 and 726 — and refused a 3 M-family
        // run under a limit its external schedule keeps.
        let cellBytes = r.villages > htmlVillageLimit ? 115 : 175
        let cells = (100 << 20) + r.villages * cellsPerArea * cellBytes + r.families * 30
        return max(base + engine, cells)
    }

    public func estimatedPeak(_ schedule: Schedule) -> Int {
        Self.estimatedPeak(records, cellsPerArea: cellsPerArea, schedule: schedule, htmlVillageLimit: htmlVillageLimit)
    }

    /// The schedule for `limit` bytes; throws `MemoryLimitError` when even the external one would not fit.
    public init(limit: Int, records: RecordCounts, cellsPerArea: Int, htmlVillageLimit: Int = .max) throws {
        self.limit = limit; self.records = records; self.cellsPerArea = cellsPerArea; self.htmlVillageLimit = htmlVillageLimit
        let peak = { Self.estimatedPeak(records, cellsPerArea: cellsPerArea, schedule: $0, htmlVillageLimit: htmlVillageLimit) }
        if peak(.overlapped) <= limit {
            schedule = .overlapped
        } else if peak(.sequential) <= limit {
            schedule = .sequential
        } else if peak(.external) <= limit {
            schedule = .external
        } else {
            throw MemoryLimitError(limit: limit, records: records, estimate: peak(.external))
        }
    }

    /// A plan with its schedule given (tests: on small files the fixed part of the estimate hides the difference).
    init(schedule: Schedule, limit: Int, records: RecordCounts, cellsPerArea: Int) {
        self.schedule = schedule; self.limit = limit; self.records = records; self.cellsPerArea = cellsPerArea
        htmlVillageLimit = .max
    }

    /// The plan for a run's input files and compiled report definition.
    public init(limit: Int, inputs: InputSet, layout: Layout, options: InputOptions, plan: TabulationPlan, profile: Profile) throws {
        try self.init(limit: limit, records: RecordCounts(inputs: inputs, layout: layout, options: options),
                      cellsPerArea: plan.cellsPerArea(profile), htmlVillageLimit: profile.report.htmlVillageLimit)
    }

    /// One line for `--verbose`.
    public var description: String {
        "memory plan: \(schedule.rawValue) schedule, estimated peak \(Self.mib(estimatedPeak(schedule))) within --memory-limit "
            + "\(Self.mib(limit)) (\(records.description); \(cellsPerArea) cells per area)"
    }

    /// For `--verbose` without `--memory-limit`: the estimated peak of either schedule.
    public static func estimateLine(_ records: RecordCounts, cellsPerArea: Int, htmlVillageLimit: Int = .max) -> String {
        let peak = { mib(estimatedPeak(records, cellsPerArea: cellsPerArea, schedule: $0, htmlVillageLimit: htmlVillageLimit)) }
        return "memory estimate (no --memory-limit): peak ~\(peak(.overlapped)) overlapped, ~\(peak(.sequential)) sequential, "
            + "~\(peak(.external)) external "
            + "(\(records.description); \(cellsPerArea) cells per area)"
    }

    static func mib(_ bytes: Int) -> String { "\(PhaseClock.grouped(bytes >> 20)) MiB" }

    /// `4G`, `4GB`, `4096M`, `500MiB`, `2.5G` or a number of bytes; nil when not a size.
    public static func parseSize(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("TIB", 0x1p40), ("GIB", 0x1p30), ("MIB", 0x1p20), ("KIB", 0x1p10),
                                         ("TB", 0x1p40), ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10),
                                         ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1)]
        var number = Substring(t), factor = 1.0
        for (suffix, f) in units where t.hasSuffix(suffix) { number = t.dropLast(suffix.count); factor = f; break }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else { return nil }
        let bytes = value * factor
        return bytes < 0x1p62 ? Int(bytes) : nil
    }
}

/// The run would need more memory than `--memory-limit` allows, in any schedule.
public struct MemoryLimitError: Error, CustomStringConvertible {
    public let limit: Int
    public let records: RecordCounts
    public let estimate: Int
    public var description: String {
        "the run needs about \(MemoryPlan.mib(estimate)) (\(records.description), the external schedule), more than "
            + "--memory-limit \(MemoryPlan.mib(limit)). Raise the limit, run fewer regencies per report, or compute the "
            + "report in PostgreSQL (--source), where the server holds the records."
    }
}

/// Records of a run's inputs, counted before reading them: CSV files from their size and the mean length of
/// their first MiB of lines (exact for smaller files), SPSS/Stata files from the row count in their header.
public struct RecordCounts: Sendable, Equatable {
    public var families: Int, persons: Int, rosterRows: Int, villages: Int

    public init(families: Int, persons: Int, rosterRows: Int, villages: Int) {
        self.families = families; self.persons = persons; self.rosterRows = rosterRows; self.villages = villages
    }

    public init(inputs: InputSet, layout: Layout, options: InputOptions) throws {
        func count(_ name: String) throws -> Int {
            guard let file = inputs.file(name) else { return 0 }
            return try Self.records(file, options: options)
        }
        villages = try count(layout.areaFileName)
        rosterRows = try count(layout.rosterFileName)
        if layout.isFlat {
            // One row per member: the families are not counted apart. Indonesia's mean household size is
            // about 3.6 persons (BPS); three persons a family errs on the side of more families.
            persons = try count(layout.memberFileName)
            families = persons / 3
        } else {
            families = try count(layout.familyFileName)
            persons = try count(layout.memberFileName)
        }
    }

    /// Estimated records of one file.
    static func records(_ file: InputSet.File, options: InputOptions) throws -> Int {
        guard file.format == "csv" else {
            let rows = try ReadStatReader(path: file.path, encoding: options.encoding).declaredRows
            return rows >= 0 ? rows : file.bytes / 64
        }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return 0 }
        defer { try? handle.close() }
        let sample = try handle.read(upToCount: 1 << 20) ?? Data()
        return CSVReader.estimatedRecords(sample: [UInt8](sample), size: file.bytes) ?? 0
    }

    public var description: String {
        let f = PhaseClock.grouped
        return "~\(f(families)) families, \(f(persons)) persons, \(f(rosterRows)) roster rows, \(f(villages)) villages"
    }
}
