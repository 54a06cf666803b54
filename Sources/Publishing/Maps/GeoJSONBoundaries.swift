import Foundation

/// Reads and writes village boundaries as GeoJSON (RFC 7946): a FeatureCollection of Polygon or MultiPolygon
/// features whose properties hold the village code. Foundation's JSON parser is enough for the format; no library.
public enum GeoJSONBoundaries {
    /// Foreign member marking generated boundaries (`BoundaryFile.illustrative`).
    public static let illustrativeMember = "regtab_illustrative"

    public static func read(path: String) throws -> BoundaryFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw BoundaryError.unreadable(path: path, message: error.localizedDescription)
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw BoundaryError.invalid(path: path, feature: nil, message: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = root as? [String: Any], object["type"] as? String == "FeatureCollection",
              let features = object["features"] as? [Any] else {
            throw BoundaryError.invalid(path: path, feature: nil, message: "expected a GeoJSON FeatureCollection")
        }
        var out: [BoundaryFeature] = []
        var fields: [String] = []
        for (i, item) in features.enumerated() {
            guard let feature = item as? [String: Any], let geometry = feature["geometry"] as? [String: Any],
                  let type = geometry["type"] as? String, let coordinates = geometry["coordinates"] else {
                throw BoundaryError.invalid(path: path, feature: i, message: "a Feature with a geometry is expected")
            }
            let polygons: [Any]
            switch type {
            case "Polygon": polygons = [coordinates]
            case "MultiPolygon": polygons = coordinates as? [Any] ?? []
            default: throw BoundaryError.invalid(path: path, feature: i, message: "geometry \(type) is not a Polygon or MultiPolygon")
            }
            var rings: [[GeoPoint]] = []
            for polygon in polygons {
                guard let ringList = polygon as? [Any] else { throw BoundaryError.invalid(path: path, feature: i, message: "malformed coordinates") }
                for ring in ringList {
                    guard let positions = ring as? [[Any]] else { throw BoundaryError.invalid(path: path, feature: i, message: "malformed coordinates") }
                    rings.append(try positions.map { p in
                        guard p.count >= 2, let x = number(p[0]), let y = number(p[1]) else {
                            throw BoundaryError.invalid(path: path, feature: i, message: "a position is not two numbers")
                        }
                        return GeoPoint(x: x, y: y)
                    })
                }
            }
            var properties: [String: String] = [:]
            let raw = feature["properties"] as? [String: Any] ?? [:]
            for key in raw.keys.sorted() {
                guard let text = Self.text(raw[key]!) else { continue }
                properties[key] = text
                if !fields.contains(key) { fields.append(key) }
            }
            out.append(BoundaryFeature(properties: properties, rings: rings))
        }
        return BoundaryFile(path: path, features: out, fieldNames: fields, illustrative: object[illustrativeMember] as? Bool ?? false)
    }

    private static func number(_ any: Any) -> Double? {
        (any as? NSNumber)?.doubleValue
    }

    /// A property value as text: strings as they are, whole numbers without decimals (a code stored as a number).
    private static func text(_ any: Any) -> String? {
        if let s = any as? String { return s }
        if let n = number(any) {
            return jsonNumber(n)
        }
        return nil
    }

    /// GeoJSON text of `features` (one property per feature field), coordinates in Swift's shortest round-trip form
    /// so that reading them back gives the same doubles. Keys sorted: the same input gives the same bytes.
    public static func text(_ features: [BoundaryFeature], illustrative: Bool) -> String {
        var out = "{\"type\":\"FeatureCollection\""
        if illustrative { out += ",\"\(illustrativeMember)\":true" }
        out += ",\"features\":[\n"
        for (i, f) in features.enumerated() {
            let props = f.properties.keys.sorted().map { "\(jsonString($0)):\(jsonString(f.properties[$0]!))" }.joined(separator: ",")
            let rings = f.rings.map { ring in "[" + ring.map { "[\($0.x),\($0.y)]" }.joined(separator: ",") + "]" }.joined(separator: ",")
            out += "{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[\(rings)]}}"
            out += i + 1 < features.count ? ",\n" : "\n"
        }
        return out + "]}\n"
    }

    static func jsonString(_ s: String) -> String {
        // Most strings (codes, keys, numbers as text) need no escaping.
        if !needsJSONEscaping(s) { return "\"" + s + "\"" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A number as JSON text: whole numbers without a decimal point, others in Swift's shortest round-trip form.
    static func jsonNumber(_ v: Double) -> String { TwinWriter.isWhole(v) ? String(Int64(v)) : String(v) }

    /// Whether `s` holds a character a JSON string must escape (a control character, a quote, a backslash).
    static func needsJSONEscaping(_ s: String) -> Bool { s.utf8.contains(where: needsJSONEscaping) }

    /// Whether a UTF-8 byte of a JSON string must be escaped (a control character, a quote, a backslash).
    static func needsJSONEscaping(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
}
