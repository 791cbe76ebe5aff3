import Foundation
import Audio
import Datasets
import Metrics
import Pipeline
import Reports
import Spec
import Testing
import TestSupport
@testable import Stages

/// Evidence a reviewer can defend: nothing chosen on the test speakers, every selection visible,
/// and runs that never overwrite each other, even with `gc` running beside them.
@Suite struct EvidenceTests {
    static let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path
    /// The quick start at tiny sizes, written as a spec of its own so that it publishes to the base folder.
    static let tinySpec = """
        extends: \(spec)
        model: {graph: \(Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path)}
        dataset: {speakers: 12, utterances: 6, test_fraction: 0.34}
        features: {seconds: 0.6}
        pretrain: {epochs: 2, select: eer, validation_speakers: 2}
        finetune: {steps: 4, evaluate_every: 2, triplets: 4}
        calibrate: {speakers: 2}
        evaluate: {score_norm: as-norm, embedding_norm: standardise}

        """

    /// A folder with the tiny spec in it, and its results folder.
    static func tinyExperiment() throws -> (folder: TemporaryDirectory, spec: String, results: URL) {
        let folder = TemporaryDirectory()
        try tinySpec.write(toFile: folder.path("tiny.yaml"), atomically: true, encoding: .utf8)
        return (folder, folder.path("tiny.yaml"), folder.url.appendingPathComponent("Results"))
    }

    @Test func noStageButEvaluationReadsTheTestSpeakersAndTheKeptStepIsReported() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        let summary = try ExperimentRun.run(specPath: spec, overrides: [], locations: .init(results: results), jobs: 2, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        // Every training stage, calibration and the fits on training speakers ran; only evaluate read the test split.
        let reads = SplitAudit.shared.reads(under: results)
        #expect(Set(reads.keys).isSuperset(of: ["pretrain", "finetune", "calibrate", "evaluate"]), "\(reads)")
        #expect(SplitAudit.shared.testReaders(under: results) == ["evaluate"], "\(reads)")
        let report = try String(contentsOfFile: results.appendingPathComponent("quickstart/report.md").path, encoding: .utf8)
        #expect(report.contains("## Checkpoint selection"))
        #expect(report.contains("on 2 validation speakers held out of pretraining"), "\(report)")
        #expect(report.contains("on 2 validation speakers held out of fine-tuning"), "\(report)")
        #expect(!report.contains("test speakers (select: test-speakers"))
        _ = folder
    }

