import Foundation
import Models
import ONNX
import SwiftProtobuf

/// Writes a network's `ExportGraph` as an ONNX model (opset 18, IR version 8) through
/// swift-protobuf's generated ONNX messages: input `features` [batch, frames, bands] float32,
/// output `embedding` [batch, dimension], the weights as initializers, and `metadata` as the
/// model's metadata properties (the front end that makes the features).
public enum ONNXModel {
    /// The operator set the graph is written in (18: the reductions take their axes as an input).
    public static let opset: Int64 = 18
    /// The ONNX IR version of that operator set.
    public static let irVersion: Int64 = 8

    /// The serialised model.
    public static func serialise(_ network: ModelGraph, metadata: [String: String], producerVersion: String) throws -> Data {
        let (exported, output) = try network.exportGraph()
        var graph = Onnx_GraphProto()
        graph.name = network.name
        graph.input = [valueInfo("features", dimensions: [.dimParam("batch"), .dimParam("frames"), .dimValue(Int64(network.input[1]))])]
        graph.output = [valueInfo("embedding", dimensions: [.dimParam("batch"), .dimValue(Int64(network.embeddingSize))])]
        for (name, shape, values) in exported.initializers {
            var tensor = Onnx_TensorProto()
            tensor.name = name
            tensor.dims = shape.map(Int64.init)
            tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            tensor.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }  // little-endian on x86-64 and ARM64
            graph.initializer.append(tensor)
        }
        for (name, values) in exported.integerConstants {
            var tensor = Onnx_TensorProto()
            tensor.name = name
            tensor.dims = [Int64(values.count)]
            tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            tensor.int64Data = values.map(Int64.init)
            graph.initializer.append(tensor)
        }
        for (index, node) in exported.nodes.enumerated() {
            var written = Onnx_NodeProto()
            written.name = "\(node.operation)_\(index)"
            written.opType = node.operation
            written.input = node.inputs
            written.output = [node.output == output ? "embedding" : node.output]
            written.attribute = node.attributes.keys.sorted().map { attribute($0, node.attributes[$0]!) }
            graph.node.append(written)
        }
        // A network whose last layer adds no node (dropout, linear) still names its output.
        if !exported.nodes.contains(where: { $0.output == output }) {
            var identity = Onnx_NodeProto()
            identity.name = "Identity_out"
            identity.opType = "Identity"
            identity.input = [output]
            identity.output = ["embedding"]
            graph.node.append(identity)
        }
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        var operatorSet = Onnx_OperatorSetIdProto()
        operatorSet.domain = ""
        operatorSet.version = opset
        model.opsetImport = [operatorSet]
        model.producerName = "SpeakerLab"
        model.producerVersion = producerVersion
        model.graph = graph
        model.metadataProps = metadata.keys.sorted().map { key in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = metadata[key]!
            return entry
        }
        return try model.serializedData()
    }

    static func valueInfo(_ name: String, dimensions: [Onnx_TensorShapeProto.Dimension.OneOf_Value]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var shape = Onnx_TensorShapeProto()
        shape.dim = dimensions.map { value in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.value = value
            return dimension
        }
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        info.type = type
        return info
    }

    static func attribute(_ name: String, _ value: ExportGraph.Attribute) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        switch value {
        case let .integer(number): attribute.type = .int; attribute.i = Int64(number)
        case let .integers(numbers): attribute.type = .ints; attribute.ints = numbers.map(Int64.init)
        case let .number(number): attribute.type = .float; attribute.f = number
        case let .text(text): attribute.type = .string; attribute.s = Data(text.utf8)
        }
        return attribute
    }
}
