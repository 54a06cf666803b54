import CCrypto

/// SHA-256 (FIPS 180-4) for provenance: the manifest records a hash of every input file and of the report
/// definition, so a published table can be traced to exact inputs; the cell key method derives record keys
/// from it. Backed by OpenSSL's libcrypto: hashing every input file (hundreds of MB to GB) is on the run's
/// critical path, and libcrypto uses the SHA instructions of the CPU.
public struct SHA256: @unchecked Sendable {
    private var context = SHA256_CTX()

    public init() { SHA256_Init(&context) }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&context, base, bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }

    /// The digest (32 bytes). The value is spent afterwards: start a new `SHA256()` for the next message.
    public mutating func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { _ = SHA256_Final($0.baseAddress, &context) }
        return digest
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        var s = SHA256(); s.update(bytes)
        return hexString(s.finalize())
    }

    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