    @Test func theSeedsPracticeIsAnOptInThatEveryOutputMarks() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        let summary = try ExperimentRun.run(specPath: spec, overrides: ["finetune.select=test-speakers"], locations: .init(results: results), jobs: 2, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        // The audit sees it: fine-tuning read the test speakers.
        #expect(SplitAudit.shared.testReaders(under: results) == ["evaluate", "finetune"])
        let run = RunFolder(results: results, experiment: "quickstart", point: RunFolder.point(overrides: ["finetune.select=test-speakers"])).url
        #expect(run.lastPathComponent == "select=test-speakers")
        let report = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("on the test speakers (select: test-speakers") && report.contains(PublishedRun.testSelectionNote))
        let published = try PublishedRun.collect([run.path])
        #expect(try ResultsTable().table(published).rows[0][0].hasSuffix(" " + PublishedRun.testSelectionMark))
        #expect(RunList().table(published).rows[0][0].hasSuffix(" " + PublishedRun.testSelectionMark))
        _ = folder
    }

    @Test func overridesPublishBesideTheBaseRunAndTheSummaryListsEveryRun() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        let locations = ExperimentRun.Locations(results: results)
        for overrides in [["finetune.steps=2"], [], ["finetune.steps=6"], ["finetune.steps=2"]] {
            let summary = try ExperimentRun.run(specPath: spec, overrides: overrides, locations: locations, jobs: 2, keepGoing: false, force: [])
            #expect(summary.succeeded, "\(summary.text)")
        }
        let base = results.appendingPathComponent("quickstart")
        for (folder, steps) in [(base, 4), (base.appendingPathComponent("steps=2"), 2), (base.appendingPathComponent("steps=6"), 6)] {
            let published = try JSONDecoder().decode(CanonicalValue.self, from: Data(contentsOf: folder.appendingPathComponent("spec.json")))
            #expect(published["finetune"]?["steps"]?.int == steps, "\(folder.path)")
        }
        let summary = try CSV.parse(String(contentsOf: base.appendingPathComponent("summary.csv"), encoding: .utf8))
        #expect(summary.header.prefix(2) == ["point", "finetune.steps"])
        #expect(summary.rows.map { Array($0.prefix(2)) } == [["base", ""], ["steps=2", "2"], ["steps=6", "6"]])
        // A run folder is that run alone in a table; the experiment's points are listed by `runs`.
        #expect(try PublishedRun.collect([base.path]).map(\.name) == ["quickstart"])
        #expect(try RunList.runs(under: base.path).map(\.name) == ["quickstart", "steps=2", "steps=6"])
        // The plan says where a command writes before it runs.
        #expect(try ExperimentRun.planText(specPath: spec, overrides: ["finetune.steps=6"], locations: locations).hasSuffix("publishes to \(base.path)/steps=6\n"))
        _ = folder
    }

    @Test func republishingRemovesWhatTheNewRunDoesNotMakeButKeepsThePointsBelow() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        let locations = ExperimentRun.Locations(results: results)
        #expect(try ExperimentRun.run(specPath: spec, overrides: [], locations: locations, jobs: 2, keepGoing: false, force: []).succeeded)
        #expect(try ExperimentRun.run(specPath: spec, overrides: ["finetune.steps=2"], locations: locations, jobs: 2, keepGoing: false, force: []).succeeded)
        let base = results.appendingPathComponent("quickstart")
        // What an earlier publication left (a calibration, a plot) that this one does not make.
        try "stale".write(to: base.appendingPathComponent("calibration-old.json"), atomically: true, encoding: .utf8)
        try "<svg/>".write(to: base.appendingPathComponent("plots/old.svg"), atomically: true, encoding: .utf8)
        #expect(try ExperimentRun.run(specPath: spec, overrides: [], locations: locations, jobs: 2, keepGoing: false, force: []).succeeded)
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("calibration-old.json").path))
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("plots/old.svg").path))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("plots/det.svg").path))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("steps=2/metrics.csv").path))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("summary.csv").path))
        _ = folder
    }

    @Test func gcWhileARunTrainsRemovesNothingItNeedsAndTheMetricsAreUndisturbed() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        let longer = ["pretrain.epochs=8"]
        let plan = try ExperimentPlan(specPath: spec, overrides: longer)
        let pretrainKey = plan.graph.keys["pretrain"]!
        final class Outcome: @unchecked Sendable { var summary: StageRunner.Summary?; var error: Error? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { outcome.summary = try ExperimentRun.run(specPath: spec, overrides: longer, locations: .init(results: results), jobs: 1, keepGoing: false, force: []) }
            catch { outcome.error = error }
            done.signal()
        }
        // Wait until pretraining is under way (its temporary folder exists), then collect the cache.
        let temporary = results.appendingPathComponent(".cache/tmp")
        var training = false
        for _ in 0..<30_000 where !training {
            training = ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).contains { $0.hasPrefix(pretrainKey.short) }
            if !training { usleep(5_000) }
        }
        #expect(training, "pretraining never started")
        let collected = try ExperimentRun.garbageCollect(locations: .init(results: results), apply: true)
        #expect(collected.contains("kept: a running experiment holds them"), "\(collected)")
        done.wait()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.summary?.succeeded == true, "\(outcome.summary?.text ?? "")")
        // The same spec undisturbed, in another results folder: the same metrics, byte for byte.
        let undisturbed = folder.url.appendingPathComponent("Undisturbed")
        #expect(try ExperimentRun.run(specPath: spec, overrides: longer, locations: .init(results: undisturbed), jobs: 1, keepGoing: false, force: []).succeeded)
        let point = "epochs=8"
        let disturbedMetrics = try Data(contentsOf: results.appendingPathComponent("quickstart/\(point)/metrics.csv"))
        #expect(disturbedMetrics == (try Data(contentsOf: undisturbed.appendingPathComponent("quickstart/\(point)/metrics.csv"))))
    }

    @Test func gcAndStatusCreateNothingWhereThereIsNoCache() throws {
        let folder = TemporaryDirectory()
        let results = folder.url.appendingPathComponent("Results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        _ = try ExperimentRun.statusText(locations: .init(results: results))
        #expect(try ExperimentRun.garbageCollect(locations: .init(results: results), apply: true).hasPrefix("no cache at"))
        #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent(".cache").path))
    }

    @Test func gcNeverRemovesThroughALink() throws {
        let folder = TemporaryDirectory()
        let outside = folder.url.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("victim-1-abcdefgh"), withIntermediateDirectories: true)
        let cache = folder.url.appendingPathComponent("Results/.cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: cache.appendingPathComponent("corrupt"), withDestinationURL: outside)
        _ = try ExperimentRun.garbageCollect(locations: .init(results: folder.url.appendingPathComponent("Results")), apply: true)
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("victim-1-abcdefgh").path))
    }
}

