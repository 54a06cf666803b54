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

    /// `keys` ascending with `values` alongside, in place: no scratch buffers (`byKey` needs a second copy of
    /// both, 12 bytes a key: 360 MB for the 30 M member NIKs of 10 M families, at the run's peak). Equal keys
    /// end with their values ascending — the input order, hence `byKey`'s result, when the values are the
    /// keys' ascending positions, as the callers' are. Most-significant-byte radix sort (American flag sort):
    /// each level distributes a range into its 256 buckets by swapping, ranges of 64 keys or fewer are
    /// finished by insertion sort.
    static func inPlace<Value: BinaryInteger & BitwiseCopyable>(keys: inout [UInt64], values: inout [Value]) {
        precondition(keys.count == values.count, "RadixSort: keys and values differ in length")
        guard keys.count > 1 else { return }
        var used: UInt64 = 0
        for k in keys { used |= k }
        let topShift = used == 0 ? 0 : (63 - used.leadingZeroBitCount) / 8 * 8
        keys.withUnsafeMutableBufferPointer { k in
            values.withUnsafeMutableBufferPointer { v in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 512 * 8) { heads in
                    flagSort(k.baseAddress!, v.baseAddress!, 0, k.count, shift: topShift, buckets: heads.baseAddress!)
                }
            }
        }
    }

    /// One level of `inPlace` on `lo..<hi` by the byte at `shift`; `buckets` holds 512 Ints per level below.
    private static func flagSort<Value: BinaryInteger>(_ k: UnsafeMutablePointer<UInt64>, _ v: UnsafeMutablePointer<Value>,
                                                      _ lo: Int, _ hi: Int, shift: Int, buckets: UnsafeMutablePointer<Int>) {
        if hi - lo <= 64 {
            for i in (lo + 1)..<max(lo + 1, hi) {
                let key = k[i], value = v[i]
                var j = i
                while j > lo && (k[j - 1] > key || (k[j - 1] == key && v[j - 1] > value)) {
                    k[j] = k[j - 1]; v[j] = v[j - 1]; j -= 1
                }
                k[j] = key; v[j] = value
            }
            return
        }
        let heads = buckets, ends = buckets + 256
        let s = UInt64(shift)
        for b in 0..<256 { heads[b] = 0 }
        for i in lo..<hi { heads[Int((k[i] >> s) & 0xFF)] += 1 }
        var sum = lo
        for b in 0..<256 { let c = heads[b]; heads[b] = sum; sum += c; ends[b] = sum }
        for b in 0..<256 {
            while heads[b] < ends[b] {
                let i = heads[b]
                var key = k[i], value = v[i]
                var d = Int((key >> s) & 0xFF)
                while d != b {
                    let j = heads[d]
                    heads[d] = j + 1
                    swap(&key, &k[j]); swap(&value, &v[j])
                    d = Int((key >> s) & 0xFF)
                }
                k[i] = key; v[i] = value
                heads[b] = i + 1
            }
        }
        // `heads` now holds each bucket's end; its start is the previous bucket's end.
        var start = lo
        for b in 0..<256 {
            let end = ends[b]
            if end - start > 1 {
                if shift > 0 {
                    flagSort(k, v, start, end, shift: shift - 8, buckets: buckets + 512)
                } else {
                    // One key throughout: the values ascending.
                    var run = UnsafeMutableBufferPointer(start: v + start, count: end - start)
                    run.sort()
                }
            }
            start = end
        }
    }
}
