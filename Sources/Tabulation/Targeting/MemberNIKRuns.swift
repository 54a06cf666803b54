import Foundation

/// The members' NIKs sorted on disk (issue 19, the `external` schedule of `--memory-limit`): the member pass
/// writes every `MemberNIKList.runLength` members as one run sorted by NIK, and the roster linking reads the
/// runs back merged (`MemberNIKStream`) — the NIK join done by an external sort. The NIK list was the largest
/// per-person state of a run (14 bytes a member, 400 MB at 10 M families, ~4 GB at DTSEN's 289 M persons);
/// on disk it costs memory for one run per part of the member file and a read buffer per run.
///
/// A run file is created in `TMPDIR`, else /var/tmp (`defaultFolder`), and unlinked at once: nothing is left
/// behind when the run ends or is killed, and no other process can open it.
final class MemberNIKRunFile: @unchecked Sendable {
    /// Written by one thread (the part of the member file that owns it), read after that thread has ended.
    private let descriptor: Int32
    private(set) var end = 0
    let path: String
    let folder: String

    /// - Parameter folder: where the file is made (`defaultFolder` unless a test says otherwise).
    init(folder: String = MemberNIKRunFile.defaultFolder) throws {
        self.folder = folder
        var template = Array("\(folder)/regtab-niks-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        path = String(cString: template)
        guard fd >= 0 else { throw MemberNIKRunError(path: path, action: "create", code: errno) }
        unlink(path)
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// `TMPDIR` when set, else /var/tmp — kept on disk by convention, where /tmp is often a tmpfs (Debian 13
    /// mounts one), whose files are held in memory: runs there would undo what they are for.
    static var defaultFolder: String {
        if let folder = ProcessInfo.processInfo.environment["TMPDIR"], !folder.isEmpty { return folder }
        if access("/var/tmp", W_OK) == 0 { return "/var/tmp" }
        return FileManager.default.temporaryDirectory.path
    }

    /// True when `folder` lies on a tmpfs (Linux, by the mount table): its files take memory, not disk.
    static func isInMemory(_ folder: String) -> Bool {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8),
              FileManager.default.fileExists(atPath: folder) else { return false }
        let path = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        var mountPoint = "", type = ""
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let holds = point == "/" || path == point || path.hasPrefix(point + "/")
            // The deepest mount point holding the folder; of equal ones the last mounted.
            if holds && point.count >= mountPoint.count { mountPoint = point; type = String(fields[2]) }
        }
        return type == "tmpfs"
    }

    /// Appends `bytes` at the end of the file.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(end + done))
            guard n > 0 else { throw MemberNIKRunError(path: path, action: "write", code: n < 0 ? errno : ENOSPC) }
            done += n
        }
        end += bytes.count
    }

    /// Reads `count` bytes at `offset` into `into`.
    func read(_ into: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < into.count {
            let n = pread(descriptor, into.baseAddress! + done, into.count - done, off_t(offset + done))
            guard n > 0 else { throw MemberNIKRunError(path: path, action: "read", code: n < 0 ? errno : EIO) }
            done += n
        }
    }
}

/// The temporary folder could not take the members' sorted NIKs (full, or not writable).
public struct MemberNIKRunError: Error, CustomStringConvertible {
    public let path: String, action: String, code: Int32
    public var description: String {
        "cannot \(action) the members' sorted NIKs in \(path) (\(String(cString: strerror(code)))): the run under --memory-limit "
            + "sorts them on disk, ~16 bytes a member; set TMPDIR to a folder on disk with room"
    }
}

/// One run: `count` entries at `offset` of `file`, ascending by NIK (equal NIKs in list order). An entry is
/// two words: the NIK, and the family (bits 16–47) with the person-programme flags (bits 0–15).
struct MemberNIKRun: Sendable {
    let file: MemberNIKRunFile
    let offset: Int
    let count: Int
    static let entryBytes = 16

