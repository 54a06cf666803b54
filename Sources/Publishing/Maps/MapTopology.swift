import Foundation

/// A point of the map in SVG units (a tenth of a pixel at the nominal width), integers so that a border shared by
/// two villages is the same sequence of points in both, whatever their files' floating-point noise.
struct MapPoint: Hashable, Comparable, Sendable {
    var x: Int32
    var y: Int32
    static func < (a: MapPoint, b: MapPoint) -> Bool { (a.x, a.y) < (b.x, b.y) }
}

/// The matched villages as a topology, built once per run and drawn by every map: rings are cut into arcs at the
/// points where the set of villages along the border changes, each arc is stored (and simplified) once, and every
/// ring is a list of arcs. A border shared by two villages is therefore one arc, simplified once: neighbours stay
/// neighbours after simplification, with no slivers or gaps between them (TopoJSON's idea).
///
/// Projection: equirectangular with the x scale shrunk by cos(mean latitude), fitted to `width` SVG pixels —
/// at a regency's size (under a degree) no reader can tell it from a conformal projection.
public struct MapTopology: Sendable {
    /// Units per pixel of the nominal size (`viewBox` is in units; coordinates are integers).
    static let unitsPerPixel = 10.0
    /// Nominal size in pixels (the SVG scales to its box; strokes do not scale).
    public let width: Int
    public let height: Int
    /// Arcs after simplification.
    let arcs: [[MapPoint]]
    /// Per village index: its rings, each a list of (arc, reversed).
    let rings: [Int: [[(arc: Int, reversed: Bool)]]]
    /// Arcs on a kecamatan border or the regency's outer edge (drawn as outlines over the village fills).
    let outlineArcs: [Int]

    /// - Parameters:
    ///   - villages: rings per village index (`BoundaryMatch.rings`).
    ///   - kecamatanOf: the kecamatan of a village index (outlines are drawn where it changes).
    ///   - tolerance: Douglas–Peucker tolerance in pixels.
    public init(villages: [Int: [[GeoPoint]]], kecamatanOf: (Int) -> Int, width: Int = 640, tolerance: Double = 0.7) {
        let all = villages.values.flatMap { $0.flatMap { $0 } }
        let minX = all.map(\.x).min() ?? 0, maxX = all.map(\.x).max() ?? 1
        let minY = all.map(\.y).min() ?? 0, maxY = all.map(\.y).max() ?? 1
        let kx = cos((minY + maxY) / 2 * .pi / 180)
        let spanX = max((maxX - minX) * kx, 1e-9), spanY = max(maxY - minY, 1e-9)
        let margin = 4.0
        let scale = (Double(width) - 2 * margin) / spanX
        self.width = width
        self.height = Int((spanY * scale + 2 * margin).rounded(.up))
        func project(_ p: GeoPoint) -> MapPoint {
            MapPoint(x: Int32((((p.x - minX) * kx * scale) + margin) * Self.unitsPerPixel),
                     y: Int32((((maxY - p.y) * scale) + margin) * Self.unitsPerPixel))
        }

        // 1. Quantized, canonical rings (no repeated points, positive orientation, starting at the smallest point):
        //    a ring reads the same from a shapefile (clockwise) and from GeoJSON (counter-clockwise).
        var ringsOf: [(village: Int, points: [MapPoint])] = []
        for village in villages.keys.sorted() {
            for ring in villages[village]! {
                var pts: [MapPoint] = []
                for p in ring.map(project) where pts.last != p { pts.append(p) }
                while pts.count > 1, pts.first == pts.last { pts.removeLast() }
                guard Set(pts).count >= 3 else { continue }
                if Self.signedArea(pts) < 0 { pts.reverse() }
                let start = pts.indices.min { pts[$0] < pts[$1] }!
                ringsOf.append((village, Array(pts[start...] + pts[..<start])))
            }
        }

        // 2. Which villages use each (undirected) edge.
        struct Edge: Hashable { var a: MapPoint; var b: MapPoint; init(_ p: MapPoint, _ q: MapPoint) { (a, b) = p < q ? (p, q) : (q, p) } }
        var owners: [Edge: [Int]] = [:]
        for (village, pts) in ringsOf {
            for i in pts.indices {
                let e = Edge(pts[i], pts[(i + 1) % pts.count])
                if owners[e]?.contains(village) != true { owners[e, default: []].append(village) }
            }
        }
        func ownerSet(_ e: Edge) -> [Int] { owners[e]!.sorted() }

        // 3. Cut rings into arcs at junctions: points where the villages along the border change.
        var arcIndex: [[MapPoint]: Int] = [:]
        var rawArcs: [[MapPoint]] = []
        var arcUsers: [[Int]] = []
        var ringArcs: [Int: [[(arc: Int, reversed: Bool)]]] = [:]
        for (village, pts) in ringsOf {
            let n = pts.count
            let junctions = (0..<n).filter { i in
                ownerSet(Edge(pts[(i + n - 1) % n], pts[i])) != ownerSet(Edge(pts[i], pts[(i + 1) % n]))
            }
            var pieces: [[MapPoint]] = []
            if junctions.isEmpty {
                pieces = [pts + [pts[0]]]
            } else {
                for (k, j) in junctions.enumerated() {
                    let next = k + 1 < junctions.count ? junctions[k + 1] : junctions[0] + n
                    pieces.append((j...next).map { pts[$0 % n] })
                }
            }
            var list: [(arc: Int, reversed: Bool)] = []
            for piece in pieces {
                let reversedPiece = Array(piece.reversed())
                let useReversed = reversedPiece.lexicographicallyPrecedes(piece)
                let key = useReversed ? reversedPiece : piece
                let index: Int
                if let existing = arcIndex[key] { index = existing } else {
                    index = rawArcs.count; arcIndex[key] = index; rawArcs.append(key); arcUsers.append([])
                }
                if !arcUsers[index].contains(village) { arcUsers[index].append(village) }
                list.append((index, useReversed))
            }
            ringArcs[village, default: []].append(list)
        }

        // 4. Simplify every arc once; 5. outlines: arcs of one village only (the edge) or between kecamatan.
        let tol = tolerance * Self.unitsPerPixel
        arcs = rawArcs.map { Self.simplify($0, tolerance: tol) }
        rings = ringArcs
        outlineArcs = arcUsers.indices.filter { i in arcUsers[i].count == 1 || Set(arcUsers[i].map(kecamatanOf)).count > 1 }
    }

