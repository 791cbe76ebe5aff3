import Foundation
import Testing
import TestSupport

/// The same spec and seed give byte-identical results at any thread count and whichever OpenBLAS
/// kernel family the environment asks for: the tool, in separate processes, trains a small network
/// (pretraining and fine-tuning) and evaluates it, at 1, 2 and 3 threads under forced `Haswell`,
/// `Sandybridge` and (where the CPU has AVX-512) `SkylakeX` kernels; every cached and published
/// output but the timing columns must be the same bytes. Fast numerics, which let the kernel
/// family through, must change the checkpoint: the comparison can see a kernel change.
@Suite(.serialized) struct NumericsReproducibilityTests {
    static let binary = KillAndResumeTests.binary
    static let spec = ExperimentRunTests.tinySpec

    static var hasAVX512: Bool {
        ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains(" avx512f")
    }

    /// Runs the tiny quick start into `results` with a thread count and a forced OpenBLAS core type.
    static func run(results: String, threads: Int, coreType: String, extra: [String] = []) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", spec, "--results", results, "--threads", String(threads)]
            + (ExperimentRunTests.tiny + extra).flatMap { ["--set", $0] }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = coreType
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Every file of a results folder by relative path, as the bytes that must agree: stage
    /// records and manifests (times, sizes of timed files) and the environment are left out, and
    /// history files lose their timing columns.
    static func outputs(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let name = file.lastPathComponent
            guard !["stage.json", "manifest.json", "environment.json", "report.md"].contains(name) else { continue }
            let relative = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            guard !relative.hasPrefix(".cache/tmp"), let data = try? Data(contentsOf: file) else { continue }
            files[relative] = name == "history.csv" ? withoutTimingColumns(data) : data
        }
        return files
    }

    /// A history CSV without its `seconds` and `samples_per_second` columns.
    static func withoutTimingColumns(_ data: Data) -> Data {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false) else { return data }
        let keep = header.indices.filter { !["seconds", "samples_per_second"].contains(String(header[$0])) }
        let kept = lines.map { line -> String in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return keep.filter { $0 < fields.count }.map { String(fields[$0]) }.joined(separator: ",")
        }
        return Data(kept.joined(separator: "\n").utf8)
    }

    @Test func everyOutputIsTheSameBytesAtAnyThreadCountAndForcedKernel() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            Issue.record("build the tool first: \(Self.binary) is missing (make test builds it)")
            return
        }
        let coreTypes = ["Haswell", "Sandybridge"] + (Self.hasAVX512 ? ["SkylakeX"] : [])
        let folder = TemporaryDirectory()
        var reference: [String: Data]? = nil
        for coreType in coreTypes {
            for threads in [1, 2, 3] {
                let results = folder.url.appendingPathComponent("\(coreType)-\(threads)")
                #expect(try Self.run(results: results.path, threads: threads, coreType: coreType) == 0, "\(coreType), \(threads) threads")
                let outputs = Self.outputs(results)
                #expect(outputs.keys.contains("quickstart/metrics.csv") && outputs.keys.contains { $0.hasSuffix("scores.csv") }
                        && outputs.keys.contains { $0.hasSuffix("model.safetensors") })
                guard let expected = reference else { reference = outputs; continue }
                #expect(Set(outputs.keys) == Set(expected.keys), "\(coreType), \(threads) threads: other files")
                let differing = expected.keys.sorted().filter { outputs[$0] != expected[$0] }
                #expect(differing.isEmpty, "\(coreType), \(threads) threads: \(differing.joined(separator: ", ")) differ")
            }
        }

        // Fast numerics run the kernel family the environment names: Sandybridge's checkpoint differs.
        let fast = folder.url.appendingPathComponent("fast-Sandybridge")
        #expect(try Self.run(results: fast.path, threads: 2, coreType: "Sandybridge", extra: ["execution.numerics=fast"]) == 0)
        let fastOutputs = Self.outputs(fast)
        let checkpoints = { (files: [String: Data]) in files.filter { $0.key.hasSuffix("model.safetensors") }.values.sorted { $0.count < $1.count } }
        #expect(!checkpoints(fastOutputs).isEmpty && checkpoints(fastOutputs) != checkpoints(reference ?? [:]),
                "fast numerics under Sandybridge kernels gave the reproducible checkpoints: the comparison cannot see kernels")
    }
}
