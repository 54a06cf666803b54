/// A social-assistance programme of the profile (`rules.yml`): how eligibility and registry receipt are
/// decided, as rules over family and member variables.
public struct ProgrammeSpec: Sendable, Hashable {
    public var id: String
    public var label: Bilingual
    /// `family` programmes (PKH, BPNT, BLT Desa) pay a family; `person` programmes (PBI JKN, PIP) a person.
    /// A person programme's `eligible` and `registryRecipient` are rules over one current member (family
    /// variables visible), and its targeting measures count persons (contract §2, rev. 2).
    public var unit: TableUnit
    public var eligible: String
    public var registryRecipient: String
}

/// A text column of the area file (`wilayah.csv`) that rules may read as `area.<name>`, e.g. `jenis`
/// (`desa` or `kelurahan`: only a desa receives Dana Desa, so only its families can be BLT Desa-eligible).
/// Rules compare it with one of `values` (`area.jenis = "desa"`); any other text in the file is missing.
public struct AreaAttributeSpec: Sendable, Hashable {
    public var name: String
    public var values: [String]
    /// The name rules use: `area.<name>`.
    public var variable: String { "area." + name }
    public init(name: String, values: [String]) { self.name = name; self.values = values }
}

/// Targeting rules of the profile.
public struct RulesSpec: Sendable, Hashable {
    /// Condition on a member record that makes it a current member (`current_member`, required; Regsosek:
    /// presence code 1 or 4).
    public var currentMember: String
    /// Condition on a member record that makes it a member who died, moved or was not found
    /// (`departed_member`; Regsosek: presence code 2, 3 or 5): a roster NIK of such a member does not link by
    /// NIK and is counted as `non_current_nik_rows` (contract §2, rev. 2).
    /// Without `departed_member` in rules.yml no member counts as departed (a rule that is never true).
    public var departedMember: String = "1 = 2"
    public var programmes: [ProgrammeSpec]
    public var exclusivePairs: [[String]]
    /// Area attributes rules may read (`area.<name>`).
    public var areaAttributes: [AreaAttributeSpec] = []
    /// The family variable that ranks welfare (`welfare_rank:`, the Regsosek profile's `desil`): shown in the
    /// restricted verification list, which a village sorts by it. Nil: not shown.
    public var welfareRank: String? = nil
}

/// Presentation settings of the report (`report.yml`).
public struct ReportSpec: Sendable, Hashable {
    public struct Section: Sendable, Hashable { public var id: String; public var title: Bilingual }
    public var title: Bilingual
    public var survey: Bilingual
    public var kabupatenNames: [String: Bilingual]
    public var source: Bilingual
    public var language: String
    public var sections: [Section]
    /// Disclosure control (`protection:`); `ProtectionSpec.default` when the block is absent.
    public var protection: ProtectionSpec = .default
    /// `html_village_limit`: with more villages than this, report.html shows the village tables at kecamatan
    /// level (the village rows stay in the workbook, the Markdown, the CSV twins and the village profiles): at
    /// 7,750 villages the page is 32 MB, at the country's ~83,000 some 400 MB, more than a browser opens.
    public var htmlVillageLimit: Int = ReportSpec.defaultHTMLVillageLimit
    /// A province's order (Jambi: 1,585 villages; Jawa Tengah: ~8,500) is below it; a report over several provinces is not.
    public static let defaultHTMLVillageLimit = 5_000
}
