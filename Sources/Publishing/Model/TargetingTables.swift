import Microdata
import Profile
import Tabulation

/// The presentation tables of the targeting section, laid out from the targeting cubes with the same
/// `TableBuilder` as every other table (specs are built here instead of read from `tables.yml`, because
/// their dimensions are programmes, not codebook variables). Every rate states its numerator and
/// denominator in a note.
public struct TargetingTables {
    public let builder: TableBuilder
    public let programmes: [ProgrammeSpec]

    public init(codebook: Codebook, report: ReportSpec, programmes: [ProgrammeSpec], extraProgrammes: [String]) {
        var programLabels: [String: Bilingual] = ["ANY": Bilingual(id: "Program apa pun", en: "Any programme"),
                                                  "_T": Bilingual(id: "Semua program", en: "All programmes")]
        for p in programmes { programLabels[p.id] = p.label }
        for p in extraProgrammes { programLabels[p] = Bilingual(id: "\(p) (di luar profil)", en: "\(p) (not in profile)") }
        let labels: [String: [String: Bilingual]] = [
            "program": programLabels, "program_a": programLabels, "program_b": programLabels,
            "source": ["registry": Bilingual(id: "Registrasi (pengakuan keluarga)", en: "Registry (self-reported)"),
                       "roster": Bilingual(id: "Daftar penerima kementerian", en: "Ministry rosters")],
        ]
        self.builder = TableBuilder(codebook: codebook, report: report, extraLabels: labels)
        self.programmes = programmes
    }

    static func m(_ id: String, _ idText: String, _ en: String, decimals: Int = 0) -> MeasureSpec {
        MeasureSpec(id: id, kind: .computed(decimals: decimals), label: Bilingual(id: idText, en: en))
    }

    /// Unit-neutral labels: PBI JKN and PIP count persons, the other programmes families (contract §2, rev. 2).
    static let targetingMeasures: [MeasureSpec] = [
        m(TargetingMeasure.families.id, "Keluarga", "Families"),
        m(TargetingMeasure.persons.id, "Jiwa", "Persons"),
        m(TargetingMeasure.eligible.id, "Layak", "Eligible"),
        m(TargetingMeasure.recipients.id, "Penerima", "Recipients"),
        m(TargetingMeasure.eligibleRecipients.id, "Layak dan menerima", "Eligible recipients"),
        m(TargetingMeasure.eligibleNonRecipients.id, "Layak tidak menerima (kesalahan eksklusi)", "Eligible non-recipients (exclusion errors)"),
        m(TargetingMeasure.ineligibleRecipients.id, "Tidak layak tetapi menerima (kesalahan inklusi)", "Ineligible recipients (inclusion errors)"),
        m(TargetingMeasure.coveragePct.id, "Cakupan (%)", "Coverage (%)", decimals: 1),
        m(TargetingMeasure.exclusionPct.id, "Tingkat kesalahan eksklusi (%)", "Exclusion error rate (%)", decimals: 1),
        m(TargetingMeasure.inclusionPct.id, "Tingkat kesalahan inklusi (%)", "Inclusion error rate (%)", decimals: 1),
    ]

    static let duplicateMeasures: [MeasureSpec] = [
        m(DuplicateMeasure.rosterRows.id, "Baris daftar", "Roster rows"),
        m(DuplicateMeasure.unmatchedRows.id, "Baris tidak terhubung", "Unmatched rows"),
        m(DuplicateMeasure.invalidNIKRows.id, "Baris NIK tidak sah", "Rows with invalid NIK"),
        m(DuplicateMeasure.duplicateNIKRows.id, "Baris NIK ganda dalam satu periode", "Duplicate-NIK rows within a period"),
        m(DuplicateMeasure.duplicateFamilies.id, "Keluarga tercatat ganda dalam satu periode", "Families listed twice in a period"),
        m(DuplicateMeasure.kkOnlyRows.id, "Baris terhubung hanya lewat No. KK", "Rows linked by No. KK only"),
        m(DuplicateMeasure.nonCurrentNIKRows.id, "Baris NIK anggota meninggal/pindah/tidak ditemukan", "Rows with the NIK of a member who died, moved or was not found"),
        m(DuplicateMeasure.exclusiveOverlap.id, "Keluarga menerima program yang tidak boleh digabung", "Families with programmes that must not be combined"),
        m(DuplicateMeasure.multiFamilyNIK.id, "Keluarga dengan NIK anggota yang juga di keluarga lain", "Families sharing a member NIK with another family"),
    ]

