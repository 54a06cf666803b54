/// Why an output could not be produced. Messages name the file and the failing step so a user can act on them
/// without a debugger (a full disk, a template typo, a workbook open in Excel on a shared drive).
public enum PublishingError: Error, CustomStringConvertible, Equatable {
    /// A libxlsxwriter call failed; `code` is its `lxw_error` number and `message` its own explanation.
    case excel(path: String, operation: String, code: UInt32, message: String)
    /// A template file the renderer needs is missing from the template directory.
    case templateMissing(directory: String, name: String)
    /// A template file could not be read or parsed.
    case templateInvalid(file: String, message: String)

    public var description: String {
        switch self {
        case let .excel(path, operation, code, message):
            "cannot write Excel workbook \(path): \(operation) failed (libxlsxwriter error \(code): \(message))"
        case let .templateMissing(directory, name):
            "template \(name) not found in \(directory)"
        case let .templateInvalid(file, message):
            "template \(file) is invalid: \(message)"
        }
    }
}
