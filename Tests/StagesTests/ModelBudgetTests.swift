import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Spec
@testable import Stages

/// The plan-time model check: a graph mistake or a network too big to train here is a located
/// error from `plan`, before prepare or features run.
@Suite struct ModelBudgetTests {
    static let quickstart = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path

    static func planError(_ overrides: [String], spec: String = quickstart) -> String {
        do { _ = try ExperimentPlan(specPath: spec, overrides: overrides); return "no error" } catch { return "\(error)" }
    }

    @Test func theFeatureShapeIsTheFrontEndsOwn() throws {
        let (spec, _) = try ExperimentSpec.load(path: Self.quickstart)
        let shape = ModelBudget.featureShape(spec.features)
        #expect(shape.frames == 149 && shape.bands == 40, "1.5 s of logfbank at 10 ms hops: \(shape)")
    }

    @Test func aBatchThatCannotFitIsRefusedAtItsKey() throws {
        let (spec, resolved) = try ExperimentSpec.load(path: Self.quickstart, overrides: ["pretrain.batch=64"])
        let graph = try String(contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent("Experiments/models/deepspeaker.yaml").path, encoding: .utf8)
        let model = ModelParameters(section: spec.model, graphText: graph)
        try ModelBudget.check(spec, model: model, modelFile: "deepspeaker.yaml", resolved: resolved, specPath: Self.quickstart)
        do {
            try ModelBudget.check(spec, model: model, modelFile: "deepspeaker.yaml", resolved: resolved, specPath: Self.quickstart, available: 64 * 1024 * 1024)
            Issue.record("a 64 MiB budget was enough")
        } catch {
            #expect("\(error)".hasPrefix("--set pretrain.batch: error: training deepspeaker ("), "\(error)")
            #expect("\(error)".contains("on batches of 64 needs about"))
            #expect("\(error)".contains("lower 'pretrain.batch' or model.width"))
        }
    }

    @Test func aGraphMistakeIsAPlanError() throws {
        let folder = TemporaryDirectory()
        let graph = folder.url.appendingPathComponent("bad.yaml").path
        try "name: bad\ninput: [20, 8, 1]\nlayers:\n  - conv: {filters: 4, stride: 0}\n  - global_average_pool\n".write(toFile: graph, atomically: true, encoding: .utf8)
        let message = Self.planError(["model.graph=\(graph)"])
        #expect(message.hasPrefix("\(graph):4:32: error: 'stride' must be in 1…1024; got 0"), "\(message)")
        #expect(Self.planError(["model.width=16", "pretrain.batch=4096"]).contains("parameters, over the limit of 268435456"))
    }
}
