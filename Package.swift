// swift-tools-version:6.0
// SpeakerLab: a declarative experiment runner for speaker recognition.
// Layers and the import rule are described in DESIGN.md (shared) and README.md.
import PackageDescription

/// Release-mode numeric code benefits from these; they are safe for every target.
let optimised: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "SpeakerLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "speakerlab", targets: ["speakerlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // Layer 0: native libraries from Debian's -dev packages.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),

        // Layer 0: the one seeded generator every layer shares (DESIGN §3, Randomness).
        .target(name: "Randomness", swiftSettings: optimised),

        // Layer 1.
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: optimised),
        .target(name: "Audio", dependencies: ["CSndFile", "CFFTW", "CSoxr"], swiftSettings: optimised),
        .target(name: "Metrics", swiftSettings: optimised),
        .target(name: "Pipeline", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // Layer 3.
        .target(name: "Spec", dependencies: ["Yams"]),
        .target(name: "Reports", dependencies: ["Metrics"]),

        // Layer 5: the one place that wires the domains together.
        .target(name: "Stages", dependencies: [
            "Audio", "Metrics", "Pipeline", "Reports", "Spec", "Tensor",
        ]),

        // Layer 6: the command-line tool.
        .executableTarget(name: "speakerlab", dependencies: [
            "Stages", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "TestSupport"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Randomness", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TestSupport"]),
        .testTarget(name: "SpecTests", dependencies: ["Spec", "TestSupport"]),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
