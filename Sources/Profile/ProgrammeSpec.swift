/// A social-assistance programme of the profile (`rules.yml`): how eligibility and registry receipt are
/// decided, as rules over family and member variables.
public struct ProgrammeSpec: Sendable, Hashable {
    public var id: String
    public var label: Bilingual
    /// `family` programmes (PKH, BPNT, BLT Desa) pay a family; `person` programmes (PBI JKN, PIP) a person.
    public var unit: TableUnit
    public var eligible: String
    public var registryRecipient: String
}

/// Targeting rules of the profile.
public struct RulesSpec: Sendable, Hashable {
    /// Condition on a member record that makes it a current member (default `r404 in [1, 4]`).
    public var currentMember: String
    public var programmes: [ProgrammeSpec]
    public var exclusivePairs: [[String]]
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
}
