// Family composition and member attributes of the demo registry.
//
// Families are built the way they form: a head of a plausible age, a spouse for most, children
// from a simple birth history of the mother (so the age pyramid comes out young and broad-based
// without being imposed), a few parents, grandchildren, in-laws, helpers and relatives, and a
// few members who have died, moved or cannot be found since the prelist. Attributes (schooling,
// work, disability, insurance) are then drawn by age, sex and the family's welfare level, which
// is what makes the eligibility and targeting tables non-trivial.

/// NIK data-entry defects of the registry (contract §2 "Valid NIK"; domain.md §E), plus the
/// Excel-mangled form that only ministry rosters show.
enum NIKFlaw: UInt8 {
    case none, empty, fifteenDigits, letter, allNines, dayZero, scientific
}

struct Member {
    var relation: Int = 1          // r409
    var sex: Int = 1               // r405 (the truth; `hideSex` blanks the cell)
    var age: Int = 0               // r407
    var birth: Int = 0             // r406 as a day number
    var marital: Int = 1           // r408
    var presence: Int = 1          // r404
    var name = DemoName()
    var nik: UInt64 = 0            // the person's real NIK (what Dukcapil and rosters hold)
    var nikFlaw: NIKFlaw = .none   // how the registry recorded it
    var hideSex = false, hideAge = false, hideBirth = false
    var pregnant = 0               // r410, 0 = not asked
    var school = 0                 // r412, 0 = not asked
    var certificate = 0            // r415
    var worked = 0                 // r416a
    var industry = 0               // r417
    var workStatus = 0             // r418
    var difficulty: UInt64 = 0     // r428a…i as nine nibbles, 0 = not asked
    var chronic = 0                // r430
    var insurance = -1             // r431a, -1 = not asked
    var pip = 0                    // r431e
    var disabled = false
    var inPBI = false              // on the PBI JKN list in truth
    var inPIP = false              // received PIP in truth
    /// A copy of a member of an earlier family (same NIK in two families): keeps identity.
    var shared = false

    var isCurrent: Bool { presence == 1 || presence == 4 }
}

/// What a family is, beyond its members: welfare, programmes (truth and self-report), housing.
struct FamilyFacts {
    /// 0 = poorest … 9 = richest (the latent welfare; `desil` = level + 1 unless not ranked).
    var level = 0
    var ranked = true
    var kk: UInt64 = 0
    var kkMissing = false
    var pkhQualifies = false
    var truePKH = false, trueBPNT = false, trueBLT = false, truePBI = false
    var r501a = 0, r501b = 0, r501c = 0     // 0 = empty
    var housing: [Int] = []                  // r301a, r303, r304, r305, r306a, r307a, r308, r309a
    var housingMissing: [Bool] = []
    var floorQuarterM2 = 0                   // r302 × 4, -1 = empty
    var naming: NamingStyle = .general
}

extension RegistryGenerator {
    // MARK: Composition

    /// Head's age: few under 25, the bulk 25–59, a long thin tail of elderly heads.
    private static let headAgeGroups = Categorical(from: 0, weights: [
        1, 4, 9, 11, 12, 12, 11, 10, 8, 7, 5.5, 4, 2.5, 1.3, 0.5, 0.15,
    ])

    private mutating func headAge() -> Int {
        let group = Int(RegistryGenerator.headAgeGroups.sample(&rng))
        return group == 0 ? 17 + rng.below(3) : 15 + group * 5 + rng.below(5)
    }

    private mutating func person(relation: Int, sex: Int, age: Int, marital: Int, presence: Int = 1,
                                 style: NamingStyle, marga: UInt16, father: UInt16) -> Member {
        var m = Member()
        m.relation = relation
        m.sex = sex
        m.age = min(max(age, 0), 97)
        m.marital = marital
        m.presence = presence
        m.name = rng.makeName(female: sex == 2, age: m.age, style: style, marga: marga, father: father,
                              isChild: relation == 3 || relation == 5)
        return m
    }

