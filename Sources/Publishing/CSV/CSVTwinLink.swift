/// The relative link from a report to a table's CSV twin, `data/<table id>.csv`, as the reports and the CSV writer
/// agree. The id is percent-encoded so a spec id with spaces or `#` still yields a working link.
enum CSVTwinLink {
    static func path(for tableID: String) -> String {
        var encoded = ""
        for byte in tableID.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                encoded.append(c)
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "data/" + encoded + ".csv"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
