import Profile

/// Lays out a village profile page from its view model (`Page`, built by `VillageProfiles.page`), the stylesheet `html/profile.css`
/// inlined. Written in Swift rather than as a Mustache template: 155 pages through the template engine took
/// seconds at the demo's size (its dynamic lookups per label and cell), the issue asks for under one second, and
/// direct string building takes a fraction of that. The page's look stays editable in `profile.css`; data text is
/// escaped here (`MapHTML.escape`) and every number carries `data-fig`, its id in `<code>.json`.
enum ProfileHTML {
    /// A label: its primary text and, in both languages, the English line (`LabelText.parts`).
    struct Label {
        var primary: String
        var secondary: String?
        init(_ text: Bilingual, _ language: Language) { (primary, secondary) = LabelText.parts(text, language) }
    }

    /// A number cell: its figure id in the page's `FigureSheet`, its text, and the meaning of a symbol (nil for a number).
    struct Cell {
        var fig: String
        var text: String
        var symbolTitle: String?
    }

    /// A table row: its header and number cells; `isTotal` rows are set off (`class="total"`).
    struct Row {
        var label: Label
        var cells: [Cell]
        var isTotal = false
    }

    struct HousingRow {
        var topic: Label
        var category: Label
        var cells: [Cell]
    }

    /// A rank among the villages (nil `rank`: not ranked) and the number of villages ranked.
    struct RankRow {
        var label: Label
        var rank: Cell?
        var count: String
    }

    /// The view model of one page. Typed rather than a dictionary for a template: 77,500 pages at national
    /// shape, and the dictionaries (building, hashing, casting) took a third of the page's time (issue 19).
    struct Page {
        var lang: String
        var documentTitle: String
        var kind: Label
        var name: String
        var place: Label
        var codes: String
        var survey: Label
        var levelHeaders: [Label]
        var keyRows: [Row]
        /// The pyramid's SVG ("" without one) and its table (age group, men and women).
        var pyramid: String
        var pyramidTable: [(name: String, cells: [Cell])]
        var desilRows: [Row]
        var targetingRows: [Row]
        var targetingNote: Label
        var housingRows: [HousingRow]
        /// Roster findings (empty without rosters) and duplicate-NIK rows per 1,000 roster rows.
        var problemRows: [Row]
        var perThousand: Cell?
        var rankRows: [RankRow]
        /// Sentences in HTML (`ProfileFindings`).
        var findings: [String]
        /// The map's HTML ("" without boundaries).
        var map: String
        var symbols: [Label]
        var source: String
        var provenance: String
    }

