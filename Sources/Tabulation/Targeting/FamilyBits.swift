/// One yes/no per family in a bit: a programme's eligibility or registry receipt (`TargetingInput.eligible`,
/// `registryRecipient`). As `[[Bool]]` the five programmes' two flags took 10 bytes a family — 100 MB at
/// 10 M families, held from the family rules through the roster linking, at the peak of a run under
/// `--memory-limit` (issue 19); as bits, 1.25.
public struct FamilyBits: Sendable, Equatable, ExpressibleByArrayLiteral {
    private var words: [UInt64]
    public let count: Int

    /// `count` families, every flag false.
    public init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    public init(_ flags: [Bool]) {
        self.init(count: flags.count)
        for (f, flag) in flags.enumerated() where flag { self[f] = true }
    }

    public init(arrayLiteral flags: Bool...) { self.init(flags) }

    @inline(__always)
    public subscript(_ f: Int) -> Bool {
        get { words[f >> 6] & (1 << UInt64(f & 63)) != 0 }
        set {
            if newValue { words[f >> 6] |= 1 << UInt64(f & 63) } else { words[f >> 6] &= ~(1 << UInt64(f & 63)) }
        }
    }
}
