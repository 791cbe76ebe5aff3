import NN

/// The optimizer a stage trains with, with its options (a spec's `optimizer:` section).
public struct OptimizerSettings: Equatable, Sendable, Codable {
    /// The update rule.
    public enum Kind: String, Equatable, Sendable, Codable {
        /// SGD with momentum and Nesterov.
        case sgd
        /// Adam, weight decay added to the gradient.
        case adam
        /// Adam with decoupled weight decay.
        case adamw
    }

    public var kind: Kind
    /// The base learning rate.
    public var learningRate: Double
    /// SGD momentum.
    public var momentum: Double
    /// SGD Nesterov momentum.
    public var nesterov: Bool
    /// Adam's moment decays and ε.
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Weight decay (SGD and Adam: added to the gradient; AdamW: decoupled).
    public var weightDecay: Double

    /// Creates settings; the defaults are the seed's pretraining optimizer (SGD lr 0.01, momentum 0.9).
    public init(kind: Kind = .sgd, learningRate: Double = 0.01, momentum: Double = 0.9, nesterov: Bool = false,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Builds the optimizer.
    public func make() -> Optimizer {
        switch kind {
        case .sgd: return SGD(learningRate: Float(learningRate), momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay))
        case .adam, .adamw:
            return Adam(learningRate: Float(learningRate), beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon),
                        weightDecay: Float(weightDecay), decoupled: kind == .adamw)
        }
    }
}
