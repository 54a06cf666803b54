import Foundation

/// A position in the boundary file's coordinates (longitude and latitude in degrees for GeoJSON and for BPS's
/// shapefiles in WGS 84).
public struct GeoPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// One polygon feature of a boundary file: its attributes as text (field name → value, in file order) and its rings,
/// outer rings and holes alike — maps fill them with the even-odd rule, so which is which does not matter.
public struct BoundaryFeature: Sendable, Hashable {
    public var properties: [String: String]
    public var rings: [[GeoPoint]]
    public init(properties: [String: String], rings: [[GeoPoint]]) { self.properties = properties; self.rings = rings }
}

/// The village boundaries a user supplied (`--boundaries FILE`), as read, before they are matched to `wilayah.csv`.
public struct BoundaryFile: Sendable {
    public var path: String
    public var features: [BoundaryFeature]
    /// Property names in the order the file declares them (GeoJSON: first appearance), for messages and matching.
    public var fieldNames: [String]
    /// Generated boundaries, not official ones (the demo's; GeoJSON member `"regtab_illustrative": true`): every map
    /// drawn from them says so.
    public var illustrative: Bool

    public init(path: String, features: [BoundaryFeature], fieldNames: [String], illustrative: Bool) {
        self.path = path; self.features = features; self.fieldNames = fieldNames; self.illustrative = illustrative
    }

    /// Reads a GeoJSON file (`.geojson`, `.json`) or an ESRI shapefile (`.shp` with its `.dbf` beside it).
    public static func read(path: String) throws -> BoundaryFile {
        switch (path as NSString).pathExtension.lowercased() {
        case "shp": return try ShapefileBoundaries.read(path: path)
        case "geojson", "json": return try GeoJSONBoundaries.read(path: path)
        default: throw BoundaryError.unsupported(path: path)
        }
    }
}

/// Why a boundary file could not be used; messages name the file and, where there is one, the feature.
public enum BoundaryError: Error, CustomStringConvertible, Equatable {
    case unsupported(path: String)
    case unreadable(path: String, message: String)
    case invalid(path: String, feature: Int?, message: String)
    case noVillageCodes(path: String, fields: [String])

    public var description: String {
        switch self {
        case let .unsupported(path):
            "boundary file \(path): unknown format (use a GeoJSON file, .geojson or .json, or an ESRI shapefile, .shp with its .dbf)"
        case let .unreadable(path, message):
            "cannot read boundary file \(path): \(message)"
        case let .invalid(path, feature, message):
            "boundary file \(path)\(feature.map { ", feature \($0 + 1)" } ?? ""): \(message)"
        case let .noVillageCodes(path, fields):
            "boundary file \(path): no attribute holds the BPS (10-digit) or Kemendagri village codes of wilayah.csv (attributes: \(fields.isEmpty ? "none" : fields.joined(separator: ", ")))"
        }
    }
}