    /// The unit of every count, and each rate with its numerator and denominator.
    public static let rateNotes: [Bilingual] = [
        Bilingual(id: "PBI JKN dan PIP adalah bantuan perorangan: dihitung dalam jiwa (anggota keluarga saat ini). Program lain dan \"program apa pun\" dihitung dalam keluarga.", en: "PBI JKN and PIP are benefits of a person: counted in persons (current family members). Other programmes and \"any programme\" are counted in families."),
        Bilingual(id: "Cakupan = layak dan menerima ÷ layak × 100.", en: "Coverage = eligible recipients ÷ eligible × 100."),
        Bilingual(id: "Tingkat kesalahan eksklusi = layak tetapi tidak menerima ÷ layak × 100.", en: "Exclusion error rate = eligible non-recipients ÷ eligible × 100."),
        Bilingual(id: "Tingkat kesalahan inklusi = penerima yang tidak layak ÷ seluruh penerima × 100.", en: "Inclusion error rate = ineligible recipients ÷ all recipients × 100."),
        Bilingual(id: "Kelayakan menurut aturan profil (desil dan komposisi keluarga; BLT Desa hanya di desa, bukan kelurahan); keluarga tanpa desil tidak pernah layak.", en: "Eligibility follows the profile's rules (decile and family composition; BLT Desa only in a desa, not a kelurahan); families without a decile are never eligible."),
    ]

    static let sourceNote = Bilingual(
        id: "Registrasi = pengakuan keluarga atau anggota saat pendataan; daftar = penerima dalam daftar kementerian: keluarga yang terhubung melalui NIK atau No. KK, untuk PBI JKN dan PIP orang yang NIK-nya ada di daftar.",
        en: "Registry = the family's or member's own answer at registration; roster = listed in a ministry roster: families linked by NIK or No. KK, for PBI JKN and PIP the persons whose NIK is on the list.")

    /// Said wherever a roster figure would stand when no roster was supplied (contract §2 "No rosters").
    public static let noRosterNote = Bilingual(
        id: "Tidak ada daftar penerima kementerian yang diberikan: angka penerima dan cakupan adalah pengakuan keluarga sendiri saat registrasi.",
        en: "No ministry roster was supplied: recipient and coverage figures are the families' own answers at registration.")

