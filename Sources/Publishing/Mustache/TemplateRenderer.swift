import Profile
/// Renders the internal Markdown notes from `TemplateSet`'s `markdown/report.mustache`.
/// The view model carries text already escaped for Markdown; the template switches Mustache's HTML escaping off
/// with `{{%CONTENT_TYPE:TEXT}}`, because entity-escaped quotes would make the raw notes hard to read.
public enum MarkdownRenderer {
    public static func render(_ doc: ReportDocument, templates: TemplateSet) throws -> String {
        try templates.render(templates.markdown, MarkdownViewModel.make(doc))
    }
}

/// Renders the self-contained HTML report from `TemplateSet`'s `html/report.mustache`, with `html/style.css` inlined.
/// Data text is left unescaped in the view model: Mustache's `{{ }}` escapes it for HTML, and the templates never use
/// `{{{ }}}` for data.
public enum HTMLRenderer {
    public static func render(_ doc: ReportDocument, templates: TemplateSet) throws -> String {
        HTMLText.withoutControlCharacters(try templates.render(templates.html, HTMLViewModel.make(doc, css: templates.css)))
    }

    /// Renders `briefing.html` from `html/briefing.mustache` with `html/briefing.css` inlined; nil when the document
    /// has no briefing.
    public static func renderBriefing(_ doc: ReportDocument, templates: TemplateSet) throws -> String? {
        guard let briefing = doc.briefing else { return nil }
        var model = BriefingViewModel.make(briefing, css: templates.briefingCSS)
        model["hasMap"] = !doc.briefingMapHTML.isEmpty
        model["map"] = doc.briefingMapHTML
        model["mapLabel"] = LabelText.line(Bilingual(id: "Peta", en: "Map"), doc.language)
        return HTMLText.withoutControlCharacters(try templates.render(templates.html, model, template: "briefing"))
    }
}
