import Synchronization

/// Bytes and records read so far by every CSV reader of the process, for the progress bar of long runs
/// (`regtab run` shows it on a terminal). Relaxed atomics, updated once per 4 MiB chunk and once per
/// 16,384 records, so counting costs nothing next to parsing.
public enum ReadProgress {
    private static let bytes = Atomic<Int>(0)
    private static let records = Atomic<Int>(0)

    public static var bytesRead: Int { bytes.load(ordering: .relaxed) }
    public static var recordsRead: Int { records.load(ordering: .relaxed) }

    static func add(bytes n: Int) { bytes.add(n, ordering: .relaxed) }
    static func add(records n: Int) { records.add(n, ordering: .relaxed) }
}
