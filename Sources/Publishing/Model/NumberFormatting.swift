/// Formats numbers for the Markdown and HTML reports (Excel keeps real numbers and lets the reader's locale format them).
///
/// Written by hand instead of with `NumberFormatter` so the output never depends on the machine's locale or ICU data:
/// the golden files must be byte-identical on every machine, and a BPS table must show 1.234.567 even when it is
/// produced on an English system.
public enum NumberFormatting {
    /// Formats `v` in the digit grouping of `language`: Indonesian (`id`, `both`) 1.234.567 and 12,5;
    /// English 1,234,567 and 12.5. Exact zero is shown as the BPS dash ("-"), non-finite values as "…".
    ///
    /// Rounding is half away from zero on the shortest decimal representation of `v`, so 1.005 with two decimals
    /// gives 1,01 as a reader expects from the digits, where binary rounding (1.00499999…) would give 1,00.
    public static func format(_ v: Double, style: NumberStyle, language: Language) -> String {
        format(v, style: style, language: language, shortcuts: true)
    }

    /// `format`; `shortcuts` false leaves out the two shortcuts below (the test that they give the same text as
    /// the digit path).
    static func format(_ v: Double, style: NumberStyle, language: Language, shortcuts: Bool) -> String {
        guard v.isFinite else { return CellSymbols.notAvailable }
        if v == 0 { return CellSymbols.zero }
        let decimals: Int
        switch style {
        case .integer: decimals = 0
        case .decimal(let n): decimals = max(0, n)
        }
        let separators = Separators(language)
        // Whole numbers (most cells: counts) need no rounding: their digits are those of the integer. Below 2⁵³
        // every whole double is exact, so this gives the same text as the digit path, without its arrays.
        if shortcuts, v.magnitude < 9.0e15, v == v.rounded(.towardZero) {
            var text = v < 0 ? "-" : ""
            text += grouped(Int(v.magnitude), by: separators.thousands)
            if decimals > 0 { text += separators.decimal + String(repeating: "0", count: decimals) }
            return text
        }
        // Shares and rates: x = |v| × 10^decimals rounded in binary gives the same integer as rounding the
        // shortest decimal digits of v, unless x lies within a few units in the last place of a half (the shortest
        // digits are within half a unit of v, the product within half a unit of x): there the digit path decides.
        if shortcuts, decimals <= 6, v.magnitude < 1e9 {
            let scale = Self.powersOfTen[decimals]
            let x = v.magnitude * scale
            let margin = 8 * (v.magnitude.ulp * scale + x.ulp)
            if abs(x - x.rounded(.down) - 0.5) > margin {
                let n = Int(x.rounded(.toNearestOrAwayFromZero)), unit = Int(scale)
                var text = v < 0 && n != 0 ? "-" : ""
                text += grouped(n / unit, by: separators.thousands)
                if decimals > 0 {
                    let fraction = String(n % unit)
                    text += separators.decimal + String(repeating: "0", count: decimals - fraction.utf8.count) + fraction
                }
                return text
            }
        }
        let digits = roundedDigits(of: v.magnitude, decimals: decimals)
        let integerDigits = digits.dropLast(decimals)
        let fractionDigits = digits.suffix(decimals)
        var text = grouped(integerDigits, by: separators.thousands)
        if decimals > 0 {
            text += separators.decimal + String(decoding: fractionDigits.map { $0 + 48 }, as: UTF8.self)
        }
        // A value that rounds to zero keeps no sign: "-0" would read as the dash symbol followed by a zero.
        let isZeroAfterRounding = digits.allSatisfy { $0 == 0 }
        return (v < 0 && !isZeroAfterRounding) ? "-" + text : text
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// The text of a body cell: its symbol when the status or value calls for one, otherwise the formatted number.
    public static func format(_ cell: DisplayCell, style: NumberStyle, language: Language) -> String {
        if let symbol = CellSymbols.symbol(for: cell) { return symbol }
        return format(cell.value ?? .nan, style: style, language: language)
    }

    private struct Separators {
        let thousands: String
        let decimal: String
        init(_ language: Language) {
            switch language {
            case .id, .both: thousands = "."; decimal = ","
            case .en: thousands = ","; decimal = "."
            }
        }
    }

    /// Digits (0...9) of `round(magnitude × 10^decimals)`, at least `decimals + 1` of them (leading zeros kept so
    /// that 0.05 with one decimal splits into "0" and "1").
    static func roundedDigits(of magnitude: Double, decimals: Int) -> [UInt8] {
        let (mantissa, pointPosition) = shortestDigits(of: magnitude)
        // Position of the decimal point after scaling by 10^decimals.
        let scaledPoint = pointPosition + decimals
        var kept: [UInt8]
        var roundUp = false
        if scaledPoint <= 0 {
            kept = []
            roundUp = scaledPoint == 0 && (mantissa.first ?? 0) >= 5
        } else if scaledPoint >= mantissa.count {
            kept = mantissa + Array(repeating: 0, count: scaledPoint - mantissa.count)
        } else {
            kept = Array(mantissa[..<scaledPoint])
            roundUp = mantissa[scaledPoint] >= 5
        }
        if roundUp {
            var i = kept.count - 1
            var carry = true
            while carry && i >= 0 {
                if kept[i] == 9 { kept[i] = 0; i -= 1 } else { kept[i] += 1; carry = false }
            }
            if carry { kept.insert(1, at: 0) }
        }
        if kept.count < decimals + 1 {
            kept = Array(repeating: 0, count: decimals + 1 - kept.count) + kept
        }
        // Drop superfluous leading zeros of the integer part.
        while kept.count > decimals + 1 && kept.first == 0 { kept.removeFirst() }
        return kept
    }

    /// The shortest round-tripping decimal digits of a positive finite `x` (Swift's `description` algorithm) and the
    /// number of digits before the decimal point: x = 0.d1d2d3… × 10^pointPosition.
    static func shortestDigits(of x: Double) -> (digits: [UInt8], pointPosition: Int) {
        var text = Substring(x.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = parts[0]
        let fractionPart = parts.count > 1 ? parts[1] : ""
        var digits = (integerPart + fractionPart).utf8.map { $0 &- 48 }
        var pointPosition = integerPart.count + exponent
        while digits.count > 1 && digits.first == 0 { digits.removeFirst(); pointPosition -= 1 }
        while digits.count > 1 && digits.last == 0 { digits.removeLast() }
        return (digits, pointPosition)
    }

    /// `n ≥ 0` in digits grouped by threes.
    private static func grouped(_ n: Int, by separator: String) -> String {
        let digits = String(n)
        return digits.utf8.count > 3 ? grouped(ascii: digits.utf8, by: separator) : digits
    }

    /// Digit values 0...9 grouped by threes.
    private static func grouped(_ digits: ArraySlice<UInt8>, by separator: String) -> String {
        grouped(ascii: digits.lazy.map { $0 + 48 }, by: separator)
    }

    /// ASCII digits grouped by threes: the one grouping loop of both forms above.
    private static func grouped(ascii digits: some Collection<UInt8>, by separator: String) -> String {
        var out = ""
        let count = digits.count
        for (offset, d) in digits.enumerated() {
            if offset > 0 && (count - offset) % 3 == 0 { out += separator }
            out.unicodeScalars.append(Unicode.Scalar(d))
        }
        return out
    }
}