    /// Fills `members` with a new family (head first) living in `village`.
    mutating func composeFamily(village: Int) -> NamingStyle {
        members.removeAll(keepingCapacity: true)
        let v = geography.villages[village]
        let styleDraw = rng.unit()
        let style: NamingStyle = styleDraw < v.javanese ? .javanese
            : styleDraw < v.javanese + v.batak ? .batak
            : styleDraw < v.javanese + v.batak + v.patronymic ? .patronymic : .general
        let marga = rng.pick(.marga)

        // Single migrant workers on the estates (men, often with a wife back home): they make
        // the population a little more male than female, as BPS estimates show for Muaro Jambi.
        if rng.chance(0.08) {
            let age = 19 + rng.below(27)
            members.append(person(relation: 1, sex: 1, age: age, marital: rng.chance(0.72) ? 1 : 2,
                                  style: style, marga: marga, father: rng.pick(.maleGiven)))
            return style
        }

        // Head and spouse.
        let age = headAge()
        let marriedP = age < 25 ? 0.78 : age < 55 ? 0.88 : age < 65 ? 0.76 : age < 75 ? 0.58 : 0.40
        let married = rng.chance(marriedP)
        var headSex = 1, headMarital = 2
        if !married {
            let r = rng.unit()
            if age < 30 {
                headMarital = r < 0.62 ? 1 : r < 0.92 ? 3 : 4
                headSex = rng.chance(0.72) ? 1 : 2
            } else if age < 55 {
                headMarital = r < 0.15 ? 1 : r < 0.62 ? 3 : 4
                headSex = rng.chance(0.35) ? 1 : 2
            } else {
                headMarital = r < 0.04 ? 1 : r < 0.20 ? 3 : 4
                headSex = rng.chance(0.28) ? 1 : 2
            }
        } else {
            headSex = rng.chance(0.955) ? 1 : 2
        }
        let head = person(relation: 1, sex: headSex, age: age, marital: headMarital, style: style,
                          marga: marga, father: rng.pick(.maleGiven))
        members.append(head)
        let father = headSex == 1 && head.name.firstList == .maleGiven ? head.name.first : rng.pick(.maleGiven)

        var motherAge: Int? = nil
        if married {
            let gap = Int((3.5 + 3.2 * rng.gauss()).rounded())
            let spouseAge = max(16, headSex == 1 ? age - gap : age + gap)
            let spouse = person(relation: 2, sex: 3 - headSex, age: spouseAge, marital: 2, style: style,
                                marga: marga, father: father)
            members.append(spouse)
            motherAge = headSex == 1 ? spouse.age : age
        } else if headMarital != 1 {
            if headSex == 2 { motherAge = age } else if rng.chance(0.35) { motherAge = age - 4 }
        } else if headMarital == 1 && headSex == 2 && age >= 25 && rng.chance(0.1) {
            motherAge = age  // single mothers exist
        }
        // A widowed head whose spouse died since the prelist: the spouse is still listed (r404=2).
        if headMarital == 4 && age >= 35 && rng.chance(0.18) {
            let gap = Int((3.5 + 3 * rng.gauss()).rounded())
            members.append(person(relation: 2, sex: 3 - headSex, age: headSex == 2 ? age + gap : age - gap,
                                  marital: 2, presence: 2, style: style, marga: marga, father: father))
        }

        // Children from the mother's birth history.
        if let m = motherAge, m >= 16 {
            let mean = m >= 50 ? 3.1 : m >= 40 ? 2.6 : m >= 30 ? 2.25 : 2.1
            var births = rng.chance(0.07) ? 0 : max(0, Int((mean + 1.25 * rng.gauss()).rounded()))
            var b = 18 + rng.below(7) + (rng.chance(0.3) ? rng.below(6) : 0)
            while births > 0 && b <= m && b <= 45 {
                let childAge = m - b
                let stay: Double = childAge < 15 ? 0.975 : childAge < 18 ? 0.92 : childAge < 21 ? 0.72
                    : childAge < 25 ? 0.45 : childAge < 30 ? 0.2 : childAge < 35 ? 0.07 : 0.02
                let sex = rng.chance(0.512) ? 1 : 2
                if rng.chance(stay) {
                    let marital = childAge < 16 ? 1 : rng.chance(0.92) ? 1 : rng.chance(0.6) ? 2 : 3
                    var child = person(relation: 3, sex: sex, age: childAge, marital: marital, style: style,
                                       marga: marga, father: father)
                    if childAge == 0 && rng.chance(0.65) { child.presence = 4 }  // born since the prelist
                    members.append(child)
                    if marital == 2 {
                        // A married child living in: the in-law (r409=4), sometimes with a baby.
                        members.append(person(relation: 4, sex: 3 - sex, age: max(16, childAge + rng.int(-3...5)),
                                              marital: 2, style: .general, marga: marga, father: father))
                        if rng.chance(0.5) && childAge >= 18 {
                            members.append(person(relation: 5, sex: rng.chance(0.512) ? 1 : 2,
                                                  age: rng.below(min(6, childAge - 16)), marital: 1,
                                                  style: style, marga: marga, father: father))
                        }
                    }
                } else if childAge >= 17 && childAge <= 32 && rng.chance(0.12) {
                    // Moved out since the prelist but still listed (r404=3).
                    members.append(person(relation: 3, sex: sex, age: childAge, marital: rng.chance(0.5) ? 1 : 2,
                                          presence: 3, style: style, marga: marga, father: father))
                }
                births -= 1
                b += 2 + rng.below(4)
            }
        }

        // Grandchildren raised by older heads.
        if age >= 42 && rng.chance(0.07) {
            for _ in 0..<(rng.chance(0.35) ? 2 : 1) {
                members.append(person(relation: 5, sex: rng.chance(0.512) ? 1 : 2, age: rng.below(min(16, age - 40)),
                                      marital: 1, style: style, marga: marga, father: father))
            }
        }
        // An elderly parent or parent-in-law.
        let parentP = age < 40 ? 0.07 : age < 55 ? 0.08 : 0.02
        if rng.chance(parentP) {
            let pAge = age + 20 + rng.below(16)
            if pAge <= 95 {
                let both = rng.chance(0.15)
                let sex = both ? 2 : rng.chance(0.62) ? 2 : 1
                members.append(person(relation: 6, sex: sex, age: pAge, marital: both ? 2 : 4, style: .general,
                                      marga: marga, father: father))
                if both && pAge + 3 <= 95 {
                    members.append(person(relation: 6, sex: 1, age: pAge + rng.below(6), marital: 2, style: .general,
                                          marga: marga, father: father))
                }
            }
        } else if age < 65 && rng.chance(0.025) {
            // A parent who died since the prelist.
            members.append(person(relation: 6, sex: rng.chance(0.6) ? 2 : 1, age: min(95, age + 22 + rng.below(14)),
                                  marital: 4, presence: 2, style: .general, marga: marga, father: father))
        }
        if rng.chance(0.003) {
            members.append(person(relation: 7, sex: rng.chance(0.8) ? 2 : 1, age: 18 + rng.below(33),
                                  marital: rng.chance(0.7) ? 1 : 2, style: .general, marga: marga, father: father))
        }
        if rng.chance(0.025) {
            members.append(person(relation: 8, sex: rng.chance(0.5) ? 1 : 2, age: 5 + rng.below(21), marital: 1,
                                  style: .general, marga: marga, father: father))
        }
        if rng.chance(0.012) {
            // Listed on the prelist but not found by the enumerator (r404=5).
            members.append(person(relation: 8, sex: rng.chance(0.6) ? 1 : 2, age: 15 + rng.below(26),
                                  marital: rng.chance(0.6) ? 1 : 2, presence: 5, style: .general, marga: marga,
                                  father: father))
        }
        // The same person listed in a second family (contract "same NIK in two families"): an
        // elderly parent or an adult child of a neighbouring family, current in both.
        if let candidate = shareCandidate, candidate.village == village, rng.chance(0.004) {
            // Identity only: the answers about schooling, work and health are asked afresh.
            var copy = Member()
            copy.relation = candidate.member.age >= age + 15 ? 6 : 8
            copy.sex = candidate.member.sex
            copy.age = candidate.member.age
            copy.birth = candidate.member.birth
            copy.marital = candidate.member.marital
            copy.name = candidate.member.name
            copy.nik = candidate.member.nik
            copy.shared = true
            members.append(copy)
            shareCandidate = nil
            defects.nikInTwoFamilies += 1
        }
        // Other new members since the prelist: spouses, returning relatives.
        for i in 1..<members.count where members[i].presence == 1 && !members[i].shared && rng.chance(0.008) {
            members[i].presence = 4
        }

        // Registry order: head, spouse, children (eldest first), in-laws, grandchildren, parents, others.
        if members.count > 2 {
            for i in 1..<members.count {
                let x = members[i]
                var j = i - 1
                while j >= 1 && (members[j].relation > x.relation
                                 || (members[j].relation == x.relation && members[j].age < x.age)) {
                    members[j + 1] = members[j]
                    j -= 1
                }
                members[j + 1] = x
            }
        }
        return style
    }

