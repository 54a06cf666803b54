import Profile
import Tabulation

/// The BPS table symbols, in one place so that the Excel, Markdown and HTML outputs and the legend in the notes
/// can never disagree about which mark means what.
public enum CellSymbols {
    /// "-": nil or zero. BPS prints a dash instead of "0" so that a true zero is not mistaken for a missing figure.
    public static let zero = "-"
    /// "…": data not available or not applicable (e.g. a rate whose denominator is zero).
    public static let notAvailable = "…"
    /// "x": confidential, suppressed by disclosure control. Older BPS publications use "x" for this.
    public static let confidential = "x"

    /// Legend lines for the general notes, one per symbol, in the order BPS lists them.
    public static let legend: [Bilingual] = [
        Bilingual(id: "- : nihil atau nol", en: "- : nil or zero"),
        Bilingual(id: "… : data tidak tersedia atau tidak berlaku", en: "… : data not available or not applicable"),
        Bilingual(id: "x : dirahasiakan (tidak ditampilkan untuk melindungi kerahasiaan data individu)",
                  en: "x : confidential (not shown to protect individual data)"),
    ]

    /// Short explanation of one symbol, e.g. for an HTML `<abbr title>`; nil for text that is not a symbol.
    public static func meaning(of symbol: String) -> Bilingual? {
        switch symbol {
        case zero: Bilingual(id: "nihil atau nol", en: "nil or zero")
        case notAvailable: Bilingual(id: "data tidak tersedia", en: "data not available")
        case confidential: Bilingual(id: "dirahasiakan", en: "confidential")
        default: nil
        }
    }

    /// The symbol that replaces a cell's number, or nil when the number itself is shown.
    /// Status wins over value: a confidential cell never shows its value even if the engine left one in.
    public static func symbol(for cell: DisplayCell) -> String? {
        switch cell.status {
        case .confidential: return confidential
        case .notApplicable: return notAvailable
        case .value:
            guard let v = cell.value, v.isFinite else { return notAvailable }
            return v == 0 ? zero : nil
        }
    }
}
