import Foundation
import Testing
@testable import Models

/// Adversarial model graphs (the "model graphs" category of the hostile-input suite): each is
/// refused with a located error that names the allowed range, before any weight is allocated,
/// where the release build would otherwise divide by zero, spin or allocate without bound.
@Suite struct HostileGraphTests {
    /// A graph whose second layer is `layer` on a 20 × 8 × 4 map.
    static func graph(_ layer: String) -> String {
        "name: m\ninput: [20, 8, 4]\nlayers:\n  - conv: {filters: 4}\n  - \(layer)\n  - global_average_pool\n  - dense: {units: 4}\n"
    }

    static let layerCases: [(layer: String, message: String)] = [
        ("conv: {filters: 0}", "m.yaml:5:21: error: 'filters' must be in 1…65536; got 0"),
        ("conv: {filters: -3}", "m.yaml:5:21: error: 'filters' must be in 1…65536; got -3"),
        ("conv: {filters: 2.5}", "m.yaml:5:21: error: 'filters' must be an integer in 1…65536; got '2.5'"),
        ("conv: {filters: .nan}", "m.yaml:5:21: error: 'filters' must be an integer in 1…65536; got '.nan'"),
        ("conv: {filters: 100000000}", "error: 'filters' must be in 1…65536; got 100000000"),
        ("conv: {filters: 4, stride: 0}", "m.yaml:5:32: error: 'stride' must be in 1…1024; got 0"),
        ("conv: {filters: 4, stride: [1, 0]}", "error: 'stride' must be in 1…1024; got [1, 0]"),
        ("conv: {filters: 4, stride: [1, 2, 3]}", "error: 'stride' must be an integer or a pair [height, width]"),
        ("conv: {filters: 4, kernel: -3}", "m.yaml:5:32: error: 'kernel' must be in 1…1024; got -3"),
        ("conv: {filters: 4, kernel: 0}", "error: 'kernel' must be in 1…1024; got 0"),
        ("conv: {filters: 4, dilation: 0}", "error: 'dilation' must be in 1…1024; got 0"),
        ("conv: {filters: 4, padding: full}", "error: 'padding' must be one of same, valid; got 'full'"),
        ("conv: {filters: 4, l2: -1}", "error: 'l2' must satisfy 0 ≤ l2 ≤ 1; got -1.0"),
        ("conv: {filters: 4, l2: .inf}", "error: 'l2' must satisfy 0 ≤ l2 ≤ 1; got inf"),
        ("conv: {filters: 4, l2: yes}", "error: 'l2' must be a number"),
        ("conv: {filters: 4, bias: maybe}", "error: 'bias' must be true or false; got 'maybe'"),
        ("conv: {filters: 4, kernel: 9, padding: valid}", "leaves no output from a (None, 20, 8, 4) map"),
        ("conv: 64", "error: conv takes a mapping of arguments"),
        ("conv: {filters: 65536, kernel: 1024}", "parameters, over the limit of 268435456"),
        ("pool: {size: 0}", "m.yaml:5:18: error: 'size' must be in 1…1024; got 0"),
        ("pool: {size: 2, stride: 0}", "error: 'stride' must be in 1…1024; got 0"),
        ("pool: {kind: median}", "error: 'kind' must be one of max, average; got 'median'"),
        ("pool: {size: 30, padding: valid}", "pool with valid padding leaves no output"),
        ("squeeze_excite: {ratio: 0}", "m.yaml:5:29: error: 'ratio' must be in 1…65536; got 0"),
        ("channel_attention: {ratio: -2}", "error: 'ratio' must be in 1…65536; got -2"),
        ("batchnorm: {momentum: 2}", "error: 'momentum' must satisfy 0 < momentum < 1; got 2.0"),
        ("batchnorm: {momentum: 1}", "error: 'momentum' must satisfy 0 < momentum < 1; got 1.0"),
        ("batchnorm: {epsilon: 0}", "error: 'epsilon' must satisfy 0 < epsilon ≤ 1; got 0.0"),
        ("dropout: {rate: 1}", "error: 'rate' must satisfy 0 ≤ rate < 1; got 1.0"),
        ("dropout: {rate: -0.1}", "error: 'rate' must satisfy 0 ≤ rate < 1"),
        ("dropout: {rate: .nan}", "error: 'rate' must satisfy 0 ≤ rate < 1; got nan"),
        ("activation: swish", "error: unknown activation 'swish'; known: relu, elu, sigmoid"),
        ("activation", "error: activation takes one word, e.g. `activation: relu`"),
        ("global_max_pool: {size: 2}", "error: global_max_pool takes no arguments"),
        ("mean: {axes: [0]}", "error: mean needs axes: a list of distinct axis numbers 1…3"),
        ("mean: {axes: [1, 1]}", "error: mean needs axes"),
        ("mean", "m.yaml:5:5: error: mean needs axes"),
        ("residual: {shortcut: identity}", "error: residual needs body: a list of layers"),
        ("residual: {body: [{conv: {filters: 4}}], shortcut: 3}", "error: 'shortcut' must be identity or a list of layers"),
        ("dense: {units: 4}", "error: dense needs a vector input; the input here is (None, 20, 8, 4)"),
        ("stats_pool: {x: 1}", "error: stats_pool takes no arguments"),
        ("repeat: {times: 5, block: none}", "error: unknown block 'none'"),
        ("block: {name: nothing}", "error: unknown block 'nothing'"),
        ("[conv, dense]", "a layer is a word (`l2_normalize`) or a one-key mapping"),
    ]

