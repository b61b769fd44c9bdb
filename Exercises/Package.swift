// swift-tools-version:6.1
// The code exercises: one target per exercise holds the file the learner edits (Sources/<Target>/),
// and one executable per exercise (`<Target>Check`, in Runner/Checks/) runs its hidden randomized
// cases against the project's reference implementations. `interp check ID` builds and runs it.
// The project's exercise-facing libraries come from the repository one directory up, or from
// $INTERP_PACKAGE_PATH: `interp check` sets it when the course was copied out of the repository.
import PackageDescription

let interp = "interp"
let interpPath = Context.environment["INTERP_PACKAGE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? ".."
let libraries: [Target.Dependency] = [
    .product(name: "Tensor", package: interp),
    .product(name: "Transformer", package: interp),
]

/// An exercise: the learner's target and its check program.
func exercise(_ name: String) -> [Target] {
    [
        .target(name: name, dependencies: libraries, path: "Sources/\(name)"),
        .executableTarget(name: name + "Check",
                          dependencies: [.target(name: name), "ExerciseKit", .product(name: "Interp", package: interp)] + libraries,
                          path: "Runner/Checks/\(name)Check"),
    ]
}

let package = Package(
    name: "exercises",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: interp, path: interpPath)],
    targets: [
        .target(name: "ExerciseKit", dependencies: [.product(name: "Interp", package: interp)] + libraries, path: "Runner/ExerciseKit"),
    ]
        + exercise("InductionScore")        // induction-score
        + exercise("LogitDiff")             // logit-diff
        + exercise("HeadAblation")          // head-ablation
        + exercise("CompositionScore")      // composition-score
        + exercise("ResidPatching")         // resid-patching
        + exercise("HeadDLA"),              // head-dla
    swiftLanguageModes: [.v6]
)
