import Profile

/// The fixed captions the renderers add around the data ("Catatan/Note", "Sumber/Source", …). Kept apart from the
/// templates so the three outputs use the same wording and a translation fix lands everywhere at once.
public enum ReportLabels {
    public static let contents = Bilingual(id: "Isi", en: "Contents")
    public static let keyFigures = Bilingual(id: "Angka Penting", en: "Key Figures")
    public static let note = Bilingual(id: "Catatan", en: "Note")
    public static let notes = Bilingual(id: "Catatan", en: "Notes")
    public static let generalNotes = Bilingual(id: "Catatan Umum", en: "General Notes")
    public static let source = Bilingual(id: "Sumber", en: "Source")
    public static let tableNumber = Bilingual(id: "No. Tabel", en: "Table No.")
    public static let title = Bilingual(id: "Judul", en: "Title")
    public static let tableData = Bilingual(id: "Data tabel (CSV)", en: "Table data (CSV)")
    public static let accounting = Bilingual(id: "Rekapitulasi Rekaman Data", en: "Record Accounting")
    public static let accountingFile = Bilingual(id: "Berkas", en: "File")
    public static let accountingKind = Bilingual(id: "Jenis", en: "Kind")
    public static let accountingLabel = Bilingual(id: "Keterangan", en: "Description")
    public static let accountingCount = Bilingual(id: "Jumlah", en: "Count")
    public static let charts = Bilingual(id: "Grafik", en: "Charts")
    public static let figure = Bilingual(id: "Gambar", en: "Figure")
    public static let sheet = Bilingual(id: "Lembar", en: "Sheet")
    public static let chartData = Bilingual(id: "Data grafik", en: "Chart data")
    /// Under a chart: which points are not drawn and why.
    public static let chartLeftOut = Bilingual(id: "Nilai x (dirahasiakan) dan … (tidak berlaku) tidak digambar.",
                                               en: "Values x (confidential) and … (not applicable) are not drawn.")
    /// Under a chart's data block in the workbook, where such values are empty cells.
    public static let chartLeftOutExcel = Bilingual(id: "Sel kosong = x (dirahasiakan) atau … (tidak berlaku); tidak digambar.",
                                                    en: "Empty cells = x (confidential) or … (not applicable); not drawn.")
    public static let dataTable = Bilingual(id: "Data dalam tabel", en: "Data in table")
    public static let producedWith = Bilingual(id: "Dibuat dengan", en: "Produced with")
    public static let manifest = Bilingual(id: "Rincian asal data (manifest.json)", en: "Data provenance (manifest.json)")
    public static let briefingLink = Bilingual(id: "Ringkasan satu halaman (briefing.html)", en: "One-page briefing (briefing.html)")

    /// The name of an accounting line's kind, as shown in the "Kind" column.
    public static func kind(_ kind: AccountingLine.Kind) -> Bilingual {
        switch kind {
        case .read: Bilingual(id: "Dibaca", en: "Read")
        case .tabulated: Bilingual(id: "Ditabulasi", en: "Tabulated")
        case .excluded: Bilingual(id: "Dikecualikan", en: "Excluded")
        case .warning: Bilingual(id: "Peringatan", en: "Warning")
        }
    }

    /// "Catatan/Note: text" — the caption in compact BPS form followed by the text on the same line.
    static func captioned(_ caption: Bilingual, _ text: Bilingual, _ language: Language) -> String {
        LabelText.line(caption, language, separator: "/") + ": " + LabelText.line(text, language)
    }

    /// The note lines under a table: a single note on the caption's line ("Catatan/Note: …"), several notes as a
    /// numbered list under the caption, as BPS tables print them.
    static func noteLines(_ notes: [Bilingual], _ language: Language) -> [String] {
        switch notes.count {
        case 0: return []
        case 1: return [captioned(note, notes[0], language)]
        default:
            return [LabelText.line(note, language, separator: "/") + ":"]
                + notes.enumerated().map { "\($0.offset + 1). " + LabelText.line($0.element, language) }
        }
    }

    /// "Sumber/Source: …".
    static func sourceLine(_ text: Bilingual, _ language: Language) -> String {
        captioned(source, text, language)
    }
}
