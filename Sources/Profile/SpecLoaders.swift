import Microdata

/// Reads `tables.yml`: table specs, checked against the codebook.
enum TablesLoader {
    static func load(_ root: YAMLValue, codebook: Codebook) throws -> [TableSpec] {
        guard let list = try root.required("tables").list else { throw root.fail("'tables' must be a list") }
        var seen = Set<String>()
        return try list.map { t in
            let id = try t.string("id")
            guard seen.insert(id).inserted else { throw t.fail("table id '\(id)' is used twice") }
            guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw t.fail("table id must be letters, digits and _") }
            guard let unit = TableUnit(rawValue: try t.string("unit")) else { throw t.fail("'unit' must be person or family") }
            let dims = t.child("dimensions")?.list?.compactMap(\.string) ?? []
            for d in dims {
                guard codebook.categories(of: d) != nil else { throw t.fail("dimension '\(d)' is not a categorical variable of the codebook") }
                if unit == .family, codebook.scope(of: d) != .keluarga { throw t.fail("dimension '\(d)' is a member variable; a family table can only use family variables") }
            }
            guard let ms = try t.required("measures").list, !ms.isEmpty else { throw t.fail("'measures' must be a non-empty list") }
            let measures: [MeasureSpec] = try ms.map { m in
                let mid = try m.string("id")
                let kind: MeasureKind
                if m.child("count")?.bool == true { kind = .count }
                else if m.child("families")?.bool == true { kind = .families }
                else if let d = m.child("percent_over")?.string {
                    guard dims.contains(d) else { throw m.fail("percent_over '\(d)' is not a dimension of the table") }
                    kind = .percentOver(d)
                } else if let v = m.child("sum")?.string { kind = .sum(v) }
                else if let v = m.child("mean")?.string { kind = .mean(v) }
                else { throw m.fail("a measure needs one of count, families, percent_over, sum, mean") }
                if case .sum(let v) = kind, codebook.variable(v)?.type != .number { throw m.fail("'\(v)' is not a number variable") }
                if case .mean(let v) = kind, codebook.variable(v)?.type != .number { throw m.fail("'\(v)' is not a number variable") }
                return MeasureSpec(id: mid, kind: kind, label: m.child("label")?.bilingual ?? Bilingual(mid))
            }
            let display = try t.required("display")
            let stubName = try display.string("stub")
            let stub: StubSpec
            switch stubName {
            case "desa": stub = .desa
            case "kecamatan": stub = .kecamatan
            default:
                guard dims.contains(stubName) else { throw display.fail("stub must be desa, kecamatan or a dimension of the table") }
                stub = .dimension(stubName)
            }
            guard let cols = try display.required("columns").list else { throw display.fail("'columns' must be a list") }
            let columns: [ColumnBlock] = try cols.map { c in
                let m = try c.string("measure")
                guard measures.contains(where: { $0.id == m }) else { throw c.fail("unknown measure '\(m)'") }
                let by = c.child("by")?.list?.compactMap(\.string) ?? []
                for d in by where !dims.contains(d) || stub == .dimension(d) {
                    throw c.fail("'\(d)' is not a dimension of the table, or is already the stub")
                }
                var fixed: [String: String] = [:]
                for (d, code) in c.child("fixed")?.entries ?? [] {
                    guard dims.contains(d) else { throw code.fail("'\(d)' is not a dimension of the table") }
                    fixed[d] = code.string ?? ""
                }
                return ColumnBlock(measure: m, by: by, total: c.child("total")?.bool ?? true, fixed: fixed)
            }
            var spec = TableSpec(id: id, number: try t.string("number"), section: try t.string("section"),
                                 title: try t.bilingual("title"), unit: unit, universe: t.child("universe")?.string,
                                 dimensions: dims, measures: measures, stub: stub, columns: columns,
                                 notes: t.child("notes")?.list?.compactMap(\.bilingual) ?? [])
            spec.protection = try ReportLoader.tableProtection(t, keys: ["protect", "publish_levels", "protection"])
            // A village stub shows village rows: they must be published.
            if stub == .desa, let levels = spec.protection.publishLevels, !levels.contains(.desa) {
                throw t.fail("display.stub desa shows villages, but publish_levels leaves out desa")
            }
            return spec
        }
    }
}

