import Foundation
import Testing

/// Category "model graphs": a graph file with a mistake, named by the quick-start spec and
/// planned; each is refused (exit 2) at its line and column in the graph, with the range, before
/// any stage runs (the plan builds the network on the features' shape).
@Suite struct ModelGraphCases {
    /// A graph whose fifth line is `layer`, after a conv on the features.
    static func graph(_ layer: String) -> String {
        "name: bad\ninput: [149, 40, 1]\nlayers:\n  - conv: {filters: 4}\n  - \(layer)\n  - global_average_pool\n  - dense: {units: 8}\n"
    }

    static let layers: [(layer: String, message: String)] = [
        ("conv: {filters: 0}", "bad.yaml:5:21: error: 'filters' must be in 1…65536; got 0"),
        ("conv: {filters: -3}", "'filters' must be in 1…65536; got -3"),
        ("conv: {filters: 2.5}", "'filters' must be an integer in 1…65536; got '2.5'"),
        ("conv: {filters: .nan}", "'filters' must be an integer"),
        ("conv: {filters: 4, stride: 0}", "bad.yaml:5:32: error: 'stride' must be in 1…1024; got 0"),
        ("conv: {filters: 4, stride: [2, -1]}", "'stride' must be in 1…1024; got [2, -1]"),
        ("conv: {filters: 4, kernel: -3}", "'kernel' must be in 1…1024; got -3"),
        ("conv: {filters: 4, kernel: [3]}", "'kernel' must be an integer or a pair"),
        ("conv: {filters: 4, dilation: 0}", "'dilation' must be in 1…1024; got 0"),
        ("conv: {filters: 4, padding: reflect}", "'padding' must be one of same, valid; got 'reflect'"),
        ("conv: {filters: 4, l2: -1}", "'l2' must satisfy 0 ≤ l2 ≤ 1; got -1.0"),
        ("conv: {filters: 4, bias: 7}", "'bias' must be true or false; got '7'"),
        ("conv: {filters: 4, kernel: 200, padding: valid}", "leaves no output from a (None, 149, 40, 4) map"),
        ("conv: {filters: 4, strides: 2}", "bad.yaml:5:24: error: unknown argument 'strides' for conv"),
        ("conv: 64", "conv takes a mapping of arguments"),
        ("conv: {filters: 65536, kernel: 64}", "parameters, over the limit of 268435456"),
        ("conv: {filters: 65536}", "values per example, over the limit of 67108864"),
        ("pool: {size: 0}", "'size' must be in 1…1024; got 0"),
        ("pool: {size: 2, stride: 0}", "'stride' must be in 1…1024; got 0"),
        ("pool: {kind: median}", "'kind' must be one of max, average; got 'median'"),
        ("pool: {size: 500, padding: valid}", "pool with valid padding leaves no output"),
        ("squeeze_excite: {ratio: 0}", "'ratio' must be in 1…65536; got 0"),
        ("channel_attention: {ratio: -2}", "'ratio' must be in 1…65536; got -2"),
        ("batchnorm: {momentum: 2}", "'momentum' must satisfy 0 < momentum < 1; got 2.0"),
        ("batchnorm: {epsilon: -1}", "'epsilon' must satisfy 0 < epsilon ≤ 1"),
        ("dropout: {rate: 1}", "'rate' must satisfy 0 ≤ rate < 1; got 1.0"),
        ("dropout: {rate: .nan}", "'rate' must satisfy 0 ≤ rate < 1; got nan"),
        ("activation: swish", "unknown activation 'swish'"),
        ("activation", "activation takes one word"),
        ("global_max_pool: {size: 2}", "global_max_pool takes no arguments"),
        ("mean: {axes: [0]}", "mean needs axes"),
        ("residual: {shortcut: identity}", "residual needs body: a list of layers"),
        ("residual: {body: [{conv: {filters: 8}}]}", "the residual body gives (None, 149, 40, 8) but the shortcut gives (None, 149, 40, 4)"),
        ("dense: {units: 4}", "dense needs a vector input"),
        ("dense", "bad.yaml:5:5: error: dense needs a vector input; the input here is (None, 149, 40, 4)"),
        ("repeat: {times: 5, block: none}", "unknown block 'none'"),
        ("repeat: {times: 0, block: none}", "'times' must be in 1…1000; got 0"),
        ("repeat: {times: 100000000, block: none}", "'times' must be in 1…1000"),
        ("transformer: {heads: 4}", "unknown layer kind 'transformer'; known: activation, batchnorm, block"),
        ("[conv, dense]", "a layer is a word (`l2_normalize`) or a one-key mapping"),
    ]

