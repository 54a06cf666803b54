import Foundation
import Mustache

/// The Mustache templates of the Markdown and HTML reports, read from a directory at run time so users can restyle
/// a report by editing a copy of `Templates/` without rebuilding regtab.
///
/// Layout of the directory:
/// - `markdown/report.mustache` (+ any `markdown/<name>.mustache` partials, used as `{{> name}}`)
/// - `html/report.mustache` (+ partials) and `html/style.css`, inlined into the page so the report is one file.
/// - `html/briefing.mustache` (the one-page Forkopimda briefing) and `html/briefing.css`, inlined likewise.
/// - `excel/layout.yml`: fonts, sizes, fills, widths and chart colours of the workbook (`ExcelLayout`); optional,
///   the built-in look when absent.
///
/// Partials lose one trailing newline: editors add it to every file, and partials are used inline (a label inside
/// a `<th>`) where the newline would otherwise become part of the text.
public struct TemplateSet: Sendable {
    public let directory: String
    let markdown: MustacheLibrary
    let html: MustacheLibrary
    let css: String
    /// Stylesheet of `briefing.html` (empty when the directory has none).
    let briefingCSS: String
    /// The workbook's look, from `excel/layout.yml`.
    public let excelLayout: ExcelLayout

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
        let briefingCSSPath = Self.join(directory, "html", "briefing.css")
        if FileManager.default.fileExists(atPath: briefingCSSPath) {
            do {
                self.briefingCSS = try String(contentsOfFile: briefingCSSPath, encoding: .utf8)
            } catch {
                throw PublishingError.templateInvalid(file: briefingCSSPath, message: "\(error)")
            }
        } else {
            self.briefingCSS = ""
        }
        self.excelLayout = try ExcelLayout.load(path: Self.join(directory, "excel", "layout.yml"))
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

    func render(_ library: MustacheLibrary, _ viewModel: [String: Any], template: String = mainTemplate) throws -> String {
        guard library.getTemplate(named: template) != nil, let text = library.render(viewModel, withTemplate: template) else {
            throw PublishingError.templateMissing(directory: directory, name: "\(template).mustache")
        }
        return text
    }
}
