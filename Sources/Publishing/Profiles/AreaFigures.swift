import Microdata
import Profile
import Tabulation

/// The figures of one area (village, kecamatan or the regency) that profiles and maps show, each a formula over
/// published cells (`FigureFormula`). Table, dimension and measure names of the Regsosek report definition are
/// named here and nowhere else in the profiles and maps.
public struct AreaFigures: Sendable {
    public let cubes: PublishedCubes
    /// The targeting source figures read: `roster` with a roster, else `registry` (`TargetingResult.mainSource`).
    public let source: String
    public let hasRoster: Bool

    /// Codes of the welfare decile dimension other than totals, in order (1…10, then `_Z` when present).
    public let desilCodes: [String]
    /// Programme codes of the targeting table (`ANY` first, then the programmes).
    public let programmeCodes: [String]
    /// Programmes of the duplicates table (without `_T`, which has only `multi_family_nik`).
    public let duplicateProgrammes: [String]

    public init(cubes: PublishedCubes, source: String, hasRoster: Bool) {
        self.cubes = cubes; self.source = source; self.hasRoster = hasRoster
        // Read once: every page asks for them, and each reading copied a cube.
        desilCodes = cubes.cube(Self.desil)?.dimensions.first?.codes.filter { $0 != "_T" } ?? []
        let programmes = cubes.cube(Self.targeting)?.dimensions.first?.codes ?? []
        programmeCodes = programmes.contains("ANY") ? ["ANY"] + programmes.filter { $0 != "ANY" } : programmes
        duplicateProgrammes = cubes.cube(Self.duplicates)?.dimensions.first?.codes.filter { $0 != "_T" } ?? []
    }

    static let population = "population_sex", ageSex = "population_age_sex", desil = "families_desil"
    static let disability = "disability_sex", targeting = "targeting", duplicates = "duplicates"

    func formula(_ refs: [TwinCellRef?], over den: [TwinCellRef?] = [], scale: Double = 1) -> FigureFormula? {
        let n = refs.compactMap { $0 }, d = den.compactMap { $0 }
        guard n.count == refs.count, d.count == den.count, !n.isEmpty else { return nil }
        return FigureFormula(numerator: n, denominator: d, scale: scale)
    }

    /// Persons (`sex` nil = all; else the `r405` code).
    public func persons(_ a: AreaRef, sex: String? = nil) -> FigureFormula? {
        formula([cubes.ref(Self.population, a, [sex ?? "_T"], "persons")])
    }
    public func families(_ a: AreaRef) -> FigureFormula? { formula([cubes.ref(Self.population, a, ["_T"], "families")]) }

    public func desilFamilies(_ a: AreaRef, _ code: String) -> FigureFormula? { formula([cubes.ref(Self.desil, a, [code], "families")]) }
    public func desilShare(_ a: AreaRef, _ code: String) -> FigureFormula? {
        formula([cubes.ref(Self.desil, a, [code], "families")], over: [cubes.ref(Self.desil, a, ["_T"], "families")], scale: 100)
    }
    /// Share of families in deciles 1–4 (%): the poorest 40 per cent nationally.
    public func poorShare(_ a: AreaRef) -> FigureFormula? {
        formula((1...4).map { cubes.ref(Self.desil, a, [String($0)], "families") }, over: [cubes.ref(Self.desil, a, ["_T"], "families")], scale: 100)
    }
    public func poorFamilies(_ a: AreaRef) -> FigureFormula? {
        formula((1...4).map { cubes.ref(Self.desil, a, [String($0)], "families") })
    }
    public func disabled(_ a: AreaRef) -> FigureFormula? { formula([cubes.ref(Self.disability, a, ["_T"], "persons")]) }

    public func targeting(_ a: AreaRef, _ programme: String, _ measure: String) -> FigureFormula? {
        formula([cubes.ref(Self.targeting, a, [programme, source], measure)])
    }
    /// The unit count of a programme row: `families`, or `persons` for person programmes (the other is absent).
    public func targetingUnits(_ a: AreaRef, _ programme: String) -> FigureFormula? {
        for m in ["families", "persons"] {
            if let f = targeting(a, programme, m), case .value = cubes.evaluate(f) { return f }
            if let f = targeting(a, programme, m), case .confidential = cubes.evaluate(f) { return f }
        }
        return nil
    }

    /// A duplicate measure summed over the programmes.
    public func duplicateSum(_ a: AreaRef, _ measure: String) -> FigureFormula? {
        guard hasRoster else { return nil }
        let refs = duplicateProgrammes.map { cubes.ref(Self.duplicates, a, [$0], measure) }
        let present = refs.compactMap { $0 }.filter { cubes.cell($0) != nil }
        return present.isEmpty ? nil : FigureFormula(numerator: present)
    }
    /// Duplicate-NIK rows per 1,000 roster rows (all programmes).
    public func duplicatesPer1000(_ a: AreaRef) -> FigureFormula? {
        guard let num = duplicateSum(a, "duplicate_nik_rows"), let den = duplicateSum(a, "roster_rows") else { return nil }
        return FigureFormula(numerator: num.numerator, denominator: den.numerator, scale: 1000)
    }

    public func value(_ f: FigureFormula?) -> FigureValue { f.map(cubes.evaluate) ?? .notAvailable }
}
