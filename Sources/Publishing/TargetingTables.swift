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

    static let targetingMeasures: [MeasureSpec] = [
        m("families", "Keluarga", "Families"),
        m("eligible", "Keluarga layak", "Eligible families"),
        m("recipients", "Keluarga penerima", "Recipient families"),
        m("eligible_recipients", "Layak dan menerima", "Eligible recipients"),
        m("eligible_non_recipients", "Layak tidak menerima (salah eksklusi)", "Eligible non-recipients (exclusion errors)"),
        m("ineligible_recipients", "Tidak layak menerima (salah inklusi)", "Ineligible recipients (inclusion errors)"),
        m("coverage_pct", "Cakupan (%)", "Coverage (%)", decimals: 1),
        m("exclusion_pct", "Tingkat eksklusi (%)", "Exclusion rate (%)", decimals: 1),
        m("inclusion_pct", "Tingkat inklusi (%)", "Inclusion rate (%)", decimals: 1),
    ]

    static let duplicateMeasures: [MeasureSpec] = [
        m("roster_rows", "Baris daftar", "Roster rows"),
        m("unmatched_rows", "Baris tidak terhubung", "Unmatched rows"),
        m("invalid_nik_rows", "Baris NIK tidak sah", "Rows with invalid NIK"),
        m("duplicate_nik_rows", "Baris NIK ganda", "Duplicate-NIK rows"),
        m("duplicate_families", "Keluarga tercatat ganda", "Families listed twice"),
        m("exclusive_overlap", "Keluarga menerima program yang tidak boleh digabung", "Families with programmes that must not be combined"),
        m("multi_family_nik", "Keluarga dengan NIK anggota yang juga di keluarga lain", "Families sharing a member NIK with another family"),
    ]

    static let rateNotes: [Bilingual] = [
        Bilingual(id: "Cakupan = keluarga layak yang menerima ÷ keluarga layak × 100.", en: "Coverage = eligible recipients ÷ eligible families × 100."),
        Bilingual(id: "Tingkat eksklusi = keluarga layak yang tidak menerima ÷ keluarga layak × 100.", en: "Exclusion rate = eligible non-recipients ÷ eligible families × 100."),
        Bilingual(id: "Tingkat inklusi = penerima yang tidak layak ÷ seluruh penerima × 100.", en: "Inclusion rate = ineligible recipients ÷ all recipients × 100."),
        Bilingual(id: "Kelayakan menurut aturan profil (desil dan komposisi keluarga); keluarga tanpa desil tidak pernah layak.", en: "Eligibility follows the profile's rules (decile and family composition); families without a decile are never eligible."),
    ]

    static let sourceNote = Bilingual(
        id: "Registrasi = pengakuan keluarga saat pendataan (r501, r431); daftar = penerima dalam daftar kementerian yang terhubung ke keluarga melalui NIK atau No. KK.",
        en: "Registry = the family's own answer at registration (r501, r431); roster = listed in a ministry roster and linked to the family by NIK or No. KK.")

    public func build(_ result: TargetingResult) -> [DisplayTable] {
        var tables: [DisplayTable] = []
        let t = result.targeting
        for (i, source) in ["registry", "roster"].enumerated() {
            let spec = TableSpec(id: "targeting_summary_\(source)", number: "6.1.\(i + 1)", section: "targeting",
                                 title: source == "registry"
                                    ? Bilingual(id: "Ketepatan Sasaran Bantuan Sosial Menurut Program, Sumber: Registrasi", en: "Social Assistance Targeting by Programme, Source: Registry")
                                    : Bilingual(id: "Ketepatan Sasaran Bantuan Sosial Menurut Program, Sumber: Daftar Penerima", en: "Social Assistance Targeting by Programme, Source: Rosters"),
                                 unit: .family, dimensions: ["program", "source"], measures: Self.targetingMeasures,
                                 stub: .dimension("program"),
                                 columns: Self.targetingMeasures.dropFirst().map { ColumnBlock(measure: $0.id, by: [], fixed: ["source": source]) },
                                 notes: Self.rateNotes + [Self.sourceNote])
            tables.append(builder.build(t, spec: spec))
        }
        let byKecamatan: [(String, String, Bilingual, Bilingual)] = [
            ("coverage_pct", "6.1.3", Bilingual(id: "Cakupan Program Menurut Kecamatan (Daftar Penerima)", en: "Programme Coverage by Subdistrict (Rosters)"), Self.rateNotes[0]),
            ("exclusion_pct", "6.1.4", Bilingual(id: "Tingkat Eksklusi Program Menurut Kecamatan (Daftar Penerima)", en: "Programme Exclusion Rate by Subdistrict (Rosters)"), Self.rateNotes[1]),
            ("eligible_non_recipients", "6.1.5", Bilingual(id: "Keluarga Layak yang Tidak Menerima Menurut Kecamatan, Desa/Kelurahan dan Program (Daftar Penerima)", en: "Eligible Non-recipient Families by Subdistrict, Village and Programme (Rosters)"), Self.rateNotes[1]),
        ]
        for (measure, number, title, note) in byKecamatan {
            let spec = TableSpec(id: "targeting_\(measure)", number: number, section: "targeting", title: title, unit: .family,
                                 dimensions: ["program", "source"], measures: Self.targetingMeasures,
                                 stub: measure == "eligible_non_recipients" ? .desa : .kecamatan,
                                 columns: [ColumnBlock(measure: measure, by: ["program"], fixed: ["source": "roster"])],
                                 notes: [note, Self.sourceNote])
            tables.append(builder.build(t, spec: spec))
        }
        let agreement = TableSpec(
            id: "targeting_agreement", number: "6.1.6", section: "targeting",
            title: Bilingual(id: "Kesesuaian Registrasi dan Daftar Penerima Menurut Program", en: "Agreement of Registry and Rosters by Programme"),
            unit: .family, dimensions: ["program"],
            measures: [Self.m("both", "Keduanya", "Both"), Self.m("registry_only", "Hanya registrasi", "Registry only"),
                       Self.m("roster_only", "Hanya daftar", "Roster only"), Self.m("neither", "Tidak keduanya", "Neither")],
            stub: .dimension("program"),
            columns: ["both", "registry_only", "roster_only", "neither"].map { ColumnBlock(measure: $0, by: []) },
            notes: [Self.sourceNote])
        tables.append(builder.build(result.agreement, spec: agreement))
        let overlap = TableSpec(
            id: "targeting_overlap", number: "6.1.7", section: "targeting",
            title: Bilingual(id: "Keluarga Penerima Dua Program (Daftar Penerima)", en: "Families Receiving Two Programmes (Rosters)"),
            unit: .family, dimensions: ["program_a", "program_b"],
            measures: [Self.m("families", "Keluarga", "Families")],
            stub: .dimension("program_a"), columns: [ColumnBlock(measure: "families", by: ["program_b"])],
            notes: [Bilingual(id: "Diagonal = jumlah keluarga penerima program tersebut.", en: "Diagonal = families receiving that programme.")])
        tables.append(builder.build(result.overlap, spec: overlap))
        let dup = TableSpec(
            id: "duplicates_summary", number: "6.2.1", section: "targeting",
            title: Bilingual(id: "Penerima Ganda dan Masalah Data Daftar Penerima Menurut Program", en: "Duplicate Recipients and Roster Data Problems by Programme"),
            unit: .family, dimensions: ["program"], measures: Self.duplicateMeasures, stub: .dimension("program"),
            columns: Self.duplicateMeasures.map { ColumnBlock(measure: $0.id, by: []) },
            notes: [
                Bilingual(id: "Baris NIK ganda = baris dengan NIK sah yang muncul lebih dari sekali dalam daftar program, dihitung selain yang pertama.", en: "Duplicate-NIK rows = rows whose valid NIK appears more than once in the programme's roster, counted beyond the first."),
                Bilingual(id: "Baris yang terhubung ke keluarga di beberapa desa dihitung sekali di setiap desa tersebut, sehingga jumlah desa dapat melebihi jumlah kecamatan.", en: "A row linked to families in several villages counts once in each of them, so villages can add up to more than their subdistrict."),
                Bilingual(id: "… = tidak berlaku untuk program tersebut.", en: "… = not applicable to that programme."),
            ])
        tables.append(builder.build(result.duplicates, spec: dup))
        return tables
    }
}
