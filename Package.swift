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
            "CXlsxWriter", "CShapelib", "Tabulation", "Profile",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),  // Templates/excel/layout.yml
        ]),
        // Disclosure control on result cubes: suppression (primary, secondary, audit) or cell key method.
        // shapelib (Debian: libshp-dev ships shapelib.pc): ESRI shapefiles of village boundaries for the maps. The
        // reference C library of the format (also inside GDAL's history), small, in Debian; GDAL itself would pull
        // in hundreds of megabytes for one file format.
        .systemLibrary(name: "CShapelib", pkgConfig: "shapelib", providers: [.apt(["libshp-dev"])]),
        .target(name: "Protection", dependencies: ["Microdata", "Profile", "Tabulation"]),
        // Synthetic Muaro Jambi registry for `regtab demo`.
        .target(name: "DemoData", dependencies: ["Microdata"]),
        // PostgreSQL's libpq through pkg-config (Debian: libpq-dev ships libpq.pc). A C library rather than a
        // Swift driver: postgres-nio's tree (SwiftNIO, swift-nio-ssl, swift-crypto) made a first release build
        // take most of 20 minutes on two cores; libpq also brings TLS (sslmode) and COPY.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // PostgreSQL (and Citus): connection, SQL pushdown runner, `regtab load` (COPY).
        .target(name: "Database", dependencies: ["CLibPQ", "Microdata", "Profile", "Tabulation"]),
        // One run end to end.
        .target(name: "Reporting", dependencies: ["Microdata", "Profile", "Tabulation", "Protection", "Publishing", "DemoData", "Database"]),
        .executableTarget(name: "regtab", dependencies: [
            "Reporting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "RegtabTests", dependencies: ["Reporting", "Microdata", "Profile", "Tabulation", "Protection", "Publishing", "DemoData", "Database"],
                    resources: [.copy("Fixtures")]),
    ]
)
