import Microdata
import Profile

/// Boundary features matched to the villages of `wilayah.csv`, and what did not match: villages without a polygon
/// and polygons of no village. Both are reported (under every map, in the terminal summary), never silently dropped.
///
/// The attribute holding the code is found, not configured: the field whose values match the most villages, by
/// 10-digit BPS code (`kode_desa`; BPS's shapefiles call it e.g. `IDDESA`) or by Kemendagri code, dotted or not
/// (`AreaIndex.village(kemendagri:)`). Several features of one village (islands drawn apart) are one village.
public struct BoundaryMatch: Sendable {
    /// Rings of each matched village, by village index.
    public var rings: [Int: [[GeoPoint]]]
    /// The attribute the codes were read from and which code it holds.
    public var field: String
    public var codeKind: CodeKind
    /// Village indices with no feature, in code order.
    public var missingVillages: [Int]
    /// Features that are no village: (1-based feature number, its value of `field`, empty when it has none).
    public var extraFeatures: [(feature: Int, code: String)]
    public var illustrative: Bool
    public var path: String

    public enum CodeKind: String, Sendable { case bps = "BPS", kemendagri = "Kemendagri" }

    public static func match(_ file: BoundaryFile, areas: AreaIndex) throws -> BoundaryMatch {
        func village(_ value: String, _ kind: CodeKind) -> Int? {
            switch kind {
            case .bps: value.count == 10 ? areas.village(code: value) : nil
            case .kemendagri: areas.village(kemendagri: value)
            }
        }
        var best: (field: String, kind: CodeKind, count: Int)?
        for field in file.fieldNames {
            for kind in [CodeKind.bps, .kemendagri] {
                let n = file.features.reduce(0) { $0 + ($1.properties[field].flatMap { village($0, kind) } == nil ? 0 : 1) }
                if n > 0, n > best?.count ?? 0 { best = (field, kind, n) }
            }
        }
        guard let best else { throw BoundaryError.noVillageCodes(path: file.path, fields: file.fieldNames) }
        var rings: [Int: [[GeoPoint]]] = [:]
        var extra: [(Int, String)] = []
        for (i, f) in file.features.enumerated() {
            let value = f.properties[best.field] ?? ""
            if let v = village(value, best.kind) { rings[v, default: []] += f.rings } else { extra.append((i + 1, value)) }
        }
        let missing = areas.villages.indices.filter { rings[$0] == nil }
        return BoundaryMatch(rings: rings, field: best.field, codeKind: best.kind, missingVillages: missing,
                             extraFeatures: extra, illustrative: file.illustrative, path: file.path)
    }

    /// The report of what did not match, one line per problem, for the terminal and the map notes; empty when all
    /// villages and features matched.
    public func problems(areas: AreaIndex) -> [Bilingual] {
        var out: [Bilingual] = []
        if !missingVillages.isEmpty {
            let list = missingVillages.map { "\(areas.villages[$0].name) (\(areas.villages[$0].code))" }.joined(separator: ", ")
            out.append(Bilingual(id: "\(missingVillages.count) desa tanpa batas wilayah di berkas batas (tidak digambar): \(list).",
                                 en: "\(missingVillages.count) villages have no boundary in the boundary file (not drawn): \(list)."))
        }
        if !extraFeatures.isEmpty {
            let list = extraFeatures.map { $0.code.isEmpty ? "#\($0.feature)" : "#\($0.feature) \($0.code)" }.joined(separator: ", ")
            out.append(Bilingual(id: "\(extraFeatures.count) poligon di berkas batas tidak cocok dengan desa mana pun di wilayah.csv (kolom \(field); tidak digambar): \(list).",
                                 en: "\(extraFeatures.count) polygons of the boundary file match no village of wilayah.csv (field \(field); not drawn): \(list)."))
        }
        return out
    }
}
