import Foundation
import Microdata
import Profile
import Tabulation

/// A one-line progress bar on standard error for runs that take more than two seconds: share of the input
/// bytes read, records per second and the time left. Silent when standard error is not a terminal (CI logs,
/// pipes) and with `--quiet`, so logs never fill with carriage returns.
final class ProgressDisplay: @unchecked Sendable {
    private let totalBytes: Int
    private let lock = NSLock()
    private var stopping = false
    private var drawn = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the display, or returns nil when it should stay silent. `totalBytes`: what the run will read
    /// (the data check and the engine each read every CSV file once).
    static func start(totalBytes: Int, enabled: Bool) -> ProgressDisplay? {
        guard enabled, totalBytes > 0, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressDisplay(totalBytes: totalBytes)
    }

    /// Bytes a run reads: twice the size of each input (CSV, SPSS or Stata; the data check and the engine
    /// each read every file once).
    static func bytesToRead(_ inputs: InputSet) -> Int { 2 * inputs.totalBytes }

    private init(totalBytes: Int) {
        self.totalBytes = totalBytes
        let startBytes = ReadProgress.bytesRead, startRecords = ReadProgress.recordsRead
        let thread = Thread { [self] in
            let start = Date()
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                lock.lock(); let stop = stopping; lock.unlock()
                if stop { break }
                let elapsed = Date().timeIntervalSince(start)
                guard elapsed >= 2 else { continue }
                let line = Self.line(bytes: ReadProgress.bytesRead - startBytes, total: totalBytes,
                                     records: ReadProgress.recordsRead - startRecords, elapsed: elapsed)
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                lock.lock(); drawn = true; lock.unlock()
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops and erases the bar (the summary follows on a clean line).
    func stop() {
        lock.lock(); stopping = true; lock.unlock()
        finished.wait()
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func line(bytes: Int, total: Int, records: Int, elapsed: Double) -> String {
        // Opening a file reads its first chunk for the header, so a run reads a little more than twice the
        // files' size: past 100 % the bar stays full.
        let total = max(total, bytes)
        let share = min(1, Double(bytes) / Double(max(total, 1)))
        let width = 24, filled = Int(share * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = Double(records) / max(elapsed, 0.001)
        let left = share > 0.02 ? elapsed * (1 - share) / share : nil
        let mb = { (b: Int) in String(format: "%.0f", Double(b) / 1_000_000) }
        var text = String(format: "reading %3.0f%% [%@] %@ / %@ MB · %.2f M records/s", share * 100, bar, mb(bytes), mb(total), rate / 1_000_000)
        if let left, share < 1 { text += String(format: " · about %.0f s left", left.rounded(.up)) }
        else if share >= 1 { text += " · writing the report" }
        return text
    }
}