extension EvidenceTests {
    @Test func aListValueForAListKeyIsNotASweepAndRepeatedPointsAreRefused() throws {
        let blocks = try Sweep(overrides: ["model.blocks=1,2,2,1"])
        #expect(blocks.points.count == 1 && blocks.fixed == ["model.blocks=[1,2,2,1]"])
        #expect(try ExperimentPlan(specPath: Self.spec, overrides: blocks.fixed).spec.model.blocks == [1, 2, 2, 1])
        #expect(try Sweep(overrides: ["evaluate.metrics=eer,auc"]).points.count == 1)
        #expect(try Sweep(overrides: ["model.blocks=[1,1,1,1],[1,2,2,1]"]).points.map(\.name) == ["blocks=1,1,1,1", "blocks=1,2,2,1"])
        #expect(throws: PipelineError.self) { try Sweep(overrides: ["finetune.steps=10,10"]) }
        // Keys that end alike are named in full; fixed overrides name the point too.
        let both = try Sweep(overrides: ["seed=2", "pretrain.optimizer.lr=0.01,0.001", "finetune.optimizer.lr=0.1"])
        #expect(both.points.map(\.name) == ["seed=2,finetune.optimizer.lr=0.1,pretrain.optimizer.lr=0.01", "seed=2,finetune.optimizer.lr=0.1,pretrain.optimizer.lr=0.001"])
    }

    @Test func planNamesChangedStageParametersByTheirSpecKeys() {
        #expect(SpecKeyNames.specKey("model.section.blocks") == "model.blocks")
        #expect(SpecKeyNames.specKey("validation_fraction") == "dataset.validation_fraction")
        #expect(SpecKeyNames.specKey("finetune.steps") == "finetune.steps")
    }

    @Test func anImplausibleCalibrationIsFlaggedAndAThresholdOutsideItsScoresToo() throws {
        // Separable trials have no finite fit; nearly separable ones (overlapping by 0.002) give a
        // slope of about 900, which no handful of speakers supports.
        let separable = try ScoredTrials(scores: [0.9, 0.8, 0.85, 0.1, 0.2, 0.15], labels: [true, true, true, false, false, false])
        #expect(throws: (any Error).self) { try CalibrationRecord(fitting: separable, speakers: ["a", "b"], operatingPoint: "eer") }
        let nearly = try ScoredTrials(scores: [0.9, 0.8, 0.85, 0.5, 0.502, 0.1, 0.2, 0.15, 0.501, 0.499], labels: [true, true, true, true, true, false, false, false, false, false])
        let steep = try CalibrationRecord(fitting: nearly, speakers: ["a", "b"], operatingPoint: "eer")
        #expect(steep.scale > CalibrationRecord.largestPlausibleScale)
        #expect(steep.problems(at: "eer").contains { $0.contains("scale") })
        let overlapping = try ScoredTrials(scores: [0.9, 0.3, 0.85, 0.1, 0.4, 0.15, 0.6, 0.5], labels: [true, true, true, false, false, false, true, false])
        let fine = try CalibrationRecord(fitting: overlapping, speakers: ["a", "b"], operatingPoint: "eer")
        #expect(fine.problems(at: "eer").isEmpty, "\(fine.problems(at: "eer"))")
        #expect(fine.problems(at: "min_dcf_p0.001").contains { $0.contains("outside the calibration scores") })
    }

    @Test func theRunListFitsATerminal() throws {
        let runs = try RunList.runs(under: Fixtures.repositoryRoot.appendingPathComponent("Results").path)
        #expect(runs.count >= 20)
        let lines = RunList().table(runs).aligned.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(lines.map(\.count).max() ?? 0) columns")
        #expect(RunList(parameters: ["model"]).csv(runs).header.starts(with: ["run", "selected_on_test_speakers", "model", "eer", "eer_lo", "eer_hi"]))
    }

    @Test func theEnvironmentRecordsTheCommitAndTheCommandLine() throws {
        let environment = EnvironmentRecord(threads: 1)
        #expect(environment.command?.isEmpty == false)
        // The test binary lives in this checkout's .build folder, so the commit is known.
        #expect(environment.source?.commit?.count == 40, "\(String(describing: environment.source))")
        #expect(SourceRevision(commit: nil, dirty: nil).text.hasPrefix("unknown"))
    }
}

extension EvidenceTests {
    @Test func aPublishedRunIsUsableWithoutItsCacheEntries() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        #expect(try ExperimentRun.run(specPath: spec, overrides: [], locations: .init(results: results), jobs: 2, keepGoing: false, force: []).succeeded)
        let run = results.appendingPathComponent("quickstart")
        for file in [PublishedScoring.weightsFile, PublishedScoring.scoringFile] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file) is not published")
        }
        // Two files of a synthetic corpus written outside the cache.
        let corpus = try SyntheticCorpus(speakers: 2, utterancesPerSpeaker: 1, seed: 3).write(to: folder.path("audio"))
        func verify() throws -> (PairVerification, [[Float]]) {
            let embedder = try RunEmbedder(run: try TrainedRun(path: run.path), wholeUtterance: false)
            let result = try PairVerification(corpus[0].path, corpus[1].path, embedder: embedder, operatingPoint: nil, threads: 1)
            return (result, try embedder.embed(paths: corpus.map(\.path), threads: 1))
        }
        let (before, embeddings) = try verify()
        // The cache gone, as on a fresh clone of committed results: the same score, decision and embeddings.
        try FileManager.default.removeItem(at: results.appendingPathComponent(".cache"))
        let (after, again) = try verify()
        #expect(after.score == before.score && after.accepted == before.accepted && after.llr == before.llr)
        #expect(again == embeddings)
        // Only the best checkpoint travels; another says how to get it back.
        #expect { try TrainedRun(path: run.path).weights(.last) } throws: { "\($0)".contains("run the experiment again") }
    }
}

