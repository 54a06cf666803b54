import Profile

/// How a `Bilingual` text is shown in a given report language. Every renderer goes through here so that a label reads
/// the same in the workbook, the Markdown notes and the HTML report.
public enum LabelText {
    /// The text on one line: `id` → Indonesian, `en` → English, `both` → "Indonesian / English" (BPS puts the English
    /// after a slash). A label that is the same in both languages (a place name, "(%)") is shown once.
    /// `separator` lets fixed captions use the compact BPS form "Catatan/Note".
    public static func line(_ text: Bilingual, _ language: Language, separator: String = " / ") -> String {
        let (primary, secondary) = parts(text, language)
        guard let secondary else { return primary }
        return primary + separator + secondary
    }

    /// The text as a primary line plus an optional English line, for layouts that stack the English beneath the
    /// Indonesian (HTML `<span lang="en">`, two title rows in Excel). `secondary` is nil unless `language` is `both`
    /// and the English differs.
    public static func parts(_ text: Bilingual, _ language: Language) -> (primary: String, secondary: String?) {
        switch language {
        case .id: return (text.id, nil)
        case .en: return (text.en, nil)
        case .both: return text.id == text.en ? (text.id, nil) : (text.id, text.en)
        }
    }

    /// A table title with its number, as separate Indonesian and English lines ("Tabel 3.1.2 …" / "Table 3.1.2 …"),
    /// because BPS repeats the number in both title lines rather than writing "Tabel/Table".
    public static func numberedTitle(number: String, title: Bilingual) -> Bilingual {
        func join(_ word: String, _ text: String) -> String {
            let prefix = number.isEmpty ? word : "\(word) \(number)"
            return text.isEmpty ? prefix : "\(prefix) \(text)"
        }
        return Bilingual(id: join("Tabel", title.id), en: join("Table", title.en))
    }
}
