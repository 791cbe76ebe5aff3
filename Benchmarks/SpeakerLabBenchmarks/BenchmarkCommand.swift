import Audio
import Foundation
import Randomness
import Metrics
import Models
import Training
import NN
import Tensor

/// `speakerlab-benchmarks`: SpeakerLab's side of the benchmarks in `Benchmarks/run.sh`.
/// Each subcommand prints one `key=value` line that the script pairs with its peer's.
@main
struct BenchmarkCommand {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            print("usage: speakerlab-benchmarks generate-utterances DIR COUNT | features DIR THREADS [KIND] | profile-features FILE | train-step deepspeaker|se-resnet BATCH STEPS [reproducible|fast] | timit-epoch MODEL.yaml [UTTERANCES] | metrics COUNT | bootstrap TRIALS REPLICATES")
            exit(2)
        }
        switch command {
        case "generate-utterances":
            try generateUtterances(folder: arguments[1], count: Int(arguments[2])!)
        case "features":
            try features(folder: arguments[1], threads: Int(arguments[2])!, kind: arguments.count > 3 ? arguments[3] : "logfbank")
        case "train-step":
            Numerics.select(arguments.count > 4 ? NumericsMode(rawValue: arguments[4]) ?? .reproducible : .reproducible)
            try trainStep(model: arguments[1], batch: Int(arguments[2])!, steps: Int(arguments[3])!)
        case "write-checkpoint":
            try writeCheckpoint(path: arguments[1])
        case "timit-epoch":
            try timitEpoch(model: arguments[1], trainCount: arguments.count > 2 ? Int(arguments[2])! : 3696)
        case "bootstrap":
            try bootstrap(count: Int(arguments[1])!, replicates: Int(arguments[2])!)
        case "metrics":
            try metrics(count: Int(arguments[1])!)
        case "profile-features":
            try profileFeatures(path: arguments[1])
        default:
            print("unknown benchmark '\(command)'")
            exit(2)
        }
    }

    /// Writes `count` 3-second 16 kHz int16 WAV files of a voiced, noisy tone.
    static func generateUtterances(folder: String, count: Int) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = SeededGenerator(seed: 2026)
        for index in 0..<count {
            let fundamental = 90 + 120 * random.nextUnitDouble()
            let samples = (0..<48000).map { n -> Float in
                let time = Double(n) / 16000
                let voiced = (1...10).reduce(0.0) { $0 + sin(Double($1) * 2 * Double.pi * fundamental * time) / Double($1) }
                return Float(0.2 * voiced + 0.01 * random.nextGaussian())
            }
            try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: "\(folder)/utt\(index).wav")
        }
    }

    /// One softmax training step (forward, backward, SGD update) and one inference pass, timed.
    static func trainStep(model: String, batch: Int, steps: Int) throws {
        var generator = SeededGenerator(seed: 1)
        let network: BenchmarkNetwork = model == "deepspeaker" ? DeepSpeakerNetwork(generator: &generator) : SEResNetNetwork(generator: &generator)
        let classifier = Dense(name: "softmax", inputs: 512, outputs: 462, using: &generator)
        let parameters = network.parameters + classifier.parameters
        let optimizer = SGD(learningRate: 0.01, momentum: 0.9)
        let input = Tensor(shape: [batch, 299, 40, 1], scalars: (0..<(batch * 299 * 40)).map { _ in Float(generator.nextGaussian()) })
        let labels = (0..<batch).map { $0 % 462 }
        func step() {
            parameters.forEach { $0.zeroGradient() }
            let tape = Tape()
            let loss = softmaxCrossEntropy(classifier(network.embed(tape.constant(input), tape: tape, mode: .training), tape: tape), labels: labels)
            tape.backward(from: loss)
            WeightDecay.apply(to: parameters)
            optimizer.step(parameters)
        }
        /// The median of `steps` timed calls: robust to another process taking the cores for a moment.
        func medianSeconds(_ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<steps {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        step()  // warm-up
        let trainSeconds = medianSeconds(step)
        let tape = Tape()
        _ = network.embed(tape.constant(input), tape: tape, mode: .inference)
        tape.reset()
        let inferSeconds = medianSeconds {
            _ = network.embed(tape.constant(input), tape: tape, mode: .inference)
            tape.reset()
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Effective: the direct-convolution FLOP count (3× the forward for a training step) over the
        // time; Winograd layers do fewer multiplications than they are credited with here.
        let flops = Double(network.forwardMultiplyAccumulates) * 2 * Double(batch)
        print(String(format: "train_samples_per_second=%.2f train_effective_gflops=%.1f infer_samples_per_second=%.2f peak_mib=%.0f",
                     Double(batch) / trainSeconds, 3 * flops / trainSeconds / 1e9, Double(batch) / inferSeconds, Double(usage.ru_maxrss) / 1024)
              + " numerics=\(Numerics.mode.rawValue) blas_kernel=\(Numerics.blasKernel) threads=\(Parallel.threads)")
    }

    /// Writes the SE-ResNet's parameters, running statistics and SGD state after one step, plus a
    /// JSON sidecar of each tensor's shape and sum for `scripts/verify_checkpoint.py`.
    static func writeCheckpoint(path: String) throws {
        var generator = SeededGenerator(seed: 5)
        let network = SEResNetNetwork(frames: 40, bands: 16, generator: &generator)
        let optimizer = SGD(learningRate: 0.01, momentum: 0.9)
        let tape = Tape()
        let input = Tensor(shape: [2, 40, 16, 1], scalars: (0..<(2 * 40 * 16)).map { _ in Float(generator.nextGaussian()) })
        tape.backward(from: sumAll(network.embed(tape.constant(input), tape: tape, mode: .training)))
        optimizer.step(network.parameters)
        let tensors = network.parameters.map { ($0.name, $0.value) } + optimizer.state
        try Checkpoint.encode(tensors, metadata: ["step": "1"]).write(to: URL(fileURLWithPath: path))
        var sidecar: [String: [Any]] = [:]
        for (name, tensor) in tensors { sidecar[name] = [tensor.shape, tensor.scalars.reduce(0.0) { $0 + Double($1) }] }
        try JSONSerialization.data(withJSONObject: sidecar).write(to: URL(fileURLWithPath: path + ".json"))
        print("wrote \(tensors.count) tensors to \(path)")
    }

    /// One epoch of softmax pretraining of a full-size seed model on a TIMIT-sized set: 462 speakers,
    /// 3696 training and 924 validation utterances of 299×40 (random features; the time does not
    /// depend on their values), batch 32, SGD lr 0.01 momentum 0.9.
    /// One pretraining epoch on TIMIT-sized random data (3696 training, 924 validation utterances
    /// of 299×40; `trainCount` shrinks both in proportion for a partial epoch): seconds.
    static func timitEpoch(model file: String, trainCount: Int) throws {
        var generator = SeededGenerator(seed: 9)
        func random(_ count: Int) -> [FeatureMatrix] {
            (0..<count).map { _ in FeatureMatrix(frames: 299, bands: 40, values: (0..<(299 * 40)).map { _ in Float(generator.nextGaussian()) }) }
        }
        let validationCount = max(1, trainCount / 4)
        let train = try TrainingData(features: random(trainCount), labels: (0..<trainCount).map { $0 % 462 }, ids: (0..<trainCount).map { "t\($0)" })
        let validation = try TrainingData(features: random(validationCount), labels: (0..<validationCount).map { $0 % 462 }, ids: (0..<validationCount).map { "v\($0)" })
        let model = try ModelGraph(file: file)
        let classifier = Dense(name: "softmax", inputs: model.embeddingSize, outputs: 462, using: &generator)
        var settings = SoftmaxPretraining.Settings()
        settings.epochs = 1
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speakerlab-epoch-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let start = DispatchTime.now().uptimeNanoseconds
        try SoftmaxPretraining(settings: settings, folder: folder, progress: ProgressReporter()).run(model: model, classifier: classifier, train: train, validation: validation)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "epoch_seconds=%.1f measured_utterances=%d full_epoch_seconds=%.0f%@", seconds, trainCount, seconds * 3696 / Double(trainCount),
                     trainCount == 3696 ? "" : " (extrapolated)"))
    }

    /// EER, AUC, AP and both minDCFs on `count` trials (1% targets): seconds.
    static func metrics(count: Int) throws {
        var generator = SeededGenerator(seed: 3)
        let labels = (0..<count).map { $0 % 100 == 0 }
        let scores = labels.map { ($0 ? 2 : 0) + generator.nextGaussian() }
        let trials = try ScoredTrials(scores: scores, labels: labels)
        let start = DispatchTime.now().uptimeNanoseconds
        let values = try VerificationMetric.evaluate([.eer, .auc, .ap, .minDCF001, .minDCF0001], on: trials)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "seconds=%.3f eer=%.5f", seconds, values[.eer]!))
    }

    /// A speaker bootstrap of the EER: `count` trials among 1,000 speakers (one in ten a target,
    /// N(2,1) against N(0,1)), `replicates` resamples of the speakers; prints seconds=V.
    static func bootstrap(count: Int, replicates: Int) throws {
        var generator = SeededGenerator(seed: 4)
        let speakers = 1_000
        var enrolled: [Int?] = [], tests: [Int] = [], labels: [Bool] = [], scores: [Double] = []
        for index in 0..<count {
            let test = Int.random(in: 0..<speakers, using: &generator)
            let target = index % 10 == 0
            var claimed = test
            while !target && claimed == test { claimed = Int.random(in: 0..<speakers, using: &generator) }
            enrolled.append(claimed); tests.append(test); labels.append(target)
            scores.append((target ? 2 : 0) + generator.nextGaussian())
        }
        let trials = SpeakerLabelledTrials(trials: try ScoredTrials(scores: scores, labels: labels), enrolmentSpeakers: enrolled, testSpeakers: tests, speakerCount: speakers)
        let start = DispatchTime.now().uptimeNanoseconds
        var draws = SeededGenerator(seed: 5)
        let interval = try SpeakerBootstrap(speakerCount: speakers, replicates: replicates, using: &draws).intervals([.eer], on: trials, threads: Parallel.threads)[.eer]!
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "seconds=%.3f eer=%.5f lower=%.5f upper=%.5f", seconds, interval.estimate, interval.lower, interval.upper))
    }

    /// Splits one utterance's cost into reading and feature computation (microseconds each).
    static func profileFeatures(path: String) throws {
        let repeats = 2000
        var start = DispatchTime.now().uptimeNanoseconds
        var signal = try AudioFile.read(path)
        for _ in 0..<repeats { signal = try AudioFile.read(path) }
        let read = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(repeats)
        let scaled = signal.samples.map { $0 * 32768 }
        for kind in ["logfbank", "logmel"] {
            let extractor = FeatureExtractor(settings: FeatureSettings(voiceDecision: nil, cutPad: .none, kind: FeatureKind(name: kind)!, normalization: .none))
            _ = extractor.features(of: scaled)
            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { _ = extractor.features(of: scaled) }
            let features = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(repeats)
            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { _ = try extractor.prepare(path: path) }
            let whole = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(repeats)
            print(String(format: "%@: read %.1f us, features %.1f us, whole front end %.1f us", kind, read, features, whole))
        }
    }

    /// Reads every WAV in `folder` and takes 40-band features, no VAD, no cut: utterances per second.
    static func features(folder: String, threads: Int, kind: String) throws {
        let paths = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".wav") }.sorted().map { "\(folder)/\($0)" }
        let settings = FeatureSettings(voiceDecision: nil, cutPad: .none, kind: FeatureKind(name: kind)!,
                                       scale: kind == "logfbank" ? .int16 : .unit, normalization: .none)
        _ = ParallelFeatureExtraction.run(paths: Array(paths.prefix(threads * 2)), settings: settings, threads: threads)  // warm-up
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let results = ParallelFeatureExtraction.run(paths: paths, settings: settings, threads: threads)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(results.allSatisfy { if case .success = $0 { return true } else { return false } }, "a benchmark file failed")
            best = min(best, seconds)
        }
        print(String(format: "utterances_per_second=%.1f", Double(paths.count) / best))
    }
}
