/// The three area levels of every table (contract §3 `area_level`).
public enum AreaLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case kabupaten, kecamatan, desa
}

/// One area of one level, by its position in `AreaIndex`.
public struct AreaRef: Sendable, Hashable {
    public var level: AreaLevel
    public var index: Int
    public init(_ level: AreaLevel, _ index: Int) { self.level = level; self.index = index }
}

/// The area hierarchy (desa → kecamatan → kabupaten) read from `wilayah.csv`, ordered by BPS code.
/// Every table carries all three levels; the engine counts villages and sums upwards.
public struct AreaIndex: Sendable {
    public struct Village: Sendable, Hashable {
        /// 10-digit BPS code (`kode_desa`).
        public var code: String
        public var name: String
        /// Kemendagri notation, e.g. `15.05.05.2015`.
        public var kemendagriCode: String
        /// `desa` or `kelurahan`.
        public var kind: String
        public var kecamatan: Int
        /// Other text columns of the area file that rules read (`area.<name>`), by column name.
        public var attributes: [String: String] = [:]
    }
    public struct Kecamatan: Sendable, Hashable {
        /// 7-digit BPS code.
        public var code: String
        public var name: String
        public var kemendagriCode: String
        public var kabupaten: Int
        public var villages: [Int]
    }
    public struct Kabupaten: Sendable, Hashable {
        /// 4-digit BPS code.
        public var code: String
        public var kecamatans: [Int]
    }

    public private(set) var villages: [Village] = []
    public private(set) var kecamatans: [Kecamatan] = []
    public private(set) var kabupatens: [Kabupaten] = []
    private var villageByCode: [String: Int] = [:]
    private var villageByKemendagri: [String: Int] = [:]

    /// Number of area slots over all levels (villages, then kecamatan, then kabupaten).
    public var slotCount: Int { villages.count + kecamatans.count + kabupatens.count }

    public init(villages input: [(code: String, name: String, kemendagriCode: String, kind: String,
                                  kecamatanName: String, kecamatanKemendagri: String)]) {
        let sorted = input.sorted { $0.code < $1.code }
        var kecByCode: [String: Int] = [:]
        var kabByCode: [String: Int] = [:]
        for v in sorted {
            let kabCode = String(v.code.prefix(4)), kecCode = String(v.code.prefix(7))
            let kab: Int
            if let k = kabByCode[kabCode] { kab = k } else {
                kab = kabupatens.count; kabByCode[kabCode] = kab
                kabupatens.append(Kabupaten(code: kabCode, kecamatans: []))
            }
            let kec: Int
            if let k = kecByCode[kecCode] { kec = k } else {
                kec = kecamatans.count; kecByCode[kecCode] = kec
                kecamatans.append(Kecamatan(code: kecCode, name: v.kecamatanName,
                                            kemendagriCode: v.kecamatanKemendagri, kabupaten: kab, villages: []))
                kabupatens[kab].kecamatans.append(kec)
            }
            let idx = villages.count
            villages.append(Village(code: v.code, name: v.name, kemendagriCode: v.kemendagriCode,
                                    kind: v.kind, kecamatan: kec))
            kecamatans[kec].villages.append(idx)
            villageByCode[v.code] = idx
            villageByKemendagri[Self.normalizedKemendagri(v.kemendagriCode)] = idx
        }
    }

    /// Village index of a 10-digit BPS code.
    public func village(code: String) -> Int? { villageByCode[code] }

    /// Sets text attribute `name` of the village with BPS code `code` (extra area-file columns rules read).
    public mutating func setAttribute(_ name: String, _ value: String, village code: String) {
        guard let v = villageByCode[code] else { return }
        villages[v].attributes[name] = value
    }

    /// Village index of a Kemendagri code, written with or without dots (`15.05.05.2015` or `1505052015`).
    public func village(kemendagri: String) -> Int? { villageByKemendagri[Self.normalizedKemendagri(kemendagri)] }

    /// `15.05.05.2015`, `1505052015` and `15.5.5.2015` (leading zeros eaten by a spreadsheet) are the same
    /// village: dotted parts are padded to 2, 2, 2 and 4 digits before the dots are dropped.
    static func normalizedKemendagri(_ s: String) -> String {
        let trimmed = s.filter { $0 != " " }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return trimmed.filter { $0 != "." } }
        return zip(parts, [2, 2, 2, 4]).map { part, width in
            String(repeating: "0", count: max(0, width - part.count)) + part
        }.joined()
    }

    /// Flat slot of an area: villages first, then kecamatan, then kabupaten.
    public func slot(_ area: AreaRef) -> Int {
        switch area.level {
        case .desa: return area.index
        case .kecamatan: return villages.count + area.index
        case .kabupaten: return villages.count + kecamatans.count + area.index
        }
    }

    public func code(_ area: AreaRef) -> String {
        switch area.level {
        case .desa: return villages[area.index].code
        case .kecamatan: return kecamatans[area.index].code
        case .kabupaten: return kabupatens[area.index].code
        }
    }

    public func name(_ area: AreaRef) -> String {
        switch area.level {
        case .desa: return villages[area.index].name
        case .kecamatan: return kecamatans[area.index].name
        case .kabupaten: return kabupatens[area.index].code
        }
    }

    /// All areas in publication order for the twins: kabupaten, then kecamatan, then desa, each by code.
    public var allAreas: [AreaRef] {
        kabupatens.indices.map { AreaRef(.kabupaten, $0) } + kecamatans.indices.map { AreaRef(.kecamatan, $0) }
            + villages.indices.map { AreaRef(.desa, $0) }
    }

    /// The kecamatan and kabupaten slots a village's counts also go to.
    public func ancestorSlots(ofVillage v: Int) -> (kecamatan: Int, kabupaten: Int) {
        let kec = villages[v].kecamatan
        return (villages.count + kec, villages.count + kecamatans.count + kecamatans[kec].kabupaten)
    }
}
