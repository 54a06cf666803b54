// Indonesian-looking names for the demo registry, from small lists.
//
// Muaro Jambi mixes Jambi Malay families (often "X bin Y" names), Javanese transmigrants in the
// Bahar kecamatan (single names such as Sutrisno, Tukiyem), Batak families (a shared marga) and
// the general modern Indonesian pattern (given name + second name). The lists are short on
// purpose: the demo needs plausible text, realistic repetition, and a few awkward characters
// (apostrophes in Ma'ruf, commas and quotes from data entry) to exercise CSV quoting — not
// realistic name frequencies. A list entry "Muhammad|Muhamad|M." holds the registry spelling
// first and the spellings a ministry list might use instead.

/// The name lists, indexed by `NameList.rawValue`.
enum NameList: UInt8 {
    case maleGiven, femaleGiven, maleSecond, femaleSecond, javaMale, javaFemale, marga, nickname
}

private let rawLists: [[String]] = [
    // maleGiven
    ["Ahmad|Achmad", "Muhammad|Muhamad|Mohammad|M.", "Abdul|Abd.", "Budi", "Agus", "Andi", "Rudi", "Dedi|Dedy",
     "Hendra", "Rahmat|Rachmat", "Hasan", "Yusuf|Yusup", "Ilham", "Fajar", "Rizki|Rizky|Riski", "Dimas", "Arif|Arief",
     "Bambang", "Eko", "Heri|Hery", "Iwan", "Jamal", "Syamsul|Samsul", "Zulkifli|Zulkipli", "Zainal", "Hamdan",
     "Ismail", "Ibrahim", "Ridwan", "Firman", "Taufik|Taufiq", "Wahyu", "Yudi|Yudhi", "Irfan", "Syahrul|Sahrul",
     "Nurdin", "Amir", "Anwar", "Darmawan", "Edi|Edy", "Gunawan", "Hadi", "Imam", "Jefri|Jefry", "Lukman",
     "Mulyadi", "Nasrul", "Saiful|Syaiful", "Teguh", "Usman|Oesman", "Ma'ruf|Maruf", "Mu'min|Mukmin",
     "Syafi'i|Syafii|Safii", "Nu'man|Nukman", "Ramadhan|Ramadan", "Aldi", "Bayu", "Fikri", "Rafi", "Alif",
     "Arya", "Raka", "Rizal", "Hafiz|Hafidz", "Reza", "Abdullah", "Kurniadi", "Sofyan|Sopyan", "Herman",
     "Azhari", "Fadli|Fadly", "Junaidi|Junaidy", "Khairul|Chairul", "Ujang"],
    // femaleGiven
    ["Siti|St.", "Nur|Noer", "Sri", "Dewi", "Rina", "Yanti|Yanty", "Fitri|Fitry", "Nurhayati|Nurhayaty", "Rahma|Rahmah",
     "Wati", "Lestari", "Aisyah|Aisah", "Ani", "Ida", "Juliana|Yuliana", "Kartini", "Lina", "Marlina", "Nining",
     "Putri|Putry", "Ratna", "Rosmawati", "Salmah|Salma", "Suryani|Suryany", "Tuti", "Umi|Ummi", "Wahyuni",
     "Zubaidah", "Sa'diah|Sadiah|Sa'diyah", "Mar'ah|Marah", "Nabila|Nabilla", "Aulia", "Zahra", "Salsabila",
     "Anisa|Annisa", "Nayla|Naila", "Dinda", "Intan", "Maya", "Novi|Novy", "Eka", "Herawati", "Hartini",
     "Jumiati", "Asmah", "Halimah", "Habibah", "Khadijah|Hadijah", "Fatimah|Fatima", "Maryam|Mariam",
     "Nurjanah|Nurjannah", "Rohani", "Yusnidar", "Masnah", "Zuraida"],
    // maleSecond
    ["Saputra|Saputera", "Hidayat", "Pratama", "Wijaya", "Kurniawan", "Setiawan", "Santoso", "Hakim",
     "Firmansyah|Firmansah", "Syahputra|Saputra", "Prasetyo", "Nugroho", "Susanto", "Hermawan", "Fauzi|Fauzy",
     "Hamzah", "Effendi|Efendi", "Ramadhan", "Hasibuan", "Rahman|Rachman", "Maulana", "Ardiansyah", "Pangestu",
     "Syahrial", "Irawan"],
    // femaleSecond
    ["Rahmawati", "Sari", "Wulandari", "Handayani", "Safitri|Syafitri", "Puspita", "Anggraini|Anggraeni",
     "Ningsih", "Lestari", "Maharani", "Permata", "Susanti", "Kusuma", "Oktaviani|Oktavia", "Pertiwi", "Utami",
     "Nurjanah", "Aminah", "Zahara", "Ramadhani"],
    // javaMale
    ["Sutrisno", "Suparman", "Sugiyono|Sugiono", "Wagiman", "Slamet", "Suyatno", "Sukardi", "Paimin", "Sumarno",
     "Tukimin", "Parno", "Mujiono", "Sarwono", "Suwarno", "Legiman", "Kasno", "Ngadiman", "Supardi", "Sutarno",
     "Rusdi"],
    // javaFemale
    ["Sumarni", "Tukiyem", "Painem", "Sulastri", "Suparmi", "Warsini", "Ngatini", "Sumini", "Sutinah", "Kasiyem",
     "Partini", "Sarinah", "Wagiyem", "Suyatmi", "Legini"],
    // marga
    ["Nasution", "Siregar", "Harahap", "Lubis", "Hasibuan", "Simanjuntak", "Sihombing", "Batubara", "Daulay",
     "Pane", "Tanjung", "Rangkuti", "Pohan", "Ritonga", "Sitompul"],
    // nickname (registry data entry sometimes keeps the call name in quotes)
    ["Ani", "Ucok", "Butet", "Iwan", "Neng", "Upik", "Buyung", "Atan", "Cik", "Udin", "Ijah", "Ina", "Yuyun", "Adek"],
]

