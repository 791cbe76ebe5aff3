extension Tensor {
    /// Applies `transform` to every element, in parallel for large tensors.
    @inline(__always)
    public func map(_ transform: (Float) -> Float) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { source in
            result.scalars.withUnsafeMutableBufferPointer { target in
                let sourceBase = source.baseAddress!, targetBase = target.baseAddress!
                Parallel.chunks(count, minimumPerChunk: 1 << 16) { _, range in
                    for index in range { targetBase[index] = transform(sourceBase[index]) }
                }
            }
        }
        return result
    }

    /// Combines two same-shaped tensors element by element, in parallel for large tensors.
    @inline(__always)
    public func zip(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "element-wise op needs equal shapes, got \(shape) and \(other.shape)")
        var result = Tensor(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                result.scalars.withUnsafeMutableBufferPointer { target in
                    let aBase = a.baseAddress!, bBase = b.baseAddress!, targetBase = target.baseAddress!
                    Parallel.chunks(count, minimumPerChunk: 1 << 16) { _, range in
                        for index in range { targetBase[index] = combine(aBase[index], bBase[index]) }
                    }
                }
            }
        }
        return result
    }

    /// The sum of all elements (in Double, then rounded).
    public var sum: Float {
        var total: Double = 0
        for value in scalars { total += Double(value) }
        return Float(total)
    }
}
