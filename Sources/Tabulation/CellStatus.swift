/// The status every cell carries from the engine to every renderer (contract §3 `obs_status`).
public enum CellStatus: String, Sendable, Hashable, Codable {
    /// A published value.
    case value = ""
    /// Confidential: suppressed by disclosure control (`C`). The value must never be shown.
    case confidential = "C"
    /// Missing or not applicable, e.g. a rate whose denominator is zero (`M`).
    case notApplicable = "M"
}
