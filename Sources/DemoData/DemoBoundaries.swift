import Foundation

/// Illustrative village boundaries for the demo's 155 villages, so that `regtab demo` draws maps out of the box.
/// They are generated, not official: a Voronoi tessellation of a rough outline of the regency, first into the
/// 11 kecamatan (each one convex, so contiguous), then each kecamatan into its villages. The GeoJSON carries
/// `"regtab_illustrative": true`, and every map drawn from it says that the boundaries are illustrative.
///
/// Neighbouring villages share their border points exactly: coordinates are rounded to 1e-6 degrees and a point
/// of one village lying on an edge of its neighbour (where a kecamatan border meets village borders on one side
/// only) is inserted into that edge, as a topologically clean boundary file has it.
public enum DemoBoundaries {
    typealias P = (x: Double, y: Double)

    /// Rough outline of Kabupaten Muaro Jambi (longitude, latitude), convex, counter-clockwise.
    static let outline: [P] = [
        (103.30, -1.95), (103.55, -2.05), (103.95, -1.92), (104.22, -1.62), (104.18, -1.40),
        (103.90, -1.30), (103.55, -1.33), (103.32, -1.55),
    ]

    /// The GeoJSON text (RFC 7946 FeatureCollection; properties `kode_desa`, `kode_desa_kemendagri`, `nama_desa`).
    /// Always the same bytes: a fixed generator, not the demo's seed.
    public static func geoJSON() -> String {
        let rows = villages()
        let polygons = tessellate(rows)
        var out = "{\"type\":\"FeatureCollection\",\"regtab_illustrative\":true,\"features\":[\n"
        for (i, row) in rows.enumerated() {
            let ring = polygons[i] + [polygons[i][0]]
            let coords = ring.map { "[\(format($0.x)),\(format($0.y))]" }.joined(separator: ",")
            out += "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"\(row.code)\",\"kode_desa_kemendagri\":\"\(row.kemendagri)\",\"nama_desa\":\"\(row.name)\"},"
            out += "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[\(coords)]]}}"
            out += i + 1 < rows.count ? ",\n" : "\n"
        }
        return out + "]}\n"
    }

    static func format(_ v: Double) -> String { String(format: "%.6f", v) }

    static func villages() -> [(code: String, kemendagri: String, name: String, kecamatan: String)] {
        wilayahMuaroJambiCSV.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 7 else { return nil }
            return (String(f[3]), String(f[5]), String(f[4]), String(f[0]))
        }.sorted { $0.code < $1.code }
    }

    /// One convex polygon per village (counter-clockwise, not closed), in `rows` order.
    static func tessellate(_ rows: [(code: String, kemendagri: String, name: String, kecamatan: String)]) -> [[P]] {
        var rng = SplitMix64(seed: 0x1505_0B0D, stream: 7)
        let kecamatans = rows.reduce(into: [String]()) { if $0.last != $1.kecamatan { $0.append($1.kecamatan) } }
        let kecSeeds = relaxed(randomPoints(kecamatans.count, in: outline, &rng), in: outline)
        var polygons = [[P]](repeating: [], count: rows.count)
        for (k, kec) in kecamatans.enumerated() {
            let region = cell(kecSeeds, k, in: outline)
            let members = rows.indices.filter { rows[$0].kecamatan == kec }
            let seeds = relaxed(randomPoints(members.count, in: region, &rng), in: region)
            for (j, r) in members.enumerated() { polygons[r] = cell(seeds, j, in: region) }
        }
        let rounded = polygons.map { $0.map { (x: ($0.x * 1e6).rounded() / 1e6, y: ($0.y * 1e6).rounded() / 1e6) } }
        return withSharedPoints(rounded.map(deduplicated))
    }

    static func randomPoints(_ n: Int, in polygon: [P], _ rng: inout SplitMix64) -> [P] {
        let xs = polygon.map(\.x), ys = polygon.map(\.y)
        var out: [P] = []
        while out.count < n {
            let p = (x: xs.min()! + rng.unit() * (xs.max()! - xs.min()!), y: ys.min()! + rng.unit() * (ys.max()! - ys.min()!))
            if contains(polygon, p) { out.append(p) }
        }
        return out
    }

    /// Lloyd's relaxation: seeds move to the centroids of their cells, which evens out the cell sizes.
    static func relaxed(_ seeds: [P], in region: [P], iterations: Int = 4) -> [P] {
        var s = seeds
        for _ in 0..<iterations { s = s.indices.map { centroid(cell(s, $0, in: region)) ?? s[$0] } }
        return s
    }

    /// The Voronoi cell of `seeds[i]` within the convex `region`: the region clipped by every bisector.
    static func cell(_ seeds: [P], _ i: Int, in region: [P]) -> [P] {
        var poly = region
        for (j, other) in seeds.enumerated() where j != i {
            let a = seeds[i]
            let m = (x: (a.x + other.x) / 2, y: (a.y + other.y) / 2), d = (x: other.x - a.x, y: other.y - a.y)
            poly = clip(poly) { ($0.x - m.x) * d.x + ($0.y - m.y) * d.y }
        }
        return poly
    }

    /// Sutherland–Hodgman against one half-plane: keeps points with `side(p) <= 0`.
    static func clip(_ poly: [P], _ side: (P) -> Double) -> [P] {
        var out: [P] = []
        for i in poly.indices {
            let p = poly[i], q = poly[(i + 1) % poly.count]
            let sp = side(p), sq = side(q)
            if sp <= 0 { out.append(p) }
            if (sp < 0 && sq > 0) || (sp > 0 && sq < 0) {
                let t = sp / (sp - sq)
                out.append((x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y)))
            }
        }
        return out
    }

    static func contains(_ poly: [P], _ p: P) -> Bool {
        for i in poly.indices {
            let a = poly[i], b = poly[(i + 1) % poly.count]
            if (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) < 0 { return false }
        }
        return true
    }

    static func centroid(_ poly: [P]) -> P? {
        var a = 0.0, cx = 0.0, cy = 0.0
        for i in poly.indices {
            let p = poly[i], q = poly[(i + 1) % poly.count]
            let c = p.x * q.y - q.x * p.y
            a += c; cx += (p.x + q.x) * c; cy += (p.y + q.y) * c
        }
        guard abs(a) > 1e-18 else { return nil }
        return (x: cx / (3 * a), y: cy / (3 * a))
    }

    static func deduplicated(_ poly: [P]) -> [P] {
        var out: [P] = []
        for p in poly where out.last.map({ $0 != p }) ?? true { out.append(p) }
        while out.count > 1, out.first! == out.last! { out.removeLast() }
        return out
    }

    /// Inserts into every edge the points of other polygons that lie on it (T-junctions on kecamatan borders).
    static func withSharedPoints(_ polygons: [[P]]) -> [[P]] {
        var all: [P] = []
        var seen = Set<String>()
        for poly in polygons { for p in poly where seen.insert("\(p.x),\(p.y)").inserted { all.append(p) } }
        return polygons.map { poly in
            var out: [P] = []
            for i in poly.indices {
                let a = poly[i], b = poly[(i + 1) % poly.count]
                out.append(a)
                let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
                guard len2 > 0 else { continue }
                let inner = all.compactMap { p -> (Double, P)? in
                    let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2
                    guard t > 1e-9, t < 1 - 1e-9 else { return nil }
                    let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
                    return ex * ex + ey * ey < 1e-12 ? (t, p) : nil
                }.sorted { $0.0 < $1.0 }
                out += inner.map(\.1)
            }
            return out
        }
    }
}
