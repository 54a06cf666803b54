// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "regtab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "regtab", targets: ["regtab"]),
        .library(name: "Reporting", targets: ["Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // libxlsxwriter through pkg-config (Debian: libxlsxwriter-dev ships xlsxwriter.pc).
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // ReadStat through a plain module map (Debian's libreadstat-dev ships no .pc file).
        .systemLibrary(name: "CReadStat", providers: [.apt(["libreadstat-dev"])]),
        // Reading bytes: CSV, SPSS/Stata (ReadStat), input errors, area reference, record accounting.
        // OpenSSL's libcrypto for SHA-256 (provenance hashes of every input file; record keys of the cell key method).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "Microdata", dependencies: ["CReadStat", "CCrypto"]),
        // The report definition: codebook, derived variables, rules, table and report specs (YAML).
        .target(name: "Profile", dependencies: ["Microdata", .product(name: "Yams", package: "Yams")]),
        // The one-pass engine: results cubes for every table and area level, targeting, duplicates.
        .target(name: "Tabulation", dependencies: ["Microdata", "Profile"]),
        // Display tables and the renderers (Excel, Markdown, HTML, CSV twins).
        .target(name: "Publishing", dependencies: [
            "CXlsxWriter", "Tabulation", "Profile",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),  // Templates/excel/layout.yml
        ]),
        // Disclosure control on result cubes: suppression (primary, secondary, audit) or cell key method.
        .target(name: "Protection", dependencies: ["Microdata", "Profile", "Tabulation"]),
        // Synthetic Muaro Jambi registry for `regtab demo`.
        .target(name: "DemoData"),
        // PostgreSQL (and Citus) through postgres-nio: connection, SQL pushdown runner, `regtab load` (COPY).
        // Kept in its own module so that only it (and Reporting) pay for postgres-nio's build time.
        .target(name: "Database", dependencies: [
            "Microdata", "Profile", "Tabulation", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // One run end to end.
        .target(name: "Reporting", dependencies: ["Microdata", "Profile", "Tabulation", "Protection", "Publishing", "DemoData", "Database"]),
        .executableTarget(name: "regtab", dependencies: [
            "Reporting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "RegtabTests", dependencies: ["Reporting", "Microdata", "Profile", "Tabulation", "Protection", "Publishing", "DemoData", "Database"],
                    resources: [.copy("Fixtures")]),
    ]
)
