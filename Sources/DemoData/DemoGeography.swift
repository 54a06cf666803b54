// Where the demo families live: the 155 real villages of Muaro Jambi with uneven sizes.

/// One village of `wilayahMuaroJambiCSV`, with what the generator needs pre-encoded as bytes.
struct DemoVillage {
    /// 3-digit BPS kecamatan and desa parts (`r103`, `r104`).
    var r103: [UInt8]
    var r104: [UInt8]
    /// Kemendagri village code as rosters write it, e.g. `15.05.05.2015`.
    var kemendagri: [UInt8]
    /// Index of the kecamatan in `DemoGeography.kecamatans`.
    var kecamatan: Int
    var isKelurahan: Bool
    /// Added to a family's poverty draw: villages differ in welfare.
    var povertyTilt: Double
    /// Share of families named in the Javanese / Batak / Jambi Malay patterns.
    var javanese: Double
    var batak: Double
    var patronymic: Double
}

struct DemoKecamatan {
    /// 7-digit BPS code.
    var code: Int
    /// 6-digit Kemendagri prov+kab+kec, the region part of NIK and No. KK (e.g. 150505).
    var kemendagri: Int
}

struct DemoGeography {
    var villages: [DemoVillage]
    var kecamatans: [DemoKecamatan]
    /// Relative population of each village (sums to 1).
    var shares: [Double]

    /// Approximate populations per BPS kecamatan, scaled from the 2010 census and 2018 estimates
    /// in domain.md §D2 (unknown ones filled in so the total is near the 2022 estimate of 412,830).
    /// Only the proportions matter.
    private static let kecamatanPopulation: [Int: Double] = [
        1_505_010: 45_000, 1_505_011: 25_000, 1_505_012: 17_000, 1_505_013: 18_000,
        1_505_020: 68_000, 1_505_021: 52_000, 1_505_030: 27_000, 1_505_040: 23_000,
        1_505_041: 12_000, 1_505_050: 74_000, 1_505_060: 52_000,
    ]
    /// Transmigration kecamatan (Sungai Bahar and its splits, Sungai Gelam, Mestong) hold many
    /// Javanese families; the riverside Malay kecamatan (Kumpeh, Maro Sebo, Taman Rajo, Sekernan)
    /// many "bin/binti" names.
    private static let transmigration: Set<Int> = [1_505_011, 1_505_012, 1_505_013, 1_505_021, 1_505_010]
    private static let riverside: Set<Int> = [1_505_030, 1_505_040, 1_505_041, 1_505_060]

    /// Parses the embedded reference list. Village sizes come from a fixed generator (not the
    /// user's seed), so the map is the same for every seed and only the people change.
    static func muaroJambi() -> DemoGeography {
        var rng = SplitMix64(seed: 0x1505_2022, stream: 1)
        var villages: [DemoVillage] = []
        var kecamatans: [DemoKecamatan] = []
        var weights: [Double] = []
        var rows: [(kodeDesa: String, fields: [Substring])] = []
        for line in wilayahMuaroJambiCSV.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 7 else { continue }
            rows.append((String(f[3]), f))
        }
        rows.sort { $0.kodeDesa < $1.kodeDesa }
        for (kode, f) in rows {
            let kec = Int(f[0])!
            let kemKec = Int(f[2].filter { $0 != "." })!
            if kecamatans.last?.code != kec { kecamatans.append(DemoKecamatan(code: kec, kemendagri: kemKec)) }
            let digits = Array(kode.utf8)
            let kelurahan = f[6] == "kelurahan"
            let transmigrant = transmigration.contains(kec)
            villages.append(DemoVillage(
                r103: Array(digits[4..<7]), r104: Array(digits[7..<10]),
                kemendagri: Array(f[5].utf8), kecamatan: kecamatans.count - 1,
                isKelurahan: kelurahan,
                povertyTilt: (rng.unit() - 0.5) * 0.24 - (kelurahan ? 0.10 : 0),
                javanese: transmigrant ? 0.45 + 0.3 * rng.unit() : 0.08 + 0.1 * rng.unit(),
                batak: 0.03 + 0.06 * rng.unit(),
                patronymic: riverside.contains(kec) ? 0.35 : (transmigrant ? 0.05 : 0.15)))
            // Lognormal-ish village sizes; kelurahan (district towns) are bigger.
            weights.append(portableExp(0.6 * rng.gauss()) * (kelurahan ? 2.5 : 1))
        }
        // A handful of tiny villages (about 10–18 families at the default 140,000) so that the
        // small-cell rules of the tables have something to suppress.
        var tiny: [Int: Double] = [:]
        while tiny.count < 5 {
            let v = rng.below(villages.count)
            if !villages[v].isKelurahan && tiny[v] == nil { tiny[v] = Double(10 + rng.below(9)) / 140_000 }
        }
        let total = kecamatans.map { kecamatanPopulation[$0.code, default: 20_000] }.reduce(0, +)
        var shares = [Double](repeating: 0, count: villages.count)
        for k in kecamatans.indices {
            let members = villages.indices.filter { villages[$0].kecamatan == k }
            let kecShare = kecamatanPopulation[kecamatans[k].code, default: 20_000] / total
            let tinyShare = members.compactMap { tiny[$0] }.reduce(0, +)
            let normal = members.filter { tiny[$0] == nil }
            let sum = normal.map { weights[$0] }.reduce(0, +)
            for v in members {
                shares[v] = tiny[v] ?? (kecShare - tinyShare) * weights[v] / sum
            }
        }
        let s = shares.reduce(0, +)
        return DemoGeography(villages: villages, kecamatans: kecamatans, shares: shares.map { $0 / s })
    }

    /// Families per village summing exactly to `total` (largest remainder).
    func allocate(total: Int) -> [Int] {
        let exact = shares.map { $0 * Double(total) }
        var counts = exact.map { Int($0) }
        var left = total - counts.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), $1) > (exact[$1] - Double(counts[$1]), $0) }
        var i = 0
        while left > 0 { counts[order[i % order.count]] += 1; left -= 1; i += 1 }
        return counts
    }
}

/// `exp` by range reduction and a Taylor series. libm's `exp` may differ in the last bit between
/// glibc and Darwin, which could move a rounded village size or floor area and break the promise
/// that a seed gives byte-identical files everywhere; +, ×, ÷ are exactly rounded on every
/// platform, so this is reproducible. Used for |x| < 4 only.
@inline(__always)
func portableExp(_ x: Double) -> Double {
    let k = (x / 0.693_147_180_559_945_3).rounded()
    let r = x - k * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0
    for n in 1...14 { term *= r / Double(n); sum += term }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1.0)
}
