import Microdata

/// Every input record is tabulated or excluded with a reason (and the first few problems are kept with
/// their file/line/column so the report can show where to look). Reasons are stable ids; the report
/// translates them.
public struct RecordAccounting: Sendable {
    public struct Entry: Sendable, Hashable {
        public var file: String
        public var reason: String
        public var count: Int
    }
    /// Records read per file (data rows, header excluded), in reading order.
    public private(set) var read: [(file: String, count: Int)] = []
    /// Records tabulated per file.
    public private(set) var tabulated: [(file: String, count: Int)] = []
    /// Exclusions per (file, reason), in first-seen order.
    public private(set) var excluded: [Entry] = []
    /// Warnings per (file, reason): the record is tabulated but a value went to "not stated" etc.
    public private(set) var warnings: [Entry] = []
    /// The first problems of each kind, with their location.
    public private(set) var examples: [InputError] = []
    /// The reason key (file + reason) of each example, to merge accountings with the same limits.
    private var exampleKeys: [String] = []
    private var exampleCount: [String: Int] = [:]
    public static let examplesPerReason = 5

    public init() {}

    public mutating func setRead(_ file: String, _ n: Int) { read.append((file, n)) }
    public mutating func setTabulated(_ file: String, _ n: Int) { tabulated.append((file, n)) }

    public mutating func exclude(_ file: String, _ reason: String, example: InputError? = nil, count: Int = 1) {
        Self.bump(&excluded, file, reason, count)
        keep(example, reason: file + reason)
    }

    public mutating func warn(_ file: String, _ reason: String, example: InputError? = nil, count: Int = 1) {
        Self.bump(&warnings, file, reason, count)
        keep(example, reason: file + reason)
    }

    /// Adds an accounting of records read after this one's (the roster, read on its own thread; the second
    /// part of a member file read in two parts), as if they had been read here, in that order: the first
    /// examples of each reason stay the first. `lineOffset` turns the other part's line numbers (counted
    /// from its own start) into the file's.
    public mutating func append(_ other: RecordAccounting, lineOffset: Int = 0) {
        read += other.read
        tabulated += other.tabulated
        for e in other.excluded { Self.bump(&excluded, e.file, e.reason, e.count) }
        for w in other.warnings { Self.bump(&warnings, w.file, w.reason, w.count) }
        var kept: [String: Int] = [:]
        for (example, key) in zip(other.examples, other.exampleKeys) {
            let before = min(exampleCount[key, default: 0], Self.examplesPerReason) + kept[key, default: 0]
            guard before < Self.examplesPerReason else { continue }
            var shifted = example
            shifted.line += lineOffset
            examples.append(shifted); exampleKeys.append(key)
            kept[key, default: 0] += 1
        }
        for (reason, n) in other.exampleCount { exampleCount[reason, default: 0] += n }
    }

    public func excludedCount(_ file: String) -> Int { excluded.filter { $0.file == file }.reduce(0) { $0 + $1.count } }
    public func count(excluded file: String, _ reason: String) -> Int { excluded.first { $0.file == file && $0.reason == reason }?.count ?? 0 }
    public func count(warning file: String, _ reason: String) -> Int { warnings.first { $0.file == file && $0.reason == reason }?.count ?? 0 }

    private static func bump(_ list: inout [Entry], _ file: String, _ reason: String, _ n: Int) {
        if let i = list.firstIndex(where: { $0.file == file && $0.reason == reason }) { list[i].count += n }
        else { list.append(Entry(file: file, reason: reason, count: n)) }
    }

    private mutating func keep(_ example: InputError?, reason: String) {
        guard let example else { return }
        let n = exampleCount[reason, default: 0]
        if n < Self.examplesPerReason { examples.append(example); exampleKeys.append(reason) }
        exampleCount[reason] = n + 1
    }
}
