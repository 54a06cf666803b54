import Profile

/// The report definition compiled for the engine, once, right after it loads: the family and member
/// variable slots, every rule (current member, departed member, programme eligibility and receipt, table
/// universes) parsed and type-checked, and every table dimension resolved — so a misspelt rule or variable
/// stops a run before any data file is opened (`CheckedRun` and `regtab check` build it first).
public struct TabulationPlan {
    var familyScope: ScopePlan
    var memberScope: ScopePlan
    let schema: RuleSchema
    let current: CompiledRule
    let departed: CompiledRule
    let programmes: ProgrammeRules
    /// Per table of the profile, in order: its compiled universe, if any.
    let universes: [CompiledRule?]

    public init(profile: Profile) throws {
        (familyScope, memberScope, schema) = try makeScopes(codebook: profile.codebook, areaAttributes: profile.rules.areaAttributes)
        let schema = self.schema
        func compile(_ text: String, _ name: String, _ level: RuleLevel) throws -> CompiledRule {
            do { return try CompiledRule.compile(text, name: name, schema: schema, level: level) } catch { throw PlanError.rule(error) }
        }
        current = try compile(profile.rules.currentMember, "current_member", .member)
        departed = try compile(profile.rules.departedMember, "departed_member", .member)
        // Person programmes (contract §2, rev. 2): their rules are decided per current member; the family
        // rule of the same programme — does the family hold such a member? — serves `ANY`.
        programmes = try ProgrammeRules(profile.rules.programmes, compile: compile)
        var universes: [CompiledRule?] = []
        for spec in profile.tables {
            let isPerson = spec.unit == .person
            universes.append(try spec.universe.map { try compile($0, "\(spec.id).universe", isPerson ? .member : .family) })
            for name in spec.dimensions {
                guard (isPerson && memberScope.index(of: name) != nil) || familyScope.index(of: name) != nil else {
                    throw PlanError.unknownVariable(name, context: "table '\(spec.id)'")
                }
            }
        }
        self.universes = universes
        for role in [profile.layout.presence, profile.layout.relation].compactMap({ $0 }) where memberScope.index(of: role) == nil {
            throw PlanError.unknownVariable(role, context: "codebook.yml layout (a member code variable)")
        }
    }
}

extension TabulationPlan {
    /// Cells the profile's tables hold per area (village, kecamatan or kabupaten): per table the product of
    /// its dimensions' codes with `_Z` and `_T`, times its measures. What a run's cubes, disclosure control
    /// and outputs grow with, per village (`MemoryPlan` sizes a run with it).
    public func cellsPerArea(_ profile: Profile) -> Int {
        profile.tables.reduce(0) { total, spec in
            let isPerson = spec.unit == .person
            let cells = spec.dimensions.reduce(1) { product, name in
                let slot = (isPerson ? memberScope.index(of: name).map { memberScope.slots[$0] } : nil)
                    ?? familyScope.index(of: name).map { familyScope.slots[$0] }
                return product * ((slot?.categories.count ?? 0) + 2)
            }
            return total + cells * max(1, spec.measures.count)
        }
    }
}
