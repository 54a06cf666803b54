/// A text in the two languages of a BPS publication. Indonesian comes first by convention.
public struct Bilingual: Sendable, Hashable, Codable {
    public var id: String
    public var en: String
    public init(id: String, en: String) { self.id = id; self.en = en }
    public init(_ both: String) { self.id = both; self.en = both }
}
