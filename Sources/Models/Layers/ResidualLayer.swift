import NN
import Tensor

/// `residual: {body: [...], shortcut: identity | [...]}`: body(x) + shortcut(x), the shortcut
/// the identity unless a projection is given.
struct ResidualLayer: LayerKind, GraphLayer {
    static let word = "residual"
    static let arguments = ["body", "shortcut"]
    static let summary = "body(x) + shortcut(x); the shortcut is identity unless a list of layers (a projection) is given"

    let body: [any GraphLayer]
    let shortcut: [any GraphLayer]

    var parameters: [Parameter] { body.flatMap(\.parameters) + shortcut.flatMap(\.parameters) }
    var batchNorms: [BatchNorm] { body.flatMap(\.batchNorms) + shortcut.flatMap(\.batchNorms) }

    func forward(_ x: Variable, _ pass: inout ForwardPass) -> Variable {
        var main = x
        for layer in body { main = layer.forward(main, &pass) }
        var skip = x
        for layer in shortcut { skip = layer.forward(skip, &pass) }
        return add(main, skip)
    }

    func export(_ x: ExportGraph.Value, _ graph: inout ExportGraph) throws -> ExportGraph.Value {
        var main = x
        for layer in body { main = try layer.export(main, &graph) }
        var skip = x
        for layer in shortcut { skip = try layer.export(skip, &graph) }
        guard main.isFeatureMap == skip.isFeatureMap else { throw ExportError("a residual whose body and shortcut end in different layouts cannot be exported") }
        return .init(name: graph.add("Add", [main.name, skip.name]), isFeatureMap: main.isFeatureMap)
    }

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let body = try builder.build(try arguments.layers("body"), shape: shape, bindings: arguments.bindings)
        var shortcut = BuiltLayers([], output: shape)
        if let written = try arguments.node("shortcut"), written.string != "identity" {
            guard written.sequence != nil else { throw arguments.error("'shortcut' must be identity or a list of layers", at: written) }
            shortcut = try builder.build(written, shape: shape, bindings: arguments.bindings)
        }
        guard body.output == shortcut.output else {
            throw arguments.error("the residual body gives \(ModelSummary.describe(body.output)) but the shortcut gives \(ModelSummary.describe(shortcut.output)); add a projection shortcut (conv 1×1 with the body's stride and filters)")
        }
        builder.record(builder.uniqueName("add"), kind: "Add", output: body.output)
        return BuiltLayers(ResidualLayer(body: body.layers, shortcut: shortcut.layers), output: body.output)
    }
}
