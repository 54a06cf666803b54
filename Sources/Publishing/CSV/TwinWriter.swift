import Foundation
import Microdata
import Tabulation

/// Writes the machine-readable twin of a table (contract §3): one row per cell, shaped after SDMX-CSV:
/// `table,area_level,area_code,<dimension columns…>,measure,value,obs_status`.
/// Areas in order kabupaten, kecamatan, desa (each by code); then cells in cube order; then measures.
/// Cells a table does not define are absent. Confidential and not-applicable cells have an empty value.
///
/// Built as bytes: the dimension text of every cell and the text of every measure are escaped once per
/// table, not once per area, and each row is appended to one buffer (at 7,750 villages the twins are
/// millions of rows; building them from String concatenations took a fifth of the run, issue 19).
public enum TwinWriter {
    public static func csv(_ cube: ResultCube) -> String {
        String(decoding: bytes(cube), as: UTF8.self)
    }

    public static func bytes(_ cube: ResultCube) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "table,area_level,area_code".utf8)
        for d in cube.dimensions { out.append(comma); out.append(contentsOf: CSVWriter.escape(d.id).utf8) }
        out.append(contentsOf: ",measure,value,obs_status\n".utf8)
        let areas = cube.areas
        let table = Array(CSVWriter.escape(cube.table).utf8)
        let dimText: [[UInt8]] = (0..<cube.cellsPerArea).map { c in
            var text: [UInt8] = []
            for (d, code) in cube.codes(ofCell: c).enumerated() {
                text.append(comma); text.append(contentsOf: CSVWriter.escape(cube.dimensions[d].codes[code]).utf8)
            }
            return text
        }
        let measures = cube.measures.map { [comma] + Array($0.utf8) + [comma] }
        var prefix: [UInt8] = []
        for area in areas.allAreas {
            let slot = areas.slot(area)
            prefix.removeAll(keepingCapacity: true)
            prefix.append(contentsOf: table); prefix.append(comma)
            prefix.append(contentsOf: area.level.rawValue.utf8); prefix.append(comma)
            prefix.append(contentsOf: areas.code(area).utf8)
            for c in 0..<cube.cellsPerArea {
                for m in measures.indices {
                    guard let cell = cube[slot: slot, cell: c, measure: m] else { continue }
                    out.append(contentsOf: prefix)
                    out.append(contentsOf: dimText[c])
                    out.append(contentsOf: measures[m])
                    if cell.status == .value, let v = cell.value { append(v, to: &out) }
                    out.append(comma)
                    out.append(contentsOf: cell.status.rawValue.utf8)
                    out.append(newline)
                }
            }
        }
        return out
    }

    public static func write(_ cube: ResultCube, directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("\(cube.table).csv")
        try OutputFile.write(bytes(cube), to: path)
    }

    /// The twins of `cubes`, on all cores (each file is independent); the first error is thrown.
    public static func writeAll(_ cubes: [ResultCube], directory: String) throws {
        let errors = ErrorSlots(count: cubes.count)
        DispatchQueue.concurrentPerform(iterations: cubes.count) { i in
            do { try write(cubes[i], directory: directory) } catch { errors.set(i, error) }
        }
        if let error = errors.first { throw error }
    }

    /// One slot per cube, each written by one iteration only.
    private final class ErrorSlots: @unchecked Sendable {
        private var slots: UnsafeMutableBufferPointer<(any Error)?>
        init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: nil) }
        deinit { slots.deinitialize(); slots.deallocate() }
        func set(_ i: Int, _ e: any Error) { slots[i] = e }
        var first: (any Error)? { slots.lazy.compactMap { $0 }.first }
    }

    /// A whole number small enough to be written exactly as an integer (nearly every cell).
    @inline(__always)
    static func isWhole(_ v: Double) -> Bool { v == v.rounded() && abs(v) < 1e15 }

    /// Plain decimal point, no thousands separator; whole numbers without decimals, others with up to six.
    public static func format(_ v: Double) -> String {
        if isWhole(v) { return String(Int64(v)) }
        var s = String(format: "%.6f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The number a reader of the twin gets back: `Double(format(v))`, without the text for whole numbers (nearly
    /// every cell), which `format` writes exactly (-0 as 0).
    static func published(_ v: Double) -> Double {
        if isWhole(v) { return v == 0 ? 0 : v }
        return Double(format(v))!
    }

    /// `format(v)` appended as bytes; whole numbers (nearly every cell) without building a String.
    static func append(_ v: Double, to out: inout [UInt8]) {
        guard isWhole(v) else { out.append(contentsOf: format(v).utf8); return }
        var n = Int64(v)
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 } while n > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    private static let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
}
