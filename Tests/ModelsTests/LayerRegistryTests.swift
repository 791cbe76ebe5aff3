import Foundation
import Testing
import TestSupport
import NN
import Tensor
@testable import Models

/// The layer registry: every kind listed once, documented in the README from the list, and every
/// weight a built layer holds reachable through what it says it holds.
@Suite struct LayerRegistryTests {
    /// A graph that uses every kind of the registry at least once.
    static let everyKind = """
    name: every-kind
    input: [16, 8, 1]
    blocks:
      unit:
        params: {filters: 4}
        layers:
          - conv: {filters: $filters, kernel: 3, bias: false, l2: 1.0e-4}
          - batchnorm
          - activation: relu
    layers:
      - block: {name: unit, with: {filters: 4}}
      - repeat: {times: 2, block: unit}
      - residual: {body: [{conv: {filters: 4, bias: false}}], shortcut: identity}
      - residual: {body: [{conv: {filters: 8, stride: 2}}], shortcut: [{conv: {filters: 8, kernel: 1, stride: 2, bias: false}}, batchnorm]}
      - squeeze_excite: {ratio: 2}
      - channel_attention: {ratio: 4, bias: false}
      - pool: {kind: average, size: [1, 2]}
      - dropout: {rate: 0.1}
      - global_max_pool
      - dense: {units: 6, l2: 1.0e-3}
      - l2_normalize
    """

    /// A second graph for the kinds that need another path: time pooling from a map.
    static let temporal = """
    name: temporal
    input: [16, 8, 1]
    layers:
      - conv: {filters: 2}
      - time_by_features
      - stats_pool
      - dense: {units: 4}
    """

    static let meanAndGlobalAverage = """
    name: mean
    input: [16, 8, 2]
    layers:
      - pool: {size: 2}
      - global_average_pool
      - dense: {units: 3}
    """

    static let meanOverTime = """
    name: mean-over-time
    input: [16, 8, 2]
    layers:
      - time_by_features
      - mean: {axes: [1]}
    """

    static let graphs = [everyKind, temporal, meanAndGlobalAverage, meanOverTime]

    @Test func theGraphsUseEveryRegisteredKind() throws {
        var used: Set<String> = []
        for text in Self.graphs {
            for line in text.split(separator: "\n") {
                for word in LayerRegistry.words where line.contains("- \(word)") || line.contains("{\(word):") || line.contains("[{\(word)") {
                    used.insert(word)
                }
            }
        }
        #expect(used == Set(LayerRegistry.words), "not exercised: \(Set(LayerRegistry.words).subtracting(used).sorted())")
        #expect(LayerRegistry.byWord.count == LayerRegistry.kinds.count, "two kinds share a word")
    }

    /// Every `Parameter` and `BatchNorm` stored anywhere inside a value, found by reflection.
    static func held(by value: Any, parameters: inout [ObjectIdentifier: String], norms: inout Set<ObjectIdentifier>, seen: inout Set<ObjectIdentifier>) {
        if value is Tensor || value is BatchNormStatistics { return }
        if let parameter = value as? Parameter { parameters[ObjectIdentifier(parameter), default: parameter.name] = parameter.name; return }
        if let object = value as AnyObject?, type(of: value) is AnyClass {
            guard seen.insert(ObjectIdentifier(object)).inserted else { return }
        }
        if let norm = value as? BatchNorm { norms.insert(ObjectIdentifier(norm)) }
        for child in Mirror(reflecting: value).children {
            held(by: child.value, parameters: &parameters, norms: &norms, seen: &seen)
        }
    }

    @Test(arguments: graphs.indices)
    func everyWeightALayerHoldsIsListed(graph index: Int) throws {
        let model = try ModelGraph(yaml: Self.graphs[index], file: "g.yaml")
        for layer in model.layers {
            var parameters: [ObjectIdentifier: String] = [:]
            var norms: Set<ObjectIdentifier> = []
            var seen: Set<ObjectIdentifier> = []
            Self.held(by: layer, parameters: &parameters, norms: &norms, seen: &seen)
            let listed = Set(layer.parameters.map(ObjectIdentifier.init))
            #expect(Set(parameters.keys) == listed, "\(type(of: layer)) holds \(parameters.values.sorted()) but lists \(layer.parameters.map(\.name))")
            #expect(listed.count == layer.parameters.count, "\(type(of: layer)) lists a parameter twice")
            #expect(norms == Set(layer.batchNorms.map(ObjectIdentifier.init)), "\(type(of: layer)) holds batch norms it does not list")
        }
        // And training reaches each of them: one backward pass gives every listed weight a gradient.
        let tape = Tape()
        let input = randomTensor([2] + model.input, seed: 3)
        tape.backward(from: sumAll(multiply(model.embed(tape.constant(input), tape: tape, mode: .training), tape.constant(randomTensor([2, model.embeddingSize], seed: 4)))))
        let untouched = model.parameters.filter { !$0.gradient.scalars.contains { $0 != 0 } }.map(\.name)
        #expect(untouched.isEmpty, "no gradient reached \(untouched)")
    }

    @Test func theGraphsL2CoefficientIsEachKernelsOwn() throws {
        let model = try ModelGraph(yaml: Self.everyKind, file: "g.yaml")
        let coefficients = Dictionary(model.parameters.map { ($0.name, $0.l2) }, uniquingKeysWith: { first, _ in first })
        #expect(coefficients["conv.kernel"] == 1e-4)
        #expect(coefficients["conv_4.bias"] == 0)
        #expect(coefficients["dense.kernel"] == 1e-3)
        #expect(coefficients["conv_4.kernel"] == 0)
        // The penalty uses them, or the override for every parameter that has one.
        let own = WeightDecay.apply(to: model.parameters)
        let expected = model.parameters.reduce(0.0) { sum, p in sum + Double(p.l2) * p.value.scalars.reduce(0.0) { $0 + Double($1 * $1) } }
        #expect(abs(Double(own) - expected) <= 1e-6 * expected)
        let replaced = WeightDecay.apply(to: model.parameters, replacing: 0)
        #expect(replaced == 0)
    }

    @Test func unknownKindsListTheRegistry() {
        let message = GraphLanguageTests.error("name: m\ninput: [20, 8, 1]\nlayers:\n  - convolution: {filters: 4}\n")
        #expect(message.contains("known: \(LayerRegistry.words.joined(separator: ", "))"), "\(message)")
    }

    @Test func theReadmeVocabularyIsTheRegistrys() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let generated = try #require(LayerRegistry.section.updating(readme, with: LayerRegistry.markdown()), "README.md has no model-graph-vocabulary section")
        #expect(generated == readme, "the README's layer vocabulary is out of date: run `speakerlab model reference --update README.md`")
        for word in LayerRegistry.words { #expect(readme.contains("| `\(word)` |")) }
    }
}
