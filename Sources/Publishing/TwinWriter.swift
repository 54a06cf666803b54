import Foundation
import Microdata
import Tabulation

/// Writes the machine-readable twin of a table (contract §3): one row per cell, shaped after SDMX-CSV:
/// `table,area_level,area_code,<dimension columns…>,measure,value,obs_status`.
/// Areas in order kabupaten, kecamatan, desa (each by code); then cells in cube order; then measures.
/// Cells a table does not define are absent. Confidential and not-applicable cells have an empty value.
public enum TwinWriter {
    public static func csv(_ cube: ResultCube) -> String {
        var out = "table,area_level,area_code"
        for d in cube.dimensions { out += "," + CSVWriter.escape(d.id) }
        out += ",measure,value,obs_status\n"
        let areas = cube.areas
        for area in areas.allAreas {
            let slot = areas.slot(area)
            let prefix = "\(CSVWriter.escape(cube.table)),\(area.level.rawValue),\(areas.code(area))"
            for c in 0..<cube.cellsPerArea {
                let codes = cube.codes(ofCell: c)
                var dimText = ""
                for (d, code) in codes.enumerated() { dimText += "," + CSVWriter.escape(cube.dimensions[d].codes[code]) }
                for (m, measure) in cube.measures.enumerated() {
                    guard let cell = cube[slot: slot, cell: c, measure: m] else { continue }
                    let value = cell.status == .value ? cell.value.map(format) ?? "" : ""
                    out += prefix + dimText + "," + measure + "," + value + "," + cell.status.rawValue + "\n"
                }
            }
        }
        return out
    }

    public static func write(_ cube: ResultCube, directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("\(cube.table).csv")
        try Data(csv(cube).utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Plain decimal point, no thousands separator; whole numbers without decimals, others with up to six.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.6f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