    static let files: [(text: String, message: String)] = [
        ("name: bad\nlayers: [global_average_pool]\nlayers: [stats_pool]\n", "bad.yaml:3:1: error: 'layers' is given twice in one mapping"),
        ("name: bad\nlayer: [global_average_pool]\n", "bad.yaml:2:1: error: unknown key 'layer'"),
        ("name: bad\nlayers: [conv: {filters: 4}\n", "error: not valid YAML"),
        ("", "error: the file is empty"),
        ("- a\n", "bad.yaml:1:1: error: a model file is a mapping"),
        ("layers: [global_average_pool]\n", "error: missing 'name'"),
        ("name: bad\nlayers:\n  - conv: {filters: 4}\n", "must end in an embedding vector"),
        ("name: bad\nblocks:\n  a: {layers: [{block: {name: b}}]}\n  b: {layers: [{block: {name: a}}]}\nlayers:\n  - block: {name: a}\n", "block 'a' uses itself (a → b → a)"),
        ("name: bad\nblocks:\n  b: {params: [f], layers: [{conv: {filters: $f}}]}\nlayers:\n  - block: {name: b, with: {f: 0}}\n  - global_average_pool\n", "'filters' (set by $f) must be in 1…65536; got 0"),
        ("name: bad\nblocks:\n  b: {params: [f], layers: [{conv: {filters: $g}}]}\nlayers:\n  - block: {name: b, with: {f: 2}}\n", "'$g' is not a parameter of the enclosing block"),
        ("name: bad\nblocks:\n  b: {layers: [{conv: {filters: 4}}]}\n  c: {layers: [{repeat: {times: 1000, block: b}}]}\nlayers:\n  - repeat: {times: 1000, block: c}\n", "more than 100000 layers"),
        ("name: bad\nblocks: [a]\nlayers: [global_average_pool]\n", "bad.yaml:2:9: error: 'blocks' must be a mapping"),
    ]

    static let knobs = ["--set", "model.width=1", "--set", "~model.blocks", "--set", "model.graph=bad.yaml"]

    @Test(arguments: layers)
    func aHostileLayerIsRefusedAtPlanTime(layer: String, message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.graph(layer), to: "Experiments/models/bad.yaml")
        expect(try sandbox.run(["plan", "Experiments/quickstart.yaml"] + Self.knobs), status: 2, contains: ["Experiments/models/bad.yaml:5:", message])
    }

    @Test(arguments: files)
    func aHostileGraphFileIsRefusedAtPlanTime(text: String, message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write(text, to: "Experiments/models/bad.yaml")
        expect(try sandbox.run(["plan", "Experiments/quickstart.yaml"] + Self.knobs), status: 2, contains: ["Experiments/models/bad.yaml", message])
    }

    @Test func aModelTooBigForThisMachineIsRefusedAtItsBatch() throws {
        let sandbox = try Sandbox()
        let outcome = try sandbox.run(["plan", "Experiments/quickstart.yaml", "--set", "model.width=2", "--set", "~model.blocks", "--set", "pretrain.batch=4096"])
        expect(outcome, status: 2, contains: ["--set pretrain.batch: error: training deepspeaker", "more than the", "lower 'pretrain.batch' or model.width"])
    }
}
