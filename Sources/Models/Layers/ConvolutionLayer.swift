import NN
import Tensor

/// `conv: {filters, kernel, stride, padding, dilation, bias, l2}`: a 2-D convolution over
/// time × frequency × channels (Keras `Conv2D`; `l2` is its `kernel_regularizer=l2(λ)`).
struct ConvolutionLayer: LayerKind, GraphLayer {
    static let word = "conv"
    static let arguments = ["filters", "kernel", "stride", "padding", "dilation", "bias", "l2"]
    static let summary = "2-D convolution over time × frequency: filters (1…65536, scaled by model.width), kernel, stride and dilation (an integer or [h, w], 1…1024; default 3, 1, 1), padding same or valid, bias (default true), l2 (the kernel's L2 coefficient, 0…1)"

    let convolution: Conv2D

    var parameters: [Parameter] { convolution.parameters }
    var batchNorms: [BatchNorm] { [] }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable { convolution(x, tape: pass.tape) }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        let c = convolution, shape = c.kernel.value.shape  // [kh, kw, C_in, C_out] → ONNX [C_out, C_in, kh, kw]
        let (kh, kw, cin, cout) = (shape[0], shape[1], shape[2], shape[3])
        var weights = [Float](repeating: 0, count: c.kernel.value.count)
        for i in 0..<kh { for j in 0..<kw { for input in 0..<cin { for output in 0..<cout {
            weights[((output * cin + input) * kh + i) * kw + j] = c.kernel.value.scalars[((i * kw + j) * cin + input) * cout + output]
        } } } }
        var inputs = [x.name, graph.constant(c.kernel.name, shape: [cout, cin, kh, kw], values: weights)]
        if let bias = c.bias { inputs.append(graph.constant(bias.name, shape: [cout], values: bias.value.scalars)) }
        let output = graph.add("Conv", inputs, ["kernel_shape": .integers([kh, kw]), "strides": .integers([c.stride.0, c.stride.1]),
                                                "dilations": .integers([c.dilation.0, c.dilation.1]),
                                                "auto_pad": .text(c.padding == .same ? "SAME_UPPER" : "VALID")])
        return .init(name: output, isFeatureMap: true)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        try requireFeatureMap(arguments, shape)
        let filters = builder.scaled(try arguments.integer("filters", in: 1...65_536))
        let kernel = try arguments.pair("kernel", default: (3, 3), in: 1...1_024)
        let stride = try arguments.pair("stride", default: (1, 1), in: 1...1_024)
        let dilation = try arguments.pair("dilation", default: (1, 1), in: 1...1_024)
        let padding = Padding(rawValue: try arguments.word("padding", default: "same", choices: ["same", "valid"]))!
        let l2 = try arguments.number("l2", default: 0, in: .closed(0, 1))
        let useBias = try arguments.boolean("bias", default: true)
        let height = padding.output(input: shape[0], kernel: kernel.0, stride: stride.0, dilation: dilation.0).size
        let width = padding.output(input: shape[1], kernel: kernel.1, stride: stride.1, dilation: dilation.1).size
        guard height > 0, width > 0 else {
            throw arguments.error("a \(kernel.0)×\(kernel.1) kernel with stride \(stride.0)×\(stride.1) and \(padding.rawValue) padding leaves no output from a \(ModelSummary.describe(shape)) map; use padding: same or a smaller stride")
        }
        try builder.reserve(parameters: kernel.0 * kernel.1 * shape[2] * filters + (useBias ? filters : 0), for: arguments)
        let name = builder.uniqueName("conv")
        let layer = Conv2D(name: name, inputChannels: shape[2], outputChannels: filters, kernelSize: kernel, stride: stride,
                           dilation: dilation, padding: padding, useBias: useBias, l2: Float(l2), using: &builder.generator)
        let output = [height, width, filters]
        builder.record(name, kind: "Conv2D", output: output, parameters: layer.parameters)
        return BuiltLayers(ConvolutionLayer(convolution: layer), output: output)
    }
}

/// Refuses an input that is not a time × frequency × channels map.
func requireFeatureMap(_ arguments: LayerArguments, _ shape: [Int]) throws {
    guard shape.count == 3 else {
        throw arguments.error("\(arguments.kind) needs a time × frequency × channels input; the input here is \(ModelSummary.describe(shape))")
    }
}
