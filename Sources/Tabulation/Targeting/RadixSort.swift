/// Stable least-significant-digit radix sort of 64-bit keys carrying a payload.
///
/// The targeting joins sort millions of NIKs (≈10 M member NIKs, ≈2 M roster rows); a comparison sort of
/// tuples costs seconds there, four 16-bit counting passes over a 54-bit NIK cost a fraction of that.
/// Stability keeps equal keys in input order, so callers can rely on a secondary order they put in.
enum RadixSort {
    /// Below this many keys a comparison sort is cheaper than clearing the 16-bit histograms.
    static let smallInput = 50_000

    /// `keys` ascending, `values` permuted alongside; equal keys keep their input order.
    /// The inputs are consumed: a caller that hands over its only reference lets the sort reuse their
    /// storage as one of its two buffers (the member NIKs of a national registry are gigabytes).
    static func byKey<Value: BitwiseCopyable>(_ keys: consuming [UInt64], values: consuming [Value]) -> (keys: [UInt64], values: [Value]) {
        precondition(keys.count == values.count, "RadixSort: keys and values differ in length")
        let n = keys.count
        guard n > 1 else { return (keys, values) }
        if n < smallInput {
            let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            return (order.map { keys[$0] }, order.map { values[$0] })
        }
        var srcK = consume keys, srcV = consume values
        var used: UInt64 = 0
        for k in srcK { used |= k }
        let bits = 64 - used.leadingZeroBitCount
        // Scratch buffers are fully overwritten by each pass: no need to copy or zero them first.
        var dstK = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        var dstV = [Value](unsafeUninitializedCapacity: n) { _, count in count = n }
        var shift = 0
        var counts = [Int](repeating: 0, count: 1 << 16)
        while shift < bits {
            for i in counts.indices { counts[i] = 0 }
            srcK.withUnsafeBufferPointer { sk in
                counts.withUnsafeMutableBufferPointer { c in
                    for k in sk { c[Int((k >> UInt64(shift)) & 0xFFFF)] += 1 }
                }
            }
            // A pass where every key has the same digit would copy without reordering.
            if counts.contains(n) { shift += 16; continue }
            var sum = 0
            for i in counts.indices { let c = counts[i]; counts[i] = sum; sum += c }
            srcK.withUnsafeBufferPointer { sk in
                srcV.withUnsafeBufferPointer { sv in
                    dstK.withUnsafeMutableBufferPointer { dk in
                        dstV.withUnsafeMutableBufferPointer { dv in
                            counts.withUnsafeMutableBufferPointer { c in
                                for i in 0..<n {
                                    let d = Int((sk[i] >> UInt64(shift)) & 0xFFFF)
                                    let p = c[d]
                                    c[d] = p + 1
                                    dk[p] = sk[i]; dv[p] = sv[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&srcK, &dstK); swap(&srcV, &dstV)
            shift += 16
        }
        return (srcK, srcV)
    }
}