    // MARK: Identity: birth date, NIK

    /// Birth date consistent with the age on the reference day 2022-10-15.
    mutating func assignBirth(_ m: inout Member) {
        let lo = daysFromCivil(2022 - m.age - 1, 10, 16)
        let hi = daysFromCivil(2022 - m.age, 10, 15)
        m.birth = lo + rng.below(hi - lo + 1)
    }

    /// NIK = region (6) + DD(+40 for women) MM YY + 4-digit serial counted per region, date and sex,
    /// so every generated NIK is unique and structurally valid (domain.md §E).
    mutating func assignNIK(_ m: inout Member, kecamatan: Int) {
        var region = kecamatan
        if m.age >= 20 && rng.chance(0.06) {
            region = geography.kecamatans.count + rng.below(RegistryGenerator.outsideRegions.count)
        }
        let (y, mo, d) = civilFromDays(m.birth)
        let slot = (region * RegistryGenerator.nikDaySpan + (m.birth - RegistryGenerator.nikFirstDay)) * 2 + (m.sex - 1)
        nikSerials[slot] &+= 1
        let day = m.sex == 2 ? d + 40 : d
        m.nik = UInt64(regionCodes[region]) * 10_000_000_000
            + UInt64(day * 10_000 + mo * 100 + y % 100) * 10_000 + UInt64(nikSerials[slot])
        let r = rng.unit()
        if r < (m.age == 0 ? 0.12 : 0.008) {
            m.nikFlaw = .empty
        } else if rng.chance(0.0045) {
            m.nikFlaw = [NIKFlaw.fifteenDigits, .fifteenDigits, .letter, .allNines, .dayZero][rng.below(5)]
        }
    }

