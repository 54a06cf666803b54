#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Foundation

/// Writes a whole output file with `open`/`write`/`close`.
///
/// Why not `Data.write(to:)`: Foundation on Linux calls `fsync` after every file it writes, and a national
/// run writes tens of thousands of files (a profile page and its figure sheet per village): at 7,750
/// villages the syncs alone took several seconds of a run whose outputs can always be written again
/// (issue 19). The operating system flushes them as it does any other file.
public enum OutputFile {
    public static func write(_ bytes: some ContiguousBytes, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, "cannot create") }
        defer { close(fd) }
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "cannot write")
                }
                done += n
            }
        }
    }

    /// The text as UTF-8.
    public static func write(_ text: String, to path: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    private static func failure(_ path: String, _ what: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(what) \(path): \(String(cString: strerror(errno)))"])
    }
}
