import FuzzDriver
#if canImport(Glibc)
import Glibc
#endif
import Profile

/// The variables of the Regsosek profile's rules: family numbers, member numbers, a member boolean.
let schema = RuleSchema(variables: [
    ("desil", .family, .number), ("r501a", .family, .number), ("r501b", .family, .number), ("r302", .family, .number),
    ("r404", .member, .number), ("age", .member, .number), ("r410", .member, .number), ("r412", .member, .number),
    ("r431a", .member, .number), ("disability", .member, .boolean),
])

/// Values the rules are run on: codes, boundaries, NaN (missing), infinities, huge and negative numbers.
let samples: [Double] = [.nan, 0, 1, 2, 4, 5, 6, 21, 60, 99, -1, 0.5, 1e300, -.infinity, .infinity, 3]

/// libFuzzer entry point: any text must either compile or throw `RuleError`; a compiled rule must run on
/// any values, and its fully parenthesised form, when that parses too, must give the same answers.
func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size >= 1 else { return 0 }
    let level: RuleLevel = [.automatic, .family, .member, .automatic][Int(data[0] & 3)]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    _ = CompiledRule.parseOnly(text)
    let rule: CompiledRule
    do { rule = try CompiledRule.compile(text, name: "fuzz", schema: schema, level: level) } catch {
        _ = error.description
        return 0
    }
    _ = rule.disassembly
    let again = try? CompiledRule.compile(rule.parenthesized, name: "fuzz2", schema: schema, level: level)
    var family = [Double](repeating: 0, count: schema.familyCount)
    var member = [Double](repeating: 0, count: schema.memberCount)
    var counts = [Int32](repeating: 0, count: max(1, rule.quantifierCount))
    for round in 0..<8 {
        var k = round &* 7 &+ size
        for i in family.indices { family[i] = samples[(k &+ Int(data[(i &+ round) % size])) % samples.count]; k &+= 3 }
        for i in member.indices { member[i] = samples[(k &+ Int(data[(i &* 5 &+ round) % size])) % samples.count]; k &+= 5 }
        member[schema.memberCount - 1] = round & 1 == 0 ? 1 : 0   // the boolean: 1 or 0
        for q in counts.indices { counts[q] = Int32(truncatingIfNeeded: (k >> q) & 3) }
        family.withUnsafeBufferPointer { f in
            member.withUnsafeBufferPointer { m in
                counts.withUnsafeBufferPointer { c in
                    let qc = UnsafeBufferPointer(rebasing: c[0..<rule.quantifierCount])
                    let a = rule.matches(family: f, member: m)
                    let b = rule.familyMatches(family: f, quantifierCounts: qc)
                    var bodies: [Bool] = []
                    for q in 0..<rule.quantifierCount { bodies.append(rule.memberMatches(q, family: f, member: m)) }
                    if let again, again.quantifierCount == rule.quantifierCount {
                        precondition(again.matches(family: f, member: m) == a, "parenthesised form differs: \(rule.parenthesized)")
                        precondition(again.familyMatches(family: f, quantifierCounts: qc) == b, "parenthesised form differs: \(rule.parenthesized)")
                        for q in 0..<rule.quantifierCount {
                            precondition(again.memberMatches(q, family: f, member: m) == bodies[q], "quantifier \(q) differs: \(rule.parenthesized)")
                        }
                    }
                }
            }
        }
    }
    return 0
}

@main
struct Main {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzRules(data, size) })
    }
}
