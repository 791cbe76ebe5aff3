import NN

/// The optimizer a spec names, with its options.
public struct OptimizerSettings: Equatable, Sendable, Codable {
    /// `sgd`, `adam` or `adamw`.
    public var kind: String
    /// The base learning rate.
    public var learningRate: Double
    /// SGD momentum.
    public var momentum: Double
    /// SGD Nesterov momentum.
    public var nesterov: Bool
    /// Weight decay (SGD and Adam: added to the gradient; AdamW: decoupled).
    public var weightDecay: Double

    /// Creates settings; the defaults are the seed's pretraining optimizer (SGD lr 0.01, momentum 0.9).
    public init(kind: String = "sgd", learningRate: Double = 0.01, momentum: Double = 0.9, nesterov: Bool = false, weightDecay: Double = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// Builds the optimizer.
    public func make() throws -> Optimizer {
        switch kind {
        case "sgd": return SGD(learningRate: Float(learningRate), momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay))
        case "adam": return Adam(learningRate: Float(learningRate), weightDecay: Float(weightDecay))
        case "adamw": return Adam(learningRate: Float(learningRate), weightDecay: Float(weightDecay), decoupled: true)
        default: throw TrainingError("unknown optimizer '\(kind)'; use sgd, adam or adamw")
        }
    }
}
