import Foundation

/// Wall-clock phases of a run, for `--verbose`: each `lap` names the phase that just ended, its duration and
/// the process's memory at its end. Maintainers read these lines to see where a slow or large run spends its
/// time and memory without a profiler.
public struct PhaseClock: Sendable {
    private var last = DispatchTime.now()
    public private(set) var lines: [String] = []

    public init() {}

    public mutating func lap(_ phase: String) {
        let now = DispatchTime.now()
        lines.append(Self.line(phase, seconds: Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9) + Self.memory())
        last = now
    }

    /// Lines measured elsewhere (another thread's phases, a sub-clock), kept in order.
    public mutating func add(_ more: [String]) { lines += more }

    public static func line(_ phase: String, seconds: Double) -> String { String(format: "%@: %.2f s", phase, seconds) }

    /// `; RSS 1,234 MiB, peak 2,345 MiB`: resident memory now and the process's peak so far, from
    /// `/proc/self/status` (Linux); empty where that file does not exist. The peak is of the whole process —
    /// other threads' work included — so a phase's own share is the rise of the peak during it.
    public static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func kB(_ field: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
            return Int(line.dropFirst(field.count + 1).filter(\.isNumber))
        }
        guard let rss = kB("VmRSS"), let peak = kB("VmHWM") else { return "" }
        return "; RSS \(grouped(rss / 1024)) MiB, peak \(grouped(peak / 1024)) MiB"
    }

    /// `n` with thousands separators (`2,839`), as the memory figures of `--verbose` and `--memory-limit` show them.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
