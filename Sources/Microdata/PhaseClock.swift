import Foundation

/// Wall-clock phases of a run, for `--verbose`: each `lap` names the phase that just ended and its duration.
/// Maintainers read these lines to see where a slow run spends its time without a profiler.
public struct PhaseClock: Sendable {
    private var last = DispatchTime.now()
    public private(set) var lines: [String] = []

    public init() {}

    public mutating func lap(_ phase: String) {
        let now = DispatchTime.now()
        lines.append(Self.line(phase, seconds: Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9))
        last = now
    }

    /// Lines measured elsewhere (another thread's phases, a sub-clock), kept in order.
    public mutating func add(_ more: [String]) { lines += more }

    public static func line(_ phase: String, seconds: Double) -> String { String(format: "%@: %.2f s", phase, seconds) }
}
