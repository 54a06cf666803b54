import Foundation
import Microdata
import Tabulation
import Profile
import Publishing

/// Name, size and SHA-256 of each input file, so a published report can be traced to the exact data.
struct InputFileInfo: Sendable {
    var name: String
    var bytes: Int
    var sha256: String
}

enum InputProvenance {
    static func describe(_ inputs: InputSet) throws -> [InputFileInfo] {
        // The files actually read: `keluarga.sav` when that is what stands for keluarga.csv.
        try inputs.files.map(\.path).compactMap { path in
            let name = (path as NSString).lastPathComponent
            guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? handle.close() }
            var hash = SHA256()
            var total = 0
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
                total += chunk.count
                chunk.withUnsafeBytes { hash.update($0.bindMemory(to: UInt8.self)) }
            }
            return InputFileInfo(name: name, bytes: total, sha256: SHA256.hexString(hash.finalize()))
        }
    }

    static func combinedHash(_ files: [InputFileInfo]) -> String {
        SHA256.hex(Array(files.map { "\($0.name) \($0.sha256)\n" }.joined().utf8))
    }
}

/// `manifest.json`: tool version, spec hash, inputs, record accounting, options and outputs. No timestamps,
/// so identical inputs give an identical manifest.
enum Manifest {
    static func write(directory: String, version: String, profile: Profile, inputs: [InputFileInfo],
                      accounting: RecordAccounting, language: Publishing.Language, files: [String]) throws {
        let object: [String: Any] = [
            "tool": ["name": "regtab", "version": version],
            "report_definition": ["directory": (profile.directory as NSString).lastPathComponent, "sha256": profile.specHash],
            "inputs": inputs.map { ["file": $0.name, "bytes": $0.bytes, "sha256": $0.sha256] },
            "options": ["language": language.rawValue],
            "accounting": [
                "read": accounting.read.map { ["file": $0.file, "records": $0.count] },
                "tabulated": accounting.tabulated.map { ["file": $0.file, "records": $0.count] },
                "excluded": accounting.excluded.map { ["file": $0.file, "reason": $0.reason, "records": $0.count] },
                "warnings": accounting.warnings.map { ["file": $0.file, "reason": $0.reason, "records": $0.count] },
            ],
            "outputs": files.sorted(),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("manifest.json")))
    }
}
