import Foundation
import Mustache

/// The Mustache templates of the Markdown and HTML reports, read from a directory at run time so users can restyle
/// a report by editing a copy of `Templates/` without rebuilding regtab.
///
/// Layout of the directory:
/// - `markdown/report.mustache` (+ any `markdown/<name>.mustache` partials, used as `{{> name}}`)
/// - `html/report.mustache` (+ partials) and `html/style.css`, inlined into the page so the report is one file.
///
/// Partials lose one trailing newline: editors add it to every file, and partials are used inline (a label inside
/// a `<th>`) where the newline would otherwise become part of the text.
public struct TemplateSet: Sendable {
    public let directory: String
    let markdown: MustacheLibrary
    let html: MustacheLibrary
    let css: String

    public init(directory: String) throws {
        self.directory = directory
        self.markdown = try Self.library(in: directory, subdirectory: "markdown")
        self.html = try Self.library(in: directory, subdirectory: "html")
        let cssPath = Self.join(directory, "html", "style.css")
        guard FileManager.default.fileExists(atPath: cssPath) else {
            throw PublishingError.templateMissing(directory: directory, name: "html/style.css")
        }
        do {
            self.css = try String(contentsOfFile: cssPath, encoding: .utf8)
        } catch {
            throw PublishingError.templateInvalid(file: cssPath, message: "\(error)")
        }
    }

    /// The name every library must provide: the page template that includes the partials.
    static let mainTemplate = "report"

    private static func library(in directory: String, subdirectory: String) throws -> MustacheLibrary {
        let folder = join(directory, subdirectory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw PublishingError.templateMissing(directory: directory, name: "\(subdirectory)/\(mainTemplate).mustache")
        }
        var library = MustacheLibrary()
        for file in names {
            let path = join(folder, file)
            let name = String(file.dropLast(".mustache".count))
            var text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw PublishingError.templateInvalid(file: path, message: "\(error)")
            }
            if name != mainTemplate, text.last?.isNewline == true { text.removeLast() }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch {
                throw PublishingError.templateInvalid(file: path, message: "\(error)")
            }
        }
        guard library.getTemplate(named: mainTemplate) != nil else {
            throw PublishingError.templateMissing(directory: directory, name: "\(subdirectory)/\(mainTemplate).mustache")
        }
        return library
    }

    private static func join(_ parts: String...) -> String {
        parts.dropFirst().reduce(parts[0]) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
    }

    func render(_ library: MustacheLibrary, _ viewModel: [String: Any]) throws -> String {
        guard let text = library.render(viewModel, withTemplate: Self.mainTemplate) else {
            throw PublishingError.templateMissing(directory: directory, name: Self.mainTemplate)
        }
        return text
    }
}
