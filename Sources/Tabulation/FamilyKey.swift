import Microdata
import Profile

/// A family's identifier (`Layout.familyID`) parsed to integers once, so `01` and `1` are the same code and
/// hashing never touches strings. Three shapes, all one-to-one:
/// - the 10-digit village code leading the key, then up to three integer parts (Regsosek: `r101…r104`,
///   then `r105`, `r109`, `r110`): `lead` = village code, `a` `b` `c` the parts;
/// - integer parts without the area: `lead` the first, `a` `b` `c` the others;
/// - one text identifier of at most 16 bytes (a flat export's `id_keluarga`): its bytes in `lead`, `a`,
///   `b` (big-endian, zero-padded) and `c` = −1, which no integer part can be.
public struct FamilyKey: Hashable, Sendable {
    public var lead: Int64
    public var a: Int32
    public var b: Int32
    public var c: Int32

    public init(lead: Int64, a: Int32, b: Int32, c: Int32) { self.lead = lead; self.a = a; self.b = b; self.c = c }
    var isText: Bool { c == -1 }
}

/// Reads a record's `FamilyKey` and village code through the layout's roles: the column positions and
/// limits resolved once per file, the per-record path without arrays of Strings. `@unchecked Sendable`: its
/// part buffers are written once, in `init`, and only read afterwards.
public struct FamilyKeyReader: @unchecked Sendable {
    /// Integer parts folded into `lead`: (column, largest value, 10^digits). Buffers owned by `storage`, so the
    /// per-record loops touch no reference count.
    private let leadParts: UnsafeBufferPointer<(column: Int, max: Int, scale: Int64)>
    /// Integer parts after the lead, into `a`, `b`, `c`.
    private let parts: UnsafeBufferPointer<(column: Int, max: Int, scale: Int64)>
    private let textColumn: Int?
    /// Area columns read on their own when the area does not lead the key (a flat export's `kode_desa`).
    private let areaParts: UnsafeBufferPointer<(column: Int, max: Int, scale: Int64)>
    private let storage: PartStorage
    private let areaLeads: Bool
    /// Digit widths of the parts after the lead, for `text(_:)`.
    private let partDigits: [Int]
    /// Columns named in errors: the key's last column, the area's last column.
    public let keyColumn: (name: String, number: Int)
    public let areaColumn: (name: String, number: Int)
    /// What a valid key is, for messages.
    public let keyDescription: String
    public let areaDescription: String

    static let textBytes = 16

    public init(layout: Layout, codebook: Codebook, map: ColumnMap) throws {
        func col(_ n: String) throws -> Int {
            guard let i = map.column(n) else {
                throw InputError(file: map.fileName, line: map.headerLine, column: n, expected: "a column named '\(n)' in the header")
            }
            return i
        }
        func maxValue(_ digits: Int) -> Int { digits == 0 ? Int(Int32.max) : Int(pow10(digits) - 1) }
        let idNames = layout.familyIDNames.joined(separator: ", ")
        keyDescription = "a family key (\(idNames)) not used by an earlier row"
        areaDescription = "a village (\(layout.area.map(\.variable).joined(separator: ", "))) listed in \(layout.areaFileName)"
        let id = try layout.familyID.map { (column: try col($0.variable), digits: $0.digits) }
        let last = id[id.count - 1].column
        keyColumn = (last < map.header.count ? map.header[last] : layout.familyID.last!.variable, last + 1)
        let isText = layout.familyID.count == 1 && codebook.variable(layout.familyID[0].variable).map { $0.type == .text || $0.type == .id } == true
        areaLeads = layout.areaLeadsFamilyID && !isText
        var lead: [(column: Int, max: Int, scale: Int64)] = [], rest: [(column: Int, max: Int, scale: Int64)] = []
        if isText {
            textColumn = id[0].column; partDigits = []
        } else {
            textColumn = nil
            let leadCount = areaLeads ? layout.area.count : 1
            lead = id.prefix(leadCount).map { ($0.column, maxValue($0.digits), pow10($0.digits == 0 ? 10 : $0.digits)) }
            rest = id.dropFirst(leadCount).map { ($0.column, maxValue($0.digits), 1) }
            partDigits = id.dropFirst(leadCount).map(\.digits)
        }
        // The area columns are family variables: a member file of the two-file layout repeats only the key, and
        // its reader needs no village (`village` is then nil).
        var area: [(column: Int, max: Int, scale: Int64)] = []
        if !areaLeads && !layout.area.contains(where: { map.column($0.variable) == nil }) {
            area = try layout.area.map { (column: try col($0.variable), max: maxValue($0.digits), scale: pow10($0.digits)) }
        }
        storage = PartStorage([lead, rest, area])
        leadParts = storage.lists[0]; parts = storage.lists[1]; areaParts = storage.lists[2]
        let areaLast = areaLeads ? id[layout.area.count - 1].column : areaParts.last?.column ?? -1
        areaColumn = (areaLast >= 0 && areaLast < map.header.count ? map.header[areaLast] : layout.area.last!.variable, areaLast + 1)
    }

