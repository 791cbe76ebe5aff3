import Tensor

/// A per-parameter update rule and its state (the MLX shape): `step` reads each parameter's
/// gradient and updates its value. State is kept per parameter name, in parameter order.
public protocol Optimizer: AnyObject {
    /// The learning rate used by the next step (schedules set it).
    var learningRate: Float { get set }
    /// Updates every parameter from its gradient.
    func step(_ parameters: [Parameter])
    /// The state tensors to checkpoint, named `<parameter>.<slot>`.
    var state: [(name: String, tensor: Tensor)] { get }
    /// Restores state saved by `state`.
    func loadState(_ tensors: [String: Tensor], stepCount: Int)
    /// Steps taken so far.
    var stepCount: Int { get }
}

/// Stochastic gradient descent with momentum, Nesterov momentum and decoupled weight decay
/// (PyTorch semantics: v = μ·v + g; w −= lr·(g + μ·v) with Nesterov, lr·v without).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    /// Added to the gradient as wd·w before the momentum (PyTorch `weight_decay`).
    public let weightDecay: Float
    public private(set) var stepCount = 0
    private var velocity: [String: Tensor] = [:]

    /// Creates the optimizer.
    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        for parameter in parameters {
            let count = parameter.value.count
            var v = velocity[parameter.name] ?? Tensor(zeros: parameter.value.shape)
            let g = parameter.gradient.scalars
            parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                v.scalars.withUnsafeMutableBufferPointer { velocity in
                    for index in 0..<count {
                        let gradient = g[index] + weightDecay * w[index]
                        if momentum == 0 {
                            w[index] -= learningRate * gradient
                        } else {
                            velocity[index] = momentum * velocity[index] + gradient
                            w[index] -= learningRate * (nesterov ? gradient + momentum * velocity[index] : velocity[index])
                        }
                    }
                }
            }
            if momentum != 0 { velocity[parameter.name] = v }
        }
        stepCount += 1
    }

    public var state: [(name: String, tensor: Tensor)] {
        velocity.keys.sorted().map { ("\($0).momentum", velocity[$0]!) }
    }

    public func loadState(_ tensors: [String: Tensor], stepCount: Int) {
        velocity = [:]
        for (name, tensor) in tensors where name.hasSuffix(".momentum") { velocity[String(name.dropLast(9))] = tensor }
        self.stepCount = stepCount
    }
}

/// Adam (Kingma and Ba, 2015) with bias correction; `decoupled` makes it AdamW (Loshchilov and
/// Hutter, 2019): the decay w −= lr·wd·w is applied apart from the moments.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let weightDecay: Float
    public let decoupled: Bool
    public private(set) var stepCount = 0
    private var first: [String: Tensor] = [:]
    private var second: [String: Tensor] = [:]

    /// Creates the optimizer; defaults are Keras's and PyTorch's (β 0.9, 0.999). Keras uses ε 1e-7, PyTorch 1e-8.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    public func step(_ parameters: [Parameter]) {
        stepCount += 1
        let correction1 = 1 - pow(beta1, Float(stepCount))
        let correction2 = 1 - pow(beta2, Float(stepCount))
        for parameter in parameters {
            var m = first[parameter.name] ?? Tensor(zeros: parameter.value.shape)
            var v = second[parameter.name] ?? Tensor(zeros: parameter.value.shape)
            let g = parameter.gradient.scalars
            for index in 0..<parameter.value.count {
                var w = parameter.value.scalars[index]
                var gradient = g[index]
                if decoupled { w -= learningRate * weightDecay * w } else { gradient += weightDecay * w }
                m.scalars[index] = beta1 * m.scalars[index] + (1 - beta1) * gradient
                v.scalars[index] = beta2 * v.scalars[index] + (1 - beta2) * gradient * gradient
                let mHat = m.scalars[index] / correction1
                let vHat = v.scalars[index] / correction2
                parameter.value.scalars[index] = w - learningRate * mHat / (vHat.squareRoot() + epsilon)
            }
            first[parameter.name] = m
            second[parameter.name] = v
        }
    }

    public var state: [(name: String, tensor: Tensor)] {
        first.keys.sorted().flatMap { [("\($0).adam_m", first[$0]!), ("\($0).adam_v", second[$0]!)] }
    }

    public func loadState(_ tensors: [String: Tensor], stepCount: Int) {
        first = [:]
        second = [:]
        for (name, tensor) in tensors {
            if name.hasSuffix(".adam_m") { first[String(name.dropLast(7))] = tensor }
            if name.hasSuffix(".adam_v") { second[String(name.dropLast(7))] = tensor }
        }
        self.stepCount = stepCount
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