/// `lists[list][index]` = spellings, registry spelling first.
let nameSpellings: [[[[UInt8]]]] = rawLists.map { list in
    list.map { entry in entry.split(separator: "|").map { Array($0.utf8) } }
}

@inline(__always)
func nameCount(_ list: NameList) -> Int { nameSpellings[Int(list.rawValue)].count }

/// A name as indices into the lists, so a person's name can be rendered again (differently
/// spelled, upper-cased) for a roster row without keeping any text around.
struct DemoName {
    enum Joiner: UInt8 { case none, space, bin, binti }
    /// Registry data-entry artefacts that force CSV quoting or upset naive readers.
    enum Flaw: UInt8 { case none, commaSurnameFirst, quotedNickname, lineBreak, leadingEquals }

    var firstList: NameList = .maleGiven
    var first: UInt16 = 0
    var secondList: NameList = .maleSecond
    var second: UInt16 = 0
    var joiner: Joiner = .none
    var flaw: Flaw = .none
    var nickname: UInt16 = 0

    /// How a roster spells the name: ministry lists (SIKS-NG exports) are often upper-case, and a
    /// few entries use another spelling or drop the second part.
    struct RosterStyle {
        var upperCase: Bool
        /// 0 = registry spelling, 1 = alternative spelling, 2 = first name only.
        var variant: UInt8
    }

    private static let bin = Array(" bin ".utf8)
    private static let binti = Array(" binti ".utf8)

    private func part(_ list: NameList, _ index: UInt16, alternative: Bool) -> [UInt8] {
        let spellings = nameSpellings[Int(list.rawValue)][Int(index)]
        return alternative && spellings.count > 1 ? spellings[1 + Int(index) % (spellings.count - 1)] : spellings[0]
    }

