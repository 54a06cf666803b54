/// Lays out a village profile page from its view model (`VillageProfiles.page`), the stylesheet `html/profile.css`
/// inlined. Written in Swift rather than as a Mustache template: 155 pages through the template engine took
/// seconds at the demo's size (its dynamic lookups per label and cell), the issue asks for under one second, and
/// direct string building takes a fraction of that. The page's look stays editable in `profile.css`; data text is
/// escaped here (`MapHTML.escape`) and every number carries `data-fig`, its id in `<code>.json`.
enum ProfileHTML {
    typealias Model = [String: Any]

    static func render(_ m: Model, css: String) -> String {
        let heading = m["heading"] as! [String: Model]
        func h(_ key: String) -> String { label(heading[key]!) }
        func hp(_ key: String) -> String { esc(heading[key]!["primary"] as! String) }
        var o = ""
        o.reserveCapacity(120_000)
        o += "<!DOCTYPE html>\n<html lang=\"\(m["lang"] as! String)\">\n<head>\n<meta charset=\"utf-8\">\n"
        o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>\(esc(m["documentTitle"] as! String))</title>\n"
        o += "<style>\n\(css)</style>\n</head>\n<body>\n<main class=\"profile\">\n<header class=\"profile-header\">\n"
        o += "<p class=\"place\">\(label(m["place"]))</p>\n"
        o += "<h1>\(esc((m["kind"] as! Model)["primary"] as! String)) \(esc(m["name"] as! String))</h1>\n"
        o += "<p class=\"subtitle\">\(label(m["survey"])) · \(esc(m["codes"] as! String))</p>\n</header>\n"
        let levels = (m["levelHeaders"] as! [Model]).map { "<th scope=\"col\" class=\"num\">\(label($0))</th>" }.joined()

        o += "<div class=\"columns\">\n<section class=\"key\" aria-labelledby=\"p-key\">\n<h2 id=\"p-key\">\(h("key"))</h2>\n<table>\n"
        o += "<thead><tr><th scope=\"col\">\(h("figure"))</th>\(levels)</tr></thead>\n<tbody>\n"
        o += rows(m["keyRows"], full: true)
        o += "</tbody>\n</table>\n</section>\n"
        if m["hasPyramid"] as! Bool {
            o += "<section class=\"pyramid-block\" aria-labelledby=\"p-pyramid\">\n<h2 id=\"p-pyramid\">\(h("pyramid"))</h2>\n\(m["pyramid"] as! String)\n"
            o += "<details>\n<summary>\(h("pyramidTable"))</summary>\n<table class=\"compact\">\n"
            o += "<thead><tr><th scope=\"col\">\(h("age"))</th><th scope=\"col\" class=\"num\">\(h("male"))</th><th scope=\"col\" class=\"num\">\(h("female"))</th></tr></thead>\n<tbody>\n"
            for r in m["pyramidTable"] as! [Model] {
                o += "<tr><th scope=\"row\">\(esc(r["name"] as! String))</th>\(cells(r["cells"]))</tr>\n"
            }
            o += "</tbody>\n</table>\n</details>\n</section>\n"
        }
        o += "</div>\n"

        o += "<section class=\"findings\" aria-labelledby=\"p-findings\">\n<h2 id=\"p-findings\">\(h("findings"))</h2>\n<ul>\n"
        for f in m["findings"] as! [String] { o += "<li>\(f)</li>\n" }
        o += "</ul>\n</section>\n<div class=\"columns\">\n"
        if m["hasDesil"] as! Bool {
            o += "<section aria-labelledby=\"p-desil\">\n<h2 id=\"p-desil\">\(h("deciles"))</h2>\n<table class=\"compact\">\n<thead><tr>"
            o += "<th scope=\"col\">\(h("desilHeader"))</th>" + ["families", "shareVillage", "shareKecamatan", "shareKabupaten"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n\(rows(m["desilRows"], full: false))</tbody>\n</table>\n</section>\n"
        }
        if m["hasMap"] as! Bool {
            o += "<section class=\"map-block\" aria-labelledby=\"p-map\">\n<h2 id=\"p-map\">\(h("map"))</h2>\n\(m["map"] as! String)\n</section>\n"
        }
        o += "</div>\n"

        if m["hasTargeting"] as! Bool {
            o += "<section aria-labelledby=\"p-targeting\">\n<h2 id=\"p-targeting\">\(h("targeting"))</h2>\n"
            o += "<div class=\"table-wrap\" role=\"region\" aria-label=\"\(hp("targeting")) (\(hp("programme")))\" tabindex=\"0\">\n<table class=\"compact\">\n<thead><tr>"
            o += "<th scope=\"col\">\(h("programme"))</th>"
            o += ["units", "eligible", "recipients", "excluded", "exclusionVillage", "exclusionKecamatan", "exclusionKabupaten"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n"
            for r in m["targetingRows"] as! [Model] {
                o += "<tr\((r["isAny"] as! Bool) ? " class=\"total\"" : "")><th scope=\"row\">\(esc((r["label"] as! Model)["primary"] as! String))</th>\(cells(r["cells"]))</tr>\n"
            }
            o += "</tbody>\n</table>\n</div>\n<p class=\"note\">\(label(m["targetingNote"]))</p>\n</section>\n"
        }

        o += "<div class=\"columns\">\n"
        if m["hasHousing"] as! Bool {
            o += "<section aria-labelledby=\"p-housing\">\n<h2 id=\"p-housing\">\(h("housing"))</h2>\n<table class=\"compact\">\n"
            o += "<thead><tr><th scope=\"col\">\(h("topic"))</th>\(levels)</tr></thead>\n<tbody>\n"
            for r in m["housingRows"] as! [Model] {
                let topic = esc((r["label"] as! Model)["primary"] as! String), category = esc((r["category"] as! Model)["primary"] as! String)
                o += "<tr><th scope=\"row\">\(topic): \(category)</th>\(cells(r["cells"]))</tr>\n"
            }
            o += "</tbody>\n</table>\n<p class=\"note\">\(h("housingNote"))</p>\n</section>\n"
        }
        o += "<section aria-labelledby=\"p-ranks\">\n<h2 id=\"p-ranks\">\(h("ranks"))</h2>\n<table class=\"compact\">\n<tbody>\n"
        for r in m["rankRows"] as! [Model] {
            o += "<tr><th scope=\"row\">\(label(r["label"]))</th><td class=\"num\">"
            if r["ranked"] as! Bool {
                let rank = r["rank"] as! Model, count = r["count"] as! Model
                o += "<span data-fig=\"\(rank["fig"] as! String)\">\(esc(rank["text"] as! String))</span> \(hp("of")) \(esc(count["text"] as! String))"
            } else {
                o += hp("notRanked")
            }
            o += "</td></tr>\n"
        }
        o += "</tbody>\n</table>\n"
        if m["hasProblems"] as! Bool {
            o += "<h2 id=\"p-problems\">\(h("problems"))</h2>\n<table class=\"compact\">\n<thead><tr><th scope=\"col\">\(h("programme"))</th>"
            o += ["rosterRows", "duplicateRows", "departedRows"].map { "<th scope=\"col\" class=\"num\">\(h($0))</th>" }.joined()
            o += "</tr></thead>\n<tbody>\n"
            for r in m["problemRows"] as! [Model] {
                let head = esc((r["label"] as! Model)["primary"] as! String)
                o += "<tr\(r["isTotal"] != nil ? " class=\"total\"" : "")><th scope=\"row\">\(head)</th>\(cells(r["cells"]))</tr>\n"
            }
            o += "</tbody>\n</table>\n<p class=\"note\">\(h("perThousand")): \(cells([m["perThousand"]!]).replacingOccurrences(of: "<td class=\"num\" data-fig=", with: "<span data-fig=").replacingOccurrences(of: "</td>", with: "</span>"))</p>\n"
        }
        o += "</section>\n</div>\n"

        o += "<section class=\"profile-notes\" aria-labelledby=\"p-notes\">\n<h2 id=\"p-notes\" class=\"visually-hidden\">\(hp("notes"))</h2>\n"
        o += "<p class=\"note\">\((m["symbols"] as! [Model]).map(label).joined(separator: " · "))</p>\n"
        o += "<p class=\"note\"><strong>\(hp("sourceCaption")):</strong> \(esc(m["source"] as! String))</p>\n</section>\n</main>\n"
        o += "<footer class=\"profile-footer\">\n<p>\(hp("producedWith")): \(esc(m["provenance"] as! String)) · <a href=\"index.html\">\(hp("index"))</a> · <a href=\"../report.html\">\(hp("report"))</a></p>\n</footer>\n</body>\n</html>\n"
        return o
    }

    static func esc(_ s: String) -> String { MapHTML.escape(s) }

    /// A label model (`HTMLViewModel.label`) as the `label` partial writes it.
    static func label(_ any: Any?) -> String {
        let m = any as! Model
        var out = esc(m["primary"] as! String)
        if m["hasSecondary"] as! Bool { out += " <span lang=\"en\" class=\"en\">\(esc(m["secondary"] as! String))</span>" }
        return out
    }

    /// Body rows: a row header (`full`: both languages; else the primary only) and number cells.
    static func rows(_ any: Any?, full: Bool) -> String {
        var out = ""
        for r in any as! [Model] {
            let head = full ? label(r["label"]) : esc((r["label"] as! Model)["primary"] as! String)
            out += "<tr><th scope=\"row\">\(head)</th>\(cells(r["cells"]))</tr>\n"
        }
        return out
    }

    /// Number cells (`FigureSheet.cellModel`), each with its figure id; symbols with their meaning.
    static func cells(_ any: Any?) -> String {
        var out = ""
        for c in any as! [Model] {
            let text = esc(c["text"] as! String)
            let inner = (c["isSymbol"] as! Bool) ? "<abbr title=\"\(esc(c["symbolTitle"] as! String))\">\(text)</abbr>" : text
            out += "<td class=\"num\" data-fig=\"\(c["fig"] as! String)\">\(inner)</td>"
        }
        return out
    }
}
