/// The same elements under a new shape.
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
    let y = x.value.reshaped(shape)
    return x.record(y, [x]) { dy in [dy.reshaped(x.shape)] }
}

/// Joins tensors along their last axis; all other extents must agree.
public func concatenate(_ parts: [Variable]) -> Variable {
    precondition(!parts.isEmpty, "concatenate needs at least one tensor")
    let leading = Array(parts[0].shape.dropLast())
    precondition(parts.allSatisfy { Array($0.shape.dropLast()) == leading }, "concatenate needs equal leading extents: \(parts.map(\.shape))")
    let widths = parts.map { $0.shape.last! }
    let total = widths.reduce(0, +)
    let rows = parts[0].value.count / widths[0]
    var y = Tensor(zeros: leading + [total])
    var offset = 0
    for (part, width) in zip(parts, widths) {
        for row in 0..<rows {
            for column in 0..<width { y.scalars[row * total + offset + column] = part.value.scalars[row * width + column] }
        }
        offset += width
    }
    return parts[0].record(y, parts) { dy in
        var gradients: [Tensor?] = []
        var offset = 0
        for (part, width) in zip(parts, widths) {
            var gradient = Tensor(zeros: part.shape)
            for row in 0..<rows { for column in 0..<width { gradient.scalars[row * width + column] = dy.scalars[row * total + offset + column] } }
            gradients.append(gradient)
            offset += width
        }
        return gradients
    }
}

/// Rows [lower, upper) of the first axis (to split an `[A | P | N]` batch).
public func rows(_ x: Variable, _ range: Range<Int>) -> Variable {
    let width = x.value.count / x.shape[0]
    let y = Tensor(shape: [range.count] + x.shape.dropFirst(), scalars: Array(x.value.scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    return x.record(y, [x]) { dy in
        var dx = Tensor(zeros: x.shape)
        for index in 0..<dy.count { dx.scalars[range.lowerBound * width + index] = dy.scalars[index] }
        return [dx]
    }
}
