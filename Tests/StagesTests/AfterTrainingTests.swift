import Foundation
import Testing
import TestSupport
import Metrics
import Pipeline
import Spec
@testable import Stages

/// What comes after training, on one small calibrated run of the quick start: the evaluate
/// stage's embeddings, `trials` + `score` reproducing its metrics, `embed` (cached by content,
/// independent of the batch), `verify` with the calibration, `init_from`, and `export`.
@Suite(.serialized) struct AfterTrainingTests {
    static let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path
    static let small = ["dataset.speakers=20", "dataset.utterances=6", "dataset.test_fraction=0.4", "features.seconds=0.6",
                        "pretrain.epochs=3", "finetune.steps=4", "finetune.evaluate_every=2", "finetune.triplets=4",
                        "calibrate.speakers=4", "finetune.average_last=2", "finetune.validation_speakers=2", "name=small"]

    /// The run, made once for the suite.
    static let results: TemporaryDirectory = {
        let results = TemporaryDirectory("speakerlab-after-training")
        let summary = try! ExperimentRun.run(specPath: spec, overrides: small, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        precondition(summary.succeeded, summary.text)
        return results
    }()
    static var run: String { results.path(ExperimentRunTests.published(small, name: "small")) }

    @Test func theEvaluateStageKeepsTheTestEmbeddings() throws {
        let (ids, embeddings) = try EmbeddingFiles.read(from: URL(fileURLWithPath: Self.run))
        #expect(ids.count == 8 * 6 && embeddings.allSatisfy { $0.count == embeddings[0].count })
        #expect(Set(ids).count == ids.count)
    }

    @Test func scoringTheEvaluateStagesTrialsGivesItsMetricsAndScores() throws {
        let trained = try TrainedRun(path: Self.run)
        let lists = TemporaryDirectory(), out = TemporaryDirectory()
        let root = try EvaluationTrialFiles.write(trained, to: lists.url)
        let file = try TrialFile(trials: lists.path("trials.txt"), enrolment: lists.path("enrolment.txt"), speakers: lists.path("speakers.txt"))
        let outcome = try TrialScoring.score(file, root: root, embedder: try RunEmbedder(run: trained, wholeUtterance: false),
                                             metricNames: nil, out: out.url, threads: 2)
        // The same trials in the same order, the same scores to the last digit, the same intervals.
        let evaluated = try String(contentsOfFile: Self.run + "/scores.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").suffix(2) }
        let scored = try String(contentsOfFile: out.path("scores.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").suffix(2) }
        #expect(evaluated == scored)
        let published = try String(contentsOfFile: Self.run + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        let mine = try #require(outcome.metrics)
        for (index, name) in mine.header.enumerated() {
            let column = try #require(published[0].split(separator: ",").firstIndex { $0 == name })
            #expect(published[1].split(separator: ",")[column] == mine.rows[0][index], "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: out.path("det.svg")))
    }

    @Test func anEmbeddingIsCachedByContentAndIndependentOfItsBatch() throws {
        let trained = try TrainedRun(path: Self.run)
        let audio = try Self.testAudio(trained, count: 4)
        let embedder = try RunEmbedder(run: trained, wholeUtterance: true)
        let together = try embedder.embed(paths: audio, threads: 2)
        let cached = try FileManager.default.contentsOfDirectory(atPath: embedder.cacheFolder.path).filter { $0.hasSuffix(".npy") }
        #expect(cached.count == 4)
        // A fresh embedder (no cache hits for a copy under another name) gives the same bytes alone.
        let copies = TemporaryDirectory()
        let copy = copies.path("alone.wav")
        try FileManager.default.copyItem(atPath: audio[2], toPath: copy)
        try FileManager.default.removeItem(at: embedder.cacheFolder)
        #expect(try RunEmbedder(run: trained, wholeUtterance: true).embed(paths: [copy], threads: 1)[0] == together[2])
        // An edited file is embedded anew.
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: audio[3], toPath: copy)
        #expect(try embedder.embed(paths: [copy], threads: 2)[0] == together[3])
        // Whole utterances differ in length; the run's cut makes them one length.
        let lengths = try embedder.features(paths: audio, threads: 2).map(\.frames)
        #expect(Set(lengths).count > 1)
        #expect(Set(try RunEmbedder(run: trained, wholeUtterance: false).features(paths: audio, threads: 2).map(\.frames)).count == 1)
    }

    @Test func verifyGivesTheCalibratedLLRAndDecidesAtTheOperatingPoint() throws {
        let trained = try TrainedRun(path: Self.run)
        let record = try CalibrationRecord.read(URL(fileURLWithPath: Self.run + "/calibration.json"))
        #expect(record.scale > 0 && record.speakers.count == 4 && record.cllrCalibrated < record.cllrRaw)
        #expect(Set(record.thresholds.keys) == ["eer", "min_dcf_p0.01", "min_dcf_p0.001"])
        let audio = try Self.testAudio(trained, count: 2)
        let embedder = try RunEmbedder(run: trained, wholeUtterance: false)
        for point in ["eer", "min_dcf_p0.01"] {
            // A threshold the calibration cannot support (outside its scores, as this tiny run's
            // min_dcf_p0.01 can be) is refused rather than decided with.
            if !record.problems(at: point).isEmpty {
                #expect { try PairVerification(audio[0], audio[1], embedder: embedder, operatingPoint: point, threads: 2) } throws: { "\($0)".contains("cannot be trusted") }
                continue
            }
            let result = try PairVerification(audio[0], audio[1], embedder: embedder, operatingPoint: point, threads: 2)
            #expect(abs(result.llr! - (record.scale * result.score + record.offset)) < 1e-9)
            #expect(result.accepted == (result.score >= record.thresholds[point]!.score))
        }
        #expect(record.problems(at: "eer").isEmpty, "the EER threshold lies among the calibration scores by construction")
        #expect(throws: PipelineError.self) { try PairVerification(audio[0], audio[1], embedder: embedder, operatingPoint: "eer2", threads: 2) }
        // Calibrated test metrics sit beside the raw ones.
        let header = try String(contentsOfFile: Self.run + "/metrics.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header.contains("cllr_raw,") && header.contains("cllr_calibrated,") && header.contains("act_dcf_p0.01_calibrated,"))
    }

    @Test func initFromPinsTheOtherRunsWeightsIntoTheKey() throws {
        let trained = try TrainedRun(path: Self.run)
        let cache = Self.results.url.appendingPathComponent(".cache")
        let overrides = Self.small.filter { !$0.hasPrefix("name=") } + ["name=started", "pretrain.epochs=1", "dataset.seed=5"]
        let fresh = try ExperimentPlan(specPath: Self.spec, overrides: overrides, cache: cache)
        let started = try ExperimentPlan(specPath: Self.spec, overrides: overrides + ["pretrain.init_from=\(Self.run)"], cache: cache)
        #expect(started.graph.keys["pretrain-init"] == trained.weightsKey)
        #expect(started.graph.stages.first { $0.id == "pretrain" }!.inputs == ["features", "pretrain-init"])
        #expect(started.graph.keys["pretrain"] != fresh.graph.keys["pretrain"])
        // The key, not the path, is hashed: the cache key names the same start.
        let byKey = try ExperimentPlan(specPath: Self.spec, overrides: overrides + ["pretrain.init_from=\(trained.weightsKey!.hex)"], cache: cache)
        #expect(byKey.graph.keys["pretrain"] == started.graph.keys["pretrain"])
        let summary = try ExperimentRun.run(started, overrides: [], locations: .init(results: Self.results.url), execution: ExecutionOptions(jobs: 1, keepGoing: false), force: [])
        #expect(summary.succeeded && summary.outcomes["pretrain-init"] == .cached, "\(summary.text)")
        // A key that is not in the cache is refused at its place, before anything runs.
        #expect {
            try ExperimentPlan(specPath: Self.spec, overrides: overrides + ["pretrain.init_from=" + String(repeating: "ab", count: 32)], cache: cache)
        } throws: { "\($0)".contains("pretrain.init_from") && "\($0)".contains("is not in") }
        #expect {
            try ExperimentPlan(specPath: Self.spec, overrides: overrides + ["pretrain.freeze=[conv, nothing_like_it]"], cache: cache)
        } throws: { "\($0)".contains("'nothing_like_it' names no layer") }
    }