    // MARK: Attributes of current members

    /// School participation and certificate by age, sex and welfare (poorness 1 = poorest).
    mutating func assignEducation(_ m: inout Member, poorness p: Double) {
        let a = m.age
        guard a >= 5 else { return }
        let inSchoolP: Double = a == 5 ? 0.10 : a == 6 ? 0.45 : a <= 12 ? 0.985 : a <= 15 ? 0.97 - 0.12 * p
            : a <= 18 ? 0.86 - 0.26 * p : a <= 21 ? 0.45 - 0.33 * p : a <= 24 ? 0.20 - 0.17 * p : a <= 29 ? 0.03 : 0.004
        if rng.chance(inSchoolP) {
            m.school = 2
            m.certificate = a < 13 ? 23 : a < 16 ? (rng.chance(0.85) ? 3 : 4)
                : a < 19 ? (rng.chance(0.8) ? 8 : 9) : a < 23 ? Int(levelCode(3)) : (rng.chance(0.7) ? 19 : Int(levelCode(3)))
            return
        }
        if a <= 7 { m.school = 1; m.certificate = 23; return }
        // Attained level: none, SD, SMP, SMA, D1-3, S1, S2 by cohort, blended by welfare.
        let rich: [Double], poor: [Double]
        if a < 20 {
            rich = [3, 25, 47, 25, 0, 0, 0]; poor = [6, 38, 42, 14, 0, 0, 0]
        } else if a < 35 {
            rich = [1, 8, 14, 50, 7, 19, 1]; poor = [4, 30, 30, 33, 1, 2, 0]
        } else if a < 55 {
            rich = [2, 18, 18, 40, 6, 15, 1]; poor = [8, 45, 25, 20, 0.5, 1.5, 0]
        } else {
            rich = [10, 40, 17, 23, 3, 6, 1]; poor = [32, 52, 9, 6, 0, 1, 0]
        }
        var w = zip(rich, poor).map { $0 * (1 - p) + $1 * p }
        if m.sex == 2 && a >= 45 { w[0] *= 1.8 }  // older women more often never schooled
        let level = Int(Categorical(from: 0, weights: w).sample(&rng))
        m.certificate = Int(levelCode(level))
        m.school = level == 0 && rng.chance(0.6) ? 1 : 3
    }

