import CShapelib
import Foundation

/// Reads (and, for tests and the demo, writes) ESRI shapefiles through shapelib, the format's reference C library
/// (Debian `libshp-dev`): BPS distributes village boundaries as shapefiles. Polygon shapes (types 5, 15, 25) only;
/// attributes come from the `.dbf` beside the `.shp`, every field read as text.
public enum ShapefileBoundaries {
    public static func read(path: String) throws -> BoundaryFile {
        guard let shp = SHPOpen(path, "rb") else {
            throw BoundaryError.unreadable(path: path, message: "shapelib cannot open it (missing .shp/.shx, or not a shapefile)")
        }
        defer { SHPClose(shp) }
        var count: Int32 = 0, type: Int32 = 0
        var minBound = [Double](repeating: 0, count: 4), maxBound = [Double](repeating: 0, count: 4)
        SHPGetInfo(shp, &count, &type, &minBound, &maxBound)
        guard [SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM].contains(type) else {
            throw BoundaryError.invalid(path: path, feature: nil, message: "shape type \(type) is not a polygon (5, 15 or 25)")
        }
        let dbfPath = (path as NSString).deletingPathExtension + ".dbf"
        guard let dbf = DBFOpen(dbfPath, "rb") else {
            throw BoundaryError.unreadable(path: dbfPath, message: "shapelib cannot open the attribute table")
        }
        defer { DBFClose(dbf) }
        var fields: [String] = []
        for f in 0..<DBFGetFieldCount(dbf) {
            var name = [CChar](repeating: 0, count: 12)
            var width: Int32 = 0, decimals: Int32 = 0
            _ = DBFGetFieldInfo(dbf, f, &name, &width, &decimals)
            fields.append(String(cString: name))
        }
        var features: [BoundaryFeature] = []
        for i in 0..<count {
            guard let object = SHPReadObject(shp, i) else {
                throw BoundaryError.invalid(path: path, feature: Int(i), message: "shapelib cannot read the shape")
            }
            defer { SHPDestroyObject(object) }
            let o = object.pointee
            var rings: [[GeoPoint]] = []
            let parts = Int(o.nParts), vertices = Int(o.nVertices)
            for p in 0..<parts {
                let start = Int(o.panPartStart[p]), end = p + 1 < parts ? Int(o.panPartStart[p + 1]) : vertices
                guard start < end, end <= vertices else { continue }
                rings.append((start..<end).map { GeoPoint(x: o.padfX[$0], y: o.padfY[$0]) })
            }
            var properties: [String: String] = [:]
            if i < DBFGetRecordCount(dbf) {
                for (f, name) in fields.enumerated() where DBFIsAttributeNULL(dbf, i, Int32(f)) == 0 {
                    guard let raw = DBFReadStringAttribute(dbf, i, Int32(f)) else { continue }
                    properties[name] = codeText(String(cString: raw))
                }
            }
            features.append(BoundaryFeature(properties: properties, rings: rings))
        }
        return BoundaryFile(path: path, features: features, fieldNames: fields, illustrative: false)
    }

    /// A dBASE value as text: trimmed, and a numeric field's "1505052015.000000" as "1505052015".
    static func codeText(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let dot = t.firstIndex(of: "."), t[t.index(after: dot)...].allSatisfy({ $0 == "0" }), t[..<dot].allSatisfy(\.isNumber), dot > t.startIndex {
            return String(t[..<dot])
        }
        return t
    }

    /// Writes `features` as a polygon shapefile (`path` ending in .shp; .shx and .dbf beside it) with one text field
    /// per property name in `fields` (at most 10 characters, as dBASE allows).
    public static func write(_ features: [BoundaryFeature], fields: [String], path: String) throws {
        guard let shp = SHPCreate(path, SHPT_POLYGON) else { throw BoundaryError.unreadable(path: path, message: "shapelib cannot create it") }
        defer { SHPClose(shp) }
        let dbfPath = (path as NSString).deletingPathExtension + ".dbf"
        guard let dbf = DBFCreate(dbfPath) else { throw BoundaryError.unreadable(path: dbfPath, message: "shapelib cannot create it") }
        defer { DBFClose(dbf) }
        for name in fields {
            let width = max(1, features.map { $0.properties[name]?.utf8.count ?? 0 }.max() ?? 1)
            guard DBFAddField(dbf, name, FTString, Int32(min(254, width)), 0) >= 0 else {
                throw BoundaryError.invalid(path: dbfPath, feature: nil, message: "cannot add field \(name)")
            }
        }
        for (i, f) in features.enumerated() {
            var starts: [Int32] = [], xs: [Double] = [], ys: [Double] = []
            for ring in f.rings {
                starts.append(Int32(xs.count))
                xs += ring.map(\.x); ys += ring.map(\.y)
            }
            guard let object = SHPCreateObject(SHPT_POLYGON, -1, Int32(starts.count), starts, nil, Int32(xs.count), xs, ys, nil, nil) else {
                throw BoundaryError.invalid(path: path, feature: i, message: "cannot build the shape")
            }
            defer { SHPDestroyObject(object) }
            guard SHPWriteObject(shp, -1, object) >= 0 else { throw BoundaryError.invalid(path: path, feature: i, message: "cannot write the shape") }
            for (k, name) in fields.enumerated() {
                _ = DBFWriteStringAttribute(dbf, Int32(i), Int32(k), f.properties[name] ?? "")
            }
        }
    }
}
