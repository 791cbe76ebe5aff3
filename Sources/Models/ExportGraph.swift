import Tensor

/// A network written out as a graph of ONNX operators, for `speakerlab export`: each layer kind
/// adds the nodes that compute what its `forward` computes, and a writer in the `Export` target
/// turns the graph into an ONNX model. The Models layer only names operators, attributes and
/// weights; it knows nothing of protobuf.
///
/// Layout: the graph's input is [N, T, F] features; a feature map travels in ONNX's
/// channels-first order [N, C, T, F] (SpeakerLab's own is [N, T, F, C]); anything else (vectors
/// [N, D], sequences [N, T, D]) in SpeakerLab's own order.
public struct ExportGraph {
    /// An attribute value of a node.
    public enum Attribute: Equatable, Sendable {
        case integer(Int)
        case integers([Int])
        case number(Float)
        case text(String)
    }

    /// One operator application.
    public struct Node: Sendable {
        public let operation: String
        public let inputs: [String]
        public let output: String
        public let attributes: [String: Attribute]
    }

    /// A value flowing between nodes: its name, and whether it is a feature map in channels-first order.
    public struct Value: Sendable, Equatable {
        public let name: String
        public let isFeatureMap: Bool
    }

    /// The nodes in order.
    public private(set) var nodes: [Node] = []
    /// Weights and constants by name, in the order they were added.
    public private(set) var initializers: [(name: String, shape: [Int], values: [Float])] = []
    /// Integer constants (shapes, axes) by name.
    public private(set) var integerConstants: [(name: String, values: [Int])] = []
    private var counter = 0

    /// An empty graph.
    public init() {}

    /// Appends a node and returns its output's name.
    @discardableResult
    public mutating func add(_ operation: String, _ inputs: [String], _ attributes: [String: Attribute] = [:]) -> String {
        counter += 1
        let output = "\(operation.lowercased())_\(counter)"
        nodes.append(Node(operation: operation, inputs: inputs, output: output, attributes: attributes))
        return output
    }

    /// A float weight or constant; returns its name.
    public mutating func constant(_ name: String, shape: [Int], values: [Float]) -> String {
        precondition(shape.reduce(1, *) == values.count, "constant \(name): \(values.count) values for shape \(shape)")
        let unique = initializers.contains { $0.name == name } ? "\(name)_\(initializers.count)" : name
        initializers.append((unique, shape, values))
        return unique
    }

    /// An int64 constant (a shape or a list of axes); returns its name.
    public mutating func integers(_ values: [Int]) -> String {
        counter += 1
        let name = "ints_\(counter)"
        integerConstants.append((name, values))
        return name
    }

    /// A map in SpeakerLab's own order [N, T, F, C] (`Transpose` from channels-first).
    public mutating func natural(_ value: Value) -> String {
        value.isFeatureMap ? add("Transpose", [value.name], ["perm": .integers([0, 2, 3, 1])]) : value.name
    }
}

/// A layer kind that cannot be written as ONNX (yet), named in the error.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
