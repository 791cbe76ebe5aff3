// swift-tools-version:6.0
// SpeakerLab: a declarative experiment runner for speaker recognition.
// Layers and the import rule are described in DESIGN.md (shared) and README.md.
import PackageDescription

/// Release builds: AVX2 + FMA code generation everywhere (any x86-64 server since 2013; the
/// default baseline, SSE2, leaves the SIMD kernels scalar). Bounds and overflow checks stay on in
/// every target that handles user input (specs, graphs, audio files, corpora, score files); only
/// `Tensor`, the kernels, is built `-Ounchecked`, where its shapes are checked on entry and the
/// loops are tested in this configuration. What that buys and what the checks elsewhere cost is
/// measured in the README (Benchmarks). Other architectures build as usual.
#if arch(x86_64)
let kernels: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"], .when(configuration: .release))]
let checked: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
#else
let kernels: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
let checked: [SwiftSetting] = []
#endif

/// Test modules compile unoptimised even in release builds: they call the optimised library
/// targets, which is where the work is, and `-Onone` halves the time `make test` spends compiling
/// them (measured in the closing note of the one-build issue).
let testModules: [SwiftSetting] = [.unsafeFlags(["-Onone"], .when(configuration: .release))]

let package = Package(
    name: "SpeakerLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "speakerlab", targets: ["speakerlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The ONNX model format is protobuf: `speakerlab export` writes it with swift-protobuf's
        // runtime and the messages scripts/generate-onnx-protobuf.sh generated from onnx.proto.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // Layer 0: native libraries from Debian's -dev packages.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        // SHA-256 for cache keys and checksums: OpenSSL's libcrypto, already on every Debian machine
        // (swift-crypto built BoringSSL from ~400 C files for this one function; see the Makefile).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Layer 0: the one seeded generator every layer shares (DESIGN §3, Randomness).
        .target(name: "Randomness", swiftSettings: checked),

        // Layer 1.
        .target(name: "Tensor", dependencies: ["COpenBLAS", "Randomness"], swiftSettings: kernels),
        .target(name: "Audio", dependencies: ["CSndFile", "CFFTW", "CSoxr"], swiftSettings: checked),
        .target(name: "Metrics", swiftSettings: checked),
        .target(name: "Pipeline", dependencies: ["CCrypto"]),
        // Located errors (file:line:column, the line, a caret) that specs and model graphs share.
        .target(name: "Diagnostics", dependencies: ["Yams"]),

        // Layer 2.
        .target(name: "NN", dependencies: ["Tensor", "Randomness"], swiftSettings: checked),

        // Layer 3.
        .target(name: "Models", dependencies: ["Diagnostics", "NN", "Tensor", "Randomness", "Yams"], swiftSettings: checked),
        .target(name: "Datasets", dependencies: ["Audio", "Randomness"], swiftSettings: checked),
        .target(name: "Spec", dependencies: ["Diagnostics", "Yams", "Pipeline"]),
        .target(name: "Reports", dependencies: ["Metrics"]),

        // Layer 4.
        .target(name: "Training", dependencies: ["Audio", "Datasets", "Metrics", "Models", "NN", "Pipeline", "Randomness", "Tensor"], swiftSettings: checked),

        // Layer 1: the ONNX format's protobuf messages, generated (scripts/generate-onnx-protobuf.sh).
        .target(name: "ONNX", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Layer 4: a network's export graph written as an ONNX model.
        .target(name: "Export", dependencies: ["Models", "ONNX", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),

        // Layer 5: the one place that wires the domains together.
        .target(name: "Stages", dependencies: [
            "Audio", "Datasets", "Diagnostics", "Export", "Metrics", "Models", "NN", "Pipeline", "Randomness", "Reports", "Spec", "Tensor", "Training",
        ]),

        // Layer 6: the command-line tool.
        .executableTarget(name: "speakerlab", dependencies: [
            "Stages", "Reports", "Audio", "Datasets", "Diagnostics", "Models", "Pipeline", "Spec", "Tensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: SpeakerLab's side of `make bench` (Benchmarks/run.sh runs the peers beside it).
        .executableTarget(name: "speakerlab-benchmarks", dependencies: ["Audio", "Metrics", "Models", "NN", "Randomness", "Tensor", "Training"],
                          path: "Benchmarks/SpeakerLabBenchmarks"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Audio", "Tensor", "Randomness"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Audio", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "ModelsTests", dependencies: ["Diagnostics", "Models", "NN", "Tensor", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Randomness", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Metrics", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "SpecTests", dependencies: ["Diagnostics", "Spec", "TestSupport"], swiftSettings: testModules),
        // The hostile-input suite: the real tool run in a sandbox per case (exit status, located message, what changed).
        .testTarget(name: "AdversarialTests", dependencies: ["Audio", "Datasets", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Audio", "Datasets", "Models", "NN", "Randomness", "Tensor", "TestSupport"], swiftSettings: testModules),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Models", "ONNX", "TestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                    swiftSettings: testModules),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "Audio", "Datasets", "Diagnostics", "Models", "NN", "Pipeline", "Randomness", "Spec", "Tensor", "TestSupport"], swiftSettings: testModules),
    ],
    swiftLanguageModes: [.v5]
)