    /// The key of a record when every key cell is valid, else nil — the per-record path of the engine and the
    /// data check.
    @inline(__always)
    public func validKey(_ r: borrowing DataRecord) -> FamilyKey? {
        if let textColumn { return r.withBytes(textColumn) { Self.textKey($0) } }
        var lead: Int64 = 0
        for p in leadParts {
            guard let x = r.int(p.column), x >= 0, x <= p.max else { return nil }
            lead = lead &* p.scale &+ Int64(x)
        }
        var v: (Int32, Int32, Int32) = (0, 0, 0)
        for (i, p) in parts.enumerated() {
            guard let x = r.int(p.column), x >= 0, x <= p.max else { return nil }
            switch i { case 0: v.0 = Int32(x); case 1: v.1 = Int32(x); default: v.2 = Int32(x) }
        }
        return FamilyKey(lead: lead, a: v.0, b: v.1, c: v.2)
    }

    /// The key of a record, or the error naming the first key column that is not valid.
    public func key(_ r: borrowing DataRecord, file: String, header: [String]) -> Result<FamilyKey, InputError> {
        if let key = validKey(r) { return .success(key) }
        if let textColumn {
            return .failure(InputError(file: file, line: r.line, column: name(textColumn, header), columnNumber: textColumn + 1,
                                       expected: "a family identifier of 1 to \(Self.textBytes) bytes", found: r.string(textColumn)))
        }
        for p in Array(leadParts).map({ ($0.column, $0.max) }) + Array(parts).map({ ($0.column, $0.max) }) {
            guard let x = r.int(p.0), x >= 0, x <= p.1 else {
                return .failure(InputError(file: file, line: r.line, column: name(p.0, header), columnNumber: p.0 + 1,
                                           expected: "a code of at most \(String(p.1).count) digits (family key)", found: r.string(p.0)))
            }
        }
        // Unreachable while `validKey` agrees; an input problem must never trap.
        return .failure(InputError(file: file, line: r.line, column: keyColumn.name, columnNumber: keyColumn.number, expected: "a family key"))
    }

    /// The family's 10-digit village code: the key's lead, or the area columns of the record; nil when an
    /// area cell is not a valid code.
    @inline(__always)
    public func village(_ r: borrowing DataRecord, key: FamilyKey) -> Int64? {
        if areaLeads { return key.lead }
        if areaParts.isEmpty { return nil }
        var code: Int64 = 0
        for p in areaParts {
            guard let x = r.int(p.column), x >= 0, x <= p.max else { return nil }
            code = code &* p.scale &+ Int64(x)
        }
        return code
    }

    /// The area cells as written, for messages.
    public func villageText(_ r: borrowing DataRecord) -> String {
        var out = ""
        if !areaLeads { for p in areaParts { out += r.string(p.column) } }
        return out
    }

    /// The key as field staff look it up: the text identifier, or the parts joined by `/` (the village code
    /// as one 10-digit part, widths kept: `1505010001/000100/1/1`).
    public func text(_ k: FamilyKey) -> String {
        if k.isText { return Self.text(k) }
        var out = [areaLeads ? Engine.pad(k.lead, 10) : String(k.lead)]
        for (i, v) in [k.a, k.b, k.c].prefix(parts.count).enumerated() {
            out.append(partDigits[i] > 0 ? Engine.pad(Int64(v), partDigits[i]) : String(v))
        }
        return out.joined(separator: "/")
    }

    @inline(__always)
    static func textKey(_ bytes: UnsafeBufferPointer<UInt8>) -> FamilyKey? {
        guard bytes.count > 0, bytes.count <= textBytes else { return nil }
        var w0: UInt64 = 0, w1: UInt32 = 0, w2: UInt32 = 0
        for i in 0..<textBytes {
            let byte = i < bytes.count ? bytes[i] : 0
            if i < 8 { w0 = w0 << 8 | UInt64(byte) } else if i < 12 { w1 = w1 << 8 | UInt32(byte) } else { w2 = w2 << 8 | UInt32(byte) }
        }
        return FamilyKey(lead: Int64(bitPattern: w0), a: Int32(bitPattern: w1), b: Int32(bitPattern: w2), c: -1)
    }

    static func text(_ k: FamilyKey) -> String {
        var bytes: [UInt8] = []
        let w0 = UInt64(bitPattern: k.lead), w1 = UInt32(bitPattern: k.a), w2 = UInt32(bitPattern: k.b)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w0 >> UInt64(56 - 8 * i))) }
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: w1 >> UInt32(24 - 8 * i))) }
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: w2 >> UInt32(24 - 8 * i))) }
        while bytes.last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func name(_ c: Int, _ header: [String]) -> String? { c < header.count ? header[c] : nil }
}

@inline(__always) private func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { r, _ in r * 10 } }

/// Owns the key reader's part lists for its lifetime (the reader reads them through plain buffers).
private final class PartStorage: @unchecked Sendable {
    let lists: [UnsafeBufferPointer<(column: Int, max: Int, scale: Int64)>]
    init(_ lists: [[(column: Int, max: Int, scale: Int64)]]) {
        self.lists = lists.map { list in
            let p = UnsafeMutablePointer<(column: Int, max: Int, scale: Int64)>.allocate(capacity: max(1, list.count))
            p.initialize(from: list, count: list.count)
            return UnsafeBufferPointer(start: p, count: list.count)
        }
    }
    deinit { for l in lists { UnsafeMutablePointer(mutating: l.baseAddress!).deallocate() } }
}