extension EvidenceTests {
    @Test func theSyntheticWriterAndTheFolderReaderAgreeOnALayout() throws {
        let folder = TemporaryDirectory()
        let written = try SyntheticCorpus(speakers: 4, utterancesPerSpeaker: 2, testFraction: 0.5, seed: 1).write(to: folder.path("corpus"))
        let read = try SpeakerFolderCorpus.read(root: folder.path("corpus"))
        // train/ and test/ are the split, not two speakers.
        #expect(Set(read.map(\.speaker)) == Set(written.map(\.speaker)))
        #expect(Dictionary(grouping: read, by: \.split).mapValues(\.count) == ["train": 4, "test": 4])
        try SpeakerFolderCorpus.checkLayout(read, root: folder.path("corpus"))
    }

    @Test func aFolderCorpusThatLooksWrongIsNamedInTheMessage() throws {
        let folder = TemporaryDirectory()
        _ = try SyntheticCorpus(speakers: 3, utterancesPerSpeaker: 1, seed: 1).write(to: folder.path("corpus/wav"))
        let root = folder.path("corpus")
        let read = try SpeakerFolderCorpus.read(root: root)
        #expect { try SpeakerFolderCorpus.checkLayout(read, root: root) } throws: { "\($0)".contains("did you mean \(root)/wav?") }
        // The root it suggests reads as the corpus it is.
        let suggested = try SpeakerFolderCorpus.read(root: folder.path("corpus/wav"))
        #expect(Set(suggested.map(\.speaker)).count == 3)
        try SpeakerFolderCorpus.checkLayout(suggested, root: folder.path("corpus/wav"))
    }

    @Test func aTrialListSaysWhenItsSpeakersAreGuessedAndReadsAnyLineEnding() throws {
        let folder = TemporaryDirectory()
        try "1 a/x.wav a/y.wav\r\n0 a/x.wav b/z.wav\r\n".write(toFile: folder.path("trials.txt"), atomically: true, encoding: .utf8)
        let guessed = try TrialFile(trials: folder.path("trials.txt"))
        #expect(guessed.trials.count == 2)
        #expect(guessed.speakerNote?.contains("guessed from the first path component: 2 speaker(s) (a, b)") == true, "\(guessed.speakerNote ?? "")")
        try "a/x.wav alice\na/y.wav alice\nb/z.wav bob\n".write(toFile: folder.path("speakers.txt"), atomically: true, encoding: .utf8)
        #expect(try TrialFile(trials: folder.path("trials.txt"), speakers: folder.path("speakers.txt")).speakerNote == nil)
    }
}

extension EvidenceTests {
    @Test func aDamagedCachedEmbeddingIsEmbeddedAgainAndACutNpyIsRefused() throws {
        let (folder, spec, results) = try Self.tinyExperiment()
        #expect(try ExperimentRun.run(specPath: spec, overrides: [], locations: .init(results: results), jobs: 2, keepGoing: false, force: []).succeeded)
        let corpus = try SyntheticCorpus(speakers: 2, utterancesPerSpeaker: 1, seed: 3).write(to: folder.path("audio"))
        let embedder = try RunEmbedder(run: try TrainedRun(path: results.appendingPathComponent("quickstart").path), wholeUtterance: false)
        let first = try embedder.embed(paths: [corpus[0].path], threads: 1)
        let cached = embedder.cacheFile(try SHA256Digest.hex(ofFile: corpus[0].path))
        var bytes = try Data(contentsOf: cached)
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: cached)
        // The flipped bit fails the checksum: the file is embedded again, to the same values.
        #expect(try embedder.embed(paths: [corpus[0].path], threads: 1) == first)
        #expect(try Data(contentsOf: cached) != bytes)
        // A file cut in its header or its data is refused, never read past its end.
        let whole = NumpyArrayFile.encode([1, 2, 3, 4], shape: [4])
        for cut in [12, whole.count - 2] {
            #expect(throws: (any Error).self) { try NumpyArrayFile.decode(whole.prefix(cut)) }
        }
        #expect(try NumpyArrayFile.decode(whole).values == [1, 2, 3, 4])
    }
}
