import Foundation
import Microdata
import Profile

/// Writes the village profiles: `profiles/<BPS code>.html` (`ProfileHTML`, styled by `html/profile.css`), the figures
/// behind each page `profiles/<BPS code>.json` (`FigureSheet`), and `profiles/index.html` (from
/// `html/profile-index.mustache`), the villages by kecamatan. Pages are rendered on two threads (villages split in halves); the files are the same.
public enum ProfilePages {
    /// Returns the written paths relative to the output folder, sorted.
    public static func write(_ profiles: VillageProfiles, templates: TemplateSet, outputDirectory: String,
                             title: Bilingual, reportLink: Bool) throws -> [String] {
        let dir = (outputDirectory as NSString).appendingPathComponent("profiles")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let areas = profiles.context.figures.cubes.areas
        let cssPath = (templates.directory as NSString).appendingPathComponent("html/profile.css")
        guard let css = try? String(contentsOfFile: cssPath, encoding: .utf8) else {
            throw PublishingError.templateMissing(directory: templates.directory, name: "html/profile.css")
        }
        let count = areas.villages.count
        // Each thread renders and writes its own villages' files: no page is held longer than its writing.
        let files = try parallelMap(0..<count, state: { VillageProfiles.UpperLevels() }) { upper, v -> [String] in
            let (model, sheet) = profiles.page(village: v, upper: upper)
            let code = areas.villages[v].code
            try OutputFile.write(HTMLText.withoutControlCharacters(ProfileHTML.render(model, headings: profiles.headingLabels, css: css)),
                                 to: (dir as NSString).appendingPathComponent("\(code).html"))
            try OutputFile.write(sheet.jsonBytes(), to: (dir as NSString).appendingPathComponent("\(code).json"))
            return ["profiles/\(code).html", "profiles/\(code).json"]
        }.flatMap { $0 } + ["profiles/index.html"]
        let language = profiles.language
        func label(_ b: Bilingual) -> [String: Any] { HTMLViewModel.label(b, language) }
        let index: [String: Any] = [
            "css": css,
            "lang": language == .en ? "en" : "id",
            "documentTitle": LabelText.line(Bilingual(id: "Profil desa — \(title.id)", en: "Village profiles — \(title.en)"), language),
            "title": label(Bilingual(id: "Profil desa", en: "Village profiles")),
            "subtitle": label(title),
            "intro": label(Bilingual(id: "Satu halaman per desa/kelurahan, siap cetak (A4). Semua angka berasal dari tabel yang diterbitkan.",
                                     en: "One printable page (A4) per village. Every figure comes from the published tables.")),
            "hasReport": reportLink,
            "reportCaption": label(VillageProfiles.headings["report"]!),
            "kecamatans": areas.kecamatans.map { k -> [String: Any] in
                ["name": k.name, "id": "kec-\(k.code)",
                 "heading": label(Bilingual(id: "Kecamatan \(k.name)", en: "\(k.name) Subdistrict")),
                 "villages": k.villages.map { v -> [String: Any] in
                    let village = areas.villages[v]
                    return ["name": village.name, "href": "\(village.code).html", "code": village.code,
                            "kind": label(village.kind == "kelurahan" ? Bilingual(id: "Kelurahan", en: "Urban village") : Bilingual(id: "Desa", en: "Village"))]
                 }]
            },
        ]
        try OutputFile.write(HTMLText.withoutControlCharacters(try templates.render(templates.html, index, template: "profile-index")),
                             to: (dir as NSString).appendingPathComponent("index.html"))
        return files.sorted()
    }

    /// `transform` over `range` on two threads (the first half here, the second on a background thread), in order;
    /// each thread with its own `state`.
    static func parallelMap<T: Sendable, S>(_ range: Range<Int>, state: @escaping @Sendable () -> S,
                                            _ transform: @escaping @Sendable (S, Int) throws -> T) throws -> [T] {
        let mid = range.lowerBound + range.count / 2
        let second = Background { let s = state(); return try (mid..<range.upperBound).map { try transform(s, $0) } }
        let s = state()
        let first = try (range.lowerBound..<mid).map { try transform(s, $0) }
        return first + (try second.value())
    }
}
