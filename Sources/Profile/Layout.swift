/// The roles of the input columns: which files a registry arrives in and which of their columns identify a
/// family, place it, mark a member current, name the head, hold a NIK or No. KK — declared in the
/// codebook's `layout:` section, so that no Swift code names a column of any layout (Regsosek's
/// `r101…r110`, a flat export's `id_keluarga`). The engine, the data check, the database pushdown and the
/// loader read these roles; a new layout is a new report definition, not a code change.
///
/// Role values name codebook variables (found in a file by their name, `column` or aliases, like every
/// variable) or, for columns the codebook does not describe (a member serial), a column of the file.
public struct Layout: Sendable, Hashable {
    /// File stems (without `.csv`/`.sav`/`.dta`) of the four inputs. A flat layout gives the family and
    /// member files the same stem: one row per person, family columns repeated on each row.
    public var familyFile: String
    public var memberFile: String
    public var rosterFile: String
    public var areaFile: String
    /// The family identifier: one text variable, or up to seven integer variables read with these digit
    /// widths (0 = any integer up to 2³¹−1). See `FamilyKey`.
    public var familyID: [KeyPart]
    /// The family's village: variables whose digits, concatenated, are the 10-digit BPS village code.
    public var area: [KeyPart]
    /// Member serial within the family (the cell key method's member key); a column name, optional.
    public var memberSerial: String?
    /// Presence: a member not current by `current_member` whose presence is empty is "not stated".
    public var presence: String?
    /// Relation to the family head and the code that means "head" (restricted lists; the flat layout
    /// takes a family's columns from its head's row).
    public var relation: String?
    public var headCode: Int
    public var nik: String?
    public var familyCard: String?
    public var name: String?
    /// Optional columns the data check compares: stated family size, birth date, sex (with its codes).
    public var memberCount: String?
    public var birthDate: String?
    public var sex: String?
    public var maleCode: Int, femaleCode: Int
    /// Column names of the roster and area files.
    public var roster: RosterColumns
    public var areas: AreaColumns

    /// One family files and member files read as one: each row a member carrying its family's columns.
    public var isFlat: Bool { familyFile == memberFile }
    public var familyFileName: String { familyFile + ".csv" }
    public var memberFileName: String { memberFile + ".csv" }
    public var rosterFileName: String { rosterFile + ".csv" }
    public var areaFileName: String { areaFile + ".csv" }
    /// Every input's contract file name once, in reading order (area, family, member, roster).
    public var fileNames: [String] {
        var out = [areaFileName, familyFileName]
        if !isFlat { out.append(memberFileName) }
        out.append(rosterFileName)
        return out
    }
    /// Names of the family identifier's variables, in key order.
    public var familyIDNames: [String] { familyID.map(\.variable) }
    /// The area parts also lead the family identifier (Regsosek): the village code is part of the key.
    public var areaLeadsFamilyID: Bool {
        area.count <= familyID.count && zip(area, familyID).allSatisfy { $0.variable == $1.variable && $0.digits == $1.digits }
    }

    public struct KeyPart: Sendable, Hashable {
        public var variable: String
        /// Digit width (0: any integer up to 2³¹−1).
        public var digits: Int
        public init(variable: String, digits: Int) { self.variable = variable; self.digits = digits }
    }

    /// `penerima`'s columns (contract §1.3).
    public struct RosterColumns: Sendable, Hashable {
        public var program: String, nik: String, familyCard: String, village: String
        public var name: String?, period: String?
    }

    /// `wilayah`'s columns (contract §1.4).
    public struct AreaColumns: Sendable, Hashable {
        public var kecamatanCode: String, kecamatanName: String, kecamatanKemendagri: String
        public var villageCode: String, villageName: String, villageKemendagri: String
        /// desa or kelurahan; optional in the file.
        public var kind: String?
    }
}
