// swift-tools-version:6.1
import PackageDescription

// Module layout: see README.md ("Architecture"). Dependencies point down:
// InterpCLI → Grading → {Course, Progress, Interp} → Transformer → Tensor; TerminalUI stands apart.
let package = Package(
    name: "interp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "interp", targets: ["InterpCLI"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Transformer", targets: ["Transformer"]),
        .library(name: "Interp", targets: ["Interp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C libraries, through module maps only.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEditline", providers: [.apt(["libedit-dev"])]),

        // Exercise-facing libraries: no GRDB, no CLI.
        .target(name: "Tensor", dependencies: ["CBLAS"]),
        .target(name: "Transformer", dependencies: ["Tensor"], resources: [.copy("Models")]),
        .target(name: "Interp", dependencies: ["Transformer", "Tensor"], resources: [.copy("Resources/bench_reference.json")]),

        // Platform libraries.
        .target(name: "TerminalUI", dependencies: ["CCmark", "CEditline"]),
        .target(name: "Progress", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Course", dependencies: ["Yams", "CCmark"]),
        .target(name: "Grading", dependencies: ["Course", "Progress", "Interp", "Transformer", "Tensor"]),

        // The `interp` executable: commands and the REPL. No domain logic.
        .executableTarget(
            name: "InterpCLI",
            dependencies: [
                "Grading", "Course", "Progress", "Interp", "Transformer", "Tensor", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InterpTests", dependencies: ["Interp", "Transformer", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ProgressTests", dependencies: ["Progress", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CourseTests", dependencies: ["Course"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GradingTests", dependencies: ["Grading"]),
        .testTarget(name: "CLITests", dependencies: ["InterpCLI", "Grading", "Progress", "Course", "Tensor",
                                                   .product(name: "GRDB", package: "GRDB.swift"),
                                                   .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ],
    swiftLanguageModes: [.v6]
)