    /// Sorts the list's entries by NIK (stable) and appends them to `file` as one run.
    static func write(niks: inout [UInt64], families: [Int32], flags: [PersonFlags], to file: MemberNIKRunFile) throws -> MemberNIKRun {
        var positions = Array(0..<Int32(niks.count))
        RadixSort.inPlace(keys: &niks, values: &positions)   // positions ascending within a NIK: stable
        let offset = file.end
        let block = 1 << 15
        var buffer = [UInt64](repeating: 0, count: 2 * block)
        var start = 0
        while start < niks.count {
            let n = min(block, niks.count - start)
            for i in 0..<n {
                let p = Int(positions[start + i])
                buffer[2 * i] = niks[start + i]
                buffer[2 * i + 1] = UInt64(UInt32(bitPattern: families[p])) << 16 | UInt64(flags[p])
            }
            try buffer.withUnsafeBytes { try file.append(UnsafeRawBufferPointer(rebasing: $0[0..<(n * entryBytes)])) }
            start += n
        }
        return MemberNIKRun(file: file, offset: offset, count: niks.count)
    }
}

/// The runs merged: every entry of every run, ascending by NIK, equal NIKs in list order (the runs are in
/// list order, each stable) — what `MemberNIKOrder` gives in memory. A binary heap over the runs' heads,
/// each run read through its own buffer.
struct MemberNIKStream {
    struct Entry { let nik: UInt64; let family: Int32; let flags: PersonFlags }

    private struct Cursor {
        let run: MemberNIKRun
        var buffer: [UInt64] = []
        var position = 0      // in `buffer`, in words
        var read = 0          // entries read from the run
    }
    private var cursors: [Cursor]
    /// Run indices ordered as a min-heap by (head NIK, run index).
    private var heap: [Int] = []
    private static let bufferEntries = 1 << 14   // 256 KiB a run: ~70 MiB for DTSEN's ~290 runs of 1 M

    init(runs: [MemberNIKRun]) throws {
        cursors = runs.map { Cursor(run: $0) }
        for i in cursors.indices where try refill(i) { push(i) }
    }

    /// The next entry, or nil after the last.
    mutating func next() throws -> Entry? {
        guard let top = heap.first else { return nil }
        let c = cursors[top]
        let word = c.buffer[c.position + 1]
        let entry = Entry(nik: c.buffer[c.position], family: Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 16)),
                          flags: PersonFlags(truncatingIfNeeded: word))
        cursors[top].position += 2
        if cursors[top].position == cursors[top].buffer.count, !(try refill(top)) {
            heap[0] = heap[heap.count - 1]; heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
        return entry
    }

    private func head(_ i: Int) -> UInt64 { cursors[i].buffer[cursors[i].position] }
    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = head(a), y = head(b)
        return x < y || (x == y && a < b)
    }

    /// Reads the run's next block; false when the run is done.
    private mutating func refill(_ i: Int) throws -> Bool {
        let run = cursors[i].run
        let n = min(Self.bufferEntries, run.count - cursors[i].read)
        guard n > 0 else { cursors[i].buffer = []; return false }
        var buffer = cursors[i].buffer
        cursors[i].buffer = []
        if buffer.count != 2 * n { buffer = [UInt64](repeating: 0, count: 2 * n) }
        try buffer.withUnsafeMutableBytes { try run.file.read($0, at: run.offset + cursors[i].read * MemberNIKRun.entryBytes) }
        cursors[i].buffer = buffer
        cursors[i].position = 0
        cursors[i].read += n
        return true
    }

    private mutating func push(_ i: Int) {
        heap.append(i)
        var c = heap.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard less(heap[c], heap[p]) else { break }
            heap.swapAt(c, p); c = p
        }
    }

    private mutating func siftDown(_ start: Int) {
        var p = start
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < heap.count, less(heap[l], heap[m]) { m = l }
            if r < heap.count, less(heap[r], heap[m]) { m = r }
            if m == p { return }
            heap.swapAt(p, m); p = m
        }
    }
}