    /// `headings`: `VillageProfiles.headings` in the page's language (the same on every page).
    static func render(_ m: Page, headings heading: [String: Label], css: String) -> String {
        func h(_ key: String) -> String { label(heading[key]!) }
        func hp(_ key: String) -> String { esc(heading[key]!.primary) }
        var o = ""
        o.reserveCapacity(120_000)
        o += "<!DOCTYPE html>\n<html lang=\"\(m.lang)\">\n<head>\n<meta charset=\"utf-8\">\n"
        o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(esc(m.documentTitle))</title>\n"
        o += "<style>\n\(css)</style>\n</head>\n<body>\n<main class=\"profile\">\n<header class=\"profile-header\">\n"
        o += "<p class=\"place\">\(label(m.place))</p>\n"
        o += "<h1>\(esc(m.kind.primary)) \(esc(m.name))</h1>\n"
        o += "<p class=\"subtitle\">\(label(m.survey)) · \(esc(m.codes))</p>\n</header>\n"
        let levels = m.levelHeaders.map { "<th scope=\"col\" class=\"num\">\(label($0))</th>" }.joined()

        o += "<div class=\"columns\">\n<section class=\"key\" aria-labelledby=\"p-key\">\n<h2 id=\"p-key\">\(h("key"))</h2>\n<table>\n"
        o += "<thead><tr><th scope=\"col\">\(h("figure"))</th>\(levels)</tr></thead>\n<tbody>\n"
        o += rows(m.keyRows, full: true)
        o += "</tbody>\n</table>\n</section>\n"
        if !m.pyramid.isEmpty {
            o += "<section class=\"pyramid-block\" aria-labelledby=\"p-pyramid\">\n<h2 id=\"p-pyramid\">\(h("pyramid"))</h2>\n\(m.pyramid)\n"
            o += "<details>\n<summary>\(h("pyramidTable"))</summary>\n<table class=\"compact\">\n"
            o += "<thead><tr><th scope=\"col\">\(h("age"))</th><th scope=\"col\" class=\"num\">\(h("male"))</th><th scope=\"col\" class=\"num\">\(h("female"))</th></tr></thead>\n<tbody>\n"
            for r in m.pyramidTable {
                o += "<tr><th scope=\"row\">\(esc(r.name))</th>\(cells(r.cells))</tr>\n"
            }
            o += "</tbody>\n</table>\n</details>\n</section>\n"
        }
        o += "</div>\n"

        o += "<section class=\"findings\" aria-labelledby=\"p-findings\">\n<h2 id=\"p-findings\">\(h("findings"))</h2>\n<ul>\n"
        for f in m.findings { o += "<li>\(f)</li>\n" }
        o += "</ul>\n</section>\n<div class=\"columns\">\n"
        if !m.desilRows.isEmpty {
            o += "<section aria-labelledby=\"p-desil\">\n<h2 id=\"p-desil\">\(h("deciles"))</h2>\n<table class=\"compact\">\n<thead><tr>"
            o += "<th scope=\"col\">\(h("desilHeader"))</th>" + ["families", "shareVillage", "shareKecamatan", "shareKabupaten"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n\(rows(m.desilRows, full: false))</tbody>\n</table>\n</section>\n"
        }
        if !m.map.isEmpty {
            o += "<section class=\"map-block\" aria-labelledby=\"p-map\">\n<h2 id=\"p-map\">\(h("map"))</h2>\n\(m.map)\n</section>\n"
        }
        o += "</div>\n"

        if !m.targetingRows.isEmpty {
            o += "<section aria-labelledby=\"p-targeting\">\n<h2 id=\"p-targeting\">\(h("targeting"))</h2>\n"
            o += "<div class=\"table-wrap\" role=\"region\" aria-label=\"\(hp("targeting")) (\(hp("programme")))\" tabindex=\"0\">\n<table class=\"compact\">\n<thead><tr>"
            o += "<th scope=\"col\">\(h("programme"))</th>"
            o += ["units", "eligible", "recipients", "excluded", "exclusionVillage", "exclusionKecamatan", "exclusionKabupaten"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n"
            for r in m.targetingRows {
                o += "<tr\(r.isTotal ? " class=\"total\"" : "")><th scope=\"row\">\(esc(r.label.primary))</th>\(cells(r.cells))</tr>\n"
            }
            o += "</tbody>\n</table>\n</div>\n<p class=\"note\">\(label(m.targetingNote))</p>\n</section>\n"
        }

        o += "<div class=\"columns\">\n"
        if !m.housingRows.isEmpty {
            o += "<section aria-labelledby=\"p-housing\">\n<h2 id=\"p-housing\">\(h("housing"))</h2>\n<table class=\"compact\">\n"
            o += "<thead><tr><th scope=\"col\">\(h("topic"))</th>\(levels)</tr></thead>\n<tbody>\n"
            for r in m.housingRows {
                o += "<tr><th scope=\"row\">\(esc(r.topic.primary)): \(esc(r.category.primary))</th>\(cells(r.cells))</tr>\n"
            }
            o += "</tbody>\n</table>\n<p class=\"note\">\(h("housingNote"))</p>\n</section>\n"
        }
        o += "<section aria-labelledby=\"p-ranks\">\n<h2 id=\"p-ranks\">\(h("ranks"))</h2>\n<table class=\"compact\">\n<tbody>\n"
        for r in m.rankRows {
            o += "<tr><th scope=\"row\">\(label(r.label))</th><td class=\"num\">"
            if let rank = r.rank {
                o += "<span data-fig=\"\(rank.fig)\">\(esc(rank.text))</span> \(hp("of")) \(esc(r.count))"
            } else {
                o += hp("notRanked")
            }
            o += "</td></tr>\n"
        }
        o += "</tbody>\n</table>\n"
        if !m.problemRows.isEmpty {
            o += "<h2 id=\"p-problems\">\(h("problems"))</h2>\n<table class=\"compact\">\n<thead><tr><th scope=\"col\">\(h("programme"))</th>"
            o += ["rosterRows", "duplicateRows", "departedRows"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n"
            for r in m.problemRows {
                o += "<tr\(r.isTotal ? " class=\"total\"" : "")><th scope=\"row\">\(esc(r.label.primary))</th>\(cells(r.cells))</tr>\n"
            }
            let perThousand = cells(m.perThousand.map { [$0] } ?? [])
                .replacingOccurrences(of: "<td class=\"num\" data-fig=", with: "<span data-fig=").replacingOccurrences(of: "</td>", with: "</span>")
            o += "</tbody>\n</table>\n<p class=\"note\">\(h("perThousand")): \(perThousand)</p>\n"
        }
        o += "</section>\n</div>\n"

        o += "<section class=\"profile-notes\" aria-labelledby=\"p-notes\">\n<h2 id=\"p-notes\" class=\"visually-hidden\">\(hp("notes"))</h2>\n"
        o += "<p class=\"note\">\(m.symbols.map(label).joined(separator: " · "))</p>\n"
        o += "<p class=\"note\"><strong>\(hp("sourceCaption")):</strong> \(esc(m.source))</p>\n</section>\n</main>\n"
        o += "<footer class=\"profile-footer\">\n<p>\(hp("producedWith")): \(esc(m.provenance)) · <a href=\"index.html\">\(hp("index"))</a> · <a href=\"../report.html\">\(hp("report"))</a></p>\n</footer>\n</body>\n</html>\n"
        return o
    }

    static func esc(_ s: String) -> String { MapHTML.escape(s) }

    /// A label as the `label` partial writes it.
    static func label(_ l: Label) -> String {
        var out = esc(l.primary)
        if let secondary = l.secondary { out += " <span lang=\"en\" class=\"en\">\(esc(secondary))</span>" }
        return out
    }

    /// Body rows: a row header (`full`: both languages; else the primary only) and number cells.
    static func rows(_ list: [Row], full: Bool) -> String {
        var out = ""
        for r in list {
            let head = full ? label(r.label) : esc(r.label.primary)
            out += "<tr><th scope=\"row\">\(head)</th>\(cells(r.cells))</tr>\n"
        }
        return out
    }

    /// Number cells (`FigureSheet.cellModel`), each with its figure id; symbols with their meaning.
    static func cells(_ list: [Cell]) -> String {
        var out = ""
        for c in list {
            let text = esc(c.text)
            let inner = c.symbolTitle.map { "<abbr title=\"\(esc($0))\">\(text)</abbr>" } ?? text
            out += "<td class=\"num\" data-fig=\"\(c.fig)\">\(inner)</td>"
        }
        return out
    }
}
