import Foundation
import Profile
import Protection
import Publishing
import Tabulation

/// The unprotected tables, for the restricted folder only (`--restricted DIR`): `DIR/unprotected/data/*.csv`
/// (the twins before disclosure control, same format) and `DIR/unprotected/protection.json` (the rule's
/// parameters, the perturbation table, what was suppressed, the group attribute flags). Why here and
/// nowhere else: the published outputs must never carry the values protection removed, nor the threshold.
enum UnprotectedOutput {
    /// Writes the files and returns their paths relative to `directory`.
    static func write(_ engine: EngineResult, report: ProtectionReport, spec: ProtectionSpec, saltGiven: Bool,
                      directory: String) throws -> [String] {
        let base = (directory as NSString).appendingPathComponent("unprotected")
        let data = (base as NSString).appendingPathComponent("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var files: [String] = []
        let t = engine.targeting
        for cube in engine.cubes + t.publishedCubes {
            try TwinWriter.write(cube, directory: data)
            files.append("unprotected/data/\(cube.table).csv")
        }
        try report.restrictedManifest(spec: spec, saltGiven: saltGiven)
            .write(to: URL(fileURLWithPath: (base as NSString).appendingPathComponent("protection.json")))
        files.append("unprotected/protection.json")
        return files
    }
}