/// Reads `rules.yml`. The rule texts are compiled (parsed and type-checked) by the engine's plan.
enum RulesLoader {
    static func load(_ root: YAMLValue) throws -> RulesSpec {
        guard let list = try root.required("programmes").list else { throw root.fail("'programmes' must be a list") }
        let programmes: [ProgrammeSpec] = try list.map { p in
            let unitName = p.child("unit")?.string ?? "family"
            guard let unit = TableUnit(rawValue: unitName) else { throw p.fail("'unit' must be family or person") }
            return ProgrammeSpec(id: try p.string("id"), label: try p.bilingual("label"), unit: unit,
                                 eligible: try p.string("eligible"), registryRecipient: try p.string("registry_recipient"))
        }
        let ids = Set(programmes.map(\.id))
        guard ids.count == programmes.count else { throw root.fail("a programme id is used twice") }
        let pairs: [[String]] = try (root.child("exclusive_pairs")?.list ?? []).map { pair in
            guard let p = pair.list?.compactMap(\.string), p.count == 2 else { throw pair.fail("expected [PROGRAMME, PROGRAMME]") }
            for x in p where !ids.contains(x) { throw pair.fail("unknown programme '\(x)'") }
            return p
        }
        let attributes: [AreaAttributeSpec] = try (root.child("area_attributes")?.list ?? []).map { a in
            guard let values = a.child("values")?.list?.compactMap(\.string), !values.isEmpty else {
                throw a.fail("'values' must be a list of texts")
            }
            return AreaAttributeSpec(name: try a.string("name"), values: values)
        }
        var spec = RulesSpec(currentMember: try root.string("current_member"),
                             programmes: programmes, exclusivePairs: pairs, areaAttributes: attributes)
        if let departed = root.child("departed_member")?.string { spec.departedMember = departed }
        spec.welfareRank = root.child("welfare_rank")?.string
        return spec
    }
}

/// Reads `report.yml`.
enum ReportLoader {
    static func load(_ root: YAMLValue) throws -> ReportSpec {
        var names: [String: Bilingual] = [:]
        for (code, v) in root.child("kabupaten_names")?.entries ?? [] {
            guard let b = v.bilingual else { throw v.fail("expected a label") }
            names[code] = b
        }
        let sections: [ReportSpec.Section] = try (root.child("sections")?.list ?? []).map {
            ReportSpec.Section(id: try $0.string("id"), title: try $0.bilingual("title"))
        }
        let language = root.child("language")?.string ?? "both"
        guard ["id", "en", "both"].contains(language) else { throw root.fail("'language' must be id, en or both") }
        var spec = ReportSpec(title: try root.bilingual("title"), survey: try root.bilingual("survey"), kabupatenNames: names,
                              source: try root.bilingual("source"), language: language, sections: sections,
                              protection: try protection(root.child("protection")))
        if let v = root.child("html_village_limit") {
            guard let n = v.double, n >= 0, n == n.rounded(), n < 1e9 else {
                throw v.fail("'html_village_limit' must be a whole number of villages (0 or more)")
            }
            spec.htmlVillageLimit = Int(n)
        }
        return spec
    }