    /// A certificate code (r415) within an attained level.
    private mutating func levelCode(_ level: Int) -> UInt8 {
        switch level {
        case 0: return 23
        case 1: return RegistryGenerator.sdCodes.sample(&rng)
        case 2: return RegistryGenerator.smpCodes.sample(&rng)
        case 3: return RegistryGenerator.smaCodes.sample(&rng)
        case 4: return 18
        case 5: return rng.chance(0.94) ? 19 : 20
        default: return rng.chance(0.95) ? 21 : 22
        }
    }

    /// Work last week, industry and status. Muaro Jambi works in oil palm and rubber estates
    /// (perkebunan, 03), so agriculture dominates outside the kelurahan.
    mutating func assignWork(_ m: inout Member, poorness p: Double, urban: Bool) {
        let a = m.age
        guard a >= 5 else { return }
        let male = m.sex == 1
        let workP: Double
        switch a {
        case ..<10: workP = 0.005
        case ..<15: workP = 0.03
        case ..<20: workP = m.school == 2 ? 0.08 : (male ? 0.62 : 0.36)
        case ..<25: workP = m.school == 2 ? 0.15 : (male ? 0.85 : 0.45)
        case ..<60: workP = male ? 0.93 + 0.03 * p : 0.47 + 0.05 * p
        case ..<70: workP = male ? 0.70 : 0.33
        default: workP = male ? 0.38 : 0.14
        }
        guard rng.chance(workP) else { m.worked = 2; return }
        m.worked = 1
        let table = (male ? 0 : 2) + (urban ? 1 : 0)
        let tier = min(2, Int((1 - p) * 3))
        m.industry = Int(industryTables[table * 3 + tier].sample(&rng))
        if a < 15 { m.workStatus = 8; return }
        let agri = m.industry <= 6
        if m.industry == 20 || m.industry == 21 || m.industry == 22 {
            m.workStatus = rng.chance(0.55 - 0.3 * p) ? 5 : 4
        } else if agri {
            var st = Int(RegistryGenerator.agriStatus.sample(&rng))
            if !male && st == 1 && rng.chance(0.5) { st = 8 }
            if p > 0.6 && st == 2 && rng.chance(0.6) { st = 6 }
            m.workStatus = st
        } else {
            var st = Int(RegistryGenerator.nonAgriStatus.sample(&rng))
            if p > 0.6 && (st == 3 || st == 5) && rng.chance(0.7) { st = 7 }
            m.workStatus = st
        }
    }

    /// Functional difficulty (Washington-Group style, 1 = cannot at all … 4 = no difficulty),
    /// chronic illness and pregnancy.
    mutating func assignHealth(_ m: inout Member) {
        let a = m.age
        if a >= 2 {
            let items = a >= 5 ? 9 : 6
            var d: UInt64 = 0
            for i in 0..<items { d |= 4 << (4 * UInt64(i)) }
            let severe: Double = a < 18 ? 0.008 : a < 45 ? 0.012 : a < 60 ? 0.03 : a < 70 ? 0.08 : a < 80 ? 0.17 : 0.33
            let some: Double = a < 45 ? 0.02 : a < 60 ? 0.06 : 0.18
            if rng.chance(severe) {
                m.disabled = true
                let count = rng.chance(0.7) ? 1 : 2
                for _ in 0..<count {
                    var item = Int((a < 18 ? RegistryGenerator.childDifficulty : RegistryGenerator.adultDifficulty).sample(&rng))
                    if item >= items { item = 2 }
                    d &= ~(0xF << (4 * UInt64(item)))
                    d |= UInt64(rng.chance(0.25) ? 1 : 2) << (4 * UInt64(item))
                }
            } else if rng.chance(some) {
                let item = Int(RegistryGenerator.adultDifficulty.sample(&rng)) % items
                d &= ~(0xF << (4 * UInt64(item)))
                d |= 3 << (4 * UInt64(item))
            }
            m.difficulty = d
        }
        let chronicP: Double = a < 15 ? 0.02 : a < 40 ? 0.05 : a < 60 ? 0.18 : 0.40
        m.chronic = rng.chance(chronicP)
            ? Int((a < 15 ? RegistryGenerator.childChronic : RegistryGenerator.adultChronic).sample(&rng)) : 1
        // r410 is asked of ever-married women 10–54.
        if m.sex == 2 && m.marital != 1 && a >= 10 && a <= 54 {
            let p: Double = m.marital != 2 || a < 15 ? 0 : a < 25 ? 0.10 : a < 30 ? 0.085 : a < 35 ? 0.065
                : a < 40 ? 0.04 : a < 45 ? 0.012 : a < 50 ? 0.002 : 0
            m.pregnant = rng.chance(p) ? 1 : 2
        }
    }

