/// Everything the targeting diagnostics produce for one run: the published cubes, the facts the caller must
/// warn or add notes about, and the record-level lists that only ever go to the restricted output.
public struct TargetingResult: Sendable {
    /// Table `targeting`: area × `program` (profile programmes, `ANY`, then unknown roster programmes) ×
    /// `source` (`registry`, `roster`) × `TargetingResult.targetingMeasures` (contract §2 "Targeting measures").
    public var targeting: ResultCube
    /// Table `duplicates`: area × `program` (profile programmes, unknown roster programmes, `_T`) ×
    /// `TargetingResult.duplicateMeasures` (contract §2 "Duplicate-recipient measures").
    public var duplicates: ResultCube
    /// Table `targeting_overlap`: area × `program_a` × `program_b` (profile + unknown programmes) × `families`:
    /// families that are roster recipients of both; the diagonal is the roster recipients of that programme.
    public var overlap: ResultCube
    /// Table `targeting_agreement`: area × `program` (profile programmes) × `both`, `registry_only`, `roster_only`,
    /// `neither` — families by whether the self-report and the roster agree that they receive it.
    public var agreement: ResultCube
    /// Roster programme names that are not profile programmes, as tabulated (sorted); the caller warns.
    public var unknownProgrammes: [String]
    /// Whether a roster was supplied. Without one, `targeting` has the registry source only and
    /// `duplicates`, `overlap` and `agreement` are empty and must not be published (`publishedCubes`).
    public var hasRoster = true
    /// The source key figures, rankings and the briefing read: `roster` when a roster was supplied, else
    /// `registry` (the families' own answers), and they say which.
    public var mainSource: String { hasRoster ? Self.sources[1] : Self.sources[0] }
    /// The cubes to protect and publish: all four with a roster, `targeting` alone without.
    public var publishedCubes: [ResultCube] { hasRoster ? [targeting, duplicates, overlap, agreement] : [targeting] }
    /// Puts protected cubes back, in `publishedCubes` order.
    public mutating func replacePublishedCubes(_ cubes: [ResultCube]) {
        targeting = cubes[0]
        if hasRoster { duplicates = cubes[1]; overlap = cubes[2]; agreement = cubes[3] }
    }
    /// Person programmes (profile codes, counted in persons), for notes and labels.
    public var personProgrammes: [String] = []
    /// Unmatched roster rows whose Kemendagri village code is not in `wilayah.csv`: in no area of any table.
    public var unplaceableRosterRows: Int
    /// Roster rows linked to families in more than one village. When > 0 the `duplicates` table needs the
    /// contract's note: villages may add up to more than their kecamatan.
    public var multiAreaRows: Int
    /// Roster rows whose programme name is empty or a reserved cube code (`ANY`, `_T`, `_Z`): not tabulated
    /// anywhere (a dimension code cannot be empty or collide with a total); the caller reports them.
    public var unusableProgrammeRows: Int
    /// Restricted output only (never published): families that are eligible and not recipients, per
    /// programme (profile programmes and `ANY`) and source, in programme, source, family order. Empty when
    /// `compute` was asked not to build record lists.
    public var eligibleNonRecipients: [(programme: String, source: String, family: Int32)]
    /// Restricted output only (never published): the records behind the duplicate measures. `category` is
    /// one of `duplicate_nik`, `duplicate_family`, `non_current_nik`, `exclusive_overlap`, `multi_family_nik`; see
    /// `DuplicateMeasures` for what each lists. `nik` is the roster's NIK as given, or the member's NIK
    /// for `multi_family_nik`.
    public var duplicateRecords: [(category: String, programme: String, rosterLine: Int?, family: Int32?, nik: String)]

    /// Measures of the `targeting` table, in output order.
    /// The first is the unit count of the row: `families` for family programmes and `ANY`, `persons`
    /// (current members) for person programmes (contract §2, rev. 2); the other is absent.
    public static let targetingMeasures = TargetingMeasure.allCases.map(\.id)
    /// Measures of the `duplicates` table, in output order.
    public static let duplicateMeasures = DuplicateMeasure.allCases.map(\.id)
    /// Measures of the `agreement` table, in output order.
    public static let agreementMeasures = ["both", "registry_only", "roster_only", "neither"]
    /// Codes of the `source` dimension.
    public static let sources = ["registry", "roster"]
    /// The `program` code of "any profile programme" in `targeting`.
    public static let anyProgramme = "ANY"
    /// The `program` code of the programme-independent row of `duplicates`.
    public static let totalCode = "_T"
}