    public func build(_ result: TargetingResult) -> [DisplayTable] {
        var tables: [DisplayTable] = []
        let t = result.targeting
        // Without a roster there is no roster source: the registry stands in everywhere, and says so.
        let sources = result.hasRoster ? ["registry", "roster"] : ["registry"]
        let main = result.hasRoster ? "roster" : "registry"
        let mainNotes = result.hasRoster ? [Self.sourceNote] : [Self.sourceNote, Self.noRosterNote]
        for (i, source) in sources.enumerated() {
            let spec = TableSpec(id: "targeting_summary_\(source)", number: "6.1.\(i + 1)", section: "targeting",
                                 title: source == "registry"
                                    ? Bilingual(id: "Ketepatan Sasaran Bantuan Sosial Menurut Program, Sumber: Registrasi", en: "Social Assistance Targeting by Programme, Source: Registry")
                                    : Bilingual(id: "Ketepatan Sasaran Bantuan Sosial Menurut Program, Sumber: Daftar Penerima", en: "Social Assistance Targeting by Programme, Source: Rosters"),
                                 unit: .family, dimensions: ["program", "source"], measures: Self.targetingMeasures,
                                 stub: .dimension("program"),
                                 columns: Self.targetingMeasures.map { ColumnBlock(measure: $0.id, by: [], fixed: ["source": source]) },
                                 notes: Self.rateNotes + mainNotes)
            tables.append(builder.build(t, spec: spec))
        }
        let sourceTitle = result.hasRoster ? Bilingual(id: "Daftar Penerima", en: "Rosters") : Bilingual(id: "Registrasi", en: "Registry")
        let byKecamatan: [(String, String, Bilingual, Bilingual)] = [
            (TargetingMeasure.coveragePct.id, "Cakupan Program Menurut Kecamatan", "Programme Coverage by Subdistrict", Self.rateNotes[1]),
            (TargetingMeasure.exclusionPct.id, "Tingkat Kesalahan Eksklusi Program Menurut Kecamatan", "Programme Exclusion Error Rate by Subdistrict", Self.rateNotes[2]),
            (TargetingMeasure.eligibleNonRecipients.id, "Layak yang Tidak Menerima Menurut Kecamatan, Desa/Kelurahan dan Program", "Eligible Non-recipients by Subdistrict, Village and Programme", Self.rateNotes[2]),
        ].map { ($0.0, $0.1, Bilingual(id: "\($0.1) (\(sourceTitle.id))", en: "\($0.2) (\(sourceTitle.en))"), $0.3) }
        for (n, (measure, _, title, note)) in byKecamatan.enumerated() {
            let spec = TableSpec(id: "targeting_\(measure)", number: "6.1.\(sources.count + 1 + n)", section: "targeting", title: title, unit: .family,
                                 dimensions: ["program", "source"], measures: Self.targetingMeasures,
                                 stub: measure == TargetingMeasure.eligibleNonRecipients.id ? .desa : .kecamatan,
                                 columns: [ColumnBlock(measure: measure, by: ["program"], fixed: ["source": main])],
                                 notes: [note, Self.rateNotes[0]] + mainNotes)
            tables.append(builder.build(t, spec: spec))
        }
        guard result.hasRoster else { return tables }   // agreement, overlap and duplicates need a roster
        let agreement = TableSpec(
            id: "targeting_agreement", number: "6.1.6", section: "targeting",
            title: Bilingual(id: "Kesesuaian Registrasi dan Daftar Penerima Menurut Program", en: "Agreement of Registry and Rosters by Programme"),
            unit: .family, dimensions: ["program"],
            measures: [Self.m("both", "Keduanya", "Both"), Self.m("registry_only", "Hanya registrasi", "Registry only"),
                       Self.m("roster_only", "Hanya daftar", "Roster only"), Self.m("neither", "Tidak keduanya", "Neither")],
            stub: .dimension("program"),
            columns: ["both", "registry_only", "roster_only", "neither"].map { ColumnBlock(measure: $0, by: []) },
            notes: [Self.rateNotes[0], Self.sourceNote])
        tables.append(builder.build(result.agreement, spec: agreement))
        let overlap = TableSpec(
            id: "targeting_overlap", number: "6.1.7", section: "targeting",
            title: Bilingual(id: "Keluarga Penerima Dua Program (Daftar Penerima)", en: "Families Receiving Two Programmes (Rosters)"),
            unit: .family, dimensions: ["program_a", "program_b"],
            measures: [Self.m("families", "Keluarga", "Families")],
            stub: .dimension("program_a"), columns: [ColumnBlock(measure: "families", by: ["program_b"])],
            notes: [Bilingual(id: "Diagonal = jumlah keluarga penerima program tersebut.", en: "Diagonal = families receiving that programme.")])
        tables.append(builder.build(result.overlap, spec: overlap))
        tables += duplicateTables(result.duplicates)
        return tables
    }

