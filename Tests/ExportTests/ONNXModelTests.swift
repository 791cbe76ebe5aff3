import Foundation
import Testing
import TestSupport
import Models
import ONNX
@testable import Export

/// The ONNX writer's output, read back with the same generated messages: a well-formed graph
/// (every node input is the graph's input, a weight or an earlier node's output), every weight
/// of the network under its own name, the dynamic batch and frame axes, and the metadata. That
/// onnxruntime computes `speakerlab embed`'s embeddings from it is checked by
/// scripts/check_onnx_export.py, which CI runs.
@Suite struct ONNXModelTests {
    @Test(arguments: ["deepspeaker.yaml", "se-resnet.yaml", "thin-resnet34-stats.yaml", "attdcnn.yaml", "vggvox-resnet34.yaml"])
    func aNetworkIsWrittenAsAWellFormedONNXGraph(graph file: String) throws {
        let network = try ModelGraph(file: Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/\(file)").path,
                                     input: [149, 40, 1], width: 0.25, seed: 1)
        let data = try ONNXModel.serialise(network, metadata: ["speakerlab.features": "{}"], producerVersion: "test")
        let model = try Onnx_ModelProto(serializedBytes: data)
        #expect(model.irVersion == 8 && model.opsetImport.map(\.version) == [18] && model.producerName == "SpeakerLab")
        #expect(model.metadataProps.map(\.key) == ["speakerlab.features"])
        let graph = model.graph
        #expect(graph.input.map(\.name) == ["features"] && graph.output.map(\.name) == ["embedding"])
        let inputDimensions = graph.input[0].type.tensorType.shape.dim.map(\.value)
        #expect(inputDimensions == [.dimParam("batch"), .dimParam("frames"), .dimValue(40)])
        #expect(graph.output[0].type.tensorType.shape.dim.map(\.value) == [.dimParam("batch"), .dimValue(Int64(network.embeddingSize))])
        var defined = Set(["features"] + graph.initializer.map(\.name))
        for node in graph.node {
            for input in node.input { #expect(defined.contains(input), "\(node.opType) reads '\(input)' before it is made") }
            for output in node.output { #expect(defined.insert(output).inserted, "'\(output)' is made twice") }
        }
        #expect(defined.contains("embedding"))
        // Every weight and running statistic is a float initializer of the right size (a batch
        // norm on a vector is written folded, as its inference-time factor and shift).
        let weights = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        for (name, tensor) in network.namedTensors where weights[String(name.prefix { $0 != "." }) + ".factor"] == nil {
            let written = weights[name]
            #expect(written?.rawData.count == tensor.count * 4, "\(name)")
            #expect(written?.dims.reduce(1, *) == Int64(tensor.count), "\(name)")
        }
    }

    @Test func aKernelIsWrittenChannelsFirst() throws {
        let network = try ModelGraph(yaml: "name: one\ninput: [8, 6, 1]\nlayers:\n  - conv: {filters: 2, kernel: [3, 2]}\n  - global_average_pool\n",
                                     file: "one.yaml", seed: 4)
        let model = try Onnx_ModelProto(serializedBytes: try ONNXModel.serialise(network, metadata: [:], producerVersion: "test"))
        let kernel = model.graph.initializer.first { $0.name == "conv.kernel" }!
        #expect(kernel.dims == [2, 1, 3, 2])
        let values = kernel.rawData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let original = network.parameters.first { $0.name == "conv.kernel" }!.value  // [kh, kw, C_in, C_out]
        for output in 0..<2 { for i in 0..<3 { for j in 0..<2 {
            #expect(values[(output * 3 + i) * 2 + j] == original.scalars[(i * 2 + j) * 2 + output])
        } } }
        let conv = model.graph.node.first { $0.opType == "Conv" }!
        #expect(conv.attribute.first { $0.name == "auto_pad" }.map { String(decoding: $0.s, as: UTF8.self) } == "SAME_UPPER")
    }
}