    static func signedArea(_ pts: [MapPoint]) -> Double {
        var s = 0.0
        for i in pts.indices {
            let p = pts[i], q = pts[(i + 1) % pts.count]
            s += Double(p.x) * Double(q.y) - Double(q.x) * Double(p.y)
        }
        return s / 2
    }

    /// Douglas–Peucker with both ends fixed; a closed arc (first = last) is split at its farthest point first so
    /// that it keeps a body.
    static func simplify(_ pts: [MapPoint], tolerance: Double) -> [MapPoint] {
        guard pts.count > 2 else { return pts }
        if pts.first == pts.last {
            let far = pts.indices.max { distance2(pts[$0], pts[0]) < distance2(pts[$1], pts[0]) }!
            guard far > 0, far < pts.count - 1 else { return pts }
            let a = simplify(Array(pts[...far]), tolerance: tolerance), b = simplify(Array(pts[far...]), tolerance: tolerance)
            let loop = a + b.dropFirst()
            // A small island keeps at least a triangle.
            return loop.count >= 4 ? loop : pts
        }
        var keep = [Bool](repeating: false, count: pts.count)
        keep[0] = true; keep[pts.count - 1] = true
        var stack = [(0, pts.count - 1)]
        while let (s, e) = stack.popLast() {
            guard e > s + 1 else { continue }
            var best = -1.0, index = s
            for i in (s + 1)..<e {
                let d = segmentDistance(pts[i], pts[s], pts[e])
                if d > best { best = d; index = i }
            }
            if best > tolerance { keep[index] = true; stack.append((s, index)); stack.append((index, e)) }
        }
        return pts.indices.filter { keep[$0] }.map { pts[$0] }
    }

    static func distance2(_ a: MapPoint, _ b: MapPoint) -> Double {
        let dx = Double(a.x - b.x), dy = Double(a.y - b.y)
        return dx * dx + dy * dy
    }

    static func segmentDistance(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        let (px, py, ax, ay, bx, by) = (Double(p.x), Double(p.y), Double(a.x), Double(a.y), Double(b.x), Double(b.y))
        let dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy
        guard len2 > 0 else { return ((px - ax) * (px - ax) + (py - ay) * (py - ay)).squareRoot() }
        let t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / len2))
        let qx = ax + t * dx, qy = ay + t * dy
        return ((px - qx) * (px - qx) + (py - qy) * (py - qy)).squareRoot()
    }

    /// Villages that have a shape on the map.
    public var villages: [Int] { rings.keys.sorted() }

    /// SVG path data of one village (relative moves after the first point: shorter text).
    func path(village: Int) -> String {
        guard let list = rings[village] else { return "" }
        var out = ""
        for ring in list {
            var pts: [MapPoint] = []
            for (arc, reversed) in ring {
                let a = reversed ? arcs[arc].reversed() : arcs[arc]
                pts += pts.isEmpty ? a : Array(a.dropFirst())
            }
            if pts.count > 1, pts.first == pts.last { pts.removeLast() }
            out += Self.pathData(pts, closed: true)
        }
        return out
    }

    /// SVG path data of the kecamatan and regency outlines.
    func outlinePath() -> String {
        outlineArcs.map { Self.pathData(arcs[$0], closed: false) }.joined()
    }

    static func pathData(_ pts: [MapPoint], closed: Bool) -> String {
        guard let first = pts.first else { return "" }
        var out = "M\(first.x) \(first.y)"
        var last = first
        for p in pts.dropFirst() {
            out += "l\(p.x - last.x) \(p.y - last.y)"
            last = p
        }
        return closed ? out + "z" : out
    }

    /// Box of a village's arcs (for placing a label or zooming), in units.
    func bounds(village: Int) -> (minX: Int32, minY: Int32, maxX: Int32, maxY: Int32)? {
        let pts = (rings[village] ?? []).flatMap { $0.flatMap { arcs[$0.arc] } }
        guard !pts.isEmpty else { return nil }
        return (pts.map(\.x).min()!, pts.map(\.y).min()!, pts.map(\.x).max()!, pts.map(\.y).max()!)
    }
}
