import Foundation
import Testing
import TestSupport

/// `kill -9` of a real `speakerlab run` in the middle of pretraining, then the same command:
/// it completes, reuses the finished stages, resumes pretraining from its last saved state,
/// and ends with the metrics of an uninterrupted run.
@Suite struct KillAndResumeTests {
    static let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/release/speakerlab").path
    /// Long enough pretraining (30 short epochs) that the window between its first saved state and
    /// the stage's end is wide.
    static let overrides = ExperimentRunTests.tiny.filter { !$0.hasPrefix("pretrain.epochs") } + ["pretrain.epochs=30"]

    static func run(results: String, wait: Bool = true) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", ExperimentRunTests.tinySpec, "--results", results]
            + overrides.flatMap { ["--set", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if wait { process.waitUntilExit() }
        return process
    }

    @Test func killedMidPretrainingThenRerunEndsWithTheUninterruptedMetrics() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            Issue.record("build the tool first: \(Self.binary) is missing (make test builds it)")
            return
        }
        let reference = TemporaryDirectory(), killed = TemporaryDirectory()
        let uninterrupted = try Self.run(results: reference.url.path)
        #expect(uninterrupted.terminationStatus == 0)

        // Start, wait until pretraining has saved a resume state, then kill -9.
        let victim = try Self.run(results: killed.url.path, wait: false)
        let partial = killed.url.appendingPathComponent(".cache/partial")
        var sawState = false
        // Poll until the state appears or the run ends (generous: a loaded machine is slow to get there).
        let deadline = Date().addingTimeInterval(600)
        while victim.isRunning && Date() < deadline {
            let states = (try? FileManager.default.contentsOfDirectory(atPath: partial.path))?.filter {
                FileManager.default.fileExists(atPath: partial.appendingPathComponent($0).appendingPathComponent("state.safetensors").path)
            } ?? []
            if !states.isEmpty { sawState = true; break }
            Thread.sleep(forTimeInterval: 0.002)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(sawState, "the run ended before pretraining saved a state; nothing was interrupted")
        #expect(!FileManager.default.fileExists(atPath: killed.path(ExperimentRunTests.published(Self.overrides) + "/metrics.csv")))

        let rerun = try Self.run(results: killed.url.path)
        #expect(rerun.terminationStatus == 0)
        let expected = try String(contentsOfFile: reference.path(ExperimentRunTests.published(Self.overrides) + "/metrics.csv"), encoding: .utf8)
        let actual = try String(contentsOfFile: killed.path(ExperimentRunTests.published(Self.overrides) + "/metrics.csv"), encoding: .utf8)
        #expect(actual == expected)
    }
}

extension KillAndResumeTests {
    @Test func twoRunsOfTheSameSpecStartedTogetherBothSucceedAndComputeEachStageOnce() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            Issue.record("build the tool first: \(Self.binary) is missing (make test builds it)")
            return
        }
        let results = TemporaryDirectory()
        let outputs = [Pipe(), Pipe()]
        let processes = outputs.map { pipe -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["run", ExperimentRunTests.tinySpec, "--results", results.url.path, "--jobs", "2"]
                + ExperimentRunTests.tiny.flatMap { ["--set", $0] }
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        let texts = outputs.map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(texts)")
        for stage in ["prepare", "features", "pretrain", "finetune", "evaluate", "report"] {
            let ran = texts.filter { $0.contains("ran      \(stage)\n") }.count
            let cached = texts.filter { $0.contains("cached   \(stage)\n") }.count
            #expect(ran == 1 && cached == 1, "\(stage): ran in \(ran) run(s), cached in \(cached)")
        }
    }
}
