/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, well-mixed 64-bit generator.
///
/// The demo registry must be byte-identical for the same seed on every platform and toolchain, so
/// it never goes through `SystemRandomNumberGenerator` or the standard library's
/// `random(in:using:)` (whose reduction algorithm is an implementation detail that may change).
/// Every draw below is defined here, in full.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for an independent purpose (geography, rosters, …) derived from the user seed,
    /// so that changing how many numbers one part draws does not shift the others.
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in `0..<n` by multiply-high (Lemire). The bias, below n/2⁶⁴, is irrelevant
    /// for synthetic data and the method needs no rejection loop, so the draw count is fixed.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform integer in a closed range.
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Approximately standard normal (Irwin–Hall with four uniforms): cheap, bounded to ±3.5,
    /// which is exactly what floor areas and age gaps want (no absurd tails).
    @inline(__always)
    mutating func gauss() -> Double {
        (unit() + unit() + unit() + unit() - 2.0) * 1.732_050_807_568_877
    }
}

/// A categorical distribution over small codes, sampled by one uniform draw and a linear scan
/// (code lists have at most 26 entries, so a scan beats anything cleverer).
struct Categorical {
    private(set) var codes: [UInt8]
    private var cumulative: [UInt32]
    private var total: UInt32

    /// `weights[i]` is the relative weight of `codes[i]`; weights need not sum to anything.
    init(codes: [UInt8], weights: [Double]) {
        precondition(codes.count == weights.count && !codes.isEmpty)
        let sum = weights.reduce(0, +)
        precondition(sum > 0)
        var running: UInt32 = 0
        var cum: [UInt32] = []
        cum.reserveCapacity(weights.count)
        for w in weights {
            running += UInt32((max(0, w) / sum * 1_000_000).rounded())
            cum.append(running)
        }
        self.codes = codes
        self.cumulative = cum
        self.total = max(1, running)
    }

    /// Codes `first…` numbered consecutively.
    init(from first: UInt8, weights: [Double]) {
        self.init(codes: (0..<weights.count).map { first + UInt8($0) }, weights: weights)
    }

    /// A blend of a distribution for the poorest (`poorness` = 1) and the richest (`poorness` = 0)
    /// families, which is how the demo ties housing and work to the welfare decile.
    init(from first: UInt8, rich: [Double], poor: [Double], poorness: Double) {
        precondition(rich.count == poor.count)
        let w = zip(rich, poor).map { r, p in r * (1 - poorness) + p * poorness }
        self.init(from: first, weights: w)
    }

    @inline(__always)
    func sample(_ rng: inout SplitMix64) -> UInt8 {
        let x = UInt32(truncatingIfNeeded: rng.below(Int(total)))
        var i = 0
        while i < cumulative.count - 1 && x >= cumulative[i] { i += 1 }
        return codes[i]
    }
}