    /// The name as the registry has it (with its data-entry flaw, if any).
    func renderRegistry(into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let a = part(firstList, first, alternative: false)
        let hasSecond = joiner != .none
        let b = hasSecond ? part(secondList, second, alternative: false) : []
        switch flaw {
        case .commaSurnameFirst where hasSecond:
            out.append(contentsOf: b); out.append(contentsOf: Array(", ".utf8)); out.append(contentsOf: a)
            return
        case .quotedNickname:
            out.append(contentsOf: a)
            out.append(contentsOf: Array(" \"".utf8))
            out.append(contentsOf: part(.nickname, nickname, alternative: false))
            out.append(UInt8(ascii: "\""))
            if hasSecond { out.append(UInt8(ascii: " ")); out.append(contentsOf: b) }
            return
        case .lineBreak where hasSecond:
            out.append(contentsOf: a); out.append(UInt8(ascii: "\n")); out.append(contentsOf: b)
            return
        case .leadingEquals:
            out.append(UInt8(ascii: "="))
        default:
            break
        }
        out.append(contentsOf: a)
        appendSecond(b, into: &out)
    }

    /// The name as a ministry roster lists it: no data-entry flaw, maybe re-spelled or upper-case.
    func renderRoster(into out: inout [UInt8], style: RosterStyle) {
        out.removeAll(keepingCapacity: true)
        let alternative = style.variant == 1
        var a = part(firstList, first, alternative: alternative)
        if alternative && nameSpellings[Int(firstList.rawValue)][Int(first)].count == 1, a.count > 3,
           a.last == UInt8(ascii: "i") {
            a[a.count - 1] = UInt8(ascii: "y")  // Yanti → Yanty: the commonest spelling drift
        }
        out.append(contentsOf: a)
        if style.variant != 2 && joiner != .none {
            appendSecond(part(secondList, second, alternative: alternative && joiner == .space), into: &out)
        }
        if style.upperCase {
            for i in out.indices where out[i] >= 97 && out[i] <= 122 { out[i] -= 32 }
        }
    }

    private func appendSecond(_ b: [UInt8], into out: inout [UInt8]) {
        switch joiner {
        case .none: break
        case .space: out.append(UInt8(ascii: " ")); out.append(contentsOf: b)
        case .bin: out.append(contentsOf: DemoName.bin); out.append(contentsOf: b)
        case .binti: out.append(contentsOf: DemoName.binti); out.append(contentsOf: b)
        }
    }
}

/// How a family names its members (chosen once per family).
enum NamingStyle: UInt8 {
    /// Given name, often with a second name.
    case general
    /// Javanese transmigrants: single names for the older generation.
    case javanese
    /// A Batak marga shared by the head and the children.
    case batak
    /// Jambi Malay: "X bin/binti <father's given name>".
    case patronymic
}

extension SplitMix64 {
    mutating func pick(_ list: NameList) -> UInt16 { UInt16(below(nameCount(list))) }

    /// A name for a person of the given sex and age in a family of the given naming style.
    /// `marga` and `father` carry the family's shared name parts (Batak marga, the father's given
    /// name for bin/binti).
    mutating func makeName(female: Bool, age: Int, style: NamingStyle, marga: UInt16,
                           father: UInt16, isChild: Bool) -> DemoName {
        var n = DemoName()
        n.firstList = female ? .femaleGiven : .maleGiven
        n.first = pick(n.firstList)
        switch style {
        case .javanese where age >= 35:
            n.firstList = female ? .javaFemale : .javaMale
            n.first = pick(n.firstList)
            n.joiner = chance(0.12) ? .space : .none
            n.secondList = female ? .femaleSecond : .maleSecond
            n.second = pick(n.secondList)
        case .batak where !female || isChild:
            n.joiner = .space; n.secondList = .marga; n.second = marga
        case .patronymic:
            n.joiner = female ? .binti : .bin
            n.secondList = .maleGiven
            n.second = isChild ? father : pick(.maleGiven)
        default:
            let r = unit()
            if r < 0.25 {
                n.joiner = .none
            } else if r < 0.78 {
                n.joiner = .space
                n.secondList = female ? .femaleSecond : .maleSecond
                n.second = pick(n.secondList)
            } else {
                n.joiner = .space  // two given names: "Siti Aminah", "Ahmad Yusuf"
                n.secondList = n.firstList
                n.second = pick(n.secondList)
                if n.second == n.first { n.second = (n.second + 1) % UInt16(nameCount(n.secondList)) }
            }
        }
        return n
    }
}
