/// The roster's side of the NIK join, made from the roster alone: each row's programme and NIK, and the
/// rows with a programme and a valid NIK sorted by NIK (stable: equal NIKs keep file order).
///
/// Why apart from `RosterLinks`: none of it needs the registry, so the engine builds it on the thread that
/// reads the roster, while the member file is still being read. What is left after the member pass — the
/// merge with the members' NIKs — is then a single sequential pass. The same sorted list serves roster
/// linking (contract §2 "Linking a roster row") and `duplicate_nik_rows` (`DuplicateMeasures`).
public struct RosterNIKs: Sendable {
    let programmes: RosterProgrammes
    /// The row has a non-empty NIK that is not valid (it may still link by No. KK).
    let invalidNIK: [Bool]
    /// Rows with a programme and a valid NIK, by NIK then row.
    let sortedNIKs: [UInt64]
    let sortedRows: [Int32]

    /// - Parameter programmes: the profile's programmes, in display order.
    public init(roster: RosterTable, programmes profile: [String]) {
        let rowCount = roster.count
        programmes = RosterProgrammes(profile: profile, names: roster.program.values, rowName: roster.program.codes)
        let rowProgramme = programmes.rowProgramme
        var invalidNIK = [Bool](repeating: false, count: rowCount)
        var keys: [UInt64] = [], rows: [Int32] = []
        keys.reserveCapacity(rowCount); rows.reserveCapacity(rowCount)
        for r in 0..<rowCount where rowProgramme[r] != nil {
            let valid: UInt64?
            if let n = roster.nik.sixteenDigits(r) { valid = NIK.isValid(sixteenDigits: n) ? n : nil }
            else if roster.nik.isOther(r) { valid = NIK.parseValid(roster.nik.text(r)) }   // e.g. blanks around it
            else { valid = nil }
            if let n = valid {
                keys.append(n); rows.append(Int32(r))
            } else if roster.nik.hasContent(r) {
                invalidNIK[r] = true
            }
        }
        RadixSort.inPlace(keys: &keys, values: &rows)   // rows ascending: equal NIKs keep file order
        (sortedNIKs, sortedRows) = (keys, rows)
        self.invalidNIK = invalidNIK
    }
}
