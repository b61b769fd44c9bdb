// swift-tools-version:6.1
// The code exercises. For each exercise (`exercise("LogitDiff")` below):
//   Sources/<Target>/           the file the learner edits;
//   Runner/Checks/<Target>Check the check program: its hidden randomized cases and the reference;
//   Runner/Harness/<Target>/    the learner's side of the exchange (which functions may be called).
// `interp check ID` builds the check program here (release mode: the reference runs fast), then
// compiles the learner's file on its own, as a module that can import only Tensor and Transformer,
// links it with Runner/Harness and runs it in a sandbox; the two programs talk over pipes
// (Runner/Wire). The learner's targets below are for editors only: nothing that grades links them.
// The project's libraries come from the repository one directory up, or from $INTERP_PACKAGE_PATH
// (`interp check` sets it when the course was copied out of the repository).
import PackageDescription

let interp = "interp"
let interpPath = Context.environment["INTERP_PACKAGE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? ".."
let libraries: [Target.Dependency] = [
    .product(name: "Tensor", package: interp),
    .product(name: "Transformer", package: interp),
]

/// An exercise: the learner's target (for editors) and its check program.
func exercise(_ name: String) -> [Target] {
    [
        .target(name: name, dependencies: libraries, path: "Sources/\(name)"),
        .executableTarget(name: name + "Check",
                          dependencies: ["ExerciseKit", "ExerciseWire", .product(name: "Interp", package: interp)] + libraries,
                          path: "Runner/Checks/\(name)Check"),
    ]
}

let package = Package(
    name: "exercises",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: interp, path: interpPath)],
    targets: [
        .target(name: "ExerciseWire", dependencies: libraries, path: "Runner/Wire"),
        .target(name: "ExerciseKit", dependencies: ["ExerciseWire", .product(name: "Interp", package: interp)] + libraries,
                path: "Runner/ExerciseKit"),
    ]
        + exercise("InductionScore")        // induction-score
        + exercise("LogitDiff")             // logit-diff
        + exercise("HeadAblation")          // head-ablation
        + exercise("CompositionScore")      // composition-score
        + exercise("ResidPatching")         // resid-patching
        + exercise("HeadDLA"),              // head-dla
    swiftLanguageModes: [.v6]
)