    /// The optional `protection:` block: `method`, `threshold`, and for the cell key method `max_deviation`
    /// and `variance`. A `salt` key is refused: the salt is a secret of the run, never of the definition.
    static func protection(_ v: YAMLValue?) throws -> ProtectionSpec {
        guard let v else { return .default }
        guard v.entries != nil else { throw v.fail("'protection' must be a mapping (method, threshold, max_deviation, variance)") }
        var spec = ProtectionSpec.default
        for (key, value) in v.entries ?? [] {
            switch key {
            case "secondary_cost":
                guard let c = value.string.flatMap(ProtectionSpec.SecondaryCost.init(rawValue:)) else {
                    throw value.fail("'secondary_cost' must be persons or structure")
                }
                spec.secondaryCost = c
            case "tables":
                guard let entries = value.entries else { throw value.fail("'tables' must be a mapping from table id to its settings") }
                for (id, t) in entries {
                    guard t.entries != nil else { throw t.fail("expected a mapping (protect, publish_levels, method, threshold, max_deviation, variance)") }
                    spec.tables[id] = try tableProtection(t, keys: ["protect", "publish_levels", "method", "threshold", "max_deviation", "variance"])
                }
            case "method":
                guard let m = value.string.flatMap(ProtectionSpec.Method.init(rawValue:)) else {
                    throw value.fail("'method' must be suppression, cellkey or none")
                }
                spec.method = m
            case "threshold":
                guard let t = value.double, t == t.rounded(), t >= 1, t <= 1000 else { throw value.fail("'threshold' must be a whole number from 1 to 1000") }
                spec.threshold = Int(t)
            case "max_deviation":
                guard let d = value.double, d == d.rounded(), d >= 1, d <= 50 else { throw value.fail("'max_deviation' must be a whole number from 1 to 50") }
                spec.maxDeviation = Int(d)
            case "variance":
                guard let x = value.double, x > 0 else { throw value.fail("'variance' must be a positive number") }
                spec.variance = x
            case "salt":
                throw value.fail("the cell key salt must not be in the report definition; give it to the run with --salt or REGTAB_SALT")
            default:
                throw value.fail("unknown key '\(key)' (expected method, threshold, max_deviation, variance, secondary_cost, tables)")
            }
        }
        if spec.method == .cellkey, spec.variance >= Double(spec.maxDeviation * spec.maxDeviation) {
            throw v.fail("'variance' must be smaller than max_deviation squared (a perturbation within ±D has variance below D²)")
        }
        return spec
    }

    /// One table's protection settings. In `tables.yml` the keys are `protect`, `publish_levels` and a
    /// `protection:` mapping (method, threshold, max_deviation, variance); under `protection.tables.<id>`
    /// of `report.yml` all of them sit in one mapping. Only the keys present are set.
    static func tableProtection(_ v: YAMLValue, keys: Set<String>) throws -> TableProtectionSpec {
        var out = TableProtectionSpec()
        if let p = v.child("protect") {
            guard let b = p.bool else { throw p.fail("'protect' must be true or false") }
            out.protect = b
        }
        if let l = v.child("publish_levels") {
            guard let list = l.list, !list.isEmpty else { throw l.fail("'publish_levels' must be a non-empty list of desa, kecamatan, kabupaten") }
            var levels = Set<AreaLevel>()
            for x in list {
                guard let level = x.string.flatMap(AreaLevel.init(rawValue:)) else { throw x.fail("expected desa, kecamatan or kabupaten") }
                levels.insert(level)
            }
            // A published total with its parts unpublished is fine; parts without their total are not a BPS table.
            guard levels.contains(.kabupaten) else { throw l.fail("'publish_levels' must include kabupaten") }
            out.publishLevels = levels
        }
        let rule = keys.contains("protection") ? v.child("protection") : v
        if keys.contains("protection"), let rule, rule.entries == nil { throw rule.fail("'protection' must be a mapping (method, threshold, max_deviation, variance)") }
        for (key, value) in rule?.entries ?? [] {
            switch key {
            case "method":
                guard let m = value.string.flatMap(ProtectionSpec.Method.init(rawValue:)) else { throw value.fail("'method' must be suppression, cellkey or none") }
                out.method = m
            case "threshold":
                guard let t = value.double, t == t.rounded(), t >= 1, t <= 1000 else { throw value.fail("'threshold' must be a whole number from 1 to 1000") }
                out.threshold = Int(t)
            case "max_deviation":
                guard let d = value.double, d == d.rounded(), d >= 1, d <= 50 else { throw value.fail("'max_deviation' must be a whole number from 1 to 50") }
                out.maxDeviation = Int(d)
            case "variance":
                guard let x = value.double, x > 0 else { throw value.fail("'variance' must be a positive number") }
                out.variance = x
            case "salt":
                throw value.fail("the cell key salt must not be in the report definition; give it to the run with --salt or REGTAB_SALT")
            case "protect", "publish_levels" where !keys.contains("protection"):
                break
            default:
                guard keys.contains("protection") else { throw value.fail("unknown key '\(key)' (expected \(keys.sorted().joined(separator: ", ")))") }
                throw value.fail("unknown key '\(key)' (expected method, threshold, max_deviation, variance)")
            }
        }
        return out
    }
}
