// swift-tools-version:6.0
// ail — AI learning & analytics engine. See README.md and ../shared/DESIGN.md.
import PackageDescription

let package = Package(
    name: "ail",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ail", targets: ["ail"]),
        .library(name: "Statistics", targets: ["Statistics"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Tracking", targets: ["Tracking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C system modules: module maps and prototypes only.
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // One implementation of each shared primitive: timestamp text, COPY text escaping, the JSON
        // number grammar, the seeded generators. Foundation only; every layer imports it.
        .target(name: "Primitives"),
        // Matrices, factorizations, regression, distributions, metrics. Imports only Primitives.
        .target(name: "Statistics", dependencies: ["CLAPACK", "Primitives"]),
        // libpq connection, queries, COPY, typed errors, migrations, embedded server.
        // The EmbedMigrations plugin compiles migrations/*.sql into the target.
        .target(name: "Store", dependencies: [
            "CLibPQ", "Primitives",
            .product(name: "Crypto", package: "swift-crypto"),
        ], plugins: ["EmbedMigrations"]),
        .executableTarget(name: "embed-migrations", path: "Sources/embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"]),
        // Event types, validation, session monitor, batch ingest, privacy, simulator.
        .target(name: "Tracking", dependencies: [
            "Store", "Primitives",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // prctl(2) for the job child (a variadic C function Swift cannot import directly).
        .systemLibrary(name: "CProcessControl", path: "Sources/CProcessControl"),
        // Scheduled jobs: cron schedules in IANA zones, the scheduler, run history.
        .target(name: "Jobs", dependencies: ["Store", "Primitives", "CProcessControl"]),
        // Data for the models: PostgreSQL query results into typed frames (binary COPY).
        .target(name: "Analytics", dependencies: [
            "Statistics", "Store", "Primitives",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Rendering for people and notebooks: dashboard, trends, the self-contained HTML report
        // with its SVG charts, and the CSV export.
        .target(name: "Reporting", dependencies: [
            "Primitives", "Statistics", "Store", "Analytics",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The command line: one file per subcommand group; wires the parts together.
        .target(name: "AILCommandLine", dependencies: [
            "Primitives", "Statistics", "Store", "Tracking", "Jobs", "Analytics", "Reporting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ail", dependencies: ["AILCommandLine"]),
        // Benchmarks run by `make bench` (never by `make test`).
        .executableTarget(name: "ail-bench", dependencies: ["Primitives", "Statistics", "Store", "Tracking", "Analytics"],
                          path: "Sources/Benchmarks"),

        // Shared test support: a throwaway PostgreSQL per test process, reference-data loading.
        .target(name: "TestSupport", dependencies: ["Store"], path: "Tests/TestSupport"),
        .testTarget(name: "PrimitivesTests", dependencies: ["Primitives"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Primitives", "AILCommandLine", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "TrackingTests", dependencies: ["Tracking", "Primitives", "TestSupport"]),
        .testTarget(name: "CommandLineTests", dependencies: ["AILCommandLine", "Analytics", "Statistics", "Store", "Tracking", "Primitives", "TestSupport"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "TestSupport"]),
        // Pattern mining on the database (issue 13): error templates, the analysis on simulated workloads.
        .testTarget(name: "PatternTests", dependencies: ["Analytics", "Statistics", "Store", "Tracking", "TestSupport"]),
        .testTarget(name: "InsightsTests", dependencies: ["Analytics", "Statistics", "Store", "Tracking", "Primitives", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Analytics", "Statistics", "Store", "Tracking", "Primitives", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Analytics", "AILCommandLine", "Tracking", "Statistics", "Store", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
