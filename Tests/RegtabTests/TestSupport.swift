import Foundation
import Microdata
import Profile
import Tabulation

/// Paths of the repository, found from this file so tests run from any working directory.
enum Repo {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var profile: String { root + "/reports/regsosek" }
    static var templates: String { root + "/Templates" }
    static func fixture(_ name: String) -> String { root + "/Tests/RegtabTests/Fixtures/" + name }

    static func temporaryDirectory(_ name: String = #function) -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let dir = NSTemporaryDirectory() + "regtab-tests-\(clean)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension ResultCube {
    /// Value of a cell addressed by level, area code, dimension codes and measure; nil if absent.
    func value(_ level: AreaLevel, _ code: String, _ codes: [String], _ measure: String) -> Double? {
        let area: AreaRef
        switch level {
        case .desa: area = AreaRef(.desa, areas.villages.firstIndex { $0.code == code }!)
        case .kecamatan: area = AreaRef(.kecamatan, areas.kecamatans.firstIndex { $0.code == code }!)
        case .kabupaten: area = AreaRef(.kabupaten, areas.kabupatens.firstIndex { $0.code == code }!)
        }
        return cell(area, codes, measure)?.value
    }
}

/// The four input files of the Regsosek layout (reports/regsosek's `layout.files`), for tests that copy a data folder.
enum RegsosekFiles {
    static let all = ["keluarga.csv", "anggota.csv", "penerima.csv", "wilayah.csv"]
}
