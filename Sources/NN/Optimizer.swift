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
        let (learningRate, momentum, nesterov, weightDecay) = (self.learningRate, self.momentum, self.nesterov, self.weightDecay)
        for parameter in parameters {
            let count = parameter.value.count
            // Taken out of the dictionary so the update is in place (no copy-on-write copy).
            var v = velocity.removeValue(forKey: parameter.name) ?? Tensor(zeros: parameter.value.shape)
            parameter.gradient.scalars.withUnsafeBufferPointer { g in
                parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                    v.scalars.withUnsafeMutableBufferPointer { velocity in
                        let (gBase, wBase, vBase) = (g.baseAddress!, w.baseAddress!, velocity.baseAddress!)
                        Parallel.chunks(count, minimumPerChunk: 1 << 16) { _, range in
                            if momentum == 0 {
                                for index in range { wBase[index] -= learningRate * (gBase[index] + weightDecay * wBase[index]) }
                            } else if nesterov {
                                for index in range {
                                    let gradient = gBase[index] + weightDecay * wBase[index]
                                    vBase[index] = momentum * vBase[index] + gradient
                                    wBase[index] -= learningRate * (gradient + momentum * vBase[index])
                                }
                            } else {
                                for index in range {
                                    let gradient = gBase[index] + weightDecay * wBase[index]
                                    vBase[index] = momentum * vBase[index] + gradient
                                    wBase[index] -= learningRate * vBase[index]
                                }
                            }
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
        let (learningRate, weightDecay, beta1, beta2, epsilon, decoupled) = (self.learningRate, self.weightDecay, self.beta1, self.beta2, self.epsilon, self.decoupled)
        for parameter in parameters {
            // Taken out of the dictionaries so the updates are in place (no copy-on-write copies).
            var m = first.removeValue(forKey: parameter.name) ?? Tensor(zeros: parameter.value.shape)
            var v = second.removeValue(forKey: parameter.name) ?? Tensor(zeros: parameter.value.shape)
            parameter.gradient.scalars.withUnsafeBufferPointer { g in
                parameter.value.scalars.withUnsafeMutableBufferPointer { w in
                    m.scalars.withUnsafeMutableBufferPointer { mBuffer in
                        v.scalars.withUnsafeMutableBufferPointer { vBuffer in
                            let (gBase, wBase, mBase, vBase) = (g.baseAddress!, w.baseAddress!, mBuffer.baseAddress!, vBuffer.baseAddress!)
                            Parallel.chunks(w.count, minimumPerChunk: 1 << 16) { _, range in
                                for index in range {
                                    var weight = wBase[index]
                                    var gradient = gBase[index]
                                    if decoupled { weight -= learningRate * weightDecay * weight } else { gradient += weightDecay * weight }
                                    mBase[index] = beta1 * mBase[index] + (1 - beta1) * gradient
                                    vBase[index] = beta2 * vBase[index] + (1 - beta2) * gradient * gradient
                                    let mHat = mBase[index] / correction1
                                    let vHat = vBase[index] / correction2
                                    wBase[index] = weight - learningRate * mHat / (vHat.squareRoot() + epsilon)
                                }
                            }
                        }
                    }
                }
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
