import Datasets
import Foundation
import Models
import NN
import Pipeline
import Randomness
import Tensor

/// Triplet fine-tuning from a pretrained model (reference §6): batches laid out `[A | P | N]` with
/// T triplets from the spec, random or hard-mined, the seed's loss on true cosine with margin α,
/// periodic SV evaluation on speakers it does not train on and the best-by-EER checkpoint (or, with
/// no evaluation set, the last step's). Resumable.
public struct TripletFinetuning {
    /// How triplets are chosen.
    public enum Mining: String, Equatable, Sendable, Codable {
        /// Random anchors, positives and negatives (the seed's `fine_tune.py`).
        case random
        /// The hardest positives and negatives among embedded candidates.
        case hard
    }

    /// What the stage does.
    public struct Settings: Equatable, Sendable, Codable {
        /// The seed's HEAD optimizer: SGD lr 1e-4, momentum 0.9.
        public var optimizer = OptimizerSettings(kind: .sgd, learningRate: 1e-4, momentum: 0.9)
        /// Triplets per batch (the seed hard-codes 16).
        public var triplets = 16
        public var margin = 0.1
        public var reduction: Reduction = .sum
        /// `random` (the seed's `fine_tune.py`) or `hard` (W's `best_batch`, with true cosine).
        public var mining: Mining = .random
        /// Hard mining: candidates embedded per step, and hardest positives/negatives per anchor.
        public var candidates = 64
        public var perAnchor = 2
        public var steps = 200
        public var evaluateEvery = 50
        /// Replaces the L2 coefficient of every layer the model graph gives one (nil: the graph's own).
        public var l2: Double? = nil
        /// Layers not updated for the first steps (nil: none).
        public var freeze: LayerFreeze? = nil
        /// Also keep the mean of the weights at the last this many evaluations (`averaged.safetensors`; nil: none).
        public var averageLast: Int? = nil
        public var saveEverySteps: Int? = nil
        public var seed: UInt64 = 0

        public init() {}
    }

    public let settings: Settings
    public let folder: String
    public let progress: ProgressReporter

    public init(settings: Settings, folder: String, progress: ProgressReporter = ProgressReporter()) {
        self.settings = settings
        self.folder = folder
        self.progress = progress
    }

