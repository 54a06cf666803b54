import Microdata

/// The record-level part of a run — family keys, No. KK, heads' names and NIKs, the roster's rows with their
/// NIKs and names, the families behind the targeting and duplicate measures — apart from the published
/// result, so that disclosure control and publishing never hold a NIK, No. KK or name: `ReportRun` splits
/// the engine's result with `EngineResult.separatingRecords()` before `Protection.apply`, and only the
/// restricted lists (`--restricted`) read this.
public struct RecordLists: Sendable {
    public var areas: AreaIndex
    /// Per tabulated family: village index, No. KK, key text, head's name and NIK, welfare rank.
    public var familyVillage: [Int32]
    public var familyKK: PackedTextColumn
    public var familyKeys: [String]
    public var headName: [String]
    public var headNIK: [String]
    public var familyRank: [Double]
    public var roster: RosterTable
    public var eligibleNonRecipients: [(programme: String, source: String, family: Int32)]
    public var duplicateRecords: [(category: String, programme: String, rosterLine: Int?, family: Int32?, nik: String)]
}

extension EngineResult {
    /// The published part (every cube, the accounting, the areas; no record-level field) and the record lists.
    public func separatingRecords() -> (published: EngineResult, records: RecordLists) {
        let records = RecordLists(areas: areas, familyVillage: familyVillage, familyKK: familyKK, familyKeys: familyKeys,
                                  headName: headName, headNIK: headNIK, familyRank: familyRank, roster: roster,
                                  eligibleNonRecipients: targeting.eligibleNonRecipients, duplicateRecords: targeting.duplicateRecords)
        var published = self
        published.familyVillage = []; published.familyKK = PackedTextColumn(); published.familyKeys = []
        published.headName = []; published.headNIK = []; published.familyRank = []; published.roster = RosterTable()
        published.targeting.eligibleNonRecipients = []; published.targeting.duplicateRecords = []
        return (published, records)
    }

    /// True when the result holds no record-level field (what `separatingRecords` leaves).
    public var holdsNoRecords: Bool {
        familyVillage.isEmpty && familyKK.count == 0 && familyKeys.isEmpty && headName.isEmpty && headNIK.isEmpty
            && familyRank.isEmpty && roster.count == 0 && targeting.eligibleNonRecipients.isEmpty && targeting.duplicateRecords.isEmpty
    }
}
