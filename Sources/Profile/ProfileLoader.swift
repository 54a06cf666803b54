import Foundation
import Yams
import Microdata

/// A problem in a report definition, named by file and place so a user editing YAML can find it.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String
    public init(file: String, path: String, message: String) { self.file = file; self.path = path; self.message = message }
    public var description: String { "\(file): \(path.isEmpty ? "" : path + ": ")\(message)" }
}

/// A report definition loaded and validated once: `codebook.yml`, `tables.yml`, `rules.yml`, `report.yml`
/// from one folder under `reports/`. Rules are compiled (and so type-checked) by the engine's plan.
public struct Profile: Sendable {
    public var directory: String
    public var codebook: Codebook
    /// The roles of the input columns; `Profile.load` requires them.
    public var layout: Layout { codebook.layout! }
    public var tables: [TableSpec]
    public var rules: RulesSpec
    public var report: ReportSpec
    /// SHA-256 of the four files, in a fixed order (provenance: which spec produced a report).
    public var specHash: String

    public static let fileNames = ["codebook.yml", "tables.yml", "rules.yml", "report.yml"]

    public static func load(directory: String) throws -> Profile {
        var texts: [String: String] = [:]
        for name in fileNames {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8) else {
                throw ProfileError(file: path, path: "", message: "cannot read the file (a report definition folder holds \(fileNames.joined(separator: ", ")))")
            }
            texts[name] = text
        }
        func yaml(_ name: String) throws -> YAMLValue {
            do {
                guard let any = try Yams.load(yaml: texts[name]!) else { return YAMLValue(any: [String: Any](), file: name, path: "") }
                return YAMLValue(any: any, file: name, path: "")
            } catch {
                throw ProfileError(file: name, path: "", message: "not valid YAML: \(error)")
            }
        }
        let codebook = try CodebookLoader.load(try yaml("codebook.yml"))
        guard codebook.layout != nil else {
            throw ProfileError(file: "codebook.yml", path: "layout", message: "missing: the roles of the input columns (files, family_id, area, …; see reports/regsosek/codebook.yml)")
        }
        let tables = try TablesLoader.load(try yaml("tables.yml"), codebook: codebook)
        let rules = try RulesLoader.load(try yaml("rules.yml"))
        let report = try ReportLoader.load(try yaml("report.yml"))
        for t in tables where !report.sections.contains(where: { $0.id == t.section }) {
            throw ProfileError(file: "tables.yml", path: "table '\(t.id)'", message: "section '\(t.section)' is not defined in report.yml")
        }
        // Per-table protection: ids of `protection.tables` must name a table, and every table's resolved
        // cell key parameters must be valid.
        let ids = Set(tables.map(\.id)).union(ProtectionSpec.engineTables)
        for id in report.protection.tables.keys.sorted() where !ids.contains(id) {
            throw ProfileError(file: "report.yml", path: "protection.tables", message: "'\(id)' is not a table of tables.yml nor one of \(ProtectionSpec.engineTables.joined(separator: ", "))")
        }
        for id in tables.map(\.id) + ProtectionSpec.engineTables {
            let rule = report.protection.policy(for: id, own: tables.first { $0.id == id }?.protection ?? TableProtectionSpec()).rule
            if rule.method == .cellkey, rule.variance >= Double(rule.maxDeviation * rule.maxDeviation) {
                throw ProfileError(file: "report.yml", path: "protection", message: "table '\(id)': 'variance' must be smaller than max_deviation squared")
            }
        }
        var joined = ""
        for name in fileNames { joined += "--- \(name)\n" + texts[name]! }
        return Profile(directory: directory, codebook: codebook, tables: tables, rules: rules, report: report,
                       specHash: SHA256.hex(Array(joined.utf8)))
    }
}

/// A YAML value with its location, so every loader error names the file and the path inside it.
struct YAMLValue {
    let any: Any
    let file: String
    let path: String

    func fail(_ message: String) -> ProfileError { ProfileError(file: file, path: path, message: message) }

    func child(_ key: String) -> YAMLValue? {
        guard let dict = any as? [String: Any], let v = dict[key], !(v is NSNull) else { return nil }
        return YAMLValue(any: v, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }
    func required(_ key: String) throws -> YAMLValue {
        guard let v = child(key) else { throw fail("missing '\(key)'") }
        return v
    }
    var string: String? {
        switch any {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return b ? "true" : "false"
        default: return nil
        }
    }
    func string(_ key: String) throws -> String {
        let v = try required(key)
        guard let s = v.string else { throw v.fail("expected text") }
        return s
    }
    var double: Double? {
        switch any {
        case let i as Int: return Double(i)
        case let d as Double: return d
        case let s as String: return Double(s)
        default: return nil
        }
    }
    var bool: Bool? { any as? Bool }
    var list: [YAMLValue]? {
        guard let a = any as? [Any] else { return nil }
        return a.enumerated().map { YAMLValue(any: $0.element, file: file, path: "\(path)[\($0.offset)]") }
    }
    /// Mapping entries in a stable order (YAML mappings are unordered once loaded).
    var entries: [(key: String, value: YAMLValue)]? {
        guard let dict = any as? [String: Any] else { return nil }
        return dict.keys.sorted().map { k in (k, YAMLValue(any: dict[k]!, file: file, path: path.isEmpty ? k : "\(path).\(k)")) }
    }
    var bilingual: Bilingual? {
        if let s = string { return Bilingual(s) }
        guard let id = child("id")?.string, let en = child("en")?.string else { return nil }
        return Bilingual(id: id, en: en)
    }
    func bilingual(_ key: String) throws -> Bilingual {
        let v = try required(key)
        guard let b = v.bilingual else { throw v.fail("expected a label {id: ..., en: ...}") }
        return b
    }
}