    /// The `duplicates` cube as three tables, because audits keep these findings apart and they must never be
    /// added up: payment problems on the rosters, the quality of linking the rosters to the registry, and the
    /// registry's own quality (contract §2, rev. 2).
    func duplicateTables(_ cube: ResultCube) -> [DisplayTable] {
        let multiArea = Bilingual(id: "Baris yang terhubung ke keluarga di beberapa desa dihitung sekali di setiap desa tersebut, sehingga jumlah desa dapat melebihi jumlah kecamatan.", en: "A row linked to families in several villages counts once in each of them, so villages can add up to more than their subdistrict.")
        let notApplicable = Bilingual(id: "… = tidak berlaku untuk program tersebut.", en: "… = not applicable to that programme.")
        func table(_ id: String, _ number: String, _ title: Bilingual, _ measures: [String], notes: [Bilingual]) -> DisplayTable {
            let spec = TableSpec(id: id, number: number, section: "targeting", title: title, unit: .family, dimensions: ["program"],
                                 measures: Self.duplicateMeasures, stub: .dimension("program"),
                                 columns: measures.map { ColumnBlock(measure: $0, by: []) }, notes: notes)
            var built = builder.build(cube, spec: spec)
            // The `_T` row carries only `multi_family_nik` (its own table): a row with no defined cell goes.
            built.rows.removeAll { row in !row.cells.isEmpty && row.cells.allSatisfy { $0.value == nil && $0.status == .notApplicable } }
            return built
        }
        let payment = table("duplicates_payment", "6.2.1",
            Bilingual(id: "Masalah Pembayaran dalam Daftar Penerima Menurut Program", en: "Payment Problems on the Rosters by Programme"),
            [DuplicateMeasure.duplicateNIKRows.id, DuplicateMeasure.duplicateFamilies.id, DuplicateMeasure.exclusiveOverlap.id, DuplicateMeasure.nonCurrentNIKRows.id],
            notes: [
                Bilingual(id: "Baris NIK ganda = baris dengan NIK sah yang muncul lebih dari sekali dalam daftar program pada periode pembayaran yang sama, dihitung selain yang pertama. Orang yang tercatat sekali di setiap periode bukan ganda.", en: "Duplicate-NIK rows = rows whose valid NIK appears more than once in the programme's roster within one payment period, counted beyond the first. A person listed once in each of two periods is not a duplicate."),
                Bilingual(id: "Keluarga tercatat ganda = keluarga yang terhubung ke dua baris atau lebih dari program yang sama pada periode yang sama.", en: "Families listed twice = families linked to two or more rows of the same programme in the same period."),
                Bilingual(id: "NIK anggota meninggal/pindah = baris dengan NIK anggota keluarga yang meninggal, pindah atau tidak ditemukan saat registrasi; dihitung di wilayah keluarga anggota tersebut.", en: "NIK of a member who died or moved = rows carrying the NIK of a family member who died, moved or was not found at registration; counted in that member's family's area."),
                multiArea, notApplicable,
            ])
        let linkage = table("duplicates_linkage", "6.2.2",
            Bilingual(id: "Kualitas Penautan Daftar Penerima ke Registrasi Menurut Program", en: "Linkage of the Rosters to the Registry by Programme"),
            [DuplicateMeasure.rosterRows.id, DuplicateMeasure.kkOnlyRows.id, DuplicateMeasure.unmatchedRows.id, DuplicateMeasure.invalidNIKRows.id],
            notes: [
                Bilingual(id: "Hanya lewat No. KK = baris yang tidak terhubung melalui NIK tetapi melalui No. KK; baris seperti itu tidak menunjuk orang tertentu.", en: "By No. KK only = rows that did not link by NIK but by No. KK; such a row names no particular person."),
                Bilingual(id: "Tidak terhubung = baris yang tidak terhubung ke keluarga mana pun; dihitung di desa menurut kode Kemendagri baris itu.", en: "Unmatched = rows linked to no family; counted in the village of the row's Kemendagri code."),
                multiArea,
            ])
        let registrySpec = TableSpec(
            id: "duplicates_registry", number: "6.2.3", section: "targeting",
            title: Bilingual(id: "Kualitas Registrasi: Keluarga dengan NIK Anggota yang Juga Tercatat di Keluarga Lain Menurut Kecamatan", en: "Registry Quality: Families Sharing a Member NIK with Another Family by Subdistrict"),
            unit: .family, dimensions: ["program"], measures: Self.duplicateMeasures, stub: .kecamatan,
            columns: [ColumnBlock(measure: DuplicateMeasure.multiFamilyNIK.id, by: [], fixed: ["program": TargetingResult.totalCode])],
            notes: [Bilingual(id: "Masalah kualitas data registrasi (satu NIK pada anggota saat ini di dua keluarga atau lebih), bukan masalah pembayaran.", en: "A registry data-quality problem (one NIK held by current members of two or more families), not a payment problem.")])
        let registry = builder.build(cube, spec: registrySpec)
        return [payment, linkage, registry]
    }
}