    @Test func theLastAndAveragedCheckpointsCanBeChosen() throws {
        let trained = try TrainedRun(path: Self.run)
        let best = try trained.weights(.best), last = try trained.weights(.last), averaged = try trained.weights(.averaged)
        #expect(Set(last.keys) == Set(averaged.keys) && best.keys.count >= last.keys.count)
        #expect(last["conv.kernel"]!.scalars != averaged["conv.kernel"]!.scalars)
        let audio = try Self.testAudio(trained, count: 1)
        let fromBest = try RunEmbedder(run: trained, wholeUtterance: false).embed(paths: audio, threads: 1)
        let fromAveraged = try RunEmbedder(run: trained, wholeUtterance: false, checkpoint: .averaged).embed(paths: audio, threads: 1)
        #expect(fromBest != fromAveraged)
        // A run that kept no average says how to get one.
        let other = TemporaryDirectory()
        let noAverage = Self.small.filter { !$0.hasPrefix("finetune.average_last") && !$0.hasPrefix("finetune.validation") } + ["~finetune", "~calibrate"]
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: noAverage, locations: .init(results: other.url), jobs: 1, keepGoing: false, force: [])
        #expect(summary.succeeded)
        #expect { try TrainedRun(path: other.path(ExperimentRunTests.published(noAverage, name: "small"))).weights(.averaged) } throws: { "\($0)".contains("set pretrain.average_last: N") }
    }

    /// With `evaluate.score_norm: as-norm`, evaluate, calibrate, `score` and `verify` normalise
    /// against one cohort: the mean embeddings of the speakers the network trained on.
    @Test func asNormIsAppliedAlikeByEvaluateScoreAndVerify() throws {
        let results = TemporaryDirectory()
        let overrides = Self.small + ["evaluate.score_norm=as-norm", "evaluate.cohort_top=5"]
        let summary = try ExperimentRun.run(specPath: Self.spec, overrides: overrides, locations: .init(results: results.url), jobs: 1, keepGoing: false, force: [])
        #expect(summary.succeeded, "\(summary.text)")
        let published = ExperimentRunTests.published(overrides, name: "small")
        let trained = try TrainedRun(path: results.path(published))
        let embedder = try RunEmbedder(run: trained, wholeUtterance: false)
        let cohort = try #require(try embedder.normalisation())
        #expect(cohort.cohort.count == 12 - 4 && cohort.topN == 5)   // 12 training speakers, 4 held out to calibrate
        #expect(try Self.scoreReproducesEvaluate(trained, embedder: embedder, published: results.path(published + "/scores.csv")))
        let evaluated = try String(contentsOfFile: results.path(published + "/scores.csv"), encoding: .utf8)
        // Normalised scores are not cosines, and they differ from the raw run's.
        let raw = try String(contentsOfFile: Self.run + "/scores.csv", encoding: .utf8)
        #expect(raw != evaluated)
        let scores = evaluated.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",").last!) }
        #expect(scores.contains { abs($0) > 1 })
        let audio = try Self.testAudio(trained, count: 2)
        let pair = try PairVerification(audio[0], audio[1], embedder: embedder, operatingPoint: nil, threads: 2)
        #expect(pair.normalised && pair.text.contains("AS-normalised"))
        #expect {
            try ExperimentPlan(specPath: Self.spec, overrides: Self.small + ["evaluate.score_norm=as-norm", "evaluate.protocol=membership-head"])
        } throws: { "\($0)".contains("evaluate.score_norm") }
    }

    @Test func exportWritesTheNetworkWithItsFrontEnd() throws {
        let file = TemporaryDirectory().path("small.onnx")
        let bytes = try ModelExport.onnx(try TrainedRun(path: Self.run), to: URL(fileURLWithPath: file))
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes > 100_000 && data.count == bytes)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("speakerlab.features") && text.contains("logfbank"))
    }

    /// The first `count` test files of the run's corpus.
    /// Whether `score` over a run's own evaluation trials gives its evaluate stage's labels and
    /// scores (`published`, its scores.csv) to the last digit.
    static func scoreReproducesEvaluate(_ trained: TrainedRun, embedder: RunEmbedder, published: String) throws -> Bool {
        let lists = TemporaryDirectory(), out = TemporaryDirectory()
        let root = try EvaluationTrialFiles.write(trained, to: lists.url)
        let file = try TrialFile(trials: lists.path("trials.txt"), enrolment: lists.path("enrolment.txt"), speakers: lists.path("speakers.txt"))
        _ = try TrialScoring.score(file, root: root, embedder: embedder, metricNames: nil, out: out.url, threads: 2)
        func labelsAndScores(_ text: String) -> [[Substring]] { text.split(separator: "\n").map { Array($0.split(separator: ",").suffix(2)) } }
        return labelsAndScores(try String(contentsOfFile: out.path("scores.csv"), encoding: .utf8))
            == labelsAndScores(try String(contentsOfFile: published, encoding: .utf8))
    }

    static func testAudio(_ run: TrainedRun, count: Int) throws -> [String] {
        let corpus = try run.entry("prepare").appendingPathComponent("corpus/test")
        return try AudioInputs.expand([corpus.path]).prefix(count).map(\.path)
    }
}