    // MARK: Code tables

    static let sdCodes = Categorical(codes: [3, 4, 1, 2], weights: [85, 12, 2, 1])
    static let smpCodes = Categorical(codes: [8, 9, 6, 7, 10], weights: [78, 18, 3, 0.5, 0.5])
    static let smaCodes = Categorical(codes: [13, 15, 14, 11, 12, 16, 17], weights: [50, 28, 15, 5, 0.5, 1, 0.5])
    static let agriStatus = Categorical(codes: [1, 2, 3, 4, 6, 8], weights: [40, 10, 1, 8, 22, 19])
    static let nonAgriStatus = Categorical(codes: [1, 2, 3, 4, 5, 7, 8], weights: [30, 3, 2, 40, 6, 10, 9])
    /// Difficulty items 0…8 = r428a…i: seeing, hearing, walking, hands, learning, behaviour,
    /// communicating, self-care, remembering.
    static let adultDifficulty = Categorical(from: 0, weights: [20, 12, 30, 8, 5, 3, 5, 7, 10])
    static let childDifficulty = Categorical(from: 0, weights: [10, 10, 12, 5, 30, 12, 15, 4, 2])
    static let adultChronic = Categorical(from: 2, weights: [
        35, 15, 8, 6, 10, 2, 3, 1, 1, 0.1, 0.1, 8, 0.3, 0.1, 0.1, 0.3, 10,
    ])
    static let childChronic = Categorical(codes: [4, 7, 5, 15, 16, 18], weights: [50, 8, 3, 3, 2, 34])

    /// r417 weights for codes 01…26, rural men; other tables are derived from it.
    private static let ruralMaleIndustry: [Double] = [
        7, 3, 40, 2.5, 1.5, 2, 1.2, 7, 0.2, 0.3, 7, 11, 3.5, 1.5, 0.4, 0.4, 0.2, 0.4, 0.8, 3, 2.5, 0.8, 0.3,
        2.5, 0.3, 0,
    ]

    /// 12 industry tables: sex (m, f) × area (rural, urban) × welfare tier (poor, middle, rich).
    static func makeIndustryTables() -> [Categorical] {
        var tables: [Categorical] = []
        for female in [false, true] {
            for urban in [false, true] {
                for tier in 0..<3 {
                    var w = ruralMaleIndustry
                    for i in 0..<6 { w[i] *= urban ? 0.35 : 1 }
                    if female {
                        w[6] *= 0.1; w[10] *= 0.05; w[12] *= 0.2          // mining, construction, transport
                        w[11] *= 2.6; w[13] *= 4; w[20] *= 3.5; w[21] *= 4; w[24] *= 6
                    }
                    switch tier {
                    case 0: for i in 0..<6 { w[i] *= 1.35 }; w[19] *= 0.3; w[20] *= 0.4; w[15] *= 0.2
                    case 2: for i in 0..<6 { w[i] *= 0.6 }; w[19] *= 2.5; w[20] *= 2; w[15] *= 3; w[17] *= 3
                    default: break
                    }
                    tables.append(Categorical(from: 1, weights: w))
                }
            }
        }
        return tables
    }
}
