// Tensor: dense Float32 storage with a shape.
//
// Layout (stated once, for the whole engine): row-major, channels last (NHWC).
// Shape legend: N batch, T frames (height), F mel bands (width), C channels.
// A feature batch is [N, T, F, C]; a dense activation is [N, C].
// Channels last makes a convolution one GEMM of [N·T·F, k·k·C_in] × [k·k·C_in, C_out]
// whose output is already in layout, with no transpose pass.

/// A dense, contiguous, row-major Float32 tensor.
public struct Tensor: Equatable, Sendable {
    /// The extent of each axis, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]

    /// Creates a tensor from a shape and its elements in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(Tensor.elementCount(shape) == scalars.count,
                     "shape \(shape) holds \(Tensor.elementCount(shape)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape filled with one value.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: Tensor.elementCount(shape)))
    }

    /// Creates a zero-filled tensor of the given shape.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor whose elements the caller will overwrite before reading (no zero-fill pass).
    init(uninitializedShape shape: [Int]) {
        let count = Tensor.elementCount(shape)
        self.init(shape: shape, scalars: [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count })
    }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The element at a full multi-index.
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    /// Returns the same elements under a new shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// The product of a shape's extents.
    public static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    private func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) has rank \(index.count), tensor has rank \(rank)")
        var position = 0
        for (axis, value) in index.enumerated() {
            precondition(value >= 0 && value < shape[axis], "index \(index) out of bounds for shape \(shape)")
            position = position * shape[axis] + value
        }
        return position
    }
}