    @Test(arguments: layerCases)
    func aHostileLayerIsRefusedWithItsRange(layer: String, message: String) {
        let text = GraphLanguageTests.error(Self.graph(layer))
        #expect(text.contains(message), "\(layer) → \(text)")
        #expect(text.hasPrefix("m.yaml:"), "\(text)")
    }

    static let fileCases: [(text: String, message: String)] = [
        ("name: m\ninput: [0, 8, 1]\nlayers: [global_average_pool]\n", "m.yaml:2:8: error: the input [0, 8, 1] must be positive sizes"),
        ("name: m\ninput: [-20, 8, 1]\nlayers: [global_average_pool]\n", "error: the input [-20, 8, 1] must be positive sizes"),
        ("name: m\ninput: [20, 8]\nlayers: [global_average_pool]\n", "error: 'input' must be [frames, bands, channels], three integers"),
        ("name: m\ninput: [20, 8.5, 1]\nlayers: [global_average_pool]\n", "error: 'input' must be [frames, bands, channels]"),
        ("input: [20, 8, 1]\nlayers: [global_average_pool]\n", "m.yaml:1:1: error: missing 'name'"),
        ("name: m\ninput: [20, 8, 1]\nlayer: [global_average_pool]\n", "m.yaml:3:1: error: unknown key 'layer'"),
        ("name: m\ninput: [20, 8, 1]\nlayers: [global_average_pool]\nlayers: [stats_pool]\n", "m.yaml:4:1: error: 'layers' is given twice in one mapping (first on line 3)"),
        ("name: m\ninput: [20, 8, 1]\nlayers: [conv: {filters: 4}\n", "error: not valid YAML"),
        ("", "error: the file is empty"),
        ("- a\n- b\n", "m.yaml:1:1: error: a model file is a mapping"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {layers: [{conv: {filters: 4}}]}\nlayers:\n  - repeat: {times: 0, block: b}\n  - global_average_pool\n",
         "m.yaml:6:21: error: 'times' must be in 1…1000; got 0"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {layers: [{conv: {filters: 4}}]}\nlayers:\n  - repeat: {times: -4, block: b}\n  - global_average_pool\n",
         "error: 'times' must be in 1…1000; got -4"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {layers: [{conv: {filters: 4}}]}\nlayers:\n  - repeat: {times: 1000000000, block: b}\n  - global_average_pool\n",
         "error: 'times' must be in 1…1000; got 1000000000"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {layers: [{conv: {filters: 4}}]}\n  c: {layers: [{repeat: {times: 1000, block: b}}]}\nlayers:\n  - repeat: {times: 1000, block: c}\n  - global_average_pool\n",
         "error: the graph expands to more than 100000 layers; check the repeat counts"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {params: [f], layers: [{conv: {filters: $f}}]}\nlayers:\n  - block: {name: b, with: {f: 0}}\n  - global_average_pool\n",
         "m.yaml:6:32: error: 'filters' (set by $f) must be in 1…65536; got 0"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {params: [f], layers: [{conv: {filters: $g}}]}\nlayers:\n  - block: {name: b, with: {f: 2}}\n  - global_average_pool\n",
         "error: '$g' is not a parameter of the enclosing block; known: f"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {params: 3, layers: [{conv: {filters: 2}}]}\nlayers:\n  - block: {name: b}\n  - global_average_pool\n",
         "error: 'params' must be a list of names or a mapping"),
        ("name: m\ninput: [20, 8, 1]\nblocks:\n  b: {layer: [{conv: {filters: 2}}]}\nlayers:\n  - block: {name: b}\n  - global_average_pool\n",
         "error: a block is a mapping with layers: a list"),
        ("name: m\ninput: [20, 8, 1]\nblocks: [a]\nlayers: [global_average_pool]\n", "m.yaml:3:9: error: 'blocks' must be a mapping"),
        ("name: m\ninput: [20000, 512, 1]\nlayers:\n  - conv: {filters: 4096}\n  - global_average_pool\n", "values per example, over the limit of 67108864"),
    ]

    @Test(arguments: fileCases)
    func aHostileFileIsRefusedAndLocated(text: String, message: String) {
        let error = GraphLanguageTests.error(text)
        #expect(error.contains(message), "\(text) → \(error)")
    }

    @Test func depthAndWidthKnobsOutOfRangeAreRefused() {
        let path = ZooTests.folder.appendingPathComponent("deepspeaker.yaml").path
        #expect(throws: (any Error).self) { try ModelGraph(file: path, depths: [0, 1, 1, 1]) }
        #expect(throws: (any Error).self) { try ModelGraph(file: path, depths: [-1]) }
        #expect(throws: (any Error).self) { try ModelGraph(file: path, width: 0) }
        #expect(throws: (any Error).self) { try ModelGraph(file: path, width: .nan) }
        #expect(throws: (any Error).self) { try ModelGraph(file: path, width: 1e9) }
        do { _ = try ModelGraph(file: "/nonexistent/m.yaml"); Issue.record("no error") } catch {
            #expect("\(error)" == "/nonexistent/m.yaml: error: no model graph file here; check the path (model graphs live in Experiments/models/)")
        }
    }
}
