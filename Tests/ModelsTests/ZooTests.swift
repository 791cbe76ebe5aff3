import Foundation
import Testing
import TestSupport
import Tensor
import NN
@testable import Models

/// The seed's models in `Experiments/models/` reproduce the reference's parameter counts (§3)
/// and shapes.
@Suite struct ZooTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Experiments/models")

    @Test(arguments: [
        ("deepspeaker.yaml", 23_401_344, 14_464),
        ("deepspeaker-era-a.yaml", 13_984_576, 7_680),
        ("walleclipse-rescnn.yaml", 24_185_728, -1),
        ("se-resnet.yaml", 1_389_056, 9_344),
        ("vggvox-resnet34.yaml", 22_496_448, 23_808),
        ("attdcnn.yaml", 5_550_976, 17_920),
        ("attdcnn-baseline.yaml", 2_191_232, 12_800),
    ])
    func parameterCountsMatchTheReference(file: String, total: Int, nonTrainable: Int) throws {
        let model = try ModelGraph(file: Self.folder.appendingPathComponent(file).path)
        #expect(model.summary.total == total, "\(file): \(model.summary.total)")
        if nonTrainable >= 0 { #expect(model.summary.nonTrainable == nonTrainable) }
        #expect(model.embeddingSize == (file == "attdcnn.yaml" ? 1024 : 512))
    }

    @Test func deepSpeakerShapesFollowTheReference() throws {
        let model = try ModelGraph(file: Self.folder.appendingPathComponent("deepspeaker.yaml").path)
        let convShapes = model.summary.rows.filter { $0.kind == "Conv2D" }.map(\.output)
        #expect(convShapes.first == [150, 20, 64])
        #expect(convShapes.contains([75, 10, 128]) && convShapes.contains([38, 5, 256]))
        #expect(convShapes.last == [19, 3, 512])
        #expect(model.summary.text.hasSuffix("Total params: 23,401,344\nTrainable params: 23,386,880\nNon-trainable params: 14,464\n" + String(repeating: "_", count: 84) + "\n"))
    }
}

extension ZooTests {
    /// The spatial shapes each seed model passes through (reference §3.2–§3.4).
    @Test(arguments: [
        ("se-resnet.yaml", [[150, 20], [75, 10], [38, 5], [19, 3]], [19, 3, 512]),
        ("vggvox-resnet34.yaml", [[150, 20], [75, 10], [38, 5], [19, 3]], [19, 3, 512]),
        ("attdcnn.yaml", [[150, 20], [75, 10], [38, 5]], [38, 5, 1024]),
        ("attdcnn-baseline.yaml", [[150, 20], [75, 10], [38, 5]], [38, 5, 512]),
        ("walleclipse-rescnn.yaml", [[80, 32], [40, 16], [20, 8], [10, 4]], [10, 4, 512]),
    ])
    func seedModelsPassThroughTheReferenceShapes(file: String, spatial: [[Int]], last: [Int]) throws {
        let model = try ModelGraph(file: Self.folder.appendingPathComponent(file).path)
        let mapShapes = model.summary.rows.map(\.output).filter { $0.count == 3 }
        for shape in spatial { #expect(mapShapes.contains { Array($0.prefix(2)) == shape }, "\(file) never reaches \(shape)") }
        #expect(mapShapes.last == last)
    }
}
