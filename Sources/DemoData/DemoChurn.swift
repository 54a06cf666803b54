import Foundation

/// What `DemoChurn` changed between two quarterly snapshots of the demo registry.
public struct ChurnSummary: Sendable, Hashable {
    public var gone = 0, moved = 0, split = 0, new = 0, desilMoves = 0, receiptChanges = 0, deaths = 0, births = 0
    public var rosterRowsDropped = 0
    public var lines: [String] {
        ["families gone \(gone), moved village \(moved), split \(split), new \(new)",
         "desil changes \(desilMoves), self-reported receipt changes \(receiptChanges)",
         "deaths \(deaths), births \(births), roster rows dropped \(rosterRowsDropped)"]
    }
}

/// The next quarter of a demo registry (`regtab demo --snapshots 2`): a copy of a snapshot's contract CSVs with
/// plausible churn, drawn from its own seed so the same input and seed give the same files.
///
/// Per family, at most one of: gone (1.5 %: died out, emigrated, merged; its roster rows go too), moved to another
/// village (1 %: new family key — another village code and building number — same No. KK, so `regtab compare`
/// matches it by No. KK), split (0.5 % of families with two or more members: the last member forms a new family
/// with a new key and a new No. KK), a desil move of one or two deciles (3 %), a change in a self-reported
/// receipt `r501a`/`r501b`/`r501c` (2 %), a death (1 %: the last member's `r404` becomes 2), a birth (1.5 %: a
/// child aged 0 without NIK). New families (1 % of the count) are copies of existing ones with a new key and
/// No. KK and no NIKs. 2 % of the remaining roster rows are dropped (receipt ended).
///
/// The files are read as CSV records (quoted fields with commas, quotes and line breaks, which the demo plants
/// in names, are kept verbatim); the key columns are the contract's first seven of both files.
public enum DemoChurn {
    public static func write(from source: String, to target: String, seed: UInt64) throws -> ChurnSummary {
        let fm = FileManager.default
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        func read(_ name: String) throws -> [[String]] {
            let path = (source as NSString).appendingPathComponent(name)
            return records(try String(contentsOfFile: path, encoding: .utf8))
        }
        var rng = SplitMix64(seed: seed, stream: 0x51)
        var summary = ChurnSummary()
        let wilayah = try read("wilayah.csv")
        let villageColumn = wilayah[0].firstIndex(of: "kode_desa") ?? 3
        let villages = wilayah.dropFirst().map { $0[villageColumn] }.filter { $0.count == 10 }
        let keluarga = try read("keluarga.csv"), anggota = try read("anggota.csv")
        let penerima = fm.fileExists(atPath: (source as NSString).appendingPathComponent("penerima.csv")) ? try read("penerima.csv") : []
        let kkColumn = keluarga[0].firstIndex(of: "r114") ?? 8, desilColumn = keluarga[0].firstIndex(of: "desil") ?? 9
        let receiptColumns = ["r501a", "r501b", "r501c"].compactMap { keluarga[0].firstIndex(of: $0) }
        let h = anggota[0]
        let serialColumn = h.firstIndex(of: "r401") ?? 7, nameColumn = h.firstIndex(of: "r402") ?? 8,
            nikColumn = h.firstIndex(of: "r403") ?? 9, presenceColumn = h.firstIndex(of: "r404") ?? 10,
            birthColumn = h.firstIndex(of: "r406") ?? 12, ageColumn = h.firstIndex(of: "r407") ?? 13,
            relationColumn = h.firstIndex(of: "r409") ?? 15
        let r112Column = keluarga[0].firstIndex(of: "r112") ?? 7

        // Members by family key text (first seven fields), in file order.
        // As the engine reads them: `010` and `10` are the same code (the demo plants both spellings).
        func key(_ r: [String]) -> String { r.prefix(7).map { Int($0).map(String.init) ?? $0 }.joined(separator: ",") }
        var membersOf: [String: [[String]]] = [:]
        var orphans: [[String]] = []
        let familyKeys = Set(keluarga.dropFirst().map(key))
        for r in anggota.dropFirst() where r.count > 7 {
            let k = key(r)
            if familyKeys.contains(k) { membersOf[k, default: []].append(r) } else { orphans.append(r) }
        }
        var kkSerial = 0
        func newKK() -> String { kkSerial += 1; return "1505" + "99" + String(format: "%010d", kkSerial) }
        // New keys take building numbers (r109) no snapshot uses: 1,000,000 + n for moves, 2,000,000 + n for
        // splits, 3,000,000 + n for new families, so no two families ever share a key.
        func rekey(_ r: [String], village: String? = nil, building: Int) -> [String] {
            var r = r
            if let v = village, v.count == 10 {
                r[0] = String(v.prefix(2)); r[1] = String(v.dropFirst(2).prefix(2))
                r[2] = String(v.dropFirst(4).prefix(3)); r[3] = String(v.dropFirst(7))
            }
            r[5] = String(building)
            return r
        }

        var outFamilies: [[String]] = [keluarga[0]], outMembers: [[String]] = [anggota[0]]
        var goneKK = Set<String>()
        let rows = Array(keluarga.dropFirst())
        for f in rows where f.count > desilColumn {
            let k = key(f)
            var members = membersOf[k] ?? []
            let draw = rng.unit()
            var family = f
            switch draw {
            case ..<0.015:
                summary.gone += 1
                if !f[kkColumn].isEmpty { goneKK.insert(f[kkColumn]) }
                continue
            case ..<0.025:
                summary.moved += 1
                let v = villages[rng.below(villages.count)]
                family = rekey(f, village: v, building: 1_000_000 + summary.moved)
                members = members.map { rekey($0, village: v, building: 1_000_000 + summary.moved) }
            case ..<0.030 where members.count >= 2:
                summary.split += 1
                var last = members.removeLast()
                var child = rekey(f, building: 2_000_000 + summary.split)
                child[kkColumn] = newKK(); child[r112Column] = "1"
                last = rekey(last, building: 2_000_000 + summary.split)
                last[serialColumn] = "1"; last[relationColumn] = "1"
                family[r112Column] = String(members.count)
                outFamilies.append(family); outMembers += members
                outFamilies.append(child); outMembers.append(last)
                continue
            case ..<0.060:
                if let d = Int(f[desilColumn]) {
                    summary.desilMoves += 1
                    let step = rng.chance(0.5) ? 1 : 2
                    family[desilColumn] = String(min(10, max(1, rng.chance(0.5) ? d + step : d - step)))
                }
            case ..<0.080:
                if !receiptColumns.isEmpty {
                    summary.receiptChanges += 1
                    let c = receiptColumns[rng.below(receiptColumns.count)]
                    family[c] = family[c] == "1" ? "2" : "1"
                }
            case ..<0.090 where !members.isEmpty:
                summary.deaths += 1
                members[members.count - 1][presenceColumn] = "2"
            case ..<0.105 where !members.isEmpty:
                summary.births += 1
                var baby = members[members.count - 1]
                baby[serialColumn] = String(members.count + 1); baby[nameColumn] = "Bayi"; baby[nikColumn] = ""
                baby[presenceColumn] = "1"; baby[birthColumn] = ""; baby[ageColumn] = "0"; baby[relationColumn] = "3"
                members.append(baby)
            default:
                break
            }
            outFamilies.append(family); outMembers += members
        }
        // New families: copies of existing ones with a new key and No. KK, and no NIKs.
        let newCount = rows.count / 100
        for i in 0..<newCount {
            let f = rows[rng.below(rows.count)]
            guard f.count > kkColumn else { continue }
            summary.new += 1
            var family = rekey(f, building: 3_000_000 + i)
            family[kkColumn] = newKK()
            outFamilies.append(family)
            for m in membersOf[key(f)] ?? [] {
                var r = rekey(m, building: 3_000_000 + i)
                r[nikColumn] = ""
                outMembers.append(r)
            }
        }
        outMembers += orphans
        var outRoster: [[String]] = penerima.isEmpty ? [] : [penerima[0]]
        let rosterKK = penerima.first?.firstIndex(of: "no_kk") ?? 2
        for r in penerima.dropFirst() {
            if r.count > rosterKK, goneKK.contains(r[rosterKK]) || rng.chance(0.02) { summary.rosterRowsDropped += 1; continue }
            outRoster.append(r)
        }
        func write(_ name: String, _ rows: [[String]]) throws {
            let text = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: (target as NSString).appendingPathComponent(name)))
        }
        try write("keluarga.csv", outFamilies)
        try write("anggota.csv", outMembers)
        if !penerima.isEmpty { try write("penerima.csv", outRoster) }
        try write("wilayah.csv", wilayah)
        return summary
    }

    /// CSV records of a comma-separated text, each field verbatim (quotes kept, so joining with commas writes
    /// the record back exactly); quoted fields may hold commas and line breaks.
    static func records(_ text: String) -> [[String]] {
        var out: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var any = false
        for ch in text.unicodeScalars {
            if quoted {
                field.unicodeScalars.append(ch)
                if ch == "\"" { quoted = false }
                continue
            }
            switch ch {
            case "\"": quoted = true; field.unicodeScalars.append(ch); any = true
            case ",": record.append(field); field = ""; any = true
            case "\n":
                if field.hasSuffix("\r") { field.removeLast() }
                if any || !field.isEmpty { record.append(field); out.append(record) }
                record = []; field = ""; any = false
            default: field.unicodeScalars.append(ch); any = true
            }
        }
        if any || !field.isEmpty { record.append(field); out.append(record) }
        return out
    }
}
