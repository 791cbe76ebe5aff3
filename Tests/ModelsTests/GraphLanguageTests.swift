import Foundation
import Testing
import TestSupport
import Tensor
import NN
@testable import Models

@Suite struct GraphLanguageTests {
    static let folder = ZooTests.folder

    @Test(arguments: ["deepspeaker.yaml", "deepspeaker-era-a.yaml", "se-resnet.yaml", "vggvox-resnet34.yaml", "attdcnn.yaml",
                      "attdcnn-baseline.yaml", "walleclipse-rescnn.yaml", "resnet50-bottleneck.yaml", "thin-resnet34-stats.yaml"])
    func everyZooModelRunsForwardAndBackwardAtWidthAQuarter(file: String) throws {
        let model = try ModelGraph(file: Self.folder.appendingPathComponent(file).path, width: 0.25)
        let input = randomTensor([2] + model.input, seed: 1)
        let tape = Tape()
        let embedding = model.embed(tape.constant(input), tape: tape, mode: .training)
        #expect(embedding.shape == [2, model.embeddingSize])
        #expect(embedding.value.scalars.allSatisfy { $0.isFinite })
        tape.backward(from: sumAll(embedding))
        #expect(model.parameters.contains { $0.gradient.scalars.contains { $0 != 0 } })
    }

    @Test func widthAndDepthKnobsShrinkTheModel() throws {
        let path = Self.folder.appendingPathComponent("deepspeaker.yaml").path
        let full = try ModelGraph(file: path)
        let small = try ModelGraph(file: path, width: 0.25, depths: [1, 1, 1, 1])
        #expect(small.embeddingSize == 128)
        #expect(small.summary.rows.filter { $0.kind == "Conv2D" }.count == 4 * 3)
        #expect(small.summary.total < full.summary.total / 20)
        #expect(small.summary.rows.first { $0.kind == "Conv2D" }?.output == [150, 20, 16])
    }

    static func error(_ yaml: String) -> String {
        do { _ = try ModelGraph(yaml: yaml, file: "m.yaml"); return "no error" } catch { return "\(error)" }
    }

    @Test func badGraphsAreLocatedWithAFix() {
        let unknownKind = Self.error("name: m\ninput: [20, 8, 1]\nlayers:\n  - conv: {filters: 4}\n  - convolution: {filters: 4}\n  - global_average_pool\n")
        #expect(unknownKind.hasPrefix("m.yaml:5:5: error: unknown layer kind 'convolution'"), "\(unknownKind)")
        #expect(unknownKind.contains("\n  - convolution: {filters: 4}\n    ^"))

        let missing = Self.error("name: m\ninput: [20, 8, 1]\nlayers:\n  - conv: {kernel: 3}\n")
        #expect(missing.hasPrefix("m.yaml:4:5: error: missing 'filters'"), "\(missing)")

        let collapse = Self.error("name: m\ninput: [19, 3, 1]\nlayers:\n  - conv: {filters: 4, kernel: 5, stride: 2, padding: valid}\n")
        #expect(collapse.hasPrefix("m.yaml:4:5: error: a 5×5 kernel with stride 2×2 and valid padding leaves no output from a (None, 19, 3, 1) map"), "\(collapse)")

        let cycle = Self.error("name: m\ninput: [20, 8, 1]\nblocks:\n  a: {layers: [{block: {name: b}}]}\n  b: {layers: [{block: {name: a}}]}\nlayers:\n  - block: {name: a}\n")
        #expect(cycle.contains("error: block 'a' uses itself (a → b → a)"), "\(cycle)")

        let mismatch = Self.error("name: m\ninput: [20, 8, 2]\nlayers:\n  - residual: {body: [{conv: {filters: 4}}], shortcut: identity}\n  - global_average_pool\n")
        #expect(mismatch.hasPrefix("m.yaml:4:5: error: the residual body gives (None, 20, 8, 4) but the shortcut gives (None, 20, 8, 2)"), "\(mismatch)")

        let badArgument = Self.error("name: m\ninput: [20, 8, 1]\nlayers:\n  - conv: {filters: 4, strides: 2}\n")
        #expect(badArgument.hasPrefix("m.yaml:4:24: error: unknown argument 'strides' for conv"), "\(badArgument)")

        let noEmbedding = Self.error("name: m\ninput: [20, 8, 1]\nlayers:\n  - conv: {filters: 4}\n")
        #expect(noEmbedding.contains("must end in an embedding vector"))
    }
}
