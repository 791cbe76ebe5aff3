/// `block: {name, with: {…}}`: the layers of a named block with its parameters bound.
enum BlockKind: LayerKind {
    static let word = "block"
    static let arguments = ["name", "with"]
    static let summary = "the layers of a named block, its `$parameters` bound by `with`"

    static func build(_ arguments: LayerArguments, input shape: [Int], builder: inout GraphBuilder) throws -> BuiltLayers {
        let name = try arguments.node("name")?.string ?? ""
        return try builder.expand(block: name, with: arguments.given("with"), overrides: nil, shape: shape, bindings: arguments.bindings, at: arguments.item)
    }
}
