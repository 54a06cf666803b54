import Foundation

/// The perturbation table of the cell key method (ABS; Eurostat's "ptable", as in the R packages ptable and
/// cellKey): for a true count n and a cell key k in [0,1), the deviation d added to n.
///
/// Construction (documented defaults D = 2, V = 1):
/// - row n = 0: d = 0 always — an empty cell stays empty (no records, nothing to protect, and a structural
///   zero that became 1 would be nonsense);
/// - row n for 1 ≤ n < D: d ∈ {−n, …, D} (a count never becomes negative);
/// - row D (used for every n ≥ D): d ∈ {−D, …, D};
/// - in each row, the maximum-entropy distribution with mean 0 and variance V on that support,
///   p(d) ∝ exp(a·d + b·d²), a and b found by nested bisection. Mean 0 makes perturbed totals unbiased;
///   maximum entropy spreads the probability as evenly as the constraints allow. Where the support cannot
///   reach variance V (short rows: the largest variance with mean 0 on {−n…D} is n·D), the row uses
///   99 % of that largest variance.
/// - the row's deviations are laid out on [0,1) in increasing order of d; the deviation whose interval
///   contains the cell key is applied.
/// The same (n, k) always gives the same deviation, so the same cell is perturbed identically in every
/// table and format; |d| ≤ D always.
public struct PerturbationTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public var deviation: Int
        public var probability: Double
        /// Upper end of the entry's interval on [0,1) (cumulative probability).
        public var upper: Double
    }
    public let maxDeviation: Int
    public let variance: Double
    /// Rows for n = 0…D.
    public let rows: [[Entry]]

    public init(maxDeviation d: Int, variance v: Double) {
        maxDeviation = d; variance = v
        var rows: [[Entry]] = [[Entry(deviation: 0, probability: 1, upper: 1)]]
        for n in 1...max(1, d) {
            let support = Array(-min(n, d)...d)
            let p = Self.maxEntropy(support: support, variance: min(v, 0.99 * Double(min(n, d) * d)))
            var cum = 0.0
            var row: [Entry] = []
            for (x, q) in zip(support, p) {
                cum += q
                row.append(Entry(deviation: x, probability: q, upper: cum))
            }
            row[row.count - 1].upper = 1
            rows.append(row)
        }
        self.rows = rows
    }

    /// The deviation for a true count `n` and cell key `key` in [0,1).
    public func deviation(count n: Int, key: Double) -> Int {
        let row = rows[min(max(n, 0), rows.count - 1)]
        for e in row where key < e.upper { return e.deviation }
        return row[row.count - 1].deviation
    }

    /// p(x) ∝ exp(a·x + b·x²) with Σ p·x = 0 and Σ p·x² = variance: for each b, a is found by bisection
    /// (the mean increases with a), and b by bisection on the resulting variance (which increases with b).
    static func maxEntropy(support: [Int], variance target: Double) -> [Double] {
        func distribution(_ a: Double, _ b: Double) -> [Double] {
            let logits = support.map { a * Double($0) + b * Double($0 * $0) }
            let m = logits.max()!
            let w = logits.map { exp($0 - m) }
            let s = w.reduce(0, +)
            return w.map { $0 / s }
        }
        func moments(_ p: [Double]) -> (mean: Double, variance: Double) {
            let mean = zip(support, p).reduce(0) { $0 + Double($1.0) * $1.1 }
            let second = zip(support, p).reduce(0) { $0 + Double($1.0 * $1.0) * $1.1 }
            return (mean, second - mean * mean)
        }
        let span = Double(support.map(abs).max()!)
        func centred(_ b: Double) -> [Double] {
            // a·x must be able to balance b·x² across the support: |a| up to |b|·2·max|x|.
            var lo = -(abs(b) * 2 * span + 60), hi = abs(b) * 2 * span + 60
            for _ in 0..<200 {
                let mid = (lo + hi) / 2
                if moments(distribution(mid, b)).mean < 0 { lo = mid } else { hi = mid }
            }
            return distribution((lo + hi) / 2, b)
        }
        var lo = -60.0, hi = 60.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if moments(centred(mid)).variance < target { lo = mid } else { hi = mid }
        }
        return centred((lo + hi) / 2)
    }
}
