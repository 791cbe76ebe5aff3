import Datasets
import Foundation
import Models
import NN
import Pipeline
import Randomness
import Tensor

/// Softmax pretraining over the training speakers (reference §4): shuffled minibatches, validation
/// loss and accuracy each epoch, the best-by-validation checkpoint, reduce-on-plateau and early
/// stopping, resumable from its last saved state.
public struct SoftmaxPretraining {
    /// The classification loss.
    public enum Loss: String, Equatable, Sendable, Codable {
        /// Cross-entropy over a dense head.
        case softmax
        /// Additive angular margin softmax on the head's weights.
        case aam
    }

    /// What the stage does.
    public struct Settings: Equatable, Sendable, Codable {
        public var optimizer = OptimizerSettings()
        public var batchSize = 32
        public var epochs = 20
        /// Reduce-on-plateau factor and patience (nil: off).
        public var plateauFactor: Double? = 0.1
        public var plateauPatience = 10
        /// Early-stopping patience in epochs (nil: off).
        public var earlyStoppingPatience: Int? = 10
        public var labelSmoothing = 0.0
        /// `softmax` (cross-entropy over a dense head) or `aam` (additive angular margin softmax on
        /// the head's weights, as WeSpeaker trains; the head's bias is unused).
        public var loss: Loss = .softmax
        public var aamMargin = 0.2
        public var aamScale = 32.0
        /// The learning rate's warm-up (nil: the full rate from the first step).
        public var warmup: LinearWarmup? = nil
        /// The AAM margin's warm-up from 0 (nil: the full margin from the first step).
        public var marginWarmup: LinearWarmup? = nil
        /// Replaces the L2 coefficient of every layer the model graph gives one (nil: the graph's own).
        public var l2: Double? = nil
        /// Also save the resume state every this many steps (besides every epoch and every `saveMinutes`).
        public var saveEverySteps: Int? = nil
        public var saveMinutes = 10.0
        /// On a non-finite loss: roll back to the last saved state and halve the rate, instead of stopping.
        public var rollBackOnNonFinite = false
        public var seed: UInt64 = 0
        /// Layers not updated for the first epochs (nil: none).
        public var freeze: LayerFreeze? = nil
        /// Also keep the mean of the last this many epochs' weights (`averaged.safetensors`; nil: none).
        public var averageLast: Int? = nil

        public init() {}
    }

    /// How a run ended.
    public enum Outcome: Equatable, Sendable {
        /// Every epoch ran, or early stopping ended it.
        case finished(epochs: Int)
        /// `stopAfterSteps` was reached (tests use it to interrupt a run between saves).
        case interrupted(step: Int)
    }

    public let settings: Settings
    /// Where the resume state, `best.safetensors` and `history.csv` go.
    public let folder: String
    public let progress: ProgressReporter

    public init(settings: Settings, folder: String, progress: ProgressReporter = ProgressReporter()) {
        self.settings = settings
        self.folder = folder
        self.progress = progress
    }