    /// Fine-tunes `model`; with an `evaluation` set and its `trials`, measures the EER every
    /// `evaluateEvery` steps and keeps the lowest as `best.safetensors`; without one, the last
    /// step's weights are `best.safetensors`. Returns the best EER seen (nil without evaluation).
    @discardableResult
    public func run(model: ModelGraph, train: TrainingData, evaluation: (data: TrainingData, trials: TrialList)?, stopAfterSteps: Int? = nil) throws -> Double? {
        let parameters = model.parameters
        let optimizer = settings.optimizer.make()
        var state = ResumeState(epoch: 0, globalStep: 0, learningRate: settings.optimizer.learningRate, optimizerSteps: 0, sampler: nil,
                                generator: SeededGenerator(seed: settings.seed).split("finetune"), dropout: model.dropoutState, plateau: nil,
                                bestScore: .infinity, epochsWithoutImprovement: 0, history: [])
        func save() throws {
            state.optimizerSteps = optimizer.stepCount
            state.dropout = model.dropoutState
            try state.save(to: folder, tensors: model.namedTensors + optimizer.state)
        }
        if let (saved, values) = try ResumeState.load(from: folder) {
            try model.load(values)
            optimizer.loadState(values, stepCount: saved.optimizerSteps)
            model.dropoutState = saved.dropout
            state = saved
        } else {
            // Step 0: the starting weights' EER is the reference the fine-tuning must beat.
            if let evaluation {
                let eer = try Embedding.equalErrorRate(model: model, data: evaluation.data, trials: evaluation.trials)
                state.bestScore = eer
                state.history.append(HistoryRow(stage: "finetune", epoch: 0, step: 0, loss: .nan, equalErrorRate: eer,
                                                learningRate: state.learningRate, seconds: 0, samplesPerSecond: 0))
                try AtomicFile.write(Checkpoint.encode(model.namedTensors, metadata: ["step": "0", "eer": String(eer)]), to: folder + "/best.safetensors")
            }
        }
        optimizer.learningRate = Float(state.learningRate)
        let kept = CheckpointAverage(folder: folder, count: settings.averageLast)
        // The evaluations made by a step: one every evaluate_every steps, and one at the last step.
        func evaluations(at step: Int) -> Int { step / settings.evaluateEvery + (step == settings.steps && step % settings.evaluateEvery != 0 ? 1 : 0) }
        let started = Date()
        var recentLoss = 0.0
        while state.globalStep < settings.steps {
            let batch = try nextBatch(model: model, train: train, generator: &state.generator)
            parameters.forEach { $0.zeroGradient() }
            let tape = Tape()
            let loss = tripletLoss(model.embed(tape.constant(train.batch(batch.rows)), tape: tape, mode: .training),
                                   margin: Float(settings.margin), reduction: settings.reduction)
            let value = Double(loss.value.scalars[0])
            guard value.isFinite else {
                throw TrainingError("the triplet loss became \(value) at step \(state.globalStep + 1) (learning rate \(state.learningRate)); the last good state is in \(folder)/\(ResumeState.fileName)")
            }
            tape.backward(from: loss)
            let updated = settings.freeze?.trainable(parameters, at: state.globalStep) ?? parameters
            WeightDecay.apply(to: updated, replacing: settings.l2.map(Float.init))
            optimizer.step(updated)
            state.globalStep += 1
            recentLoss += value
            let elapsed = Date().timeIntervalSince(started)
            progress.step(stage: "finetune", epoch: 0, step: state.globalStep, of: settings.steps, loss: value, learningRate: state.learningRate,
                          secondsLeft: elapsed / Double(state.globalStep) * Double(settings.steps - state.globalStep))
            if state.globalStep % settings.evaluateEvery == 0 || state.globalStep == settings.steps {
                let eer = try evaluation.map { try Embedding.equalErrorRate(model: model, data: $0.data, trials: $0.trials) }
                let count = state.globalStep % settings.evaluateEvery == 0 ? settings.evaluateEvery : state.globalStep % settings.evaluateEvery
                state.history.append(HistoryRow(stage: "finetune", epoch: 0, step: state.globalStep, loss: recentLoss / Double(count), equalErrorRate: eer,
                                                learningRate: state.learningRate, seconds: elapsed,
                                                samplesPerSecond: Double(count * 3 * settings.triplets) / max(elapsed, 1e-9)))
                recentLoss = 0
                if let eer, eer < state.bestScore {
                    state.bestScore = eer
                    try AtomicFile.write(Checkpoint.encode(model.namedTensors, metadata: ["step": String(state.globalStep), "eer": String(eer)]), to: folder + "/best.safetensors")
                } else if evaluation == nil, state.globalStep == settings.steps {
                    try AtomicFile.write(Checkpoint.encode(model.namedTensors, metadata: ["step": String(state.globalStep)]), to: folder + "/best.safetensors")
                }
                try kept.record(model.namedTensors, index: evaluations(at: state.globalStep))
                try AtomicFile.write(HistoryRow.file(state.history), to: folder + "/history.csv")
                try save()
            } else if let every = settings.saveEverySteps, state.globalStep % every == 0 {
                try save()
            }
            if let stop = stopAfterSteps, state.globalStep >= stop { return evaluation == nil ? nil : state.bestScore }
        }
        try kept.finish(at: evaluations(at: state.globalStep))
        return evaluation == nil ? nil : state.bestScore
    }

    /// One `[A | P | N]` batch of `settings.triplets` triplets.
    func nextBatch(model: ModelGraph, train: TrainingData, generator: inout SeededGenerator) throws -> TripletSampler.Batch {
        switch settings.mining {
        case .random:
            return try TripletSampler.random(speakers: train.labels, count: settings.triplets, using: &generator)
        case .hard:
            var candidates = Array(0..<train.count)
            candidates.shuffle(using: &generator)
            candidates = Array(candidates.prefix(settings.candidates))
            let subset = try TrainingData(features: candidates.map { train.features[$0] }, labels: candidates.map { train.labels[$0] }, ids: candidates.map { train.ids[$0] })
            let embeddings = Embedding.embedBatches(model: model, data: subset)
            let mined = try TripletSampler.hard(embeddings: embeddings.flatMap { $0 }, dimension: embeddings[0].count, speakers: subset.labels,
                                                anchorSpeakers: max(1, settings.triplets / settings.perAnchor), perAnchor: settings.perAnchor, using: &generator)
            return TripletSampler.Batch(anchors: mined.anchors.map { candidates[$0] }, positives: mined.positives.map { candidates[$0] },
                                        negatives: mined.negatives.map { candidates[$0] })
        }
    }
}
