/// Reverse-mode automatic differentiation on a tape.
///
/// Each op computes its output and, in the same function, records a backward closure that maps
/// the output's gradient to its inputs' gradients. `backward(from:)` walks the records in reverse:
/// the chain rule lives only there. The tape is cleared after every step, so no graph is retained.
public final class Tape {
    struct Record {
        let inputs: [Int]
        let backward: ((Tensor) -> [Tensor?])?
        let sink: GradientSink?
    }

    private(set) var records: [Record] = []

    /// Creates an empty tape.
    public init() {}

    /// The number of recorded values (leaves and op outputs).
    public var count: Int { records.count }

    /// A value that needs no gradient (inputs, labels).
    public func constant(_ value: Tensor) -> Variable {
        Variable(value: value, index: -1, tape: self)
    }

    /// A leaf whose gradient is added into `sink` by `backward`.
    public func leaf(_ value: Tensor, sink: GradientSink) -> Variable {
        records.append(Record(inputs: [], backward: nil, sink: sink))
        return Variable(value: value, index: records.count - 1, tape: self)
    }

    /// Records an op's output; `backward` returns one gradient per input (nil when an input needs none).
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping (Tensor) -> [Tensor?]) -> Variable {
        guard inputs.contains(where: { $0.index >= 0 }) else { return Variable(value: value, index: -1, tape: self) }
        records.append(Record(inputs: inputs.map(\.index), backward: backward, sink: nil))
        return Variable(value: value, index: records.count - 1, tape: self)
    }

    /// Back-propagates from a scalar `loss` and adds each leaf's gradient into its sink; then clears the tape.
    public func backward(from loss: Variable) {
        precondition(loss.value.count == 1, "backward needs a scalar loss, got shape \(loss.value.shape)")
        guard loss.index >= 0 else { records.removeAll(keepingCapacity: true); return }
        var gradients = [Tensor?](repeating: nil, count: records.count)
        gradients[loss.index] = Tensor(repeating: 1, shape: loss.value.shape)
        for index in stride(from: loss.index, through: 0, by: -1) {
            guard let gradient = gradients[index] else { continue }
            gradients[index] = nil  // free as soon as it has been propagated
            let record = records[index]
            if let sink = record.sink { sink.accumulate(gradient); continue }
            guard let backward = record.backward else { continue }
            let inputGradients = backward(gradient)
            for (input, inputGradient) in zip(record.inputs, inputGradients) where input >= 0 {
                guard let inputGradient else { continue }
                if gradients[input] == nil { gradients[input] = inputGradient } else { gradients[input]!.add(inputGradient) }
            }
        }
        records.removeAll(keepingCapacity: true)
    }

    /// Drops every record without back-propagating (after an inference pass).
    public func reset() { records.removeAll(keepingCapacity: true) }
}

/// Where a leaf's gradient goes: a parameter's gradient buffer.
public protocol GradientSink: AnyObject {
    /// Adds a gradient of the leaf's shape.
    func accumulate(_ gradient: Tensor)
}

/// A value on a tape: a tensor and where it was recorded.
public struct Variable {
    /// The value.
    public let value: Tensor
    /// The record index on the tape, or −1 for a constant.
    let index: Int
    /// The tape that recorded it.
    let tape: Tape?

    /// The shape of the value.
    public var shape: [Int] { value.shape }
    /// Whether gradients flow to this value.
    public var requiresGradient: Bool { index >= 0 }

    /// Records an op on this variable's tape.
    func record(_ value: Tensor, _ inputs: [Variable], backward: @escaping (Tensor) -> [Tensor?]) -> Variable {
        guard let tape = tape ?? inputs.lazy.compactMap(\.tape).first else { return Variable(value: value, index: -1, tape: nil) }
        return tape.record(value, inputs: inputs, backward: backward)
    }
}

extension Tensor {
    /// A constant variable, outside any tape (inference).
    public var constant: Variable { Variable(value: self, index: -1, tape: nil) }

    /// Adds another tensor of the same shape in place.
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "cannot add \(other.shape) into \(shape)")
        scalars.withUnsafeMutableBufferPointer { target in
            other.scalars.withUnsafeBufferPointer { source in
                let targetBase = target.baseAddress!, sourceBase = source.baseAddress!
                Parallel.chunks(target.count, minimumPerChunk: 1 << 16) { _, range in
                    for index in range { targetBase[index] += sourceBase[index] }
                }
            }
        }
    }
}