    /// Trains `model` with a softmax `classifier` head; continues a saved state in `folder` if there is one.
    /// The best checkpoint is the one of least validation loss, or, with `validationTrials` (trials
    /// among `validation`'s utterances, of speakers the head does not know), of least verification EER.
    @discardableResult
    public func run(model: ModelGraph, classifier: Dense, train: some TrainingBatches, validation: TrainingData?, validationTrials: TrialList? = nil,
                    stopAfterSteps: Int? = nil) throws -> Outcome {
        let parameters = model.parameters + classifier.parameters
        let optimizer = settings.optimizer.make()
        var generator = SeededGenerator(seed: settings.seed).split("pretrain")
        var state = ResumeState(epoch: 0, globalStep: 0, learningRate: settings.optimizer.learningRate, optimizerSteps: 0,
                                sampler: BatchSampler(itemCount: train.count, batchSize: settings.batchSize, generator: generator.split("batches")),
                                generator: generator, dropout: model.dropoutState,
                                plateau: settings.plateauFactor.map { PlateauReduction(factor: $0, patience: settings.plateauPatience) },
                                bestScore: .infinity, epochsWithoutImprovement: 0, history: [])
        func tensors() -> [(name: String, tensor: Tensor)] {
            model.namedTensors + classifier.parameters.map { ($0.name, $0.value) } + optimizer.state
        }
        func restore(_ saved: ResumeState, _ values: [String: Tensor]) throws {
            try model.load(values)
            for parameter in classifier.parameters { if let value = values[parameter.name] { parameter.value = value } }
            optimizer.loadState(values, stepCount: saved.optimizerSteps)
            model.dropoutState = saved.dropout
            state = saved
            generator = saved.generator
        }
        func save() throws {
            state.optimizerSteps = optimizer.stepCount
            state.dropout = model.dropoutState
            state.generator = generator
            try state.save(to: folder, tensors: tensors())
        }
        if let (saved, values) = try ResumeState.load(from: folder) { try restore(saved, values) }
        let kept = CheckpointAverage(folder: folder, count: settings.averageLast)
        var lastSave = Date()
        var rollbacks = 0

        while state.epoch < settings.epochs {
            let started = Date()
            var epochLoss = 0.0, epochCorrect = 0, epochSamples = 0
            let batchesPerEpoch = state.sampler!.batchesPerEpoch
            while let rows = state.sampler!.next() {
                // The warm-ups scale the scheduled rate and the margin by the global step.
                optimizer.learningRate = Float(state.learningRate * settings.warmup.factor(step: state.globalStep, stepsPerEpoch: batchesPerEpoch))
                let margin = settings.aamMargin * settings.marginWarmup.factor(step: state.globalStep, stepsPerEpoch: batchesPerEpoch)
                parameters.forEach { $0.zeroGradient() }
                let tape = Tape()
                let embedding = model.embed(tape.constant(train.batch(rows, step: state.globalStep)), tape: tape, mode: .training)
                let batchLabels = rows.map { train.labels[$0] }
                let logits: Variable
                let loss: Variable
                switch settings.loss {
                case .softmax:
                    logits = classifier(embedding, tape: tape)
                    loss = softmaxCrossEntropy(logits, labels: batchLabels, labelSmoothing: Float(settings.labelSmoothing))
                case .aam:
                    logits = dense(embedding.value.constant, weight: classifier.weight.value.constant, bias: nil)
                    loss = additiveAngularMarginLoss(embedding, weights: classifier.weight.on(tape), labels: batchLabels,
                                                     margin: Float(margin), scale: Float(settings.aamScale))
                }
                let value = Double(loss.value.scalars[0])
                guard value.isFinite else {
                    tape.reset()
                    if settings.rollBackOnNonFinite, rollbacks < 3, let (saved, values) = try ResumeState.load(from: folder) {
                        try restore(saved, values)
                        state.learningRate /= 2
                        rollbacks += 1
                        continue
                    }
                    throw TrainingError("the loss became \(value) at epoch \(state.epoch + 1), step \(state.globalStep + 1) (learning rate \(state.learningRate)); the last good state is in \(folder)/\(ResumeState.fileName) — lower the learning rate, or set rollBackOnNonFinite")
                }
                tape.backward(from: loss)
                let updated = settings.freeze?.trainable(parameters, at: state.epoch) ?? parameters
                WeightDecay.apply(to: updated, replacing: settings.l2.map(Float.init))
                optimizer.step(updated)
                state.globalStep += 1
                epochLoss += value * Double(rows.count)
                epochCorrect += correctCount(logits.value, batchLabels)
                epochSamples += rows.count
                let elapsed = Date().timeIntervalSince(started)
                let done = (state.sampler!.position + settings.batchSize - 1) / settings.batchSize
                progress.step(stage: "pretrain", epoch: state.epoch, step: min(done, batchesPerEpoch), of: batchesPerEpoch, loss: value,
                              learningRate: state.learningRate, secondsLeft: elapsed / Double(max(done, 1)) * Double(max(batchesPerEpoch - done, 0)))
                if let every = settings.saveEverySteps, state.globalStep % every == 0 {
                    try save(); lastSave = Date()
                } else if Date().timeIntervalSince(lastSave) > settings.saveMinutes * 60 {
                    try save(); lastSave = Date()
                }
                if let stop = stopAfterSteps, state.globalStep >= stop { return .interrupted(step: state.globalStep) }
            }
            let seconds = Date().timeIntervalSince(started)
            var row = HistoryRow(stage: "pretrain", epoch: state.epoch + 1, step: state.globalStep, loss: epochLoss / Double(max(epochSamples, 1)),
                                 accuracy: Double(epochCorrect) / Double(max(epochSamples, 1)),
                                 learningRate: state.learningRate * settings.warmup.factor(step: state.globalStep - 1, stepsPerEpoch: batchesPerEpoch),
                                 seconds: seconds, samplesPerSecond: Double(epochSamples) / max(seconds, 1e-9))
            var monitored = row.loss
            if let validation, let validationTrials {
                // Verification on held-out speakers: the EER picks the checkpoint.
                let eer = try Embedding.equalErrorRate(model: model, data: validation, trials: validationTrials)
                row.equalErrorRate = eer
                monitored = eer
            } else if let validation {
                let (loss, accuracy) = evaluate(model: model, classifier: classifier, data: validation)
                row.validationLoss = loss
                row.validationAccuracy = accuracy
                monitored = loss
                // On standard error as it happens; the report finds it again in history.csv.
                if let momentum = model.batchNorms.map(\.momentum).max(),
                   let warning = BatchNormConvergence.warning(epoch: row.epoch, trainingAccuracy: row.accuracy ?? 0, validationAccuracy: accuracy,
                                                              stepsPerEpoch: batchesPerEpoch, momentum: momentum) {
                    progress.endEpoch("warning: " + warning)
                }
            }
            state.history.append(row)
            progress.endEpoch(String(format: "pretrain epoch %d: loss %.4f acc %.3f val_loss %@ val_acc %@ val_eer %@ (%.1fs)", row.epoch, row.loss, row.accuracy ?? 0,
                                     row.validationLoss.map { String(format: "%.4f", $0) } ?? "-", row.validationAccuracy.map { String(format: "%.3f", $0) } ?? "-",
                                     row.equalErrorRate.map { String(format: "%.4f", $0) } ?? "-", seconds))
            if monitored < state.bestScore {
                state.bestScore = monitored
                state.epochsWithoutImprovement = 0
                try AtomicFile.write(Checkpoint.encode(model.namedTensors + classifier.parameters.map { ($0.name, $0.value) },
                                                  metadata: ["epoch": String(row.epoch), "monitor": String(monitored)]), to: folder + "/best.safetensors")
            } else {
                state.epochsWithoutImprovement += 1
            }
            if var plateau = state.plateau {
                state.learningRate = plateau.update(loss: monitored, rate: state.learningRate)
                state.plateau = plateau
            }
            state.epoch += 1
            try kept.record(model.namedTensors, index: state.epoch)
            try AtomicFile.write(HistoryRow.file(state.history), to: folder + "/history.csv")
            try save(); lastSave = Date()
            if let patience = settings.earlyStoppingPatience, state.epochsWithoutImprovement >= patience { break }
        }
        try kept.finish(at: state.epoch)
        return .finished(epochs: state.epoch)
    }

    /// Mean loss and accuracy in inference mode, in batches of 64.
    public func evaluate(model: ModelGraph, classifier: Dense, data: TrainingData) -> (loss: Double, accuracy: Double) {
        var total = 0.0, correct = 0
        var start = 0
        while start < data.count {
            let rows = Array(start..<min(data.count, start + 64))
            let tape = Tape()
            let logits = classifier(model.embed(tape.constant(data.batch(rows)), tape: tape, mode: .inference), tape: tape)
            let labels = rows.map { data.labels[$0] }
            total += Double(softmaxCrossEntropy(logits, labels: labels).value.scalars[0]) * Double(rows.count)
            correct += correctCount(logits.value, labels)
            tape.reset()
            start += 64
        }
        return (total / Double(data.count), Double(correct) / Double(data.count))
    }
}

/// How many rows of logits [N, K] have their argmax at the label.
func correctCount(_ logits: Tensor, _ labels: [Int]) -> Int {
    let classes = logits.shape[1]
    var correct = 0
    for (row, label) in labels.enumerated() {
        let slice = logits.scalars[(row * classes)..<((row + 1) * classes)]
        if slice.firstIndex(of: slice.max()!)! - row * classes == label { correct += 1 }
    }
    return correct
}
