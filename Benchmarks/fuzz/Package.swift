// swift-tools-version:6.0
// libFuzzer targets for regtab's input parsers, kept out of the main package so that `swift build` and
// `swift test` (and CI) never build them. Run with `bash Benchmarks/fuzz/run.sh` (see the README).
import Foundation
import PackageDescription

// The main package by path; its identity is the name of the folder it is checked out in.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let regtab = root.lastPathComponent.lowercased()

let package = Package(
    name: "regtab-fuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver for the Swift entry points.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        // CSVReader on arbitrary bytes, every delimiter/encoding/chunk size/record cap, every accessor.
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzDriver", .product(name: "Reporting", package: regtab)], path: "Sources/FuzzCSV"),
        // The rule language: parse, type-check, compile and run arbitrary rule text; differential check
        // against the rule's own fully parenthesised form.
        .executableTarget(name: "fuzz-rules", dependencies: ["FuzzDriver", .product(name: "Reporting", package: regtab)], path: "Sources/FuzzRules"),
    ]
)
